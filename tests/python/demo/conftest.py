"""Fixtures of the demo tests: one small generation shared by the session.

``demo_root`` holds 2010 (a CEADs IO year) and 2011 in every layout; ``panel_root`` holds the
cheap panel files (yearbook, employment, both IFR files, EUA and FRED-style prices) for all ten years, written by the
same writers ``generate`` uses, so the Table 1 magnitudes are checked on 300 observations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greentrade.demo import generate, writers
from greentrade.demo import params as P
from greentrade.demo import world as W

REAL = Path(__file__).resolve().parents[4] / "shared" / "data" / "real"
DEMO_YEARS = [2010, 2011]


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    generate(root, years=DEMO_YEARS)
    return root


@pytest.fixture(scope="session")
def panel_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("panel")
    years = list(P.YEARS)
    emp = W.employment()
    ifr = W.ifr_installations()
    stock = W.ifr_operational_stock(ifr)
    panel = W.add_patents(W.province_panel(), W.robot_exposure(emp, stock))
    writers.write_ifr(root, ifr, years)
    writers.write_ifr(root, stock, years, measure="operational_stock")
    writers.write_yearbook(root, panel, years)
    writers.write_employment(root, emp, years)
    writers.write_eua(root, years)
    writers.write_fred(root, years)
    return root


@pytest.fixture(scope="session")
def real_root() -> Path:
    if not REAL.is_dir():
        pytest.skip(f"real data folder {REAL} is absent")
    return REAL
