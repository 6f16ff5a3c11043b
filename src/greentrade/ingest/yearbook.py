"""NBS provincial indicators (data.stats.gov.cn export) and the employment tables of the
China Labour Statistics Yearbook.

Indicator file (UTF-8 unless the source's ``encoding`` says otherwise)::

    数据库：分省年度数据
    指标：地区生产总值(亿元)
    时间：最近10年
    地区,2019年,2018年,...,2010年
    北京市,35445.13,...
    注：...
    数据来源：国家统计局

The ``指标`` line must name the indicator expected from the file name, unit included (a GDP
file in 万元 is refused rather than read 10^4 off). Blank cells are values NBS did not publish
and are left out. Employment file: title, ``单位：万人``, header ``地区`` + the industries of
``seeds/employment_industries.csv``, one row per province, then ``全国`` (kept, code ``CN``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from greentrade.reference import normalise_label, provinces, seed

from . import _cells, _csv
from .errors import SourceFormatError, column_letter


@dataclass(frozen=True)
class Indicator:
    file_name: str
    label: str  # as published on the 指标 line
    unit: str


INDICATORS = {
    "gdp": Indicator("gdp.csv", "地区生产总值(亿元)", "100 million CNY"),
    "gdp_per_capita": Indicator("gdp_per_capita.csv", "人均地区生产总值(元)", "CNY"),
    "urbanisation": Indicator("urbanisation_rate.csv", "城镇人口比重(%)", "percent"),
    "human_capital": Indicator("human_capital.csv", "每十万人口高等学校平均在校生数(人)", "per 100,000 population"),
    "fiscal_expenditure": Indicator("fiscal_expenditure.csv", "地方财政一般预算支出(亿元)", "100 million CNY"),
    "ai_patents": Indicator("ai_patents.csv", "人工智能专利申请数(件)", "count"),
    "green_patents": Indicator("green_patents.csv", "绿色发明专利申请数(件)", "count"),
}
NATIONAL = "全国"
FOOTER = ("注", "数据来源", "附注", "Note")


def read(path: Path, *, encoding: str | None = None, first_year=None, last_year=None, **_options) -> dict[str, pd.DataFrame]:
    path = Path(path)
    years = range(int(first_year), int(last_year) + 1) if first_year and last_year else None
    match = re.fullmatch(r"employment_(\d{4})\.csv", path.name)
    if match:
        return {"yearbook_employment": read_employment(path, int(match.group(1)), encoding)}
    for key, spec in INDICATORS.items():
        if spec.file_name == path.name:
            return {"yearbook_indicators": read_indicator(path, key, encoding, years)}
    known = ", ".join(s.file_name for s in INDICATORS.values())
    raise SourceFormatError(path, "file name", f"not a yearbook file; expected one of {known} or employment/employment_{{year}}.csv")


def _norm(text: str) -> str:
    return normalise_label(text).replace("（", "(").replace("）", ")")


def _require_panel(path: Path, codes: list[str], where: str) -> None:
    missing = sorted(set(provinces(panel_only=True)["province_code"]) - set(codes))
    if missing:
        raise SourceFormatError(path, where, f"missing provinces: {', '.join(missing)}")


def read_indicator(path: Path, key: str, encoding: str | None, years) -> pd.DataFrame:
    spec = INDICATORS[key]
    rows = _csv.read_rows(path, encoding, "yearbook")
    header_at = next((i for i, r in enumerate(rows) if r and r[0].strip() == "地区"), None)
    if header_at is None:
        raise SourceFormatError(path, "", "no header line starting with '地区': not an NBS export (分省年度数据)")
    label = ""
    for row in rows[:header_at]:
        line = ",".join(row).strip()
        if line.startswith("指标"):
            label = re.sub(r"^指标[：:]\s*", "", line).strip(" ,")
    if _norm(label) != _norm(spec.label):
        raise SourceFormatError(path, "指标 line", f"expected indicator {spec.label!r}, found {label!r} (another indicator or unit?)")
    header = [h.strip() for h in rows[header_at]]
    while header and header[-1] == "":
        header.pop()
    file_years = []
    for c, name in enumerate(header[1:], start=1):
        m = re.fullmatch(r"(\d{4})年?", name)
        if not m:
            raise SourceFormatError(path, f"line {header_at + 1}, column {column_letter(c)}", f"expected a year such as '2019年', found {name!r}")
        if int(m.group(1)) in file_years:
            raise SourceFormatError(path, f"line {header_at + 1}, column {name!r}", "duplicated year")
        file_years.append(int(m.group(1)))
    if years is not None:
        missing = [y for y in years if y not in file_years]
        if missing:
            raise SourceFormatError(path, f"line {header_at + 1}", f"missing year columns: {', '.join(f'{y}年' for y in missing)}")
    records, seen = [], {}
    for n, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        first = row[0].strip() if row else ""
        if not any(c.strip() for c in row):
            continue
        if first.startswith(FOOTER):
            break
        if len([c for c in row if c.strip()]) and len(row) < len(header):
            raise SourceFormatError(path, f"line {n}", f"expected {len(header)} fields, found {len(row)}: truncated line?")
        code = _cells.province(first, path, f"line {n}, column '地区'")
        if code in seen:
            raise SourceFormatError(path, f"line {n}, column '地区'", f"province {first!r} already given on line {seen[code]}")
        seen[code] = n
        for c, year in enumerate(file_years, start=1):
            value = _cells.number(row[c], path, f"line {n}, column '{header[c]}'", allow_empty=True)
            if value is not None:
                records.append((key, label, spec.unit, code, first, year, value))
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
            raise SourceFormatError(path, f"line 3, column {column_letter(c)}", f"unknown industry {name!r}; expected the name_zh of seeds/employment_industries.csv")
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
    return pd.DataFrame(records, columns=["year", "province_code", "province_label", "employment_industry_code", "industry_label", "employment_10k"])
