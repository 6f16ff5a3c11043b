"""The project folder, and the reference lists and concordances of its dbt seeds (``seeds/*.csv``).

The seeds are the one place these lookups live: dbt loads them into the warehouse, and the
Python side (readers, demo generator, MRIO embedding) reads the same files through this
module, so a province alias or a sector mapping is defined once.

The project (``greentrade.toml``, ``dbt_project.yml``, ``seeds/``, ``models/``, ``gx/``) is
found from the working directory, never from where the package is installed
(:func:`project_root`): the package works installed without ``-e`` (``pip install .``), run
from the project folder or any folder below it, or with ``GREENTRADE_PROJECT_DIR`` set.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from pathlib import Path

import pandas as pd

PROJECT_ENV = "GREENTRADE_PROJECT_DIR"
# a folder holding one of these is a greentrade project (the configuration, the dbt project)
PROJECT_FILES = ("greentrade.toml", "dbt_project.yml")


class ProjectNotFoundError(FileNotFoundError):
    """No greentrade project in the working directory or above it (nor at GREENTRADE_PROJECT_DIR)."""


def find_project(start: str | os.PathLike | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the working directory) holding
    ``greentrade.toml`` or ``dbt_project.yml``; None if there is none."""
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / name).is_file() for name in PROJECT_FILES):
            return folder
    return None


def project_root() -> Path:
    """The project folder: ``GREENTRADE_PROJECT_DIR`` if set, else :func:`find_project` from the
    working directory.

    Returns
    -------
    pathlib.Path
        The absolute folder holding ``greentrade.toml`` or ``dbt_project.yml``.

    Raises
    ------
    ProjectNotFoundError
        Neither names a project folder; the message says where it looked.
    """
    given = os.environ.get(PROJECT_ENV)
    if given:
        folder = Path(given).expanduser().resolve()
        if not any((folder / name).is_file() for name in PROJECT_FILES):
            raise ProjectNotFoundError(f"{PROJECT_ENV}={given}: no {' or '.join(PROJECT_FILES)} in {folder}")
        return folder
    found = find_project()
    if found is None:
        raise ProjectNotFoundError(
            f"no greentrade project in {Path.cwd()} or any folder above it (a project folder holds "
            f"{' or '.join(PROJECT_FILES)}): run greentrade from the project folder, or set {PROJECT_ENV}")
    return found


def __getattr__(name: str):
    # PROJECT_ROOT, the earlier constant: now the project of the working directory when it is read
    if name == "PROJECT_ROOT":
        return project_root()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def seeds_dir() -> Path:
    """Folder holding the seed CSVs: the project's ``seeds/`` (``GREENTRADE_SEEDS_DIR`` overrides)."""
    given = os.environ.get("GREENTRADE_SEEDS_DIR")
    return Path(given) if given else project_root() / "seeds"


@functools.cache
def seed(name: str) -> pd.DataFrame:
    """One seed as a DataFrame of strings (codes such as ``01`` keep their leading zero)."""
    path = seeds_dir() / f"{name}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame


def _bool(series: pd.Series) -> pd.Series:
    return series.str.lower().eq("true")


def provinces(panel_only: bool = False) -> pd.DataFrame:
    """The 31 provincial units (30 in the panel; Tibet is kept for the IO tables)."""
    frame = seed("provinces").copy()
    for col in ("is_municipality", "in_panel"):
        frame[col] = _bool(frame[col])
    frame["sort_order"] = frame["sort_order"].astype(int)
    if panel_only:
        frame = frame[frame["in_panel"]]
    return frame.sort_values("sort_order").reset_index(drop=True)


def normalise_label(label: object) -> str:
    """Label as compared against aliases: NFKC, no spaces, lower case."""
    text = unicodedata.normalize("NFKC", str(label))
    return re.sub(r"\s+", "", text).lower()


@functools.cache
def _alias_map() -> dict[str, str]:
    aliases = seed("province_aliases")
    return {normalise_label(a): c for a, c in zip(aliases["alias"], aliases["province_code"])}


class UnknownProvinceError(ValueError):
    """A province label that no alias in ``seeds/province_aliases.csv`` matches."""


def resolve_province(label: object, *, where: str = "") -> str:
    """Province code (``BJ``, ``NM``, ...) for a label as published (``内蒙``, ``InnerMongolia``).

    Raises :class:`UnknownProvinceError` naming ``where`` (file and place) when no alias
    matches, so a reader reports the exact cell.
    """
    code = _alias_map().get(normalise_label(label))
    if code is None:
        place = f"{where}: " if where else ""
        raise UnknownProvinceError(
            f"{place}unknown province name {str(label)!r}; known names are listed in "
            f"seeds/province_aliases.csv (add an alias there if this is a new spelling)"
        )
    return code


def eora26_sectors() -> pd.DataFrame:
    frame = seed("eora26_sectors").copy()
    frame["eora_sector_id"] = frame["eora_sector_id"].astype(int)
    frame["is_manufacturing"] = _bool(frame["is_manufacturing"])
    return frame.sort_values("eora_sector_id").reset_index(drop=True)


def eora26_countries() -> pd.DataFrame:
    """Eora26's 189 countries in Eora's order (``eora_order`` 1-189), with Eora's codes and
    names (``seeds/eora26_countries.csv``); the ROW discrepancy entry is not a country."""
    frame = seed("eora26_countries").copy()
    frame["eora_order"] = frame["eora_order"].astype(int)
    return frame.sort_values("eora_order").reset_index(drop=True)


# The sector lists of CEADs' China multi-regional IO tables: the 42 sectors of the 2012-2017
# tables (31 provinces) and the 30 sectors of the 2010 table (Liu et al.) and of Mi et al.'s
# alternative 2012 table (30 provinces): n_sectors -> (sector seed, concordance to Eora26).
CEADS_IO_SECTOR_LISTS = {
    42: ("ceads_io_sectors", "concordance_ceads_io_to_eora26"),
    30: ("ceads_io_sectors_30", "concordance_ceads_io_30_to_eora26"),
}


def ceads_io_sectors(n_sectors: int = 42) -> pd.DataFrame:
    """The CEADs IO sector list with ``n_sectors`` sectors (42 or 30), codes ``01``..."""
    if n_sectors not in CEADS_IO_SECTOR_LISTS:
        raise ValueError(f"no CEADs IO sector list of {n_sectors} sectors; known: {sorted(CEADS_IO_SECTOR_LISTS)}")
    frame = seed(CEADS_IO_SECTOR_LISTS[n_sectors][0]).copy()
    frame["is_manufacturing"] = _bool(frame["is_manufacturing"])
    return frame


def ceads_io_concordance(n_sectors: int = 42) -> pd.DataFrame:
    """The concordance of the ``n_sectors`` CEADs IO sector list to Eora26 (weights)."""
    ceads_io_sectors(n_sectors)  # a list that does not exist is refused by name
    return concordance(CEADS_IO_SECTOR_LISTS[n_sectors][1])


def ceads_inventory_sectors() -> pd.DataFrame:
    frame = seed("ceads_inventory_sectors").copy()
    frame["inventory_sector_id"] = frame["inventory_sector_id"].astype(int)
    frame["is_manufacturing"] = _bool(frame["is_manufacturing"])
    return frame


def concordance(name: str) -> pd.DataFrame:
    """A concordance seed with a float ``weight`` column (weights of one source code sum to 1)."""
    frame = seed(name).copy()
    frame["weight"] = frame["weight"].astype(float)
    return frame


def partner_group(group: str, all_regions: list[str] | None = None, china: str = "CHN") -> list[str]:
    """Country codes of a partner group: a group of ``seeds/partner_groups.csv``, or ``world``
    (every region of ``all_regions`` except China)."""
    if group == "world":
        if all_regions is None:
            raise ValueError("partner group 'world' needs the list of regions of the MRIO")
        return [r for r in all_regions if r != china]
    groups = seed("partner_groups")
    members = groups.loc[groups["partner_group"] == group, "country_code"].tolist()
    if not members:
        known = sorted(set(groups["partner_group"])) + ["world"]
        raise ValueError(f"unknown partner group {group!r}; known groups: {known}")
    return members
