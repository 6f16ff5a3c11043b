"""The bad-input corpus: ``bad_inputs/<case>/<file as published>`` and ``cases.csv``.

Each case is a good synthetic file (builders.py) with one defect. ``cases.csv`` gives the
source key, the file and the expected error text (the place and the message); the error must
start with ``<case>/<file>``. Regenerate with ``python -m tests.python.ingest.make_bad_inputs``
from the repository root (or run this file) after changing a builder.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "python.ingest"  # noqa: A001

from .builders import (  # noqa: E402
    ENGLISH_LABELS,
    INDICATOR_FILES,
    employment_text,
    eua_text,
    fx_text,
    ifr_text,
    indicator_rows,
    indicator_text,
    write_ceads_io,
    write_emissions,
    write_text,
    write_xls,
)
from .test_eora26 import label_lines, world_arrays, write_eora_year  # noqa: E402

HERE = Path(__file__).resolve().parent / "bad_inputs"
IO_FILE = "ceads_io_2017.xlsx"
EM_FILE = "Emission_Inventories_for_30_Provinces_2017.xlsx"
CASES: list[tuple[str, str, str, str]] = []


def case(name: str, source: str, file: str, expected: str, workbook: bool | None = None):
    """Register a case; ``file`` "" loads the case's folder itself (a folder-level defect).
    ``workbook`` cases (xlsx / xls, binary) are written by the test fixture, not committed."""
    def register(write):
        CASES.append((name, source, file, expected))
        write.case = (name, file, file.endswith((".xlsx", ".xls")) if workbook is None else workbook)
        WRITERS.append(write)
        return write
    return register


WRITERS = []


def io(mutate):
    return lambda folder: write_ceads_io(folder / IO_FILE, 2017, mutate=mutate)


def em(mutate):
    return lambda folder: write_emissions(folder, 2017, mutate=mutate)


def text(file, make, encoding="utf-8"):
    return lambda folder: write_text(folder / file, make(), encoding)


def scale(grid, factor):
    for row in grid[4:]:
        for c in range(3, len(row)):
            if isinstance(row[c], float):
                row[c] *= factor


def delete_column(grid, col):
    for row in grid:
        del row[col]


N = 126  # 3 provinces x 42 sectors: the first final-use column is D + 126 = column EA


# ---- CEADs IO -----------------------------------------------------------------------------
case("io_text_in_number", "ceads_io", IO_FILE, "sheet 'Sheet1', row 7, column F: expected a number, found 'n/a'")(
    io(lambda g: g[6].__setitem__(5, "n/a")))
case("io_nan_cell", "ceads_io", IO_FILE, "sheet 'Sheet1', row 9, column H: expected a number, found an empty cell")(
    io(lambda g: g[8].__setitem__(7, float("nan"))))
case("io_truncated_rows", "ceads_io", IO_FILE, "sheet 'Sheet1', row 134, column B: missing row '固定资产折旧': truncated?")(
    io(lambda g: g.__delitem__(slice(133, None))))
case("io_truncated_file", "ceads_io", IO_FILE, ": not an xlsx workbook (not a zip archive: truncated or another format)")(
    lambda folder: (write_ceads_io(folder / IO_FILE), (folder / IO_FILE).write_bytes((folder / IO_FILE).read_bytes()[:20000])))
case("io_empty_file", "ceads_io", IO_FILE, ": the file is empty")(lambda folder: (folder / IO_FILE).write_bytes(b""))
case("io_unknown_province", "ceads_io", IO_FILE, "sheet 'Sheet1', row 2, column AT: unknown province name '天京'")(
    io(lambda g: g[1].__setitem__(3 + 42, "天京")))
case("io_duplicated_province", "ceads_io", IO_FILE, "sheet 'Sheet1', row 2, column AT: province '北京' appears twice")(
    io(lambda g: g[1].__setitem__(3 + 42, "北京")))
case("io_misaligned_block", "ceads_io", IO_FILE, "sheet 'Sheet1', row 2, column AT: expected a province name at the start of block 2 (42 sectors each), found an empty cell")(
    io(lambda g: (g[1].__setitem__(3 + 42, ""), g[1].__setitem__(3 + 42 + 1, "天津"))))
case("io_bad_sector_code", "ceads_io", IO_FILE, "sheet 'Sheet1', row 4, column K: expected sector code '08', found '99'")(
    io(lambda g: g[3].__setitem__(10, "99")))
case("io_negative_output", "ceads_io", IO_FILE, "sheet 'Sheet1', row 10, column EQ: negative total output -2.82551e+06 for BJ 06")(
    io(lambda g: g[9].__setitem__(-1, -g[9][-1])))
case("io_unbalanced", "ceads_io", IO_FILE, "sheet 'Sheet1', row 137, column E: total input differs from total output for BJ 02")(
    io(lambda g: g[136].__setitem__(4, g[136][4] * 1.05)))
case("io_in_yuan", "ceads_io", IO_FILE, "sheet 'Sheet1', row 5, column EQ: total output of BJ is 8.672e+11 万元 = 8.672e+15 CNY, outside the plausible 1e+06-1e+10 万元")(io(lambda g: scale(g, 1e4)))
case("io_missing_final_use_column", "ceads_io", IO_FILE, "sheet 'Sheet1', row 3, column ED: expected final-use item '存货增加', found '农村居民消费'")(
    io(lambda g: delete_column(g, 3 + N + 4)))
case("io_unit_in_title", "ceads_io", IO_FILE, "sheet 'Sheet1', row 1, column A: unit '元' in the title")(
    io(lambda g: g[0].__setitem__(0, "2017年中国31省区市42部门区域间投入产出表（单位：元）")))
case("io_duplicated_row_label", "ceads_io", IO_FILE, "sheet 'Sheet1', row 132, column B: expected row '劳动者报酬', found '进口'")(
    io(lambda g: g[131].__setitem__(1, "进口")))

# ---- CEADs emission inventories --------------------------------------------------------
case("em_text_in_number", "ceads_emissions", EM_FILE, "sheet 'Beijing2017', row 12, column 'Coke': expected a number, found 'n/a'")(
    em(lambda s: s["Beijing2017"][11].__setitem__(5, "n/a")))
case("em_missing_province_sheet", "ceads_emissions", EM_FILE, "sheets: missing province sheets: HI")(
    em(lambda s: s.pop("Hainan2017")))
case("em_unknown_province_sheet", "ceads_emissions", EM_FILE, "sheet 'Atlantis2017': unknown province name 'Atlantis'")(
    em(lambda s: s.__setitem__("Atlantis2017", s.pop("Hainan2017"))))
case("em_year_mismatch", "ceads_emissions", EM_FILE, "sheet 'Beijing2016': year 2016 in a file of 2017")(
    em(lambda s: s.__setitem__("Beijing2016", s.pop("Beijing2017"))))
case("em_duplicated_sector", "ceads_emissions", EM_FILE, "sheet 'Tianjin2017', row 6, column A: expected sector 'Coal Mining and Dressing', found 'Farming")(
    em(lambda s: s["Tianjin2017"][5].__setitem__(0, s["Tianjin2017"][4][0])))
case("em_duplicated_fuel", "ceads_emissions", EM_FILE, "sheet 'Shanxi2017', row 1, column G: expected fuel 'Coke Oven Gas', found 'Coke'")(
    em(lambda s: s["Shanxi2017"][0].__setitem__(6, "Coke")))
case("em_unit_label_kt", "ceads_emissions", EM_FILE, "sheet 'Hebei2017', row 2, column 'Raw Coal': expected unit 'Mt CO2', found 'kt CO2'")(
    em(lambda s: s["Hebei2017"][1].__setitem__(1, "kt CO2")))
case("em_values_in_kt", "ceads_emissions", EM_FILE, "sheet 'Jilin2017', row 4, column 'Scope 1 Total': province total")(
    em(lambda s: s.__setitem__("Jilin2017", [r if i < 3 else [r[0]] + [v * 1000 for v in r[1:]] for i, r in enumerate(s["Jilin2017"])])))
case("em_total_mismatch", "ceads_emissions", EM_FILE, "sheet 'Anhui2017', row 4, column 'Diesel Oil': total")(
    em(lambda s: s["Anhui2017"][3].__setitem__(12, s["Anhui2017"][3][12] + 1.0)))
case("em_truncated_sheet", "ceads_emissions", EM_FILE, "sheet 'Yunnan2017': expected 51 rows")(
    em(lambda s: s.__setitem__("Yunnan2017", s["Yunnan2017"][:30])))

# ---- IFR ----------------------------------------------------------------------------------
IFR = "IFR_installations_by_industry.csv"
case("ifr_text_in_number", "ifr", IFR, "line 4, column '2012': expected a number, found 'n/a'")(
    text(IFR, lambda: ifr_text().replace('China,C,"Mining and quarrying",100,101,102', 'China,C,"Mining and quarrying",100,101,n/a')))
case("ifr_negative", "ifr", IFR, "line 2, column '2010': expected a value >= 0, found -5")(
    text(IFR, lambda: ifr_text().replace('China,AB,"Agriculture, forestry, fishing",0,', 'China,AB,"Agriculture, forestry, fishing",-5,')))
case("ifr_unknown_industry", "ifr", IFR, "line 4, column 'industry_code': unknown IFR industry code 'CC'")(
    text(IFR, lambda: ifr_text().replace("China,C,", "China,CC,")))
case("ifr_duplicated_row", "ifr", IFR, "line 4: duplicated row for country 'China', industry 'AB'")(
    text(IFR, lambda: ifr_text().replace('China,C,"Mining', 'China,AB,"Mining')))
case("ifr_truncated", "ifr", IFR, "line 14: expected 13 fields, found 6: truncated or misquoted line")(
    text(IFR, lambda: ifr_text()[: ifr_text().index("\n", 900) - 30]))
case("ifr_empty", "ifr", IFR, ": the file is empty")(text(IFR, lambda: ""))

# ---- yearbook -----------------------------------------------------------------------------
GDP = "gdp.csv"
gdp = lambda: indicator_text(INDICATOR_FILES[GDP])  # noqa: E731
case("yb_gbk_encoded", "yearbook", GDP, 'line 1: not valid utf-8 (byte 0xca at offset 0); it decodes as GB18030 (a Chinese-Windows/NBS export): set encoding = "gb18030" under [sources.yearbook] in greentrade.toml')(
    text(GDP, gdp, encoding="gb18030"))
case("yb_unknown_province", "yearbook", GDP, "line 5, column '地区': unknown province name '北平市'")(
    text(GDP, lambda: gdp().replace("北京市,", "北平市,")))
case("yb_missing_province", "yearbook", GDP, "rows: missing provinces: HI")(
    text(GDP, lambda: "\n".join(line for line in gdp().split("\n") if not line.startswith("海南省"))))
case("yb_duplicated_province", "yearbook", GDP, "line 6, column '地区': province '北京' already given on line 5")(
    text(GDP, lambda: gdp().replace("天津市,", "北京,")))
case("yb_wrong_unit", "yearbook", GDP, "line 2: indicator '地区生产总值(万元)' is in unit '万元'; greentrade reads it as '地区生产总值(亿元)'")(
    text(GDP, lambda: gdp().replace("地区生产总值(亿元)", "地区生产总值(万元)")))
case("yb_missing_year", "yearbook", GDP, "line 4: missing year columns: 2010年")(
    text(GDP, lambda: "\n".join(line.rsplit(",", 1)[0] if i >= 3 and "," in line and not line.startswith(("注", "数据"))
                                else line for i, line in enumerate(gdp().split("\n")))))
case("yb_text_value", "yearbook", GDP, "line 7, column '2018年': expected a number, found 'abc'")(
    text(GDP, lambda: gdp().replace("河北省,1033.5,1032.0", "河北省,1033.5,abc")))
EMP = "employment_2019.csv"
case("emp_wrong_unit", "yearbook", EMP, "line 2: expected unit '单位：万人' (10,000 persons), found '单位：人'")(
    text(EMP, lambda: employment_text(2019).replace("单位：万人", "单位：人")))
case("emp_missing_national", "yearbook", EMP, "rows: missing the national total row '全国'")(
    text(EMP, lambda: "\n".join(line for line in employment_text(2019).split("\n") if not line.startswith("全国"))))
case("emp_unknown_industry", "yearbook", EMP, "line 3, column C: unknown industry '矿业'")(
    text(EMP, lambda: employment_text(2019).replace("采矿业", "矿业")))

# ---- prices -------------------------------------------------------------------------------
EUA, FX = "market_prices.csv", "eurofxref-hist.csv"
case("eua_bad_date", "eua", EUA, "line 3, column 'datetime': expected a date YYYY-MM-DD, found '2019-13-03'")(
    text(EUA, lambda: eua_text().replace("2019-01-03", "2019-13-03")))
case("eua_missing_settle", "eua", EUA, "line 2, column 'settle': expected a number, found an empty cell")(
    text(EUA, lambda: eua_text().replace("24.0,24.0,24.0,24.0,", "24.0,24.0,24.0,,")))
case("eua_duplicated_date", "eua", EUA, "line 3, column 'datetime': duplicated date 2019-01-02")(
    text(EUA, lambda: eua_text().replace("2019-01-03", "2019-01-02")))
case("eua_wrong_header", "eua", EUA, "line 1: expected the columns datetime,open,high,low,settle")(
    text(EUA, lambda: eua_text().replace("settle", "price")))
case("fx_inverted_cny", "fx", FX, "line 2, column 'CNY': 0.128 CNY per EUR is outside 4-15")(
    text(FX, lambda: fx_text().replace("7.7857", "0.128")))
case("fx_text_rate", "fx", FX, "line 3, column 'JPY': expected a number, found 'x'")(
    text(FX, lambda: fx_text().replace("124.0", "x")))

# ---- Eora26 (a year folder; the error names the file in it) ------------------------------
# 2 countries x 26 sectors + ROW; labels_Q holds the four CO2 readings of co2_satellite, the
# default (edgar_total) on line 2
EORA_YEAR = "Eora26_2015_bp"
EORA_Q = [("Energy Usage (TJ)", "Coal"), ("Total CO2 emissions (Gg) from EDGAR", "Total"),
          ("IEA GHG emissions (Gg) and energy use", "IEA - DEPRECATED - CO2 emissions from fuel combustion"),
          ("GHG emissions (Gg) from PRIMAPHIST", "PRIMAP|CO2|TOTALexcludingLULUCF|Gg"),
          ("I-GHG-CO2 emissions (Gg)", "Road transportation"), ("I-GHG-CO2 emissions (Gg)", "Memo: International aviation")]
EORA_COUNTRIES = [("China", "CHN"), ("Viet Nam", "VNM")]


def eora(q_labels=None, labels=None, arrays=None):
    """A good year folder with one defect: ``q_labels`` replaces labels_Q's rows, ``labels``
    mutates the label lines (dict kind -> lines), ``arrays`` the matrices."""
    def write(folder):
        lines = label_lines(EORA_COUNTRIES, q=EORA_Q if q_labels is None else q_labels)
        matrices = world_arrays(len(EORA_COUNTRIES), seed=3, scale=1e9, n_q=len(EORA_Q))
        if labels:
            labels(lines)
        if arrays:
            arrays(matrices)
        write_eora_year(folder, 2015, EORA_COUNTRIES, arrays=matrices, labels=lines)
    return write


def edgar_source(q):
    return [(n, "EDGAR") if n.startswith("Total CO2") else (n, s) for n, s in q]


def text_cell(folder):
    path = folder / EORA_YEAR / "Eora26_2015_bp_Q.txt"
    lines = path.read_text().split("\n")
    cells = lines[1].split("\t")
    cells[4] = "n/a"
    lines[1] = "\t".join(cells)
    path.write_text("\n".join(lines))


case("eora_q_without_chosen_co2", "eora26", f"{EORA_YEAR}/labels_Q.txt", "expected the rows of co2_satellite = edgar_total: 'Total CO2 emissions (Gg) from EDGAR' / 'Total', found none; the CO2 rows of this release: edgar_ipcc: 'I-GHG-CO2 emissions (Gg)' / 'Road transportation' (line 4); iea_fuel_combustion: 'IEA GHG emissions (Gg) and energy use' / 'IEA - DEPRECATED - CO2 emissions from fuel combustion' (line 2); primap_co2: 'GHG emissions (Gg) from PRIMAPHIST' / 'PRIMAP|CO2|TOTALexcludingLULUCF|Gg' (line 3)")(
    eora(q_labels=[r for r in EORA_Q if not r[0].startswith("Total CO2")] + [("CH4 emissions (Gg)", "Total")]))
case("eora_q_co2_with_another_source", "eora26", f"{EORA_YEAR}/labels_Q.txt", "found none (a row 'Total CO2 emissions (Gg) from EDGAR' / 'EDGAR' (line 2) has that name with another source)")(
    eora(q_labels=edgar_source(EORA_Q)))
case("eora_q_co2_all_zero", "eora26", f"{EORA_YEAR}/Eora26_2015_bp_Q.txt", "row 2: the rows of co2_satellite = edgar_total ('Total CO2 emissions (Gg) from EDGAR' / 'Total' (line 2) of labels_Q) are all zero in 2015")(
    eora(arrays=lambda m: m["Q"].__setitem__(1, 0.0)))
case("eora_q_duplicated_label", "eora26", f"{EORA_YEAR}/labels_Q.txt", "line 6: duplicated label 'I-GHG-CO2 emissions (Gg) / Road transportation' (first on line 5)")(
    eora(q_labels=EORA_Q[:4] + [EORA_Q[4], EORA_Q[4]]))
case("eora_q_rows_disagree_with_labels", "eora26", f"{EORA_YEAR}/Eora26_2015_bp_Q.txt", ": expected 7 rows (from the labels), found 6")(
    eora(q_labels=EORA_Q + [("SO2 emissions (Gg)", "Total")]))
case("eora_qy_rows_disagree_with_labels", "eora26", f"{EORA_YEAR}/Eora26_2015_bp_QY.txt", "row 6: expected 5 rows (from the labels), found more")(
    eora(q_labels=EORA_Q[:5], arrays=lambda m: m.__setitem__("Q", m["Q"][:5])))
case("eora_q_label_without_source", "eora26", f"{EORA_YEAR}/labels_Q.txt", "line 1: expected a satellite name and its source, found only the name 'Energy Usage (TJ)'")(
    eora(labels=lambda lines: lines["Q"].__setitem__(0, "Energy Usage (TJ)")))
case("eora_q_text_in_co2_row", "eora26", f"{EORA_YEAR}/Eora26_2015_bp_Q.txt", "row 2, column 5: expected a number, found 'n/a'")(
    lambda folder: (eora()(folder), text_cell(folder)))
case("eora_labels_q_missing", "eora26", f"{EORA_YEAR}/labels_Q.txt", ": missing label file labels_Q.txt (expected in the Eora26 year folder)")(
    lambda folder: (eora()(folder), (folder / EORA_YEAR / "labels_Q.txt").unlink()))


# ---- real releases as users download them (issue 11): the 30-sector CEADs tables, NBS
# exports from either interface in any form, the user's own ECB file -------------------------
IO30_FILE, XLS = "ceads_io_2010.xlsx", "AnnualbyProvince.xls"
N30 = 90  # 3 provinces x 30 sectors


def io30(mutate):
    return lambda folder: write_ceads_io(folder / IO30_FILE, 2010, n_sectors=30, mutate=mutate)


def codes_of_42(grid):
    """The code row of a 42-sector table written over a 30-sector one: 01..42, 01.., ..."""
    for c in range(N30):
        grid[3][3 + c] = f"{c % 42 + 1:02d}"


def codes_of_21(grid):
    """A code row of 21 sectors (no CEADs list), its names no known list either."""
    grid[2][3 + 5] = "某部门"
    for c in range(N):
        grid[3][3 + c] = f"{c % 21 + 1:02d}"


def xls(rows_of, file=XLS):
    return lambda folder: write_xls(folder / file, rows_of())


GDP_EN = ENGLISH_LABELS["gdp.csv"]
english_gdp = lambda: indicator_rows(GDP_EN, english=True)  # noqa: E731


def with_row(rows, at, row):
    return rows[:at] + [row] + rows[at:]


case("io30_code_row_of_42", "ceads_io", IO30_FILE, "sheet 'Sheet1', row 4, column AH: the item-name row gives the 30-sector list (农林牧渔业 .. 其他服务业) but the code row runs 01..42")(
    io30(codes_of_42))
case("io30_missing_final_use_import_row", "ceads_io", IO30_FILE, "sheet 'Sheet1', row 96, column B: expected the final-use import row '进口（最终使用）' after '进口（中间使用）'")(
    io30(lambda g: g.__delitem__(4 + N30 + 1)))
case("io_unknown_sector_list", "ceads_io", IO_FILE, "sheet 'Sheet1', row 4, column X: the sector codes of the first block run 01..21 (21 sectors); expected a CEADs sector list: 30 (01..30), 42 (01..42)")(
    io(codes_of_21))
case("yb_two_indicator_lines", "yearbook", XLS, "sheet 'sheet1', row 3: a second indicator line ('Per Capita Gross Regional Product(yuan)', after 'Gross Regional Product(100 million yuan)' on sheet 'sheet1', row 2): export one indicator per file")(
    xls(lambda: with_row(english_gdp(), 2, ["Indicators：Per Capita Gross Regional Product(yuan)"])))
case("yb_unknown_region_english", "yearbook", XLS, "sheet 'sheet1', row 9, column 'Region': unknown province name 'Inner Mongol'")(
    xls(lambda: [["Inner Mongol", *r[1:]] if r[0] == "Inner Mongolia" else r for r in english_gdp()]))
case("yb_header_without_region", "yearbook", XLS, "sheet 'sheet1', row 4, column A: expected the header row starting with '地区' / 'Region', found 'Province'")(
    xls(lambda: [["Province", *r[1:]] if r[0] == "Region" else r for r in english_gdp()]))
case("yb_english_wrong_unit", "yearbook", XLS, "sheet 'sheet1', row 2: indicator 'Gross Regional Product(10000 yuan)' is in unit '10000 yuan'; greentrade reads it as 'Gross Regional Product(100 million yuan)'")(
    xls(lambda: [["Indicators：Gross Regional Product(10000 yuan)"] if r[0].startswith("Indicators") else r for r in english_gdp()]))
case("yb_no_indicator_line", "yearbook", XLS, "sheet 'sheet1', row 1: no '指标：' / 'Indicators：' line above the header")(
    xls(lambda: [r for r in english_gdp() if not str(r[0]).startswith("Indicators")]))
case("yb_xls_is_html", "yearbook", XLS, ": not an Excel 97 (.xls) or xlsx workbook (neither an OLE2 compound file nor a zip archive: an HTML page)", workbook=False)(
    text(XLS, lambda: "<html><body><table><tr><td>Region</td></tr></table></body></html>\n"))
case("yb_two_exports_of_one_indicator", "yearbook", "", "AnnualbyProvince.xls, sheet 'sheet1', row 2: a second export of indicator 'gdp' ('Gross Regional Product(100 million yuan)'); AnnualbyProvince (1).xls already gives it", workbook=True)(
    lambda folder: [write_xls(folder / name, english_gdp()) for name in ("AnnualbyProvince (1).xls", XLS)])
case("fx_without_cny", "fx", FX, "line 1: missing currency column 'CNY'")(
    text(FX, lambda: "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 3) for line in fx_text().splitlines()) + "\n"))


def write_corpus(target: Path, *, xlsx: bool = True) -> list[tuple[str, str, str, str]]:
    """Write the cases into ``target`` (the workbook and Eora26 folder cases only when
    ``xlsx``) and cases.csv."""
    target.mkdir(parents=True, exist_ok=True)
    for write in WRITERS:
        name, file, workbook = write.case
        if (workbook or "/" in file) and not xlsx:
            continue
        folder = target / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        write(folder)
    with open(target / "cases.csv", "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["case", "source", "file", "expected"])
        out.writerows(CASES)
    return CASES


def main() -> None:
    # the repository keeps the text cases (tiny, readable) and cases.csv; the workbook cases
    # (~100 kB each) and the Eora26 year folders are written by the test fixture into a
    # temporary folder
    cases = write_corpus(HERE, xlsx=False)
    print(f"{len(cases)} cases listed in {HERE / 'cases.csv'}")


if __name__ == "__main__":
    main()
