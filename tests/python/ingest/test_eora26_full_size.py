"""A full-size Eora26 year (issue 3): T 4915 x 4915, FD 4915 x 1140, VA 6 x 4915,
Q 2720 x 4915, QY 2720 x 1140, read, stored through the loader and read back bit for bit,
with the ROW discrepancy entry kept and reported.

Synthetic numbers in the published layout (189 countries x 26 sectors + ROW); the files are
written with polars (np.savetxt would take most of the test's time).
"""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl
import pytest

from greentrade.ingest import eora26
from greentrade.ingest.config import Config
from greentrade.ingest.warehouse import load

from .test_eora26 import label_lines, world_arrays

pytestmark = pytest.mark.slow

N_COUNTRIES = 189
N_Q = 2720


def _write_matrix(path, array: np.ndarray) -> None:
    frame = pl.DataFrame(array, schema=[f"c{i}" for i in range(array.shape[1])], orient="row")
    frame.write_csv(path, separator="\t", include_header=False, line_terminator="\n")


@pytest.fixture(scope="module")
def full_year(tmp_path_factory):
    root = tmp_path_factory.mktemp("eora26_full")
    folder = root / "Eora26_2015_bp"
    folder.mkdir()
    countries = [(f"Country {i:03d}", f"K{i:03d}") for i in range(N_COUNTRIES - 1)] + [("Sudan", "SUD")]
    q_rows = [(f"Satellite {i:04d}", "Source") for i in range(N_Q)]
    q_rows[1] = ("Total CO2 emissions (Gg) from EDGAR", "Total")
    # scale: world output ~1e11 thousand USD, as Eora's (the reader's unit-slip check holds)
    arrays = world_arrays(N_COUNTRIES, seed=11, scale=3e3, n_q=N_Q)
    for kind, lines in label_lines(countries, q=q_rows).items():
        (folder / f"labels_{kind}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for matrix, array in arrays.items():
        _write_matrix(folder / f"Eora26_2015_bp_{matrix}.txt", array)
    return folder, arrays


def test_full_size_year_is_read_with_its_shapes_and_the_row_entry_reported(full_year):
    folder, arrays = full_year
    result = eora26.read_year(folder)
    assert result.shapes == {"T": (4915, 4915), "FD": (4915, 1140), "VA": (6, 4915), "Q": (2720, 4915),
                             "QY": (2720, 1140)}
    assert result.cells.num_rows == sum(int(np.count_nonzero(a)) for a in arrays.values())
    t, fd = arrays["T"], arrays["FD"]
    row_entry = np.abs(t[-1]).sum() + np.abs(t[:-1, -1]).sum() + np.abs(fd[-1, :-6]).sum() + np.abs(fd[:, -6:]).sum()
    assert result.discrepancy == pytest.approx(row_entry, rel=1e-12)
    assert result.world_output == pytest.approx(t.sum() + fd.sum(), rel=1e-12)
    assert 1e10 < result.world_output < 1e12
    assert "ROW discrepancy entry kept" in result.message
    labels = result.labels
    t_rows = labels[(labels["matrix"] == "T") & (labels["axis"] == "row")]
    assert t_rows["country_code"].iloc[-1] == "ROW" and t_rows["country_code"].nunique() == 190
    if eora26.parse._tokenizer is not None:  # the fast path read these files (not the polars fallback)
        assert eora26.parse._parse_native(folder / "Eora26_2015_bp_Q.txt", (2720, 4915)) is not None


def test_full_size_year_round_trips_through_the_warehouse_exactly(full_year, tmp_path):
    folder, arrays = full_year
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        report = load(con, "eora26", path=folder.parent, config=Config(tmp_path / "w.duckdb", {}))
        assert [f.status for f in report.files] == ["loaded"]
        message = con.execute("SELECT message FROM raw.load_log").fetchone()[0]
        year = eora26.read_year_arrays(con, 2015, matrices=eora26.MATRICES)
        counts = dict(con.execute("SELECT matrix, count(*) FROM raw.eora26_cells WHERE year = 2015 GROUP BY 1").fetchall())
    assert "ROW discrepancy entry kept" in message
    for matrix, array in arrays.items():
        np.testing.assert_array_equal(year[matrix], array)  # every cell, every bit
        assert counts[matrix] == np.count_nonzero(array)
    assert year.row_labels["T"]["country_code"].iloc[-1] == "ROW"
    assert year.col_labels["FD"]["country_code"].iloc[-6:].eq("ROW").all()
