"""greentrade: industrial robots and the green trade benefit of Chinese provinces."""

__version__ = "0.1.0"
