"""Synthetic source files in the publishers' layouts (docs/sources.md), small and balanced.

Each builder returns the grid (list of rows) it wrote, so a test or a bad-input case can
mutate a copy before writing (``mutate=callable(grid)``), and knows the numbers it put in.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import xlsxwriter

from greentrade.ingest.ceads_emissions import EXTRA_COLUMNS, FUELS
from greentrade.reference import ceads_inventory_sectors, ceads_io_sectors, provinces, seed

IO_PROVINCES = ("北京", "天津", "内蒙")
FINAL_USE = ("农村居民消费", "城镇居民消费", "政府消费", "固定资本形成总额", "存货增加")
VALUE_ADDED_SHARES = {"劳动者报酬": 0.4, "生产税净额": 0.15, "固定资产折旧": 0.15, "营业盈余": 0.3}


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    for name, grid in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value is None or (isinstance(value, str) and value == ""):
                    continue
                sheet.write(r, c, value)
    workbook.close()
    return path


def ceads_io_grid(year: int = 2017, names=IO_PROVINCES, seed_: int = 0, n_sectors: int = 42,
                  split_imports: bool | None = None) -> list[list]:
    """A balanced table: x ~ 2e6 万元 per sector (a province ~ 8e7 万元, i.e. 800 bn CNY).
    ``n_sectors``: 42, or 30 for the 2010-style layout, whose imports are split into an
    intermediate-use and a final-use row (``split_imports``, default: as that layout)."""
    rng = np.random.default_rng(seed_)
    split_imports = n_sectors == 30 if split_imports is None else split_imports
    sectors = ceads_io_sectors(n_sectors)
    codes, sector_names = list(sectors["ceads_io_sector_code"]), list(sectors["name_zh"])
    k = n_sectors
    p, n = len(names), len(names) * k
    # whole 万元 and a sparse Z (as real tables are): small files for the bad-input corpus
    x = rng.uniform(1e6, 3e6, n).round()
    a = rng.uniform(0, 1, (n, n)) * (rng.random((n, n)) < 0.15)
    a *= 0.5 / a.sum(axis=0)
    z = (a * x).round()
    fd = (rng.dirichlet(np.ones(p * 5), n) * (0.3 * x)[:, None]).round()
    export = (0.1 * x).round()
    other = x - z.sum(1) - fd.sum(1) - export
    imports = (0.1 * x).round()
    fd_imports = (0.02 * x.reshape(p, k).sum(axis=1)[:, None] * np.full((p, 5), 0.2)).round().ravel()
    va_total = x - z.sum(0) - imports
    va = {k_: (va_total * s_).round() for k_, s_ in VALUE_ADDED_SHARES.items()}
    va["营业盈余"] = va_total - sum(v for k_, v in va.items() if k_ != "营业盈余")

    width = 3 + n + 5 * p + 3
    grid = [[""] * width for _ in range(4)]
    grid[0][0] = f"{year}年中国{p}省区市{k}部门区域间投入产出表（单位：万元）"
    grid[2][:3] = ["地区", "部门", "代码"]
    for i, name in enumerate(names):
        grid[1][3 + k * i] = name
        grid[1][3 + n + 5 * i] = name
        for s in range(k):
            grid[2][3 + k * i + s] = sector_names[s]
            grid[3][3 + k * i + s] = codes[s]
        for f, item in enumerate(FINAL_USE):
            grid[2][3 + n + 5 * i + f] = item
            grid[3][3 + n + 5 * i + f] = f"F{f + 1:02d}"
    grid[2][-3:] = ["出口", "其他", "总产出"]
    grid[3][-3:] = ["EX", "OT", "TO"]
    for r in range(n):
        i, s = divmod(r, k)
        grid.append([names[i] if s == 0 else "", sector_names[s], codes[s], *z[r], *fd[r], export[r], other[r], x[r]])
    if split_imports:
        grid.append(["", "进口（中间使用）", "", *imports] + [""] * (5 * p + 3))
        grid.append(["", "进口（最终使用）", ""] + [""] * n + [*fd_imports, "", "", ""])
    else:
        grid.append(["", "进口", "", *imports, *fd_imports, "", "", ""])
    for name, values in [(k_, v) for k_, v in va.items()] + [("增加值合计", va_total), ("总投入", x)]:
        grid.append(["", name, "", *values] + [""] * (5 * p + 3))
    return grid


def write_ceads_io(path: Path, year: int = 2017, mutate=None, sheet: str = "Sheet1", **kwargs) -> list[list]:
    grid = ceads_io_grid(year, **kwargs)
    if mutate:
        grid = copy.deepcopy(grid)
        mutate(grid)
    write_xlsx(path, {sheet: grid})
    return grid


def emission_sheet(year: int, rng, vintage_2018: bool = False) -> list[list]:
    sectors = list(ceads_inventory_sectors()["inventory_sector_name"])
    columns = list(FUELS) + list(EXTRA_COLUMNS)
    if vintage_2018:
        header = ["Emission_Inventory"] + [c.replace(" ", "_") for c in columns]
        header[2] = "CleanedCoal"
        total_label, pad = "TotalEmissions", ""
    else:
        header, total_label, pad = [""] + columns, "Total Consumption", "   "
    # mostly zero, four decimals (as most fuel-sector cells are): small files
    body = (rng.uniform(0, 0.5, (len(sectors) + 2, len(columns))) * (rng.random((len(sectors) + 2, len(columns))) < 0.12)).round(4)
    body[:, columns.index("Scope 1 Total")] = body[:, : len(FUELS)].sum(1) + body[:, columns.index("Process")]
    total = body.sum(axis=0)
    grid = [header, ["unit" if vintage_2018 else ""] + ["Mt CO2"] * len(columns), [""] * (len(columns) + 1)]
    grid.append([total_label, *total])
    for name, row in zip(sectors + ["Urban", "Rural"], body):
        grid.append([name + (pad if name not in ("Urban", "Rural") else ""), *row])
    return grid


def emission_sheets(year: int = 2017, vintage_2018: bool = False, seed_: int = 0) -> dict[str, list[list]]:
    rng = np.random.default_rng(seed_)
    names = provinces(panel_only=True)["name_en"].str.replace(" ", "")
    sheets = {"NOTE": [["Introduction/简介", "synthetic"], ["Unit/单位", "Mt"]]}
    for name in names:
        sheets[f"{name}{year}"] = emission_sheet(year, rng, vintage_2018)
    return sheets


def write_emissions(folder: Path, year: int = 2017, mutate=None, **kwargs) -> Path:
    sheets = emission_sheets(year, **kwargs)
    if mutate:
        sheets = copy.deepcopy(sheets)
        mutate(sheets)
    return write_xlsx(folder / f"Emission_Inventories_for_30_Provinces_{year}.xlsx", sheets)


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def ifr_text(years=range(2010, 2020)) -> str:
    industries = seed("ifr_industries")
    lines = ["country,industry_code,industry," + ",".join(map(str, years))]
    for k, (code, name) in enumerate(zip(industries["ifr_industry_code"], industries["ifr_industry_name"])):
        for country in ("China", "Japan"):
            values = [str(100 * k + i) for i, _ in enumerate(years)]
            lines.append(f'{country},{code},"{name}",' + ",".join(values))
    return "\n".join(lines) + "\n"


INDICATOR_FILES = {
    "gdp.csv": "地区生产总值(亿元)",
    "gdp_per_capita.csv": "人均地区生产总值(元)",
    "urbanisation_rate.csv": "城镇人口比重(%)",
    "human_capital.csv": "每十万人口高等学校平均在校生数(人)",
    "fiscal_expenditure.csv": "地方财政一般预算支出(亿元)",
    "ai_patents.csv": "人工智能专利申请数(件)",
    "green_patents.csv": "绿色发明专利申请数(件)",
}


def indicator_value(province_index: int, year: int) -> float:
    return round(1000 + 10 * province_index + (year - 2010) * 1.5, 2)


ENGLISH_LABELS = {
    "gdp.csv": "Gross Regional Product(100 million yuan)",
    "human_capital.csv": "Number of Students of Institutions of Higher Education per 100 000 Population(person)",
}


def indicator_rows(label: str, years=range(2019, 2009, -1), english: bool = False, mis_encoded: bool = False) -> list[list]:
    """An NBS export as rows: the Chinese (``地区``, ``2019年``, official names) or the English
    interface's layout (``Region``, years as numbers, English names); ``mis_encoded``: the
    title lines decoded as GBK, as some real English exports are."""
    if english:
        titles = ["Database：Annual by Province", f"Indicators：{label}", "Year：LATEST10"]
        names = list(provinces()["name_en"])
        header = ["Region", *[int(y) for y in years]]
        footer = [["Note：synthetic data, for tests only."], ["Data Sources：National Bureau of Statistics"]]
    else:
        titles = ["数据库：分省年度数据", f"指标：{label}", "时间：最近10年"]
        names = list(seed("province_aliases").query("alias_kind == 'chinese official name'")["alias"])
        header = ["地区", *[f"{y}年" for y in years]]
        footer = [["注：合成数据，仅用于测试。"], ["数据来源：国家统计局"]]
    if mis_encoded:
        titles = [t.encode("utf-8").decode("gbk") for t in titles]
    rows = [[t] for t in titles] + [header]
    for i, name in enumerate(names):
        rows.append([name, *[indicator_value(i, y) for y in years]])
    return rows + footer


def indicator_text(label: str, years=range(2019, 2009, -1), english: bool = False) -> str:
    return "\n".join(",".join(str(c) for c in row) for row in indicator_rows(label, years, english)) + "\n"


def write_xls(path: Path, rows: list[list], sheet: str = "sheet1") -> Path:
    """An Excel 97 workbook (xlwt), as NBS's XLS export; numbers stay numbers."""
    import xlwt

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlwt.Workbook(encoding="utf-8")
    ws = workbook.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and value != "":
                ws.write(r, c, value)
    workbook.save(str(path))
    return path


def employment_text(year: int) -> str:
    industries = seed("employment_industries")
    names = list(industries["name_zh"])
    lines = [f"{year}年分地区按行业分城镇单位就业人员", "单位：万人", "地区," + ",".join(f'"{n}"' if "," in n else n for n in names)]
    short = provinces()["name_zh"]
    total = np.zeros(len(names))
    for i, name in enumerate(short):
        values = [round(1 + i + 0.1 * j, 2) for j in range(len(names))]
        total += values
        lines.append(name + "," + ",".join(map(str, values)))
    lines.append("全国," + ",".join(str(round(v, 2)) for v in total))
    return "\n".join(lines) + "\n"


def eua_text() -> str:
    lines = ["datetime,open,high,low,settle,change,wave,volume,prev_day_open_interest,efp_volume,efs_volume,block_volume,close"]
    for day, settle in [("2019-01-02", 24.0), ("2019-01-03", 25.0), ("2020-01-02", 30.0)]:
        lines.append(f"{day},{settle},{settle},{settle},{settle},0.1,,100.0,5.0,,,,{settle}")
    return "\n".join(lines) + "\n"


def fx_text() -> str:
    return (
        "Date,USD,JPY,CNY,CYP,\n"
        "2019-01-03,1.1325,121.2,7.7857,N/A,\n"
        "2019-01-02,1.1309,124.0,7.7712,N/A,\n"
        "2008-01-02,1.4708,163.45,10.7328,0.5842,\n"
    )


def write_source_root(root: Path, io_years=(2017,), emission_years=(2017,), employment_years=(2019,)) -> Path:
    """A complete (small) source root, as data/demo/ is laid out."""
    for year in io_years:
        write_ceads_io(root / "ceads_io" / f"ceads_io_{year}.xlsx", year)
    for year in emission_years:
        write_emissions(root / "ceads_emissions", year)
    write_text(root / "ifr" / "IFR_installations_by_industry.csv", ifr_text())
    for name, label in INDICATOR_FILES.items():
        write_text(root / "yearbook" / name, indicator_text(label))
    for year in employment_years:
        write_text(root / "yearbook" / "employment" / f"employment_{year}.csv", employment_text(year))
    write_text(root / "prices" / "market_prices.csv", eua_text())
    write_text(root / "prices" / "eurofxref-hist.csv", fx_text())
    return root


def write_config(path: Path, root: Path, warehouse: Path, *, io_years=(2017,), emission_years=(2017,),
                 employment_years=(2019,)) -> Path:
    text = f"""
[warehouse]
path = "{warehouse.as_posix()}"

[sources]
root = "{root.as_posix()}"

[sources.ceads_io]
path = "ceads_io"
pattern = "*.xlsx"
years = {list(io_years)}

[sources.ceads_emissions]
path = "ceads_emissions"
pattern = "Emission_Inventories_for_30_Provinces_*.xlsx"
years = {list(emission_years)}

[sources.ifr]
path = "ifr"

[sources.yearbook]
path = "yearbook"
first_year = {min(employment_years)}
last_year = {max(employment_years)}

[sources.eua]
path = "prices/market_prices.csv"

[sources.fx]
path = "prices/eurofxref-hist.csv"
"""
    return write_text(path, text)
