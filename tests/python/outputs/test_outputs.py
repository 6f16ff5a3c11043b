"""outputs.write_outputs on a hand-made published warehouse: every table in Markdown,
LaTeX and CSV, formatted from the marts, with the SYNTHETIC banner for demo sources."""

import duckdb
import pandas as pd
import pytest

from greentrade.lineage import loaded_inputs
from greentrade.report.outputs import SYNTHETIC_BANNER, SYNTHETIC_MARKER, SYNTHETIC_NOTE, write_outputs

SPEC = dict(depvar="green", estimator="OLS", convention="reghdfe", se_type="clustered",
            cluster_var="province_code", fixed_effects="province_code,year", instruments=None,
            inference="t", notes="The paper's 'logRD' is estimated as logHum.")


def regressions() -> pd.DataFrame:
    rows = []
    for table in ("T2", "T3", "T4", "T5"):
        spec = dict(SPEC, paper_table=table, table_column="1", n=300)
        if table == "T3":
            spec.update(estimator="2SLS", convention="ivreg2", inference="z", instruments="logrobit_lag1")
        rows += [dict(spec, term="logrobit", estimate=0.4055, se=0.2, t=2.06, p=0.048, stars="**"),
                 dict(spec, term="_cons", estimate=-3.3432, se=1.6, t=-2.10, p=0.045, stars="**"),
                 dict(spec, statistic="N", value=300.0), dict(spec, statistic="r2_within", value=0.1)]
        if table == "T3":
            rows += [dict(spec, statistic=k, value=v) for k, v in
                     [("underid_lm", 14.7), ("underid_p", 0.0001), ("weakid_f", 2744.6),
                      ("stock_yogo_10", 16.38)]]
    frame = pd.DataFrame(rows)
    return frame[["paper_table", "table_column", "term", "estimate", "se", "t", "p", "stars", "n",
                  "statistic", "value", *list(SPEC)]]


@pytest.fixture
def warehouse(tmp_path):
    demo = tmp_path / "demo"
    demo.mkdir()
    (demo / SYNTHETIC_MARKER).write_text("synthetic", encoding="utf-8")
    path = tmp_path / "greentrade.duckdb"
    with duckdb.connect(str(path)) as con:
        con.sql("create schema raw; create schema marts")
        load_log = pd.DataFrame({"source": ["ifr"], "file_path": [str(demo / "ifr.csv")],
                                 "file_sha256": ["0" * 64], "row_count": [3],
                                 "loaded_at": [pd.Timestamp("2026-01-01")], "status": ["loaded"]})
        descriptives = pd.DataFrame({"variable": ["green", "robit"], "n_obs": [300, 300],
                                     "mean": [0.1, 2.5], "sd": [1.3, 1.1], "min": [-3.29, 0.1],
                                     "max": [5.57, 9.0]})
        provinces = pd.DataFrame({"province_code": ["BJ", "TJ"], "name_en": ["Beijing", "Tianjin"],
                                  "sort_order": [1, 2]})
        green = pd.DataFrame({"province_code": ["TJ", "BJ", "TJ", "BJ"], "year": [2010, 2010, 2011, 2011],
                              "green_bn_usd": [0.5, -1.25, 0.75, -1.5]})
        comparison = pd.DataFrame({"paper_table": ["T2"], "table_column": ["1"], "kind": ["coefficient"],
                                   "paper_variable": ["logRD"], "term": ["logHum"],
                                   "published_value": [-0.6527], "reproduced_value": [0.04], "diff": [0.6927],
                                   "published_t": [-1.65], "reproduced_t": [0.1], "t_diff": [1.75],
                                   "published_stars": [""], "reproduced_stars": [""], "published_n": [300.0],
                                   "reproduced_n": [300.0], "flag": ["the paper labels this control logRD"]})
        reg = regressions()
        for name, frame in [("raw.load_log", load_log), ("marts.fct_paper_descriptives", descriptives),
                            ("marts.dim_provinces", provinces), ("marts.fct_green_trade_benefit", green),
                            ("marts.fct_paper_regressions", reg),
                            ("marts.fct_published_comparison", comparison)]:
            con.register("frame", frame)
            con.sql(f"create table {name} as select * from frame")
            con.unregister("frame")
    return path


def test_every_table_in_three_formats_with_the_banner(warehouse, tmp_path):
    written = write_outputs(warehouse, tmp_path / "out")
    names = {p.name for p in written}
    for stem in ("table1_descriptives", "table2", "table3", "table4", "table5", "table_a1_green_trade_benefit"):
        assert {f"{stem}.md", f"{stem}.tex", f"{stem}.csv"} <= names
    assert {"published_vs_reproduced.md", "published_vs_reproduced.csv", "paper_regressions_long.csv",
            "provenance.csv"} <= names
    for path in written:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert SYNTHETIC_BANNER in first, path.name


def test_regression_tables_come_from_the_mart(warehouse, tmp_path):
    write_outputs(warehouse, tmp_path / "out")
    tables = tmp_path / "out" / "tables"
    md = (tables / "table2.md").read_text(encoding="utf-8")
    assert "| logrobit | 0.4055\\*\\* |" in md and "|  | (2.06) |" in md
    assert "| Province FE | Yes |" in md and "| Year FE | Yes |" in md and "| N | 300 |" in md
    assert "| Within R-squared | 0.1000 |" in md
    assert "reghdfe conventions; SE clustered by province_code" in md and "logRD" in md
    t3 = (tables / "table3.md").read_text(encoding="utf-8")
    assert "Kleibergen-Paap rk LM" in t3 and "Weak-id. F (KP Wald)" in t3 and "| 16.38 |" in t3
    assert "z statistics in parentheses" in t3
    tex = (tables / "table2.tex").read_text(encoding="utf-8")
    assert r"$0.4055^{**}$" in tex and r"\_cons" in tex


def test_a1_and_comparison(warehouse, tmp_path):
    write_outputs(warehouse, tmp_path / "out")
    tables = tmp_path / "out" / "tables"
    a1 = (tables / "table_a1_green_trade_benefit.csv").read_text(encoding="utf-8").splitlines()
    assert a1[0].startswith("# SYNTHETIC")
    assert a1[1:4] == ["province,2010,2011", "Beijing,-1.2500,-1.5000", "Tianjin,0.5000,0.7500"]
    cmp = (tables / "published_vs_reproduced.md").read_text(encoding="utf-8")
    assert "| T2 | 1 | coefficient | logRD | logHum | -0.6527 | 0.0400 |" in cmp
    assert "the paper labels this control logRD" in cmp and "| 300 | 300 |" in cmp


def test_no_banner_for_real_sources(warehouse, tmp_path):
    (warehouse.parent / "demo" / SYNTHETIC_MARKER).unlink()
    written = write_outputs(warehouse, tmp_path / "out")
    assert not any("SYNTHETIC" in p.read_text(encoding="utf-8") for p in written)


def test_eora26_and_ceads_by_year_when_the_mart_is_built(warehouse, tmp_path):
    assert "eora26_and_ceads_by_year.csv" not in {p.name for p in write_outputs(warehouse, tmp_path / "before")}
    with duckdb.connect(str(warehouse)) as con:
        con.sql("""create table marts.dim_build_lineage_by_year as
                   select 2011 as year, 8711.0 as china_co2_eora_mt, 8389.0 as ceads_provincial_co2_mt,
                          -0.0021 as china_imbalance_share, 'b' as build_id
                   union all select 2010, 8123.0, 7712.0, 0.0028, 'b'""")
    written = {p.name: p for p in write_outputs(warehouse, tmp_path / "after")}
    lines = written["eora26_and_ceads_by_year.csv"].read_text(encoding="utf-8").splitlines()
    assert SYNTHETIC_BANNER in lines[0]
    assert [line for line in lines if not line.startswith("#")] == [
        "year,china_co2_eora_mt,ceads_provincial_co2_mt,china_imbalance_share",
                         "2010,8123.0,7712.0,0.0028", "2011,8711.0,8389.0,-0.0021"]


def test_synthetic_outputs_carry_the_built_in_effect(warehouse, tmp_path):
    written = write_outputs(warehouse, tmp_path / "out")
    for path in written:
        assert "positive effect of robots on exports" in path.read_text(encoding="utf-8"), path.name
    assert SYNTHETIC_NOTE.startswith("Synthetic demo: ")


def test_load_inputs_say_which_are_synthetic(tmp_path):
    demo, real = tmp_path / "demo", tmp_path / "real"
    demo.mkdir(), real.mkdir()
    (demo / SYNTHETIC_MARKER).write_text("synthetic", encoding="utf-8")
    path = tmp_path / "work.duckdb"
    with duckdb.connect(str(path)) as con:
        con.sql("create schema raw")
        con.sql(f"""create table raw.load_log as select * from (values
            ('ifr', 'a', '{demo / "ifr.csv"}', '{"0" * 64}', 3, 1, 'loaded'),
            ('eua', 'b', '{real / "market_prices.csv"}', '{"1" * 64}', 5, 2, 'loaded'))
            t(source, file_key, file_path, file_sha256, row_count, load_id, status)""")
    inputs = {i["source"]: i["is_synthetic"] for i in loaded_inputs(path)}
    assert inputs == {"ifr": True, "eua": False}
