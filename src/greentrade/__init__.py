"""greentrade: industrial robots and the green trade benefit of Chinese provinces."""

from importlib.metadata import PackageNotFoundError, version

try:  # the one version number: pyproject.toml's, as installed
    __version__ = version("greentrade")
except PackageNotFoundError:  # a source tree on sys.path that was never installed
    __version__ = "0+unknown"
del PackageNotFoundError, version
