"""The loader: schema, idempotency, replacement of changed files, atomicity."""


import duckdb
import pytest

from greentrade.ingest import warehouse
from greentrade.ingest.errors import SourceFormatError
from greentrade.ingest.warehouse import RAW_TABLES, ensure_schema, load, load_all

from .builders import write_ceads_io, write_emissions
from .conftest import raw_checksums

SOURCES = ["ceads_io", "ceads_emissions", "ifr", "yearbook", "eua", "fx"]


def test_schema_is_created_idempotently(con):
    ensure_schema(con)
    ensure_schema(con)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'").fetchall()}
    # raw.eora26_cells: the block layout's view (empty until eora26 is loaded) over raw.eora26_blocks
    assert tables == set(RAW_TABLES) | {"eora26_cells", "eora26_blocks"}
    cells = con.execute("DESCRIBE raw.eora26_cells").fetchall()
    assert [(r[0], r[1]) for r in cells] == [("year", "INTEGER"), ("matrix", "VARCHAR"), ("row_idx", "INTEGER"),
                                             ("col_idx", "INTEGER"), ("value", "DOUBLE"), ("_load_id", "BIGINT")]
    columns = [r[0] for r in con.execute("DESCRIBE raw.ceads_emissions").fetchall()]
    assert columns[-1] == "_load_id"


def test_load_all_then_again_changes_nothing(config, tmp_path):
    first = load_all(config)
    assert [r.source for r in first] == list(config.sources)
    assert all(f.status == "loaded" for r in first for f in r.files)
    with duckdb.connect(str(config.warehouse)) as con:
        before = raw_checksums(con)
        log = con.execute("SELECT source, file_key, row_count, status, code_version FROM raw.load_log ORDER BY load_id").fetchall()
    assert {row[0] for row in log} == set(SOURCES)
    # the one code version (greentrade.lineage.code_version), as dim_build_lineage records it
    from greentrade.lineage import code_version

    assert all(row[3] == "loaded" and row[4] == code_version() for row in log)
    # yearbook: seven indicators and one employment table
    assert sum(row[0] == "yearbook" for row in log) == 8
    second = load_all(config)
    assert all(f.status == "skipped" for r in second for f in r.files)
    with duckdb.connect(str(config.warehouse)) as con:
        assert raw_checksums(con) == before
        # every row joins a load_log row of its own source
        orphans = con.execute("""SELECT count(*) FROM raw.ceads_io_cells c
                                 LEFT JOIN raw.load_log l ON c._load_id = l.load_id AND l.source = 'ceads_io'
                                 WHERE l.load_id IS NULL""").fetchone()[0]
        assert orphans == 0


def test_changed_file_replaces_its_rows_only(con, config, tmp_path):
    folder = tmp_path / "ceads_emissions"
    write_emissions(folder, 2016)
    write_emissions(folder, 2017)
    load(con, "ceads_emissions", path=folder, config=config)
    count_2016 = con.execute("SELECT count(*), sum(value_mt) FROM raw.ceads_emissions WHERE year = 2016").fetchone()
    write_emissions(folder, 2017, seed_=7)  # a new release of 2017
    report = load(con, "ceads_emissions", path=folder, config=config)
    assert [(f.file_key, f.status) for f in report.files] == [("2016", "skipped"), ("2017", "replaced")]
    assert con.execute("SELECT count(*), sum(value_mt) FROM raw.ceads_emissions WHERE year = 2016").fetchone() == count_2016
    assert con.execute("SELECT count(*) FROM raw.ceads_emissions WHERE year = 2017").fetchone()[0] == 30 * 48 * 22
    assert con.execute("SELECT count(DISTINCT _load_id) FROM raw.ceads_emissions WHERE year = 2017").fetchone()[0] == 1
    statuses = con.execute("SELECT file_key, status FROM raw.load_log ORDER BY load_id").fetchall()
    assert statuses == [("2016", "loaded"), ("2017", "replaced"), ("2017", "loaded")]


def test_failing_file_rolls_back_the_whole_call(con, config, tmp_path):
    folder = tmp_path / "ceads_io"
    config.sources["ceads_io"].options["years"] = [2012]
    write_ceads_io(folder / "io_2012.xlsx", 2012)
    load(con, "ceads_io", path=folder, config=config)
    before = raw_checksums(con)
    write_ceads_io(folder / "io_2012.xlsx", 2012, seed_=3)  # changed: would replace 2012 ...
    write_ceads_io(folder / "io_2017.xlsx", 2017, mutate=lambda g: g[6].__setitem__(5, "n/a"))  # ... but 2017 is bad
    with pytest.raises(SourceFormatError, match=r"io_2017.xlsx, sheet 'Sheet1', row 7, column F: expected a number, found 'n/a'"):
        load(con, "ceads_io", path=folder, config=config)
    assert raw_checksums(con) == before


@pytest.mark.parametrize("failure", [KeyboardInterrupt, duckdb.ConstraintException])
def test_interrupt_during_insert_rolls_back(con, config, tmp_path, monkeypatch, failure):
    folder = tmp_path / "ceads_emissions"
    write_emissions(folder, 2017)
    load(con, "ceads_emissions", path=folder, config=config)
    before = raw_checksums(con)
    write_emissions(folder, 2017, seed_=5)
    real_insert = warehouse._insert

    def insert_then_fail(*args, **kwargs):
        real_insert(*args, **kwargs)  # rows are in, old rows deleted: then the failure
        raise failure("interrupted")

    monkeypatch.setattr(warehouse, "_insert", insert_then_fail)
    with pytest.raises(failure):
        load(con, "ceads_emissions", path=folder, config=config)
    assert raw_checksums(con) == before
    monkeypatch.undo()
    assert load(con, "ceads_emissions", path=folder, config=config).files[0].status == "replaced"


def test_single_file_and_path_as_warehouse(config, tmp_path, source_root):
    target = tmp_path / "sub" / "w.duckdb"
    report = load(target, "ifr", path=source_root / "ifr" / "IFR_installations_by_industry.csv", config=config)
    assert report.files[0].file_key == "installations" and report.rows > 0
    with duckdb.connect(str(target)) as con:
        assert con.execute("SELECT count(*) FROM raw.ifr_installations").fetchone()[0] == report.rows


def test_missing_years_are_refused(con, config, tmp_path):
    folder = tmp_path / "ceads_emissions"
    write_emissions(folder, 2017)
    config.sources["ceads_emissions"].options["years"] = [2016, 2017]
    with pytest.raises(SourceFormatError, match="missing years 2016"):
        load(con, "ceads_emissions", path=folder, config=config)


def test_missing_source_folder_names_the_setting(con, config, tmp_path):
    with pytest.raises(SourceFormatError, match="GREENTRADE_SOURCE_IFR"):
        load(con, "ifr", path=tmp_path / "nowhere", config=config)


def test_reader_columns_must_match_the_raw_table(con, config, source_root, monkeypatch):
    import pandas as pd

    from greentrade.ingest import registry

    fake = registry.Source("ifr", ("ifr_installations",), "greentrade.ingest.ifr:read", registry.SOURCES["ifr"].discover)
    monkeypatch.setitem(registry.SOURCES, "ifr", fake)
    monkeypatch.setattr("greentrade.ingest.ifr.read", lambda path, **o: {"ifr_installations": pd.DataFrame({"country": ["x"]})})
    with pytest.raises(SourceFormatError, match="reader returned columns"):
        load(con, "ifr", path=source_root / "ifr", config=config)
    assert con.execute("SELECT count(*) FROM raw.load_log").fetchone()[0] == 0


def fake_eora26_read(path, **options):
    """Stands in for greentrade.ingest.eora26.read: same protocol, arrow output."""
    import pyarrow as pa

    year = int(path.name.split("_")[1])
    labels = pa.table({"year": [year], "matrix": ["T"], "axis": ["row"], "idx": [0], "country_name": ["China"],
                       "country_code": ["CHN"], "entity": ["Industries"], "item": ["Agriculture"]})
    cells = pa.table({"year": [year] * 2, "matrix": ["T", "FD"], "row_idx": [0, 0], "col_idx": [0, 1],
                      "value": [float((path / "Eora26_bp_T.txt").read_text()), 2.0]})
    return {"eora26_labels": labels, "eora26_cells": cells}


def test_folder_sources_through_the_same_protocol(con, config, tmp_path, monkeypatch):
    from greentrade.ingest import registry

    source = registry.Source("eora26", ("eora26_labels", "eora26_cells"), f"{__name__}:fake_eora26_read",
                             registry.SOURCES["eora26"].discover)
    monkeypatch.setitem(registry.SOURCES, "eora26", source)
    root = tmp_path / "eora26"
    for year in (2015, 2016):
        (root / f"Eora26_{year}_bp").mkdir(parents=True)
        (root / f"Eora26_{year}_bp" / "Eora26_bp_T.txt").write_text(str(year))
    report = load(con, "eora26", path=root, config=config)
    assert [(f.file_key, f.status) for f in report.files] == [("2015", "loaded"), ("2016", "loaded")]
    (root / "Eora26_2016_bp" / "Eora26_bp_T.txt").write_text("7")  # a file inside the folder changed
    report = load(con, "eora26", path=root, config=config)
    assert [(f.file_key, f.status) for f in report.files] == [("2015", "skipped"), ("2016", "replaced")]
    assert con.execute("SELECT year, value FROM raw.eora26_cells WHERE matrix = 'T' ORDER BY year").fetchall() == [
        (2015, 2015.0), (2016, 7.0)]
    assert con.execute("SELECT count(*) FROM raw.eora26_labels").fetchone()[0] == 2
    # the block layout: one table per year, matrix and load; the replaced load's blocks are gone
    blocks = con.execute("SELECT year, matrix, table_name FROM raw.eora26_blocks ORDER BY ALL").fetchall()
    assert [(y, m) for y, m, _ in blocks] == [(2015, "FD"), (2015, "T"), (2016, "FD"), (2016, "T")]
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' "
                                       "AND table_name LIKE 'eora26_cells__%'").fetchall()}
    assert names == {t for _, _, t in blocks}
    assert con.execute("SELECT DISTINCT _load_id FROM raw.eora26_cells ORDER BY 1").fetchall() == [(1,), (3,)]


def test_a_file_removed_from_the_configured_source_loses_its_rows(con, config, tmp_path):
    import dataclasses

    folder = tmp_path / "emissions"
    write_emissions(folder, 2016)
    gone = write_emissions(folder, 2017)
    # no `years` list: with one, a missing year is refused before anything is removed
    config.sources["ceads_emissions"] = dataclasses.replace(config.sources["ceads_emissions"], path=folder, options={})
    load(con, "ceads_emissions", config=config)
    kept = con.execute("SELECT count(*), sum(value_mt) FROM raw.ceads_emissions WHERE year = 2016").fetchone()
    stored = gone.read_bytes()
    gone.unlink()
    report = load(con, "ceads_emissions", config=config)
    assert [(f.file_key, f.status) for f in report.files] == [("2016", "skipped"), ("2017", "removed")]
    assert report.files[1].row_count == 30 * 48 * 22 and report.rows == 0
    assert "1 no longer in the source, their 31680 rows removed (2017)" in report.summary()
    assert con.execute("SELECT count(*) FROM raw.ceads_emissions WHERE year = 2017").fetchone()[0] == 0
    assert con.execute("SELECT count(*), sum(value_mt) FROM raw.ceads_emissions WHERE year = 2016").fetchone() == kept
    log = con.execute("SELECT file_key, status, message FROM raw.load_log ORDER BY load_id").fetchall()
    assert [row[:2] for row in log] == [("2016", "loaded"), ("2017", "removed")]
    assert "no longer in the source" in log[1][2]
    # with the data-quality checkpoint on, a removal re-checks what remains of the source
    write_emissions(folder, 2017)
    load(con, "ceads_emissions", config=config)
    gone.unlink()
    report = load(con, "ceads_emissions", config=config, quality=True)
    assert [f.status for f in report.files] == ["skipped", "removed"] and report.quality is not None
    assert report.quality.success
    # a folder given instead of the configured one only adds: nothing else is removed
    extra = tmp_path / "new_release"
    write_emissions(extra, 2018)
    report = load(con, "ceads_emissions", path=extra, config=config)
    assert [(f.file_key, f.status) for f in report.files] == [("2018", "loaded")]
    assert con.execute("SELECT DISTINCT year FROM raw.ceads_emissions ORDER BY 1").fetchall() == [(2016,), (2018,)]
    # the configured folder again: 2018 is not in it, so it goes; 2017 back in it comes back
    gone.write_bytes(stored)
    report = load(con, "ceads_emissions", config=config)
    assert sorted((f.file_key, f.status) for f in report.files) == [("2016", "skipped"), ("2017", "loaded"),
                                                                    ("2018", "removed")]
    assert con.execute("SELECT DISTINCT year FROM raw.ceads_emissions ORDER BY 1").fetchall() == [(2016,), (2017,)]


def test_removal_is_part_of_the_load_transaction(con, config, tmp_path, monkeypatch):
    import dataclasses

    folder = tmp_path / "emissions"
    write_emissions(folder, 2016)
    gone = write_emissions(folder, 2017)
    # no `years` list: with one, a missing year is refused before anything is removed
    config.sources["ceads_emissions"] = dataclasses.replace(config.sources["ceads_emissions"], path=folder, options={})
    load(con, "ceads_emissions", config=config)
    before = raw_checksums(con)
    gone.unlink()
    write_emissions(folder, 2016, seed_=9)  # changed, so the call writes before it removes

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(warehouse, "_remove_missing", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        load(con, "ceads_emissions", config=config)
    assert raw_checksums(con) == before
