"""Numerical and input guards: each bad case raises a named error that says where (issue 7.4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greentrade import reference
from greentrade.ingest.eora26.readback import world_from_cells
from greentrade.mrio import GRASConvergenceError, NonProductiveError, SingularSystemError, gras
from greentrade.mrio.errors import InputTableError
from greentrade.mrio.leontief import factorise_leontief, solve_by_destination
from greentrade.mrio.provincial import provincial_from_cells

SEEDS = {"provinces": reference.seed("provinces"),
         "final_use": reference.seed("concordance_ceads_final_use_to_eora26")}
PANEL = reference.provinces().query("in_panel")["province_code"].tolist()


def test_zero_output_sector_gets_zero_coefficients_not_nan():
    # sector 2 neither produces nor is demanded: its column of A is 0 by convention
    Z = np.array([[10.0, 0.0], [0.0, 0.0]])
    x = np.array([100.0, 0.0])
    solved = solve_by_destination(Z, x, np.array([[90.0], [0.0]]))
    assert np.all(np.isfinite(solved)) and solved[1, 0] == 0.0
    assert solved[0, 0] == pytest.approx(100.0)


def test_singular_system_is_refused():
    # A = I: a closed block with no value added and no final demand
    with pytest.raises(SingularSystemError, match="singular"):
        factorise_leontief(np.eye(2) * 5.0, np.array([5.0, 5.0]))


def test_non_productive_matrix_is_refused_with_its_spectral_radius():
    with pytest.raises(NonProductiveError, match="spectral radius 2") as error:
        factorise_leontief(np.diag([2.0, 0.1]), np.array([1.0, 1.0]))
    assert error.value.spectral_radius == pytest.approx(2.0)


def test_gras_that_cannot_converge_says_so():
    # row totals 10, column totals 12: no matrix satisfies both
    with pytest.raises(GRASConvergenceError, match="did not converge") as error:
        gras(np.ones((2, 2)), [5.0, 5.0], [6.0, 6.0], max_iter=50)
    assert error.value.iterations == 50 and error.value.residual > 0


def test_missing_eora_year_names_the_year_and_table():
    labels = pd.DataFrame({"year": [2011], "matrix": ["T"], "axis": ["row"], "idx": [0], "country_name": ["x"],
                           "country_code": ["CHN"], "entity": ["Industries"], "item": ["Agriculture"]})
    cells = pd.DataFrame({"matrix": ["T"], "row_idx": [0], "col_idx": [0], "value": [1.0]})
    with pytest.raises(InputTableError, match="Eora26 2010: no rows in stg_eora26__labels"):
        world_from_cells(cells, labels, 2010)


def _io_cells(provinces, z_value=10.0, negative_at=None):
    rows = []
    for p in provinces:
        value = -5.0 if p == negative_at else z_value
        rows.append(("intermediate", p, "AGR", "intermediate", p, "AGR", value))
        rows.append(("intermediate", p, "AGR", "intermediate", p, "MIN", 20.0))
    frame = pd.DataFrame(rows, columns=["row_kind", "row_province_code", "row_item", "col_kind",
                                        "col_province_code", "col_item", "value_10k_cny"])
    return frame.assign(table_year=2012)


def _emissions(provinces, year=2012):
    return pd.DataFrame({"year": year, "province_code": provinces, "eora_sector_code": "AGR", "co2_t": 1.0})


def test_missing_province_in_io_table_names_province_year_and_table():
    cells = _io_cells([p for p in PANEL if p != "GD"])
    with pytest.raises(InputTableError, match=r"CEADs IO 2012 .*panel provinces \['GD'\]"):
        provincial_from_cells(cells, _emissions(PANEL), 2012, 2012, ["AGR", "MIN"], **SEEDS)


def test_missing_province_in_emissions_names_province_year_and_table():
    with pytest.raises(InputTableError, match=r"CEADs emissions 2013 .*panel provinces \['SH'\]"):
        provincial_from_cells(_io_cells(PANEL), _emissions([p for p in PANEL if p != "SH"], 2013),
                                       2012, 2013, ["AGR", "MIN"], **SEEDS)


def test_negative_intermediate_flow_beyond_tolerance_is_flagged():
    with pytest.raises(InputTableError, match=r"1 negative intermediate flows .*'BJ', 'AGR'.* = -5"):
        provincial_from_cells(_io_cells(PANEL, negative_at="BJ"), _emissions(PANEL), 2012, 2012, ["AGR", "MIN"], **SEEDS)


def test_negligible_negative_rounding_is_accepted():
    cells = _io_cells(PANEL)
    cells.loc[0, "value_10k_cny"] = -1e-9   # Z[(BJ, AGR), (BJ, AGR)], beside a flow of 100
    extra = cells.iloc[[0]].assign(row_item="MIN", value_10k_cny=100.0)
    cells = pd.concat([cells, extra], ignore_index=True)
    io = provincial_from_cells(cells, _emissions(PANEL), 2012, 2012, ["AGR", "MIN"], **SEEDS)
    assert io.Z.to_numpy().min() == pytest.approx(-1e-9)
