"""Source configuration: ``greentrade.toml`` of the project folder (the working directory or
the nearest folder above it holding the file or ``dbt_project.yml``, or ``GREENTRADE_PROJECT_DIR``:
:func:`greentrade.reference.project_root`; ``GREENTRADE_CONFIG`` names another file) plus
environment overrides.

- ``[warehouse] path`` (default ``warehouse/work.duckdb``), overridden by ``GREENTRADE_WAREHOUSE``;
- ``[sources] root`` (default ``data/demo``), overridden by ``GREENTRADE_SOURCE_ROOT``;
- ``[demo] scale`` (``small``, the default, or ``full``): the size of the synthetic demo
  (``greentrade demo``); each scale has its own folder (``DEMO_ROOTS``: ``data/demo``,
  ``data/demo_full``), and with ``full`` a ``[sources] root`` naming the small demo's folder
  names the full one instead (a root anywhere else, or ``GREENTRADE_SOURCE_ROOT``, is kept);
- ``[sources.<key>] path`` (a folder or a file, relative to the root), overridden by
  ``GREENTRADE_SOURCE_<KEY>`` (upper case, e.g. ``GREENTRADE_SOURCE_CEADS_EMISSIONS``);
  every other key of the table is an option for that source's reader and file discovery.

Paths from the file are relative to the file's folder; paths from the environment are
relative to the working directory.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from greentrade.reference import project_root

CONFIG_FILE = "greentrade.toml"  # in the project folder
DEFAULT_WAREHOUSE = "warehouse/work.duckdb"
DEFAULT_ROOT = "data/demo"
DEMO_SCALES = ("small", "full")
DEMO_ROOTS = {"small": DEFAULT_ROOT, "full": "data/demo_full"}  # relative to the config file's folder


@dataclass(frozen=True)
class SourceConfig:
    key: str
    path: Path
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    warehouse: Path
    sources: dict[str, SourceConfig]
    file: Path | None = None
    settings: dict[str, Any] = field(default_factory=dict)  # [settings]: the research settings (dbt vars)
    demo_scale: str = "small"                                  # [demo] scale
    demo_roots: dict[str, Path] = field(default_factory=dict)  # each scale's demo folder

    @property
    def demo_root(self) -> Path:
        """The folder of the configured demo scale (``greentrade demo`` writes it)."""
        return self.demo_roots[self.demo_scale]

    def source(self, key: str) -> SourceConfig:
        try:
            return self.sources[key]
        except KeyError:
            where = self.file or "the configuration"
            raise KeyError(
                f"no source {key!r} in {where}; configured: {sorted(self.sources)}"
            ) from None


def env_var(key: str) -> str:
    return f"GREENTRADE_SOURCE_{key.upper()}"


def _resolve(value: str | os.PathLike, base: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path)


def load_config(path: str | os.PathLike | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read ``greentrade.toml`` and apply the environment.

    Parameters
    ----------
    path : path-like, optional
        The configuration file; default ``GREENTRADE_CONFIG``, else the project's
        ``greentrade.toml`` (:func:`greentrade.reference.project_root`; a project without the
        file gets the defaults, relative to the project folder).
    env : mapping, optional
        The environment (default ``os.environ``): ``GREENTRADE_WAREHOUSE``,
        ``GREENTRADE_SOURCE_ROOT``, ``GREENTRADE_SOURCE_<KEY>`` override the file.

    Returns
    -------
    Config
        ``[settings]`` (the research settings, passed to dbt as vars) is carried as is in
        ``Config.settings``.

    Raises
    ------
    greentrade.reference.ProjectNotFoundError
        No ``path``, no ``GREENTRADE_CONFIG`` and no project folder.
    """
    env = os.environ if env is None else env
    if path is None and env.get("GREENTRADE_CONFIG"):
        path = env["GREENTRADE_CONFIG"]
    file = Path(path) if path is not None else project_root() / CONFIG_FILE
    data: dict[str, Any] = {}
    if path is not None or file.exists():
        with open(file, "rb") as handle:
            data = tomllib.load(handle)
    base = file.resolve().parent
    cwd = Path.cwd()

    warehouse = env.get("GREENTRADE_WAREHOUSE")
    warehouse_path = (
        _resolve(warehouse, cwd)
        if warehouse
        else _resolve(data.get("warehouse", {}).get("path", DEFAULT_WAREHOUSE), base)
    )

    demo = data.get("demo", {})
    if not isinstance(demo, dict):
        raise ValueError(f"{file}: [demo] must be a table (scale = \"small\" or \"full\"), found {demo!r}")
    scale = demo.get("scale", "small")
    if scale not in DEMO_SCALES:
        raise ValueError(f"{file}: [demo] scale must be one of {', '.join(DEMO_SCALES)}, found {scale!r}")
    demo_roots = {key: _resolve(folder, base) for key, folder in DEMO_ROOTS.items()}

    table = dict(data.get("sources", {}))
    root_value = table.pop("root", DEFAULT_ROOT)
    root = _resolve(env["GREENTRADE_SOURCE_ROOT"], cwd) if env.get("GREENTRADE_SOURCE_ROOT") else _resolve(root_value, base)
    if not env.get("GREENTRADE_SOURCE_ROOT") and root.resolve() == demo_roots["small"].resolve():
        root = demo_roots[scale]  # the demo's sources, at the configured scale

    sources: dict[str, SourceConfig] = {}
    for key, entry in table.items():
        if not isinstance(entry, dict):
            raise ValueError(f"{file}: [sources.{key}] must be a table, found {entry!r}")
        options = dict(entry)
        default = options.pop("path", key)
        override = env.get(env_var(key))
        source_path = _resolve(override, cwd) if override else _resolve(default, root)
        sources[key] = SourceConfig(key=key, path=source_path, options=options)
    return Config(warehouse=warehouse_path, sources=sources, file=file if data else None,
                  settings=dict(data.get("settings", {})), demo_scale=scale, demo_roots=demo_roots)
