from pathlib import Path

import pytest

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


def test_demo_scale_defaults_to_small_and_full_moves_the_demo_root(tmp_path):
    """[demo] scale: small (default) keeps data/demo; full makes a root naming the small demo's
    folder name data/demo_full; a root elsewhere and GREENTRADE_SOURCE_ROOT are kept."""
    repository = load_config(env={})
    assert repository.demo_scale == "small" and repository.demo_root == PROJECT_ROOT / "data/demo"
    assert repository.demo_roots["full"] == PROJECT_ROOT / "data/demo_full"

    (tmp_path / "full.toml").write_text('[sources]\nroot = "data/demo"\n[sources.ifr]\n[demo]\nscale = "full"\n')
    full = load_config(tmp_path / "full.toml", env={})
    assert full.demo_scale == "full" and full.demo_root == tmp_path / "data/demo_full"
    assert full.source("ifr").path == tmp_path / "data/demo_full" / "ifr"

    (tmp_path / "default_root.toml").write_text('[sources.ifr]\n[demo]\nscale = "full"\n')  # root defaults to data/demo
    assert load_config(tmp_path / "default_root.toml", env={}).source("ifr").path == tmp_path / "data/demo_full" / "ifr"

    (tmp_path / "real.toml").write_text('[sources]\nroot = "real"\n[sources.ifr]\n[demo]\nscale = "full"\n')
    assert load_config(tmp_path / "real.toml", env={}).source("ifr").path == tmp_path / "real" / "ifr"

    env = load_config(tmp_path / "full.toml", env={"GREENTRADE_SOURCE_ROOT": str(tmp_path / "data/demo")})
    assert env.source("ifr").path == tmp_path / "data/demo" / "ifr"


def test_unknown_demo_scale_is_refused_naming_the_file(tmp_path):
    (tmp_path / "g.toml").write_text('[demo]\nscale = "huge"\n')
    with pytest.raises(ValueError, match=r"g\.toml: \[demo\] scale must be one of small, full, found 'huge'"):
        load_config(tmp_path / "g.toml", env={})
    (tmp_path / "h.toml").write_text('demo = "full"\n')
    with pytest.raises(ValueError, match=r"h\.toml: \[demo\] must be a table"):
        load_config(tmp_path / "h.toml", env={})
