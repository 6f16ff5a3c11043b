from pathlib import Path

from greentrade.ingest.config import load_config
from greentrade.reference import PROJECT_ROOT


def test_repository_config_points_at_the_demo_root():
    config = load_config(env={})
    assert config.warehouse == PROJECT_ROOT / "warehouse/work.duckdb"
    assert config.source("ceads_emissions").path == PROJECT_ROOT / "data/demo/ceads_emissions"
    assert config.source("eua").path == PROJECT_ROOT / "data/demo/prices/market_prices.csv"
    assert set(config.sources) == {"eora26", "ceads_io", "ceads_emissions", "ifr", "yearbook", "eua", "fx", "fred_fx", "china_ets"}
    assert config.source("yearbook").options["encoding"] == "utf-8"


def test_environment_overrides_source_root_and_warehouse(tmp_path):
    env = {
        "GREENTRADE_SOURCE_CEADS_EMISSIONS": str(tmp_path / "real"),
        "GREENTRADE_WAREHOUSE": str(tmp_path / "w.duckdb"),
        "GREENTRADE_SOURCE_ROOT": str(tmp_path / "root"),
    }
    config = load_config(env=env)
    assert config.source("ceads_emissions").path == tmp_path / "real"
    assert config.source("ifr").path == tmp_path / "root" / "ifr"
    assert config.warehouse == tmp_path / "w.duckdb"
    # options survive a path override
    assert "pattern" in config.source("ceads_emissions").options


def test_relative_paths_resolve_against_the_config_file(tmp_path):
    (tmp_path / "g.toml").write_text('[warehouse]\npath = "wh/x.duckdb"\n[sources]\nroot = "src"\n[sources.ifr]\nencoding = "gb18030"\n')
    config = load_config(tmp_path / "g.toml", env={})
    assert config.warehouse == tmp_path / "wh/x.duckdb"
    assert config.source("ifr").path == tmp_path / "src" / "ifr"
    assert config.source("ifr").options == {"encoding": "gb18030"}


def test_greentrade_config_names_another_file(tmp_path):
    (tmp_path / "other.toml").write_text('[sources.fx]\npath = "/data/fx.csv"\n[settings]\nscope = "both"\n')
    config = load_config(env={"GREENTRADE_CONFIG": str(tmp_path / "other.toml")})
    assert set(config.sources) == {"fx"}
    assert config.source("fx").path == Path("/data/fx.csv")
