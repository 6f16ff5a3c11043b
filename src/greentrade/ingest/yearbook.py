"""NBS provincial indicators (data.stats.gov.cn exports) and the employment tables of the
China Labour Statistics Yearbook.

An indicator export, from NBS's Chinese or English interface, as CSV, XLS (Excel 97) or XLSX::

    数据库：分省年度数据                   Database：Annual by Province
    指标：地区生产总值(亿元)                Indicators：Gross Regional Product(100 million yuan)
    时间：最近10年                         Year：LATEST20
    地区,2019年,2018年,...,2010年           Region,2019,2018,...   (numbers in xls)
    北京市,35445.13,...                   Beijing,35445.13,...
    注：...                               (notes)
    数据来源：国家统计局                   Data Sources：National Bureau of Statistics

Colons are full width (ASCII accepted). The indicator is identified from its ``指标`` /
``Indicators`` line, unit included, against ``seeds/yearbook_indicators.csv`` -- never from
the file name (NBS names every download ``AnnualbyProvince.xls`` / ``分省年度数据.csv``, and
a second one ``AnnualbyProvince (1).xls``); a GDP export in 万元 is refused rather than read
10^4 off. Title lines mis-encoded as GBK (``Indicators锛欸ross ...``, as some real exports
are) are repaired. The header is the row starting with ``地区`` / ``Region``; years may be any
span, newest first or not (years outside the panel are kept). Blank cells are values NBS did
not publish and are left out.

Employment file: title, ``单位：万人``, header ``地区`` + the industries of
``seeds/employment_industries.csv``, one row per province, then ``全国`` (kept, code ``CN``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from greentrade.reference import normalise_label, provinces, seed

from . import _cells, _csv
from ._xlsx import open_workbook, sheet_rows
from .errors import SourceFormatError, column_letter


@dataclass(frozen=True)
class Indicator:
    key: str
    unit: str
    labels: tuple[str, ...]  # as published on the 指标 / Indicators line, unit included


@functools.cache
def indicators() -> dict[str, Indicator]:
    """The indicators greentrade reads, with every published label (Chinese and English)."""
    table = seed("yearbook_indicators")
    return {key: Indicator(key, rows["unit"].iloc[0], tuple(rows["label"]))
            for key, rows in table.groupby("indicator", sort=False)}


EXPORT_SUFFIXES = (".csv", ".xls", ".xlsx")
NATIONAL = "全国"
FOOTER = ("注", "数据来源", "附注", "note", "datasource")
HEADER = ("地区", "region")
TITLE_KEYS = {"database": ("数据库", "database"), "indicator": ("指标", "indicators", "indicator"),
              "time": ("时间", "year")}


def employment_year(path: Path) -> int | None:
    match = re.fullmatch(r"employment_(\d{4})\.csv", Path(path).name)
    return int(match.group(1)) if match else None


def read(path: Path, *, encoding: str | None = None, first_year=None, last_year=None, **_options) -> dict[str, pd.DataFrame]:
    """Reader of source ``yearbook``: one NBS indicator export or one employment table.

    Parameters
    ----------
    path : pathlib.Path
        An NBS export (CSV, XLS or XLSX, Chinese or English interface) or an employment file
        ``employment_{year}.csv``.
    encoding : str, optional
        The file's encoding; detected by default.
    first_year, last_year : int, optional
        The panel's years (the research settings); an indicator must cover them.

    Returns
    -------
    dict
        ``yearbook_indicators``: pandas frame of indicator, its label and ``unit`` (as
        ``seeds/yearbook_indicators.csv`` names it, e.g. 亿元 = 100 million CNY, 万人 =
        10,000 persons), province, year and ``value`` in that unit; or
        ``yearbook_employment``: province, industry and ``employment_10k`` (10,000 persons).

    Raises
    ------
    greentrade.ingest.errors.SourceFormatError
        An indicator or unit not in seeds/yearbook_indicators.csv, an unknown province, a missing panel
        province or year, or a cell that is no number; the message names the file and the place (sheet,
        row, column).
    """
    path = Path(path)
    years = range(int(first_year), int(last_year) + 1) if first_year and last_year else None
    year = employment_year(path)
    if year is not None:
        return {"yearbook_employment": read_employment(path, year, encoding)}
    return {"yearbook_indicators": read_indicator(path, encoding, years)}


def _norm(text: str) -> str:
    return normalise_label(text).replace("（", "(").replace("）", ")")


def _require_panel(path: Path, codes: list[str], where: str) -> None:
    missing = sorted(set(provinces(panel_only=True)["province_code"]) - set(codes))
    if missing:
        raise SourceFormatError(path, where, f"missing provinces: {', '.join(missing)}")


def _repair(text: str) -> str:
    """A title line whose UTF-8 bytes were decoded as GBK (``Indicators锛欸ross ...``) back
    to what NBS wrote; any other text unchanged."""
    if "锛" not in text:
        return text
    try:
        return text.encode("gb18030").decode("utf-8")
    except UnicodeError:
        return text


class _Export:
    """One indicator export as rows of cells, with the places of its cells."""

    def __init__(self, path: Path, encoding: str | None):
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in EXPORT_SUFFIXES:
            raise SourceFormatError(self.path, "file name", f"not an NBS export: expected a {', '.join(EXPORT_SUFFIXES)} file")
        self.sheet = None
        if suffix == ".csv":
            self.rows = [[c.strip() for c in row] for row in _csv.read_rows(self.path, encoding, "yearbook")]
        else:
            workbook = open_workbook(self.path, excel97=suffix == ".xls")
            if not workbook.sheet_names:
                raise SourceFormatError(self.path, "", "the workbook has no sheets")
            self.sheet = workbook.sheet_names[0]
            self.rows = sheet_rows(workbook, self.path, self.sheet)

    def place(self, row: int, col: int | str | None = None) -> str:
        where = f"line {row + 1}" if self.sheet is None else f"sheet {self.sheet!r}, row {row + 1}"
        if isinstance(col, int):
            where += f", column {column_letter(col)}" if self.sheet is not None else f", column {col + 1}"
        elif col is not None:
            where += f", column {col!r}"
        return where

    def fail(self, row, col, message):
        raise SourceFormatError(self.path, self.place(row, col), message)

    def text(self, row: int, col: int = 0) -> str:
        cells = self.rows[row]
        return _cells.text(cells[col]) if col < len(cells) else ""

    def line(self, row: int) -> str:
        return _repair(" ".join(_cells.text(c) for c in self.rows[row] if _cells.text(c)).strip())

    def header_row(self) -> int:
        for r in range(len(self.rows)):
            if _norm(self.text(r)) in HEADER:
                return r
        # name the row where the header should be: the first after the title lines
        titled = [r for r in range(len(self.rows)) if re.match(r"^[^：:]+[：:]|.*锛", self.line(r))]
        after = [r for r in range(titled[0] + 1 if titled else 0, len(self.rows))
                 if self.line(r) and r not in titled]
        where = after[0] if after else 0
        self.fail(where, 0 if after else None, f"expected the header row starting with '地区' / 'Region', found "
                  f"{self.text(where)!r}: not an NBS export (分省年度数据 / Annual by Province)?")

    def titles(self, header: int) -> dict[str, list[tuple[int, str]]]:
        """The title lines above the header by kind: (row, value after the colon)."""
        found: dict[str, list[tuple[int, str]]] = {k: [] for k in TITLE_KEYS}
        for r in range(header):
            # a colon mis-decoded beyond repair is '锛' plus the debris of its last byte and the value's first character
            match = re.match(r"^\s*([^：:锛]+?)\s*(?:[：:]|锛.)\s*(.*)$", self.line(r))
            if not match:
                continue
            name = _norm(match.group(1))
            for kind, names in TITLE_KEYS.items():
                if name in names:
                    found[kind].append((r, match.group(2).strip(" ,")))
        return found

    def indicator(self) -> tuple[Indicator, str, int]:
        """The indicator of the export (from its one 指标 / Indicators line), its label as
        published and the row of that line."""
        lines = self.titles(self.header_row())["indicator"]
        if not lines:
            self.fail(0, None, "no '指标：' / 'Indicators：' line above the header: which indicator is this?")
        if len(lines) > 1:
            self.fail(lines[1][0], None, f"a second indicator line ({lines[1][1]!r}, after {lines[0][1]!r} on "
                      f"{self.place(lines[0][0])}): export one indicator per file")
        row, label = lines[0]
        return _match(label, self.path, self.place(row)), label, row


def _same(found: str, published: str) -> bool:
    """``found`` is ``published`` (normalised); a mis-encoded line that could not be repaired
    may have lost the value's first character to the colon's debris (``锛欸ross`` -> ``欸ross``)."""
    f, p = _norm(found), _norm(published)
    return f == p or (len(p) > 8 and f.endswith(p[1:]) and len(f) <= len(p) + 1)


def _match(label: str, path: Path, place: str) -> Indicator:
    """The indicator a published label names; the unit must be the one greentrade reads."""
    known = indicators()
    for spec in known.values():
        if any(_same(label, published) for published in spec.labels):
            return spec

    def name_unit(text):  # 'Gross Regional Product(100 million yuan)' -> (its name normalised, '100 million yuan')
        m = re.match(r"^(.*?)\s*[(（]([^()（）]*)[)）]\s*$", text.strip())
        return (_norm(m.group(1)), m.group(2).strip()) if m else (_norm(text), "")

    name, unit = name_unit(label)
    for spec in known.values():
        for published in spec.labels:
            p_name, p_unit = name_unit(published)
            if p_name == name:
                raise SourceFormatError(path, place, f"indicator {label!r} is in unit {unit!r}; greentrade reads it "
                                        f"as {published!r} (unit {p_unit!r}): export it in that unit")
    listing = "; ".join(" / ".join(spec.labels) for spec in known.values())
    raise SourceFormatError(path, place, f"unknown indicator {label!r}; known (seeds/yearbook_indicators.csv): {listing}")


def identify(path: Path, encoding: str | None = None) -> tuple[str, str, str]:
    """(indicator key, label as published, place of its line) of an export: what file
    discovery keys it by."""
    export = _Export(path, encoding)
    spec, label, row = export.indicator()
    return spec.key, label, export.place(row)


def read_indicator(path: Path, encoding: str | None, years) -> pd.DataFrame:
    export = _Export(path, encoding)
    spec, label, _ = export.indicator()
    header_at = export.header_row()
    header = [_cells.text(c) for c in export.rows[header_at]]
    while header and header[-1] == "":
        header.pop()
    region = header[0]
    file_years = []
    for c, name in enumerate(header[1:], start=1):
        m = re.fullmatch(r"(\d{4})\s*年?", name)
        if not m:
            export.fail(header_at, c, f"expected a year such as '2019年' or 2019, found {name!r}")
        if int(m.group(1)) in file_years:
            export.fail(header_at, name, "duplicated year")
        file_years.append(int(m.group(1)))
    if years is not None:
        missing = [y for y in years if y not in file_years]
        if missing:
            suffix = "年" if any(h.endswith("年") for h in header[1:]) else ""  # as the header spells years
            export.fail(header_at, None, f"missing year columns: {', '.join(f'{y}{suffix}' for y in missing)}")
    records, seen = [], {}
    for r in range(header_at + 1, len(export.rows)):
        row = export.rows[r]
        first = export.text(r)
        if not any(_cells.text(c) for c in row):
            continue
        if _norm(_repair(first)).startswith(FOOTER):
            break
        if len(row) < len(header):
            export.fail(r, None, f"expected {len(header)} fields, found {len(row)}: truncated line?")
        code = _cells.province(first, path, export.place(r, region))
        if code in seen:
            export.fail(r, region, f"province {first!r} already given on {export.place(seen[code])}")
        seen[code] = r
        for c, year in enumerate(file_years, start=1):
            value = _cells.number(row[c], path, export.place(r, header[c]), allow_empty=True)
            if value is not None:
                records.append((spec.key, label, spec.unit, code, first, year, value))
    _require_panel(path, list(seen), "rows")
    return pd.DataFrame(records, columns=["indicator", "indicator_label", "unit", "province_code", "province_label", "year", "value"])


def read_employment(path: Path, year: int, encoding: str | None) -> pd.DataFrame:
    rows = [r for r in _csv.read_rows(path, encoding, "yearbook")]
    if len(rows) < 4:
        raise SourceFormatError(path, "", f"expected a title, a unit line, a header and province rows, found {len(rows)} lines")
    title = ",".join(rows[0])
    m = re.search(r"(?<!\d)(\d{4})(?!\d)", title)
    if m and int(m.group(1)) != year:
        raise SourceFormatError(path, "line 1", f"title says {m.group(1)}, file name says {year}")
    unit = ",".join(rows[1]).strip(" ,")
    if _norm(re.sub(r"^单位[：:]", "", unit)) != _norm("万人"):
        raise SourceFormatError(path, "line 2", f"expected unit '单位：万人' (10,000 persons), found {unit!r}")
    header = [h.strip() for h in rows[2]]
    while header and header[-1] == "":
        header.pop()
    if not header or header[0] != "地区":
        raise SourceFormatError(path, "line 3, column A", f"expected '地区', found {header[0] if header else ''!r}")
    industries = seed("employment_industries")
    by_name = {_norm(n): c for n, c in zip(industries["name_zh"], industries["employment_industry_code"])}
    codes = []
    for c, name in enumerate(header[1:], start=1):
        code = by_name.get(_norm(name))
        if code is None:
            raise SourceFormatError(path, f"line 3, column {column_letter(c)}",
                                    f"unknown industry {name!r}; expected the name_zh of seeds/employment_industries.csv")
        if code in codes:
            raise SourceFormatError(path, f"line 3, column {column_letter(c)}", f"duplicated industry {name!r}")
        codes.append(code)
    missing = sorted(set(by_name.values()) - set(codes))
    if missing:
        raise SourceFormatError(path, "line 3", f"missing industry columns: {', '.join(missing)}")
    records, seen = [], {}
    for n, row in enumerate(rows[3:], start=4):
        if not any(c.strip() for c in row):
            continue
        first = row[0].strip()
        if first.startswith(FOOTER):
            break
        if len(row) < len(header):
            raise SourceFormatError(path, f"line {n}", f"expected {len(header)} fields, found {len(row)}: truncated line?")
        code = "CN" if _norm(first) == _norm(NATIONAL) else _cells.province(first, path, f"line {n}, column '地区'")
        if code in seen:
            raise SourceFormatError(path, f"line {n}, column '地区'", f"province {first!r} already given on line {seen[code]}")
        seen[code] = n
        for c, industry in enumerate(codes, start=1):
            value = _cells.number(row[c], path, f"line {n}, column {header[c]!r}")
            if value < 0:
                raise SourceFormatError(path, f"line {n}, column {header[c]!r}", f"expected employment >= 0, found {value:g}")
            records.append((year, code, first, industry, header[c], value))
    _require_panel(path, [c for c in seen if c != "CN"], "rows")
    if "CN" not in seen:
        raise SourceFormatError(path, "rows", "missing the national total row '全国'")
    return pd.DataFrame(records, columns=["year", "province_code", "province_label", "employment_industry_code",
                                          "industry_label", "employment_10k"])
