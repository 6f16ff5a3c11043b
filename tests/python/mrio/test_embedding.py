"""Embedding of provinces: the checks of Gao Jingfeng et al. (2020) on a hand-made world."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greentrade.mrio import EmbeddingSettings, GRASConvergenceError, embed_provinces, embodied_in_final_demand

from .helpers import small_world_and_provinces

PROVINCES = ["P1", "P2", "P3"]


@pytest.fixture(scope="module")
def embedded():
    world, provincial = small_world_and_provinces()
    result = embed_provinces(world, provincial, china="CHN", settings=EmbeddingSettings(va_rows=("wages", "surplus")))
    return world, provincial, result


def to_china(labels: pd.Index) -> pd.Index:
    return labels.map(lambda key: ("CHN",) + key[1:] if key[0] in PROVINCES else key)


def reaggregate(frame: pd.DataFrame, rows=True, cols=True) -> pd.DataFrame:
    out = frame.copy()
    if rows:
        out.index = to_china(out.index)
        out = out.groupby(level=[0, 1], sort=False).sum()
    if cols:
        out.columns = to_china(out.columns) if isinstance(out.columns, pd.MultiIndex) else out.columns
        out = out.T.groupby(level=[0, 1], sort=False).sum().T
    return out


def test_layout(embedded):
    world, _, result = embedded
    regions = list(result.mrio.Z.index.unique(level=0))
    assert regions == ["AAA", "BBB", "P1", "P2", "P3", "ZZZ"]
    assert list(result.mrio.Y.columns.unique(level=0)) == regions
    assert list(result.mrio.F.index) == list(world.F.index)


def test_provinces_reaggregate_to_china_blocks(embedded):
    world, _, result = embedded
    emb = result.mrio
    Z = reaggregate(emb.Z).loc[world.Z.index, world.Z.columns]
    Y = reaggregate(emb.Y).loc[world.Y.index, world.Y.columns]
    F = reaggregate(emb.F, rows=False).loc[:, world.F.columns]
    np.testing.assert_allclose(Z.to_numpy(), world.Z.to_numpy(), rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(Y.to_numpy(), world.Y.to_numpy(), rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(F.to_numpy(), world.F.to_numpy(), rtol=1e-8, atol=1e-9)


def test_non_china_cells_identical(embedded):
    world, _, result = embedded
    foreign = [key for key in world.Z.index if key[0] != "CHN"]
    foreign_y = [key for key in world.Y.columns if key[0] != "CHN"]
    emb = result.mrio
    assert (emb.Z.loc[foreign, foreign].to_numpy() == world.Z.loc[foreign, foreign].to_numpy()).all()
    assert (emb.Y.loc[foreign, foreign_y].to_numpy() == world.Y.loc[foreign, foreign_y].to_numpy()).all()
    assert (emb.F.loc[:, foreign].to_numpy() == world.F.loc[:, foreign].to_numpy()).all()


def test_global_totals_preserved(embedded):
    world, _, result = embedded
    for name in ("Z", "Y"):
        assert getattr(result.mrio, name).to_numpy().sum() == pytest.approx(getattr(world, name).to_numpy().sum(), rel=1e-10)
    np.testing.assert_allclose(result.mrio.F.sum(axis=1), world.F.sum(axis=1), rtol=1e-10)
    china_x = world.x[world.x.index.get_level_values(0) == "CHN"].sum()
    province_x = result.mrio.x[result.mrio.x.index.get_level_values(0).isin(PROVINCES)].sum()
    assert province_x == pytest.approx(china_x, rel=1e-10)


def test_rows_and_columns_balance(embedded):
    _, _, result = embedded
    emb = result.mrio
    output = emb.Z.sum(axis=1) + emb.Y.sum(axis=1)
    total_input = emb.Z.sum(axis=0) + emb.F.loc[["wages", "surplus"]].sum(axis=0)
    np.testing.assert_allclose(output.to_numpy(), total_input.to_numpy(), rtol=1e-8)


def test_output_split_follows_provincial_output_shares(embedded):
    world, provincial, result = embedded
    x = result.mrio.x
    china = world.x.xs("CHN", level=0)
    for sector in china.index:
        shares = provincial.output.xs(sector, level=1) / provincial.output.xs(sector, level=1).sum()
        for province in PROVINCES:
            assert x[(province, sector)] == pytest.approx(china[sector] * shares[province], rel=1e-8)


def test_signs(embedded):
    _, _, result = embedded
    emb = result.mrio
    assert (emb.Z.to_numpy() >= 0).all()
    assert (emb.F.to_numpy() >= 0).all()
    negative_columns = emb.Y.columns[(emb.Y.to_numpy() < 0).any(axis=0)]
    assert set(negative_columns.get_level_values(1)) == {"inv"}


def test_productive(embedded):
    _, _, result = embedded
    x = result.mrio.x.to_numpy()
    A = result.mrio.Z.to_numpy() / x
    assert (A.sum(axis=0) < 1).all()
    assert np.max(np.abs(np.linalg.eigvals(A))) < 1


def test_factors_absorbed_across_destinations(embedded):
    _, _, result = embedded
    emb = result.mrio
    tidy = embodied_in_final_demand(emb.Z, emb.Y, emb.F)
    totals = tidy.groupby("factor")["value"].sum()
    for factor in emb.F.index:
        assert totals[factor] == pytest.approx(emb.F.loc[factor].sum(), rel=1e-9)


def test_co2_split_by_provincial_inventory(embedded):
    world, provincial, result = embedded
    co2 = result.mrio.F.loc["CO2"]
    for sector in world.Z.index.unique(level=1):
        shares = provincial.F.loc["CO2"].xs(sector, level=1)
        shares = shares / shares.sum()
        for province in PROVINCES:
            assert co2[(province, sector)] == pytest.approx(world.F.loc["CO2", ("CHN", sector)] * shares[province])


def test_gras_failure_is_reported():
    world, provincial = small_world_and_provinces()
    with pytest.raises(GRASConvergenceError) as info:
        embed_provinces(world, provincial, settings=EmbeddingSettings(va_rows=("wages", "surplus"), gras_max_iter=1))
    assert info.value.residual > 0


def test_split_targets_when_a_province_cannot_export():
    world, provincial = small_world_and_provinces()
    exports = provincial.exports.copy()
    exports.iloc[0] = 0.0  # P1 agri sells nothing abroad, yet China exports most of its agri
    provincial = type(provincial)(**{**provincial.__dict__, "exports": exports})
    settings = EmbeddingSettings(va_rows=("wages", "surplus"), gras_max_iter=300)
    with pytest.raises(GRASConvergenceError, match="output"):
        embed_provinces(world, provincial, settings=settings)
    emb = embed_provinces(world, provincial, settings=EmbeddingSettings(
        va_rows=("wages", "surplus"), output_targets="split")).mrio
    output = emb.Z.sum(axis=1) + emb.Y.sum(axis=1)
    total_input = emb.Z.sum(axis=0) + emb.F.loc[["wages", "surplus"]].sum(axis=0)
    np.testing.assert_allclose(output.to_numpy(), total_input.to_numpy(), rtol=1e-8)
    assert (emb.Z.loc[("P1", "agri"), ["AAA", "BBB", "ZZZ"]].to_numpy() == 0).all()


# --- a world that balances China only with a discrepancy entry (as real Eora26) ------------

def imbalanced(world, gaps):
    """``world`` with each region-sector's inputs moved off its output by ``gaps`` (a share of
    output, one per sector), booked in the 'surplus' VA row, as Eora26 looks once ROW is set
    aside."""
    from greentrade.mrio import MRIO

    F = world.F.copy()
    share = np.tile(np.asarray(gaps, dtype=float), len(world.Z.index.unique(level=0)))
    F.loc["surplus"] = F.loc["surplus"] - share * world.x.to_numpy()
    return MRIO(Z=world.Z, Y=world.Y, F=F)


@pytest.fixture(scope="module")
def unbalanced():
    world, provincial = small_world_and_provinces()
    world = imbalanced(world, [0.03, -0.025, 0.012])
    result = embed_provinces(world, provincial, china="CHN", settings=EmbeddingSettings(va_rows=("wages", "surplus")))
    return world, provincial, result


def test_china_does_not_balance_in_the_unbalanced_world(unbalanced):
    world, _, _ = unbalanced
    chn = world.Z.index.get_level_values(0) == "CHN"
    output = (world.Z.sum(axis=1) + world.Y.sum(axis=1))[chn].to_numpy()
    inputs = (world.Z.sum(axis=0) + world.F.loc[["wages", "surplus"]].sum(axis=0))[chn].to_numpy()
    np.testing.assert_allclose((output - inputs) / output, [0.03, -0.025, 0.012], rtol=1e-12)


def test_unbalanced_china_provinces_reaggregate_to_china_blocks(unbalanced):
    world, _, result = unbalanced
    emb = result.mrio
    assert result.gras_residual < 1e-10
    for name in ("Z", "Y"):
        frame = reaggregate(getattr(emb, name)).loc[getattr(world, name).index, getattr(world, name).columns]
        np.testing.assert_allclose(frame.to_numpy(), getattr(world, name).to_numpy(), rtol=1e-8, atol=1e-9)
    F = reaggregate(emb.F, rows=False).loc[:, world.F.columns]
    np.testing.assert_allclose(F.to_numpy(), world.F.to_numpy(), rtol=1e-8, atol=1e-9)


def test_each_province_sector_carries_its_share_of_china_imbalance(unbalanced):
    # output_(p,i) = s_p,i x_i and inputs_(p,i) = s_p,i u_i: the same ratio u_i / x_i as China's
    world, provincial, result = unbalanced
    emb = result.mrio
    china = world.Z.index.get_level_values(0) == "CHN"
    x_c = (world.Z.sum(axis=1) + world.Y.sum(axis=1))[china].droplevel(0)
    u_c = (world.Z.sum(axis=0) + world.F.loc[["wages", "surplus"]].sum(axis=0))[china].droplevel(0)
    output = emb.Z.sum(axis=1) + emb.Y.sum(axis=1)
    inputs = emb.Z.sum(axis=0) + emb.F.loc[["wages", "surplus"]].sum(axis=0)
    for sector in x_c.index:
        shares = provincial.output.xs(sector, level=1) / provincial.output.xs(sector, level=1).sum()
        for province in PROVINCES:
            assert output[(province, sector)] == pytest.approx(shares[province] * x_c[sector], rel=1e-9)
            assert inputs[(province, sector)] == pytest.approx(shares[province] * u_c[sector], rel=1e-9)
    # and nothing outside China moves: the foreign rows keep their own (im)balance
    foreign = [key for key in world.Z.index if key[0] != "CHN"]
    np.testing.assert_array_equal(emb.F.loc[:, foreign].to_numpy(), world.F.loc[:, foreign].to_numpy())


def test_provinces_can_keep_their_own_co2_levels():
    world, provincial = small_world_and_provinces()
    settings = EmbeddingSettings(va_rows=("wages", "surplus"), factor_levels=("CO2",))
    emb = embed_provinces(world, provincial, settings=settings).mrio
    province_cols = [key for key in emb.F.columns if key[0] in PROVINCES]
    np.testing.assert_array_equal(emb.F.loc["CO2", province_cols].to_numpy(),
                                  provincial.F.loc["CO2", province_cols].to_numpy())
    # value added still re-aggregates to China, CO2 need not
    F = reaggregate(emb.F, rows=False).loc[:, world.F.columns]
    np.testing.assert_allclose(F.loc[["wages", "surplus"]].to_numpy(), world.F.loc[["wages", "surplus"]].to_numpy(),
                               rtol=1e-8)
    assert F.loc["CO2"].sum() == pytest.approx(provincial.F.loc["CO2"].sum() + world.F.loc["CO2"].sum()
                                               - world.F.loc["CO2"].xs("CHN", level=0, drop_level=False).sum())


def test_factor_levels_must_name_a_sourced_non_va_row():
    world, provincial = small_world_and_provinces()
    from greentrade.mrio import TableLayoutError

    with pytest.raises(TableLayoutError, match=r"factor_levels \['wages'\]"):
        embed_provinces(world, provincial, settings=EmbeddingSettings(va_rows=("wages", "surplus"),
                                                                      factor_levels=("wages",)))
