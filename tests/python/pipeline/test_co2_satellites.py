"""The countries' CO2 from Eora26's satellite block (setting ``co2_satellite``) on the demo
year written in both releases' layouts: rows found by their two labels wherever they sit,
the build stopped with the CO2 rows a release has when the chosen ones are absent, and with
the year when they are all zero."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from greentrade import dbt_models
from greentrade.demo import eora_releases, writers
from greentrade.demo import world as W
from greentrade.ingest import eora26
from greentrade.ingest.eora26.readback import world_from_cells
from greentrade.ingest.eora26_labels import CO2_SATELLITES
from greentrade.mrio.errors import InputTableError

YEAR = 2010
SATELLITES = list(CO2_SATELLITES)


@pytest.fixture(scope="module")
def demo_world():
    panel = W.province_panel()
    robit = W.robot_exposure(W.employment(), W.ifr_operational_stock(W.ifr_installations()))
    return W.world_year(YEAR, W.add_patents(panel, robit), robit)


@pytest.fixture(scope="module")
def releases(demo_world, tmp_path_factory) -> dict[str, Path]:
    folders = {}
    for release in eora_releases.RELEASES:
        root = tmp_path_factory.mktemp(f"eora_{release}")
        writers.write_eora(root, demo_world, release)
        folders[release] = root / "eora26" / f"Eora26_{YEAR}_bp"
    return folders


_READ: dict[Path, tuple] = {}


def read_back(folder: Path):
    """The year's cells (pandas) and labels as the warehouse stores them (read once; callers
    filter or assign, never change them in place)."""
    if folder not in _READ:
        result = eora26.read_year(folder)
        _READ[folder] = (result.cells.to_pandas(), result.labels)
    return _READ[folder]


def expected_co2_t(folder: Path, satellite: str) -> np.ndarray:
    """The satellite's CO2 per T column, in tonnes, straight from the text files (no pipeline code)."""
    with open(folder / "labels_Q.txt", encoding="utf-8") as handle:
        labels = [row[:2] for row in csv.reader(handle, delimiter="\t")]
    rule = CO2_SATELLITES[satellite]
    rows = [i for i, (name, source) in enumerate(labels) if name == rule.name
            and (source in rule.sources if rule.sources else not source.startswith("Memo:"))]
    Q = np.loadtxt(folder / f"Eora26_{YEAR}_bp_Q.txt", delimiter="\t")
    return Q[rows, :-1].sum(axis=0) * 1e3  # ROW's column is set aside


@pytest.mark.parametrize("release", eora_releases.RELEASES)
@pytest.mark.parametrize("satellite", SATELLITES)
def test_each_satellite_is_read_in_each_release(releases, release, satellite):
    cells, labels = read_back(releases[release])
    world = world_from_cells(cells, labels, YEAR, satellite, china="CHN")
    np.testing.assert_allclose(world.mrio.F.loc["CO2"].to_numpy(), expected_co2_t(releases[release], satellite),
                               rtol=1e-11)
    assert world.co2_satellite == satellite and world.q_rows == int(release)


def test_the_two_layouts_put_the_co2_rows_on_other_lines_yet_give_the_same_co2(releases):
    lines = {}
    for release, folder in releases.items():
        cells, labels = read_back(folder)
        lines[release] = {}
        for satellite in SATELLITES:
            world = world_from_cells(cells, labels, YEAR, satellite)
            lines[release][satellite] = (world.co2_rows, world.mrio.F.loc["CO2"].to_numpy())
    for satellite in SATELLITES:
        assert lines["2720"][satellite][0] != lines["2619"][satellite][0]
        np.testing.assert_array_equal(lines["2720"][satellite][1], lines["2619"][satellite][1])
    assert lines["2619"]["edgar_total"][0] == "'Total CO2 emissions (Gg) from EDGAR' / 'Total' (line 2608)"
    assert lines["2619"]["iea_fuel_combustion"][0].endswith("(line 2613)")
    assert lines["2619"]["edgar_ipcc"][0] == "53 rows 'I-GHG-CO2 emissions (Gg)' (lines 10-64)"


def test_the_four_readings_of_china_are_plausible(releases):
    cells, labels = read_back(releases["2619"])
    china = {}
    for satellite in SATELLITES:
        world = world_from_cells(cells, labels, YEAR, satellite)
        co2 = world.mrio.F.loc["CO2"]
        china[satellite] = co2[co2.index.get_level_values(0) == "CHN"].sum() / 1e6  # Mt
    assert 7_500 < china["edgar_total"] < 10_500
    assert abs(china["edgar_ipcc"] / china["edgar_total"] - 1) < 0.02       # memo items left out
    assert 0.85 < china["iea_fuel_combustion"] / china["edgar_total"] < 0.99  # no process emissions
    assert abs(china["primap_co2"] / china["edgar_total"] - 1) < 0.03


def test_the_memo_items_are_left_out_of_edgar_ipcc(releases):
    folder = releases["2619"]
    cells, labels = read_back(folder)
    ipcc = world_from_cells(cells, labels, YEAR, "edgar_ipcc").mrio.F.loc["CO2"].to_numpy()
    q = labels[(labels["matrix"] == "Q") & (labels["axis"] == "row")].reset_index(drop=True)
    memo = q.index[q["country_name"].str.startswith("Memo:") & q["item"].eq("I-GHG-CO2 emissions (Gg)")]
    Q = np.loadtxt(folder / f"Eora26_{YEAR}_bp_Q.txt", delimiter="\t")
    assert Q[memo, :-1].sum() > 0.001 * ipcc.sum() / 1e3   # they hold data, and it is not counted
    np.testing.assert_allclose(ipcc, expected_co2_t(folder, "edgar_ipcc"), rtol=1e-11)


def test_duckdb_relations_give_the_same_rows_as_frames(releases):
    cells, labels = read_back(releases["2720"])
    with duckdb.connect() as con:
        con.register("cells_arrow", eora26.read_year(releases["2720"]).cells)
        relation = con.sql("select matrix::varchar as matrix, row_idx, col_idx, value from cells_arrow")
        for satellite in ("edgar_ipcc", "iea_fuel_combustion"):
            from_relation = world_from_cells(relation, labels, YEAR, satellite)
            from_frame = world_from_cells(cells, labels, YEAR, satellite)
            np.testing.assert_array_equal(from_relation.mrio.F.to_numpy(), from_frame.mrio.F.to_numpy())


def test_a_release_without_the_chosen_rows_stops_the_build_naming_those_it_has(releases):
    cells, labels = read_back(releases["2619"])
    iea = labels["item"].eq(eora_releases.IEA_NAME)
    labels = labels.assign(item=labels["item"].where(~iea, "IEA emissions (withdrawn)"))
    with pytest.raises(InputTableError) as info:
        world_from_cells(cells, labels, YEAR, "iea_fuel_combustion")
    message = str(info.value)
    assert message.startswith("Eora26 2010 labels_Q (stg_eora26__labels): expected the rows of co2_satellite = "
                              "iea_fuel_combustion: 'IEA GHG emissions (Gg) and energy use' / 'IEA - DEPRECATED - CO2 "
                              "emissions from fuel combustion', found none; the CO2 rows of this release: ")
    for present in ("edgar_total: 'Total CO2 emissions (Gg) from EDGAR' / 'Total' (line 2608)",
                    "edgar_ipcc: 53 rows 'I-GHG-CO2 emissions (Gg)' (lines 10-64)",
                    "primap_co2: 'GHG emissions (Gg) from PRIMAPHIST' / 'PRIMAP|CO2|TOTALexcludingLULUCF|Gg' (line 2536)"):
        assert present in message


def test_chosen_rows_all_zero_in_a_year_stop_the_build_naming_the_year(releases):
    cells, labels = read_back(releases["2619"])
    q = labels[(labels["matrix"] == "Q") & (labels["axis"] == "row")]
    iea_row = int(q.loc[q["country_name"].eq("IEA - DEPRECATED - CO2 emissions from fuel combustion"), "idx"].iloc[0])
    emptied = cells[~((cells["matrix"] == "Q") & (cells["row_idx"] == iea_row))]
    with pytest.raises(InputTableError, match=r"Eora26 2010: the rows of co2_satellite = iea_fuel_combustion "
                       r"\('IEA GHG emissions \(Gg\) and energy use' / 'IEA - DEPRECATED - CO2 emissions from fuel "
                       r"combustion' \(line 2613\) of labels_Q\) are all zero in 2010"):
        world_from_cells(emptied, labels, YEAR, "iea_fuel_combustion")
    # the other readings of the same year still work
    assert world_from_cells(emptied, labels, YEAR, "edgar_total").mrio.F.loc["CO2"].sum() > 0


def test_chosen_rows_zero_for_china_stop_the_build(releases):
    cells, labels = read_back(releases["2720"])
    t = labels[(labels["matrix"] == "T") & (labels["axis"] == "row")]
    china = set(t.loc[t["country_code"].eq("CHN"), "idx"])
    emptied = cells[~((cells["matrix"] == "Q") & cells["col_idx"].isin(china))]
    with pytest.raises(InputTableError, match=r"are zero for every sector of CHN in 2010"):
        world_from_cells(emptied, labels, YEAR, "primap_co2", china="CHN")


def test_settings_are_checked():
    with pytest.raises(ValueError, match=r"co2_satellite: expected one of edgar_total, edgar_ipcc, iea_fuel_combustion, "
                                         r"primap_co2, found 'iea'"):
        world_from_cells(pd.DataFrame(), pd.DataFrame({"year": [YEAR]}), YEAR, "iea")
    with pytest.raises(InputTableError, match=r"province_co2: expected one of ceads_levels, "
                                                          r"split_country_row, found 'ceads'"):
        dbt_models.embedding_settings(["va"], "ceads")


@pytest.mark.parametrize("release", eora_releases.RELEASES)
def test_the_row_entry_is_set_aside_while_reading_as_drop_regions_would(releases, release):
    """world_from_cells leaves Eora's ROW entry out as it scatters the cells (no full-size copy);
    the table and the report of what was set aside equal greentrade.mrio.drop_regions applied
    to the whole table read from the text files, for a frame and for a DuckDB relation."""
    from greentrade.mrio import MRIO, drop_regions

    folder = releases[release]
    cells, labels = read_back(folder)
    labels_t = pd.read_csv(folder / "labels_T.txt", sep="\t", header=None)
    labels_fd = pd.read_csv(folder / "labels_FD.txt", sep="\t", header=None)
    T = np.loadtxt(folder / f"Eora26_{YEAR}_bp_T.txt", delimiter="\t")
    FD = np.loadtxt(folder / f"Eora26_{YEAR}_bp_FD.txt", delimiter="\t")
    VA = np.loadtxt(folder / f"Eora26_{YEAR}_bp_VA.txt", delimiter="\t", ndmin=2)
    is_row = (labels_t[1] == "ROW").to_numpy()
    index = pd.MultiIndex.from_arrays([labels_t[1].to_numpy(), np.arange(len(labels_t))])
    whole = MRIO(Z=pd.DataFrame(T, index=index, columns=index),
                 Y=pd.DataFrame(FD, index=index, columns=pd.MultiIndex.from_arrays(
                     [labels_fd[1].to_numpy(), np.arange(len(labels_fd))])),
                 F=pd.DataFrame(VA, columns=index))
    expected, report = drop_regions(whole, ["ROW"])
    assert is_row.sum() == 1
    with duckdb.connect() as con:
        con.register("cells_frame", cells)
        for source in (cells, con.sql("select * from cells_frame")):
            world = world_from_cells(source, labels, YEAR, "edgar_total")
            np.testing.assert_array_equal(world.mrio.Z.to_numpy(), expected.Z.to_numpy())
            np.testing.assert_array_equal(world.mrio.Y.to_numpy(), expected.Y.to_numpy())
            np.testing.assert_array_equal(world.mrio.F.to_numpy()[:-1], expected.F.to_numpy())
            assert world.dropped["row_flows"] == pytest.approx(report["row_flows"], rel=1e-12)
            assert world.dropped["column_flows"] == pytest.approx(report["column_flows"], rel=1e-12)
            for k, name in enumerate(world.mrio.F.index[:-1]):
                assert world.dropped[f"factor_{name}"] == pytest.approx(report[f"factor_{k}"], rel=1e-12, abs=1e-9)
