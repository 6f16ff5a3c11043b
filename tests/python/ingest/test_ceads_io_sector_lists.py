"""CEADs IO tables with 30 sectors (2010, Liu et al.; the alternative 2012 table of Mi et al.
2018) beside the 42-sector ones: the reader recognises the sector list from the table itself,
reads both import layouts, and discovery keeps two tables of one year apart."""

from __future__ import annotations

import numpy as np
import pytest

from greentrade.ingest import ceads_io
from greentrade.ingest.config import load_config
from greentrade.ingest.errors import SourceFormatError
from greentrade.ingest.registry import get_source
from greentrade.ingest.warehouse import load
from greentrade.reference import ceads_io_concordance, ceads_io_sectors

from .builders import IO_PROVINCES, write_ceads_io, write_config


def test_the_30_sector_table_is_recognised_and_read(tmp_path):
    grid = write_ceads_io(tmp_path / "io_2010.xlsx", 2010, n_sectors=30)
    cells = ceads_io.read(tmp_path / "io_2010.xlsx")["ceads_io_cells"]
    assert set(cells["n_sectors"]) == {30} and set(cells["year"]) == {2010}
    n = 30 * len(IO_PROVINCES)
    z = cells.query("row_kind == 'intermediate' and col_kind == 'intermediate'")
    assert len(z) == n * n
    assert sorted(z["row_item"].unique()) == [f"{k:02d}" for k in range(1, 31)]
    # 内蒙 (NM) sector 29 selling to Tianjin sector 30: row 5 + 2*30 + 28, column D + 30 + 29
    cell = z.query("row_province_code == 'NM' and row_item == '29' and col_province_code == 'TJ' and col_item == '30'")
    assert cell["value"].item() == grid[4 + 60 + 28][3 + 30 + 29]


def test_split_import_rows_keep_their_uses(tmp_path):
    grid = write_ceads_io(tmp_path / "io_2010.xlsx", 2010, n_sectors=30)
    cells = ceads_io.read(tmp_path / "io_2010.xlsx")["ceads_io_cells"]
    imports = cells.query("row_kind == 'import'")
    by_item = imports.groupby("row_item")["col_kind"].agg(set).to_dict()
    assert by_item == {"进口（中间使用）": {"intermediate"}, "进口（最终使用）": {"final_use"}}
    n = 30 * len(IO_PROVINCES)
    intermediate_row, final_row = grid[4 + n], grid[5 + n]
    assert np.allclose(imports.query("col_kind == 'intermediate'")["value"], intermediate_row[3:3 + n])
    assert np.allclose(imports.query("col_kind == 'final_use'")["value"], final_row[3 + n:3 + n + 15])


@pytest.mark.parametrize("n_sectors,split", [(42, True), (30, False)])
def test_either_import_layout_with_either_sector_list(tmp_path, n_sectors, split):
    write_ceads_io(tmp_path / "io_2012.xlsx", 2012, n_sectors=n_sectors, split_imports=split)
    cells = ceads_io.read(tmp_path / "io_2012.xlsx")["ceads_io_cells"]
    assert set(cells["n_sectors"]) == {n_sectors}
    assert len(set(cells.query("row_kind == 'import'")["row_item"])) == (2 if split else 1)


def test_the_30_sector_concordance_covers_its_list():
    codes = set(ceads_io_sectors(30)["ceads_io_sector_code"])
    concordance = ceads_io_concordance(30)
    assert set(concordance["ceads_io_sector_code"]) == codes
    assert np.allclose(concordance.groupby("ceads_io_sector_code")["weight"].sum(), 1.0)
    # every split or assumed weight says why
    assert (concordance.loc[concordance["weight"] < 1, "note"].str.len() > 0).all()
    # manufacturing (06-21) maps to Eora's manufacturing sectors, bar machinery's repair share
    manufacturing = concordance[concordance["ceads_io_sector_code"].between("06", "21")]
    assert set(manufacturing["eora_sector_code"]) - {"MRE"} <= {"FOD", "TEX", "WOD", "PCM", "MET", "ELM", "TRE", "OMF", "REC"}


def test_unknown_sector_count_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no CEADs IO sector list of 26 sectors"):
        ceads_io_sectors(26)


def test_two_tables_of_one_year_are_both_kept(tmp_path, con, source_root):
    config = load_config(write_config(tmp_path / "greentrade.toml", source_root, tmp_path / "w.duckdb",
                                      io_years=(2010, 2012)), env={})
    folder = tmp_path / "ceads_io"
    write_ceads_io(folder / "CEADs_China_MRIO_2012.xlsx", 2012)
    write_ceads_io(folder / "Mi_et_al_China_MRIO_2012.xlsx", 2012, n_sectors=30)
    write_ceads_io(folder / "CEADs_China_MRIO_2010.xlsx", 2010, n_sectors=30)
    files = get_source("ceads_io").files(folder, pattern="*.xlsx")
    assert [(f.key, f.path.name) for f in files] == [
        ("2010_30sectors", "CEADs_China_MRIO_2010.xlsx"),
        ("2012", "CEADs_China_MRIO_2012.xlsx"),
        ("2012_30sectors", "Mi_et_al_China_MRIO_2012.xlsx")]
    # a file loaded on its own gets the same key
    assert [f.key for f in get_source("ceads_io").files(folder / "Mi_et_al_China_MRIO_2012.xlsx")] == ["2012_30sectors"]
    load(con, "ceads_io", path=folder, config=config)
    tables = con.execute("select year, n_sectors, count(distinct row_province_code) from raw.ceads_io_cells "
                         "group by all order by all").fetchall()
    assert tables == [(2010, 30, 3), (2012, 30, 3), (2012, 42, 3)]


def test_two_tables_of_one_year_with_one_sector_list_are_refused(tmp_path):
    folder = tmp_path / "ceads_io"
    write_ceads_io(folder / "a_2012.xlsx", 2012)
    write_ceads_io(folder / "b_2012.xlsx", 2012, seed_=3)
    with pytest.raises(SourceFormatError, match=r"b_2012.xlsx, file name: a second 42-sector table of 2012, with a_2012.xlsx"):
        get_source("ceads_io").files(folder, pattern="*.xlsx")
