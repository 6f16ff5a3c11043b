"""NBS exports (data.stats.gov.cn, 分省年度数据 / Annual by Province) in every form NBS ships
them: the Chinese or the English interface, as CSV, XLS (Excel 97) or XLSX. The indicator comes
from the 指标 / Indicators line (unit included), never from the file name."""

from __future__ import annotations

import pandas as pd
import pytest

from greentrade.ingest import yearbook
from greentrade.ingest.config import load_config
from greentrade.ingest.errors import SourceFormatError
from greentrade.ingest.registry import get_source
from greentrade.ingest.warehouse import load
from greentrade.reference import provinces

from .builders import (
    ENGLISH_LABELS,
    INDICATOR_FILES,
    indicator_rows,
    indicator_value,
    write_config,
    write_text,
    write_xls,
    write_xlsx,
)

GDP_ZH, GDP_EN = "地区生产总值(亿元)", "Gross Regional Product(100 million yuan)"
FORMS = ["csv", "xls", "xlsx"]


def write_export(path, rows, form):
    if form == "csv":
        return write_text(path, "\n".join(",".join(str(c) for c in row) for row in rows) + "\n")
    if form == "xls":
        return write_xls(path, rows)
    return write_xlsx(path, {"sheet1": rows})


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("english", [False, True], ids=["chinese", "english"])
def test_every_form_gives_the_same_rows(tmp_path, form, english):
    label = GDP_EN if english else GDP_ZH
    path = write_export(tmp_path / f"AnnualbyProvince.{form}", indicator_rows(label, english=english), form)
    rows = yearbook.read(path, first_year=2010, last_year=2019)["yearbook_indicators"]
    assert set(rows["indicator"]) == {"gdp"} and set(rows["indicator_label"]) == {label}
    assert set(rows["unit"]) == {"100 million CNY"}
    assert len(rows) == 31 * 10
    # province i of seeds/provinces.csv (GB order) holds indicator_value(i, year) in every form
    order = provinces()["province_code"].tolist()
    expected = {(code, y): indicator_value(i, y) for i, code in enumerate(order) for y in range(2010, 2020)}
    got = {(c, y): v for c, y, v in zip(rows["province_code"], rows["year"], rows["value"])}
    assert got == pytest.approx(expected)


def test_english_names_resolve(tmp_path):
    path = write_export(tmp_path / "AnnualbyProvince.xls", indicator_rows(GDP_EN, english=True), "xls")
    rows = yearbook.read(path)["yearbook_indicators"]
    labels = dict(zip(rows["province_label"], rows["province_code"]))
    assert labels["Inner Mongolia"] == "NM" and labels["Tibet"] == "XZ" and labels["Xinjiang"] == "XJ"
    assert labels["Beijing"] == "BJ" and len(labels) == 31


def test_mis_encoded_title_lines_are_repaired(tmp_path):
    rows = indicator_rows(GDP_EN, english=True, mis_encoded=True)
    assert rows[1][0] == "Indicators锛欸ross Regional Product(100 million yuan)"
    path = write_export(tmp_path / "AnnualbyProvince.xls", rows, "xls")
    assert yearbook.identify(path)[:2] == ("gdp", GDP_EN)
    assert set(yearbook.read(path)["yearbook_indicators"]["indicator"]) == {"gdp"}


def test_a_lossy_mis_encoding_still_names_the_indicator(tmp_path):
    rows = indicator_rows(GDP_EN, english=True)
    rows[1] = ["Indicators锛?ross Regional Product(100 million yuan)"]  # the G lost for good
    path = write_export(tmp_path / "AnnualbyProvince.csv", rows, "csv")
    assert yearbook.identify(path)[0] == "gdp"


def test_any_span_of_years_is_kept(tmp_path):
    years = range(2022, 1998, -1)  # 'Year：LATEST20'-style spans reach past the panel
    path = write_export(tmp_path / "AnnualbyProvince.xls", indicator_rows(GDP_EN, years, english=True), "xls")
    rows = yearbook.read(path, first_year=2010, last_year=2019)["yearbook_indicators"]
    assert sorted(rows["year"].unique()) == list(range(1999, 2023))


def test_the_file_name_does_not_matter(tmp_path):
    folder = tmp_path / "yearbook"
    english = {"gdp.csv": "AnnualbyProvince.xls", "human_capital.csv": "AnnualbyProvince (1).xls"}
    chinese = [name for name in INDICATOR_FILES if name not in english]
    for name, target in english.items():
        write_export(folder / target, indicator_rows(ENGLISH_LABELS[name], english=True), "xls")
    for k, name in enumerate(chinese):
        write_export(folder / f"分省年度数据{f' ({k})' if k else ''}.csv", indicator_rows(INDICATOR_FILES[name]), "csv")
    files = {f.key: f.path.name for f in get_source("yearbook").files(folder)}
    assert files["gdp"] == "AnnualbyProvince.xls" and files["human_capital"] == "AnnualbyProvince (1).xls"
    assert files["gdp_per_capita"] == "分省年度数据.csv"
    assert set(files) == set(yearbook.indicators())


def test_two_exports_of_one_indicator_are_refused(tmp_path):
    folder = tmp_path / "yearbook"
    for name, label in INDICATOR_FILES.items():
        write_export(folder / f"{name[:-4]}.csv", indicator_rows(label), "csv")
    write_export(folder / "AnnualbyProvince.xls", indicator_rows(GDP_EN, english=True), "xls")
    with pytest.raises(SourceFormatError) as info:
        get_source("yearbook").files(folder)
    message = str(info.value)
    assert message.startswith("yearbook/gdp.csv, line 2: a second export of indicator 'gdp'") or \
        message.startswith("yearbook/AnnualbyProvince.xls, sheet 'sheet1', row 2: a second export of indicator 'gdp'")
    assert "keep one" in message


def test_every_indicator_has_a_chinese_and_an_english_label():
    table = pd.read_csv(yearbook.Path(__file__).resolve().parents[3] / "seeds" / "yearbook_indicators.csv", dtype=str)
    assert set(table.groupby("indicator")["language"].agg(frozenset)) == {frozenset({"zh", "en"})}
    # the English GDP label is NBS's own (the export); the others are marked assumptions
    sources = dict(zip(table["label"], table["label_source"]))
    assert not sources[GDP_EN].startswith("assumption")
    english = table[(table["language"] == "en") & (table["indicator"] != "gdp")]
    assert english["label_source"].str.startswith("assumption").all()


def test_a_renamed_export_is_not_reloaded_but_its_path_is_recorded(tmp_path, con, source_root):
    """NBS downloads are renamed freely (AnnualbyProvince (3).xls -> gdp.xls): the same bytes
    under a new name load nothing again, and raw.load_log follows the new name."""
    config = load_config(write_config(tmp_path / "greentrade.toml", source_root, tmp_path / "w.duckdb"), env={})
    first = write_export(tmp_path / "AnnualbyProvince (3).xls", indicator_rows(GDP_EN, english=True), "xls")
    load(con, "yearbook", path=first, config=config)
    renamed = first.rename(tmp_path / "gdp.xls")
    report = load(con, "yearbook", path=renamed, config=config)
    assert [(f.file_key, f.status) for f in report.files] == [("gdp", "skipped")]
    assert con.execute("select file_path from raw.load_log where source = 'yearbook' and status = 'loaded'").fetchall() == [(str(renamed),)]
