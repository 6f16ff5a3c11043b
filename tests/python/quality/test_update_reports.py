"""Update reports on demo files with planted changes: a corrected province sheet (CEADs
emission inventory), a revised Eora26 year, a removed file. The report must show exactly the
planted changes; expected totals are computed here from the files themselves (openpyxl and
numpy), not by the code under test. An unchanged rerun writes no report.

Small and fast: two years of two sources (about 10 s with the checkpoints)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pytest

from greentrade import cli
from greentrade.reference import PROJECT_ROOT, provinces

YEARS = (2018, 2019)
THRESHOLD = 0.01
EMISSIONS = "Emission_Inventories_for_30_Provinces_{}.xlsx"


def demo_root() -> Path:
    root = PROJECT_ROOT / "data" / "demo"
    if not (root / "manifest.json").exists():
        assert cli.main(["demo"]) == cli.EXIT_OK
    return root


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Sources (two demo years of eora26 and ceads_emissions), a configuration, and the
    folders of a throw-away warehouse and outputs."""
    demo, sources = demo_root(), tmp_path / "sources"
    for year in YEARS:
        shutil.copytree(demo / "eora26" / f"Eora26_{year}_bp", sources / "eora26" / f"Eora26_{year}_bp")
        (sources / "ceads_emissions").mkdir(parents=True, exist_ok=True)
        shutil.copy(demo / "ceads_emissions" / EMISSIONS.format(year), sources / "ceads_emissions")
    shutil.copy(demo / "SYNTHETIC_DATA_README.md", sources)
    config = tmp_path / "greentrade.toml"
    config.write_text(f"""
[warehouse]
path = "{(tmp_path / 'warehouse' / 'work.duckdb').as_posix()}"
[sources]
root = "{sources.as_posix()}"
[sources.eora26]
path = "eora26"
pattern = "Eora26_*_bp"
[sources.ceads_emissions]
path = "ceads_emissions"
pattern = "Emission_Inventories_for_30_Provinces_*.xlsx"
[updates]
threshold = {THRESHOLD}
[settings]
first_year = {YEARS[0]}
last_year = {YEARS[-1]}
""", encoding="utf-8")
    for key in ("GREENTRADE_WAREHOUSE", "GREENTRADE_SOURCE_ROOT", "GREENTRADE_SOURCE_EORA26",
                "GREENTRADE_SOURCE_CEADS_EMISSIONS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("GREENTRADE_CONFIG", str(config))
    monkeypatch.setenv("GREENTRADE_OUTPUTS", str(tmp_path / "outputs"))
    return tmp_path, sources


def reports(outputs: Path) -> list[Path]:
    return sorted((outputs / "updates").glob("update_*.html"))


def recorded(project_dir: Path, table: str, update_id: str) -> pd.DataFrame:
    with duckdb.connect(str(project_dir / "warehouse" / "work.duckdb"), read_only=True) as con:
        return con.execute(f"select * from updates.{table} where update_id = ?", [update_id]).df()


# --- planting changes, and what they should change, from the files themselves -----------------

def _scope1_column(sheet) -> int:
    header = [re.sub(r"[\s_]+", "", str(c or "")).lower() for c in next(sheet.iter_rows(max_row=1, values_only=True))]
    return header.index("scope1total")


def emission_totals(path: Path) -> dict[tuple[str, str], float]:
    """Scope 1 CO2 of the sector and household rows by province, sector and year."""
    names = provinces().set_index("name_en")["province_code"]
    book = openpyxl.load_workbook(path, read_only=True)
    out: dict[tuple[str, str], float] = {}
    for sheet in book.worksheets[1:]:
        year = re.search(r"\d{4}$", sheet.title).group(0)
        code = names[{"InnerMongolia": "Inner Mongolia"}.get(sheet.title[:-4], sheet.title[:-4])]
        column = _scope1_column(sheet)
        for row in sheet.iter_rows(min_row=5, values_only=True):
            if row[0] is None:
                continue
            value = float(row[column])
            for key in (("province", code), ("sector", str(row[0]).strip()), ("year", year)):
                out[key] = out.get(key, 0.0) + value
    return out


def plant_emission_correction(path: Path, sheet_name: str, factor: float, sector: str | None = None) -> int:
    """Multiply one sector row of one province sheet (``sector``, a part of its label; default
    the largest) by ``factor`` and correct its total row (so the file stays consistent);
    return the number of cells whose value changed."""
    book = openpyxl.load_workbook(path)
    sheet = book[sheet_name]
    column = _scope1_column(sheet)
    rows = list(sheet.iter_rows(min_row=5, max_row=49))
    if sector is not None:
        rows = [r for r in rows if sector in str(r[0].value)]
    target = max(rows, key=lambda r: float(r[column].value))
    changed = 0
    for cell, total in zip(target[1:], sheet[4][1:]):
        if isinstance(cell.value, (int, float)) and cell.value != 0:
            delta = cell.value * (factor - 1)
            cell.value, total.value = cell.value * factor, total.value + delta
            changed += 2
    book.save(path)
    return changed


def eora_totals(folder: Path, year: int) -> dict[tuple[str, str], float]:
    """T + FD row sums by country, sector and year (labels_T.txt names the rows of both)."""
    labels = pd.read_csv(folder / "labels_T.txt", sep="\t", header=None).iloc[:, :4]
    rows = np.loadtxt(folder / f"Eora26_{year}_bp_T.txt").sum(axis=1) + np.loadtxt(folder / f"Eora26_{year}_bp_FD.txt").sum(axis=1)
    frame = pd.DataFrame({"country": labels[1], "sector": labels[3], "value": rows[: len(labels)]})
    out = {("country", k): v for k, v in frame.groupby("country")["value"].sum().items()}
    out |= {("sector", k): v for k, v in frame.groupby("sector")["value"].sum().items()}
    out[("year", str(year))] = float(frame["value"].sum())
    return out


def plant_eora_revision(folder: Path, year: int, country: str, factor: float, cells: int = 3) -> None:
    """Multiply the ``cells`` largest entries of the largest T row of ``country`` by ``factor``."""
    labels = pd.read_csv(folder / "labels_T.txt", sep="\t", header=None)
    path = folder / f"Eora26_{year}_bp_T.txt"
    lines = path.read_text().split("\n")
    candidates = [i for i in range(len(labels)) if labels.iloc[i, 1] == country]
    sums = {i: sum(float(x) for x in lines[i].split("\t")) for i in candidates}
    row = max(sums, key=sums.get)
    tokens = lines[row].split("\t")
    for col in sorted(range(len(tokens)), key=lambda c: -float(tokens[c]))[:cells]:
        tokens[col] = repr(float(tokens[col]) * factor)
    lines[row] = "\t".join(tokens)
    path.write_text("\n".join(lines))


def expected_moves(old: dict, new: dict) -> set[tuple[str, str]]:
    return {key for key in old.keys() | new.keys()
            if abs(new.get(key, 0.0) - old.get(key, 0.0)) > THRESHOLD * abs(old.get(key, 0.0))}


# --- the tests ----------------------------------------------------------------------------------

def test_first_load_reports_what_was_loaded(project, capsys):
    tmp, _ = project
    assert cli.main(["ingest"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "eora26 2018, 2019: first load of 2 file(s)" in out
    [report] = reports(tmp / "outputs")
    update_id = report.stem.removeprefix("update_")
    files = recorded(tmp, "files", update_id)
    assert sorted(zip(files["source"], files["file_key"], files["status"])) == [
        (s, str(y), "loaded") for s in ("ceads_emissions", "eora26") for y in YEARS]
    assert files["old_sha256"].isna().all() and files["new_sha256"].str.len().eq(64).all()
    assert recorded(tmp, "totals", update_id).empty  # a first load is not a diff
    loaded = recorded(tmp, "loaded", update_id)
    provinces_loaded = loaded[(loaded["source"] == "ceads_emissions") & (loaded["dimension"] == "province")]
    assert provinces_loaded["members"].tolist() == [30, 30]
    html = report.read_text(encoding="utf-8")
    assert html.count('data-status="loaded"') == 4 and 'data-status="replaced"' not in html
    assert 'id="impact-pending"' in html and 'id="synthetic-banner"' in html
    assert report.with_suffix(".md").read_text(encoding="utf-8").count("first load (what was loaded, not a diff)") == 4
    expectations = recorded(tmp, "expectations", update_id)
    assert set(expectations["source"]) == {"ceads_emissions", "eora26"} and expectations["success"].all()
    assert (expectations["element_count"] > 0).any()


def test_planted_changes_are_reported_exactly_and_an_unchanged_rerun_reports_nothing(project, capsys):
    tmp, sources = project
    assert cli.main(["ingest"]) == cli.EXIT_OK
    first = reports(tmp / "outputs")

    # plant: a corrected province sheet, a revised Eora26 year, a removed file
    emissions = sources / "ceads_emissions" / EMISSIONS.format(2019)
    old_emissions = emission_totals(emissions)
    cells = plant_emission_correction(emissions, "Shanxi2019", 1.5)
    new_emissions = emission_totals(emissions)
    eora = sources / "eora26" / "Eora26_2019_bp"
    old_eora = eora_totals(eora, 2019)
    plant_eora_revision(eora, 2019, "CHN", 3.0)
    new_eora = eora_totals(eora, 2019)
    removed = sources / "ceads_emissions" / EMISSIONS.format(2018)
    removed.unlink()
    with duckdb.connect(str(tmp / "warehouse" / "work.duckdb"), read_only=True) as con:
        removed_rows, = con.execute("select row_count from raw.load_log where source = 'ceads_emissions' "
                                    "and file_key = '2018' and status = 'loaded'").fetchone()
    capsys.readouterr()

    assert cli.main(["ingest"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    new_reports = sorted(set(reports(tmp / "outputs")) - set(first))
    assert len(new_reports) == 1
    update_id = new_reports[0].stem.removeprefix("update_")

    files = recorded(tmp, "files", update_id).set_index(["source", "file_key"])
    assert sorted(files.index) == [("ceads_emissions", "2018"), ("ceads_emissions", "2019"), ("eora26", "2019")]
    assert files.loc[("ceads_emissions", "2018"), "status"] == "removed"
    assert files.loc[("ceads_emissions", "2019"), "status"] == "replaced"
    assert files.loc[("eora26", "2019"), "status"] == "replaced"
    for key in [("ceads_emissions", "2019"), ("eora26", "2019")]:
        old, new = files.loc[key, ["old_sha256", "new_sha256"]]
        assert len(old) == len(new) == 64 and old != new

    tables = recorded(tmp, "tables", update_id).set_index(["source", "file_key", "raw_table"])
    counts = ["rows_added", "rows_removed", "rows_changed"]
    assert tables.loc[("ceads_emissions", "2019", "ceads_emissions"), counts].tolist() == [0, 0, cells]
    assert tables.loc[("eora26", "2019", "eora26_cells"), counts].tolist() == [0, 0, 3]
    assert tables.loc[("eora26", "2019", "eora26_labels"), counts].tolist() == [0, 0, 0]
    assert tables.loc[("ceads_emissions", "2018", "ceads_emissions"), counts].tolist() == [0, removed_rows, 0]

    totals = recorded(tmp, "totals", update_id)
    got = {(r.source, r.dimension, r.member) for r in totals.itertuples()}
    expected = ({("ceads_emissions", *k) for k in expected_moves(old_emissions, new_emissions)}
                | {("eora26", *k) for k in expected_moves(old_eora, new_eora)})
    assert got == expected
    assert {m for s, d, m in got if d == "province"} == {"SX"}
    assert {m for s, d, m in got if s == "eora26" and d == "country"} == {"CHN"}
    for r in totals.itertuples():
        truth_old, truth_new = (old_emissions, new_emissions) if r.source == "ceads_emissions" else (old_eora, new_eora)
        assert r.old_value == pytest.approx(truth_old[(r.dimension, r.member)], rel=1e-9)
        assert r.new_value == pytest.approx(truth_new[(r.dimension, r.member)], rel=1e-9)
        assert r.relative_change == pytest.approx(r.new_value / r.old_value - 1, rel=1e-9)

    html = new_reports[0].read_text(encoding="utf-8")
    assert re.findall(r'<article id="file-([^"]+)"', html) == ["ceads_emissions-2018", "ceads_emissions-2019", "eora26-2019"]
    assert html.count("<tr>", html.index('id="file-ceads_emissions-2019"'), html.index('id="file-eora26-2019"')) \
        >= len([t for t in got if t[0] == "ceads_emissions"])
    markdown = new_reports[0].with_suffix(".md").read_text(encoding="utf-8")
    assert "### 2018: file removed" in markdown and markdown.count("| province | SX |") == 1
    assert f"ceads_emissions 2018, 2019: 1 file(s) removed, {removed_rows:,} rows deleted; 1 province" in out
    moved = sorted(dimension for dimension, _ in expected_moves(old_eora, new_eora))  # country, sector, year
    line = ", ".join(f"1 {dimension}" for dimension in moved)
    assert f"eora26 2019: {line} changed by more than 1 % (3 rows changed" in out

    # an unchanged rerun: nothing loaded, no report
    assert cli.main(["ingest"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "update report" not in out
    assert len(reports(tmp / "outputs")) == 2
