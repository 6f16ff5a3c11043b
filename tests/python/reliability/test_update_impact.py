"""End to end with real processes and dbt: a corrected province sheet in the CEADs emission
inventory, ingested and built, reaches the update report's section on the results, the
published warehouse keeps the marts it replaced, and `greentrade build` names the largest
change in green. Reduced builds (one year, the models up to the panel) as in
test_build_kills.py (the first is their baseline); the regression part of the impact is tested on hand-made marts in
test_previous_marts.py."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from quality.test_update_reports import plant_emission_correction

from .conftest import REDUCED_SELECT, build_env, copy_warehouse, run, source_root

pytestmark = pytest.mark.slow


def test_a_corrected_sheet_reaches_the_results_section(tmp_path, baseline, reduced_config, artifacts):
    base_work, base_published, _, first_output = baseline
    assert "no previous build to compare with" in first_output
    work = copy_warehouse(base_work, tmp_path / "warehouse")
    published = Path(shutil.copyfile(base_published, work.with_name("greentrade.duckdb")))
    env = build_env(work, reduced_config, artifacts)
    env["GREENTRADE_GX_ROOT"] = str(tmp_path / "gx")
    with duckdb.connect(str(published), read_only=True) as con:
        (first_build,), = con.execute("select distinct build_id from marts.dim_build_lineage").fetchall()
        old = dict(((p, y), g) for p, y, g in con.execute(
            "select province_code, year, green_bn_usd from marts.fct_green_trade_benefit").fetchall())

    # a corrected Shanxi sheet: its iron and steel row (a manufacturing sector) x 1.5
    corrected = tmp_path / "ceads_emissions"
    shutil.copytree(source_root() / "ceads_emissions", corrected)
    plant_emission_correction(corrected / "Emission_Inventories_for_30_Provinces_2010.xlsx", "Shanxi2010", 1.5,
                              sector="Smelting and Pressing of Ferrous Metals")
    env["GREENTRADE_SOURCE_CEADS_EMISSIONS"] = str(corrected)
    ingest = run(["ingest", "ceads_emissions"], env)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    assert "ceads_emissions 2010: 1 province, 1 sector" in ingest.stdout
    report = re.search(r"update report: (\S+\.html)", ingest.stdout).group(1)

    second = run(["build", "--select", REDUCED_SELECT], env)
    assert second.returncode == 0, (second.stdout + second.stderr)[-5000:]
    assert f"replaces build {first_build}" in second.stdout
    largest = re.search(r"largest change in green: Shanxi \(SX\) 2010: (\S+) -> (\S+) bn USD", second.stdout)
    assert largest, second.stdout[-3000:]

    with duckdb.connect(str(published), read_only=True) as con:
        (build, replaces), = con.execute("select distinct build_id, replaces_build_id from marts.dim_build_lineage").fetchall()
        assert replaces == first_build and build != first_build
        assert con.execute("select distinct build_id from marts_previous.fct_green_trade_benefit").fetchall() == [(first_build,)]
        kept = dict(((p, y), g) for p, y, g in con.execute(
            "select province_code, year, green_bn_usd from marts_previous.fct_green_trade_benefit").fetchall())
        new = dict(((p, y), g) for p, y, g in con.execute(
            "select province_code, year, green_bn_usd from marts.fct_green_trade_benefit").fetchall())
    assert kept == old
    changes = {k: abs(new[k] - old[k]) for k in new}
    assert max(changes, key=changes.get) == ("SX", 2010)
    assert float(largest.group(1)) == pytest.approx(old[("SX", 2010)], abs=5e-5)
    assert float(largest.group(2)) == pytest.approx(new[("SX", 2010)], abs=5e-5)

    html = open(report, encoding="utf-8").read()
    section = html[html.index('id="impact-green"'):]
    assert re.search(r"<tbody>\s*<tr><td>Shanxi \(SX\)</td><td>2010</td>", section)
    assert f"replaced build <code>{first_build}</code>" in html
    assert len(list((work.parent / "outputs" / "updates").glob("update_*.html"))) == 1  # this ingest's


def test_declared_keys_identify_the_demo_rows(ingested):
    """The keys of greentrade.ingest.changes.TABLES are unique within each load of every demo
    source (else the keyed diff would pair rows wrongly)."""
    from greentrade.ingest.changes import TABLES

    with duckdb.connect(str(ingested), read_only=True) as con:
        for table, spec in TABLES.items():
            keys = ", ".join(f'"{k}"' for k in ("_load_id", *spec.keys))
            rows, = con.execute(f"select count(*) from raw.{table}").fetchone()
            duplicates, = con.execute(f"select count(*) from (select {keys} from raw.{table} group by all "
                                      "having count(*) > 1)").fetchone()
            assert duplicates == 0, table
            assert rows > 0 or table in ("fred_fx_rates", "china_ets_prices"), table
