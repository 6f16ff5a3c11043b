"""Eora26 reader, storage and read-back on small synthetic year folders in the real layout.

The builders below write a 3-country world (China, Viet Nam and Sudan with Eora's non-ISO
code SUD) x 26 sectors plus the ROW discrepancy entry, with numbers the test knows; the round
trip compares what comes back from the warehouse with what was written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

SECTORS = [
    "Agriculture", "Fishing", "Mining and Quarrying", "Food & Beverages", "Textiles and Wearing Apparel",
    "Wood and Paper", "Petroleum, Chemical and Non-Metallic Mineral Products", "Metal Products",
    "Electrical and Machinery", "Transport Equipment", "Other Manufacturing", "Recycling",
    "Electricity, Gas and Water", "Construction", "Maintenance and Repair", "Wholesale Trade", "Retail Trade",
    "Hotels and Restraurants", "Transport", "Post and Telecommunications",
    "Finacial Intermediation and Business Activities", "Public Administration",
    "Education, Health and Other Services", "Private Households", "Others", "Re-export & Re-import",
]
FD_CATEGORIES = [
    "Household final consumption P.3h", "Non-profit institutions serving households P.3n",
    "Government final consumption P.3g", "Gross fixed capital formation P.51", "Changes in inventories P.52",
    "Acquisitions less disposals of valuables P.53",
]
VA_ITEMS = [
    "Compensation of employees D.1", "Taxes on production D.29", "Subsidies on production D.39",
    "Net operating surplus B.2n", "Net mixed income B.3n", "Consumption of fixed capital K.1",
]
Q_ROWS = [
    ("Energy Usage (TJ)", "Natural Gas"),
    ("Total CO2 emissions (Gg) from EDGAR", "Total"),
    ("CH4 emissions (Gg) from EDGAR", "Total"),
]
COUNTRIES = [("China", "CHN"), ("Viet Nam", "VNM"), ("Sudan", "SUD")]


@dataclass
class EoraYear:
    folder: Path
    year: int
    arrays: dict[str, np.ndarray]
    countries: list[tuple[str, str]]


def label_lines(countries, sectors=SECTORS, fd=FD_CATEGORIES, va=VA_ITEMS, q=Q_ROWS, trailing_tab=True):
    end = "\t" if trailing_tab else ""
    t = [f"{name}\t{code}\tIndustries\t{s}{end}" for name, code in countries for s in sectors]
    t.append(f"ROW\tROW\tTOTAL\tTOTAL{end}")
    f = [f"{name}\t{code}\tFinal Demand\t{c}{end}" for name, code in countries for c in fd]
    f += [f"ROW\tROW\tFinal Demand\t{c}{end}" for c in fd]
    return {"T": t, "FD": f, "VA": [f"Primary Inputs\t{item}{end}" for item in va],
            "Q": [f"{name}\t{source}{end}" for name, source in q]}


def world_arrays(n_countries: int, seed: int = 0, scale: float = 1e7, n_q: int = len(Q_ROWS)) -> dict[str, np.ndarray]:
    """Sparse-ish non-negative T (thousand USD), FD with some negative inventories, VA, Q, QY.

    Written with ``%.17g``, the text reads back to the same doubles.
    """
    rng = np.random.default_rng(seed)
    n, m = n_countries * 26 + 1, n_countries * 6 + 6

    def draw(shape, zero_share=0.5):
        values = np.round(rng.lognormal(0.0, 1.5, shape) * scale, -2)
        values[rng.random(shape) < zero_share] = 0.0
        return values

    arrays = {"T": draw((n, n)), "FD": draw((n, m)), "VA": draw((6, n), 0.1), "Q": draw((n_q, n), 0.2),
              "QY": draw((n_q, m), 0.6)}
    arrays["T"][-1, :] = np.round(rng.normal(0, scale / 100, n), 1)  # the ROW discrepancy row ...
    arrays["T"][:, -1] = np.round(rng.normal(0, scale / 100, n), 1)  # ... and column
    arrays["FD"][:, 4::6] *= -1  # changes in inventories may be negative
    arrays["T"][0, 0] = 0.0
    arrays["T"][1, 0] = 123.5  # a row whose first cell is set
    return arrays


def write_matrix(path: Path, array: np.ndarray, fmt: str = "%.17g") -> None:
    """Tab separated, no header, ``0`` for zero cells, as Eora ships its text files."""
    with open(path, "w", newline="\n") as handle:
        np.savetxt(handle, array, fmt=fmt, delimiter="\t")


def write_eora_year(root: Path, year: int = 2015, countries=COUNTRIES, seed: int = 0, arrays=None,
                    labels=None, trailing_tab: bool = True) -> EoraYear:
    folder = root / f"Eora26_{year}_bp"
    folder.mkdir(parents=True, exist_ok=True)
    arrays = arrays if arrays is not None else world_arrays(len(countries), seed)
    labels = labels if labels is not None else label_lines(countries, trailing_tab=trailing_tab)
    for kind, lines in labels.items():
        (folder / f"labels_{kind}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for matrix, array in arrays.items():
        write_matrix(folder / f"Eora26_{year}_bp_{matrix}.txt", array)
    return EoraYear(folder, year, arrays, list(countries))


# --- tests ----------------------------------------------------------------------------------

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pytest  # noqa: E402

from greentrade.ingest import eora26  # noqa: E402
from greentrade.ingest.config import Config  # noqa: E402
from greentrade.ingest.errors import SourceFormatError  # noqa: E402
from greentrade.ingest.warehouse import RAW_TABLES, ensure_schema, load  # noqa: E402

SMALL = eora26.Eora26Checks()  # the default bounds hold for the synthetic world (~1e11)


@pytest.fixture
def world(tmp_path) -> EoraYear:
    return write_eora_year(tmp_path / "eora26")


def _dense(cells, matrix, shape):
    part = cells.filter(pc.equal(cells["matrix"].cast(pa.string()), matrix))
    out = np.zeros(shape)
    out[part["row_idx"].to_numpy(), part["col_idx"].to_numpy()] = part["value"].to_numpy()
    return out


def test_reader_returns_the_raw_tables_with_every_nonzero_cell(world):
    tables = eora26.read(world.folder)
    assert set(tables) == {"eora26_labels", "eora26_cells"}
    cells, labels = tables["eora26_cells"], tables["eora26_labels"]
    assert sorted(cells.column_names) == sorted(eora26.CELL_TYPES)
    assert sorted(labels.columns) == sorted(RAW_TABLES["eora26_labels"])
    assert cells.num_rows == sum(int(np.count_nonzero(a)) for a in world.arrays.values())
    for matrix, array in world.arrays.items():
        np.testing.assert_array_equal(_dense(cells, matrix, array.shape), array)


def test_row_discrepancy_is_kept_and_reported(world):
    result = eora26.read_year(world.folder)
    t, fd = world.arrays["T"], world.arrays["FD"]
    expected = np.abs(t[-1]).sum() + np.abs(t[:-1, -1]).sum() + np.abs(fd[-1, :-6]).sum() + np.abs(fd[:, -6:]).sum()
    assert result.discrepancy == pytest.approx(expected)
    assert result.world_output == pytest.approx(t.sum() + fd.sum())
    share = expected / (t.sum() + fd.sum())
    assert "ROW discrepancy entry kept" in result.message and f"{share:.3%}" in result.message
    metadata = eora26.read(world.folder)["eora26_cells"].schema.metadata
    assert metadata[b"greentrade.message"].decode() == result.message
    t_labels = result.labels[(result.labels["matrix"] == "T") & (result.labels["axis"] == "row")]
    assert t_labels.iloc[-1][["country_code", "entity", "item"]].tolist() == ["ROW", "TOTAL", "TOTAL"]


def test_labels_follow_the_documented_columns(world):
    labels = eora26.read_year(world.folder).labels
    assert labels.groupby(["matrix", "axis"]).size().to_dict() == {
        ("FD", "col"): 24, ("FD", "row"): 79, ("Q", "col"): 79, ("Q", "row"): 3, ("QY", "col"): 24,
        ("QY", "row"): 3, ("T", "col"): 79, ("T", "row"): 79, ("VA", "col"): 79, ("VA", "row"): 6}
    q = labels[(labels["matrix"] == "Q") & (labels["axis"] == "row")]
    assert q["item"].tolist()[1] == "Total CO2 emissions (Gg) from EDGAR"
    assert q["country_name"].tolist()[1] == "Total"
    va = labels[(labels["matrix"] == "VA") & (labels["axis"] == "row")]
    assert va["entity"].eq("Primary Inputs").all() and va["item"].tolist() == VA_ITEMS
    sud = labels[(labels["matrix"] == "T") & (labels["axis"] == "row") & (labels["country_code"] == "SUD")]
    assert sud["country_name"].unique().tolist() == ["Sudan"] and sud["item"].tolist() == SECTORS


def test_label_lines_without_trailing_tab_crlf_and_trailing_blank_lines_read_alike(tmp_path, world):
    other = write_eora_year(tmp_path / "plain", trailing_tab=False)
    for file in other.folder.glob("Eora26_*_FD.txt"):
        file.write_bytes(file.read_bytes().replace(b"\n", b"\r\n"))
    va = other.folder / "Eora26_2015_bp_VA.txt"
    va.write_bytes(va.read_bytes() + b"\n\n")  # blank lines at the end
    a, b = eora26.read_year(world.folder), eora26.read_year(other.folder)
    assert a.labels.equals(b.labels)
    assert a.cells.equals(b.cells)


def test_round_trip_through_the_loader_gives_the_exact_arrays(world, tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        report = load(con, "eora26", path=world.folder.parent, config=Config(tmp_path / "w.duckdb", {}))
        assert [f.status for f in report.files] == ["loaded"]
        year = eora26.read_year_arrays(con, 2015, matrices=eora26.MATRICES)
        frames = eora26.read_year_frames(con, 2015)
    for matrix, array in world.arrays.items():
        assert year[matrix].dtype == np.float64
        np.testing.assert_array_equal(year[matrix], array)  # exact, not approximate
    assert year.row_labels["T"]["country_code"].iloc[-1] == "ROW"
    t = frames["T"]
    assert t.index.names == ["region", "sector"] and t.columns.names == ["region", "sector"]
    assert t.loc[("SUD", "Fishing"), ("VNM", "Agriculture")] == world.arrays["T"][26 * 2 + 1, 26]
    assert frames["FD"].columns.names == ["region", "category"]
    assert frames["FD"].columns[-1] == ("ROW", "Acquisitions less disposals of valuables P.53")
    assert frames["VA"].index.tolist() == VA_ITEMS
    assert frames["Q"].loc[("Total CO2 emissions (Gg) from EDGAR", "Total")].shape == (79,)
    assert frames["Q"].index.names == ["stressor", "source"]


def test_loaded_cells_are_queryable_with_their_labels(world, tmp_path):
    r, c = np.argwhere(world.arrays["FD"][:26, 6:12])[0]  # a non-zero cell: China -> Viet Nam
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        load(con, "eora26", path=world.folder.parent, config=Config(tmp_path / "w.duckdb", {}))
        value = con.execute("""
            SELECT c.value FROM raw.eora26_cells c
            JOIN raw.eora26_labels r ON r.year = c.year AND r.matrix = c.matrix AND r.axis = 'row' AND r.idx = c.row_idx
            JOIN raw.eora26_labels k ON k.year = c.year AND k.matrix = c.matrix AND k.axis = 'col' AND k.idx = c.col_idx
            WHERE c.year = 2015 AND c.matrix = 'FD' AND r.country_code = 'CHN' AND r.item = ?
              AND k.country_code = 'VNM' AND k.item = ?""", [SECTORS[r], FD_CATEGORIES[c]]).fetchall()
        assert value == [(world.arrays["FD"][r, 6 + c],)]
        load_id = con.execute("SELECT load_id FROM raw.load_log WHERE source = 'eora26'").fetchall()
        assert con.execute("SELECT DISTINCT _load_id FROM raw.eora26_cells").fetchall() == load_id


# --- bad inputs: file, row and column in the message ----------------------------------------


def _rewrite_cell(file: Path, row: int, col: int, text: str) -> None:
    lines = file.read_text().split("\n")
    cells = lines[row - 1].split("\t")
    cells[col - 1] = text
    lines[row - 1] = "\t".join(cells)
    file.write_text("\n".join(lines))


@pytest.mark.parametrize("text, found", [("abc", "'abc'"), ("NaN", "NaN"), ("", "an empty cell"), ("inf", "inf")])
def test_a_bad_cell_names_file_row_and_column(world, text, found):
    file = world.folder / "Eora26_2015_bp_T.txt"
    _rewrite_cell(file, 3, 5, text)
    with pytest.raises(SourceFormatError) as error:
        eora26.read(world.folder)
    assert str(error.value).startswith("Eora26_2015_bp/Eora26_2015_bp_T.txt, row 3, column 5: expected a number")
    assert found in str(error.value)


def test_a_bad_first_cell_of_a_row_is_located(world):
    file = world.folder / "Eora26_2015_bp_FD.txt"
    _rewrite_cell(file, 10, 1, "1,5")
    with pytest.raises(SourceFormatError, match=r"_FD.txt, row 10, column 1: expected a number, found '1,5'"):
        eora26.read(world.folder)


def test_a_short_row_is_reported(world):
    file = world.folder / "Eora26_2015_bp_T.txt"
    lines = file.read_text().split("\n")
    lines[6] = lines[6].rsplit("\t", 1)[0]
    file.write_text("\n".join(lines))
    with pytest.raises(SourceFormatError, match=r"_T.txt, row 7: expected 79 columns \(from the labels\), found 78"):
        eora26.read(world.folder)


def test_matrix_and_labels_disagree_on_the_shape(world):
    labels = world.folder / "labels_Q.txt"
    labels.write_text(labels.read_text() + "SO2 emissions (Gg) from EDGAR\tEDGAR\n")
    with pytest.raises(SourceFormatError, match=r"_Q.txt: expected 4 rows \(from the labels\), found 3"):
        eora26.read(world.folder)


def test_duplicated_label(world):
    labels = world.folder / "labels_T.txt"
    lines = labels.read_text().split("\n")
    lines[30] = lines[29]
    labels.write_text("\n".join(lines))
    with pytest.raises(SourceFormatError, match=r"labels_T.txt, line 31: duplicated label 'VNM / Food & Beverages' \(first on line 30\)"):
        eora26.read(world.folder)


def test_missing_co2_row_names_the_co2_rows_it_has(world):
    labels = world.folder / "labels_Q.txt"
    labels.write_text(labels.read_text().replace("Total CO2 emissions (Gg) from EDGAR", "CO2 (Gg)"))
    with pytest.raises(SourceFormatError, match=r"labels_Q.txt: expected the rows of co2_satellite = edgar_total: "
                       r"'Total CO2 emissions \(Gg\) from EDGAR' / 'Total', found none; none of edgar_total, "
                       r"edgar_ipcc, iea_fuel_combustion, primap_co2 is here; rows naming CO2: 'CO2 \(Gg\)' / 'Total' \(line 2\)"):
        eora26.read(world.folder)


def test_co2_row_is_found_by_name_and_source_together(world):
    labels = world.folder / "labels_Q.txt"
    labels.write_text(labels.read_text().replace("Total CO2 emissions (Gg) from EDGAR\tTotal",
                                                 "Total CO2 emissions (Gg) from EDGAR\tEDGAR"))
    with pytest.raises(SourceFormatError, match=r"found none \(a row 'Total CO2 emissions \(Gg\) from EDGAR' / 'EDGAR' "
                                                 r"\(line 2\) has that name with another source\)"):
        eora26.read(world.folder)


def test_another_co2_satellite_is_checked_when_chosen(world):
    with pytest.raises(SourceFormatError, match=r"expected the rows of co2_satellite = primap_co2: 'GHG emissions \(Gg\) from "
                       r"PRIMAPHIST' / 'PRIMAP\|CO2\|TOTALexcludingLULUCF\|Gg', found none; the CO2 rows of this release: "
                       r"edgar_total: 'Total CO2 emissions \(Gg\) from EDGAR' / 'Total' \(line 2\) \(set co2_satellite"):
        eora26.read(world.folder, co2_satellite="primap_co2")
    assert eora26.read(world.folder, co2_satellite="edgar_total")["eora26_cells"].num_rows > 0


def test_chosen_co2_rows_all_zero_in_a_year(tmp_path):
    arrays = world_arrays(3)
    arrays["Q"][1] = 0.0
    year = write_eora_year(tmp_path / "eora26", arrays=arrays)
    with pytest.raises(SourceFormatError, match=r"Eora26_2015_bp_Q.txt, row 2: the rows of co2_satellite = edgar_total "
                       r"\('Total CO2 emissions \(Gg\) from EDGAR' / 'Total' \(line 2\) of labels_Q\) are all zero in 2015"):
        eora26.read(year.folder)


def test_satellite_label_without_its_source(world):
    labels = world.folder / "labels_Q.txt"
    lines = labels.read_text().split("\n")
    lines[2] = "CH4 emissions (Gg) from EDGAR"
    labels.write_text("\n".join(lines))
    with pytest.raises(SourceFormatError, match=r"labels_Q.txt, line 3: expected a satellite name and its source, "
                                                 r"found only the name 'CH4 emissions \(Gg\) from EDGAR'"):
        eora26.read(world.folder)


def test_negative_flow_beyond_tolerance(tmp_path):
    arrays = world_arrays(3)
    arrays["T"][4, 30] = -5000.0
    folder = write_eora_year(tmp_path, arrays=arrays).folder
    with pytest.raises(SourceFormatError) as error:
        eora26.read(folder)
    assert "_T.txt, row 5, column 31: expected inter-industry flows >= -1 thousand USD" in str(error.value)
    assert "CHN/Textiles and Wearing Apparel -> VNM/Textiles and Wearing Apparel" in str(error.value)
    assert eora26.read(folder, negative_tolerance=1e4)["eora26_cells"].num_rows > 0


def test_a_thousandfold_unit_slip_is_caught_and_bounds_are_configurable(tmp_path):
    arrays = {k: v * 1000 for k, v in world_arrays(3).items()}
    folder = write_eora_year(tmp_path, arrays=arrays).folder
    with pytest.raises(SourceFormatError, match=r"expected total world output within 1e\+10..1e\+12 thousand USD"):
        eora26.read(folder)
    assert eora26.read(folder, world_output_max=1e15)["eora26_cells"].num_rows > 0


def test_missing_matrix_file(world):
    (world.folder / "Eora26_2015_bp_VA.txt").unlink()
    with pytest.raises(SourceFormatError, match="missing matrix file Eora26_2015_bp_VA.txt"):
        eora26.read(world.folder)


def test_read_year_arrays_needs_the_year(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ensure_schema(con)
        with pytest.raises(LookupError, match="no T labels for 1999"):
            eora26.read_year_arrays(con, 1999)


def test_the_documented_labelled_view_answers_cell_queries(world, tmp_path):
    doc = (Path(__file__).resolve().parents[3] / "docs" / "eora26_storage.md").read_text(encoding="utf-8")
    view = next(block for block in doc.split("```sql")[1:] if "create or replace view" in block).split("```")[0]
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        load(con, "eora26", path=world.folder.parent, config=Config(tmp_path / "w.duckdb", {}))
        con.execute(view)
        t = world.arrays["T"]
        r, c = np.argwhere(t[:26, 26:52])[0]  # China -> Viet Nam, a non-zero flow
        got = con.execute(
            "SELECT value FROM eora26_cells_labelled WHERE year = 2015 AND matrix = 'T' AND row_country = 'CHN' "
            "AND row_item = ? AND col_country = 'VNM' AND col_item = ?", [SECTORS[r], SECTORS[c]]).fetchall()
        assert got == [(t[r, 26 + c],)]
        rows = con.execute("SELECT count(*) FROM eora26_cells_labelled").fetchone()[0]
        assert rows == sum(int(np.count_nonzero(a)) for a in world.arrays.values())
        row = con.execute("SELECT count(*) FROM eora26_cells_labelled WHERE matrix = 'T' AND "
                          "(row_country = 'ROW' OR col_country = 'ROW')").fetchone()[0]
        assert row == np.count_nonzero(t[-1]) + np.count_nonzero(t[:-1, -1])


# --- block layout ---------------------------------------------------------------------------


def _labels_into(con, tables, load_id):
    labels = tables["eora26_labels"]  # noqa: F841  (scanned by DuckDB)
    columns = ", ".join(eora26.LABEL_TABLE_COLUMNS)
    con.execute(f"INSERT INTO raw.eora26_labels ({columns}, _load_id) SELECT {columns}, ? FROM labels", [load_id])


def test_block_layout_round_trip_replace_and_schema_compatibility(world, tmp_path):
    tables = eora26.read(world.folder)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ensure_schema(con)  # the empty view first
        _labels_into(con, tables, 1)
        assert eora26.store_cells(con, tables["eora26_cells"], load_id=1) == tables["eora26_cells"].num_rows
        ensure_schema(con)  # leaves the view alone
        kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables "
                                 "WHERE table_schema = 'raw' AND table_name LIKE 'eora26%'").fetchall())
        assert kinds["eora26_cells"] == "VIEW" and kinds["eora26_cells__2015_T__1"] == "BASE TABLE"
        year = eora26.read_year_arrays(con, 2015, eora26.MATRICES)
        for matrix, array in world.arrays.items():
            np.testing.assert_array_equal(year[matrix], array)
        assert con.execute("SELECT DISTINCT _load_id FROM raw.eora26_cells").fetchall() == [(1,)]
        # a replacing load: drop the old blocks, store the new ones
        assert eora26.drop_cells(con, 1) == tables["eora26_cells"].num_rows
        assert con.execute("SELECT count(*) FROM raw.eora26_cells").fetchone()[0] == 0
        eora26.store_cells(con, tables["eora26_cells"], load_id=2)
        assert con.execute("SELECT DISTINCT _load_id FROM raw.eora26_cells").fetchall() == [(2,)]
        assert con.execute("SELECT count(*) FROM raw.eora26_blocks").fetchone()[0] == 5


def test_cells_without_block_sizes_are_split_by_year_and_matrix(world, tmp_path):
    cells = eora26.read(world.folder)["eora26_cells"]
    plain = cells.replace_schema_metadata(None)  # e.g. several years concatenated: grouped instead
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ensure_schema(con)
        assert eora26.store_cells(con, plain, load_id=1) == cells.num_rows
        blocks = con.execute("SELECT matrix, n_cells FROM raw.eora26_blocks ORDER BY matrix").fetchall()
        assert blocks == sorted((m, int(np.count_nonzero(a))) for m, a in world.arrays.items())
        _labels_into(con, eora26.read(world.folder), 1)
        year = eora26.read_year_arrays(con, 2015, eora26.MATRICES)
    for matrix, array in world.arrays.items():
        np.testing.assert_array_equal(year[matrix], array)


def test_block_layout_takes_over_rows_of_an_older_warehouse_table(world, tmp_path):
    from greentrade.ingest.eora26 import store

    tables = eora26.read(world.folder)
    cells = tables["eora26_cells"].replace_schema_metadata(None)  # noqa: F841  (scanned by DuckDB)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        # raw.eora26_cells as a table, as warehouses written before the block layout hold it
        con.execute("CREATE SCHEMA raw")
        con.execute("CREATE TABLE raw.eora26_cells (year INTEGER NOT NULL, matrix VARCHAR NOT NULL, "
                    "row_idx INTEGER NOT NULL, col_idx INTEGER NOT NULL, value DOUBLE NOT NULL, _load_id BIGINT NOT NULL)")
        con.execute("INSERT INTO raw.eora26_cells SELECT year, matrix, row_idx, col_idx, value, 1 FROM cells")
        ensure_schema(con)  # leaves the table alone
        assert store._cells_kind(con) == "BASE TABLE"
        before = con.execute("SELECT count(*), sum(value) FROM raw.eora26_cells").fetchall()[0]
        store._ensure_blocks(con)
        assert store._cells_kind(con) == "VIEW"
        assert con.execute("SELECT count(*), sum(value) FROM raw.eora26_cells").fetchall()[0] == pytest.approx(before)
        _labels_into(con, tables, 1)
        np.testing.assert_array_equal(eora26.read_year_arrays(con, 2015, ("T",))["T"], world.arrays["T"])


def test_loader_stores_blocks_and_replaces_them_on_change(world, tmp_path):
    from greentrade.ingest.eora26 import store

    config = Config(tmp_path / "w.duckdb", {})
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        first = load(con, "eora26", path=world.folder.parent, config=config)
        assert store._cells_kind(con) == "VIEW"
        blocks = con.execute("SELECT matrix, n_cells, _load_id FROM raw.eora26_blocks ORDER BY matrix").fetchall()
        assert blocks == sorted((m, int(np.count_nonzero(a)), 1) for m, a in world.arrays.items())
        assert first.files[0].row_count == con.execute("SELECT count(*) FROM raw.eora26_cells").fetchall()[0][0] + \
            con.execute("SELECT count(*) FROM raw.eora26_labels").fetchall()[0][0]
        snapshot = con.execute("SELECT * FROM raw.eora26_cells ORDER BY ALL").fetchall()
        assert load(con, "eora26", path=world.folder.parent, config=config).files[0].status == "skipped"
        assert con.execute("SELECT * FROM raw.eora26_cells ORDER BY ALL").fetchall() == snapshot

        t = world.folder / "Eora26_2015_bp_T.txt"
        t.write_text(t.read_text().replace("\t", "\t", 1) + "")  # same content: still skipped
        assert load(con, "eora26", path=world.folder.parent, config=config).files[0].status == "skipped"
        world.folder.joinpath("notes.txt").write_text("changed folder")  # the folder's hash changes
        assert load(con, "eora26", path=world.folder.parent, config=config).files[0].status == "replaced"
        assert con.execute("SELECT DISTINCT _load_id FROM raw.eora26_cells").fetchall() == [(2,)]
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' "
                           "AND table_name LIKE 'eora26_cells\\_\\_%' ESCAPE '\\'").fetchall()[0][0] == 5
        assert [r[1:5] for r in con.execute("SELECT * FROM raw.eora26_cells ORDER BY ALL").fetchall()] == \
            [r[1:5] for r in snapshot]


@pytest.mark.parametrize("failure", [KeyboardInterrupt, RuntimeError])
def test_failed_replacing_load_keeps_the_old_blocks(world, tmp_path, monkeypatch, failure):
    from greentrade.ingest import warehouse
    from greentrade.ingest.eora26 import store

    config = Config(tmp_path / "w.duckdb", {})
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        load(con, "eora26", path=world.folder.parent, config=config)
        objects = "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'raw' ORDER BY 1"
        before = (con.execute(objects).fetchall(), con.execute("SELECT * FROM raw.eora26_cells ORDER BY ALL").fetchall(),
                  con.execute("SELECT * FROM raw.eora26_blocks ORDER BY ALL").fetchall())
        world.folder.joinpath("notes.txt").write_text("changed folder")
        real = store.store_cells

        def store_then_fail(*args, **kwargs):
            real(*args, **kwargs)  # old blocks dropped, new ones stored and in the view: then the failure
            raise failure("interrupted")

        monkeypatch.setattr(store, "store_cells", store_then_fail)
        with pytest.raises(failure):
            warehouse.load(con, "eora26", path=world.folder.parent, config=config)
        after = (con.execute(objects).fetchall(), con.execute("SELECT * FROM raw.eora26_cells ORDER BY ALL").fetchall(),
                 con.execute("SELECT * FROM raw.eora26_blocks ORDER BY ALL").fetchall())
        assert after == before
        monkeypatch.undo()
        assert load(con, "eora26", path=world.folder.parent, config=config).files[0].status == "replaced"


@pytest.mark.parametrize("kind", ["relation", "frame"])
def test_scatter_cells_places_cells_and_refuses_one_outside_the_shape(kind):
    cells = pd.DataFrame({"row_idx": [0, 1, 1], "col_idx": [2, 0, 1], "value": [1.5, -2.0, 3.0]})
    con = duckdb.connect()

    def source(frame):
        return con.sql("select * from frame") if kind == "relation" else frame

    dense = eora26.scatter_cells(source(cells), (2, 3), "T")
    np.testing.assert_array_equal(dense, [[0, 0, 1.5], [-2.0, 3.0, 0]])
    # a column index one past the end would land in the next row's first cell if not checked
    for bad in ({"row_idx": [0], "col_idx": [3], "value": [1.0]}, {"row_idx": [2], "col_idx": [0], "value": [1.0]},
                {"row_idx": [-1], "col_idx": [0], "value": [1.0]}):
        with pytest.raises(ValueError, match="T: a cell lies outside the labelled 2 x 3"):
            eora26.scatter_cells(source(pd.DataFrame(bad)), (2, 3), "T")
