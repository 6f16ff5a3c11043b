"""The figure helpers: the tile grid covers China's provinces once each, labels carry the settings."""

from __future__ import annotations

import pandas as pd

from greentrade.reference import PROJECT_ROOT
from greentrade.report import figures


def test_tile_grid_places_every_province_once():
    provinces = pd.read_csv(PROJECT_ROOT / "seeds" / "provinces.csv")
    assert set(figures.CHINA_TILE_GRID) == set(provinces["province_code"])
    positions = list(figures.CHINA_TILE_GRID.values())
    assert len(positions) == len(set(positions)), "two provinces on one tile"


def test_tile_grid_keeps_neighbours_near():
    # a few land borders: tiles must touch (including diagonally)
    for a, b in [("BJ", "TJ"), ("HE", "BJ"), ("JS", "SH"), ("GD", "HI"), ("SC", "CQ"), ("HL", "JL"),
                 ("ZJ", "SH"), ("GD", "GX"), ("XZ", "QH")]:
        (ra, ca), (rb, cb) = figures.CHINA_TILE_GRID[a], figures.CHINA_TILE_GRID[b]
        assert max(abs(ra - rb), abs(ca - cb)) == 1, f"{a} and {b} are not adjacent tiles"


def test_figure_footer_names_the_settings_and_synthetic():
    frame = pd.DataFrame({"province_code": ["BJ", "SH"], "name_en": ["Beijing", "Shanghai"],
                          "green_bn_usd": [1.0, -2.0]})
    fig = figures.tile_map(frame, "partner group: RCEP | 2010-2019", synthetic=True)
    texts = [t.get_text() for t in fig.texts]
    assert "partner group: RCEP | 2010-2019" in texts
    assert figures.SYNTHETIC_STAMP in texts
    assert figures.to_png(fig).startswith(b"\x89PNG")
