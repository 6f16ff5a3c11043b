"""The paper's simulated province-year panel, shared by the paper tests."""

import numpy as np
import pandas as pd

from greentrade.econometrics import panel_lags

PAPER_REGIONS = ["east"] * 11 + ["central"] * 8 + ["west"] * 11


def paper_panel(seed: int) -> pd.DataFrame:
    """A 30-province x 10-year panel with the paper's variables (regions 11 / 8 / 11, four
    municipalities), green depending on log robit with slope 0.4."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame([(f"P{i:02d}", y) for i in range(30) for y in range(2010, 2020)],
                         columns=["province_code", "year"])
    idx = frame["province_code"].str[1:].astype(int)
    frame["region"] = np.array(PAPER_REGIONS)[idx]
    frame["is_municipality"] = idx.isin([0, 1, 4, 21])
    n = len(frame)
    frame["robit"] = np.exp(rng.normal(size=n) + 0.2 * (frame["year"] - 2010) + 0.1 * idx)
    for var in ("Gdp", "Hum", "Town", "Gov"):
        frame[var] = np.exp(rng.normal(size=n))
    frame["ai_patents"] = rng.poisson(40 * frame["robit"] ** 0.5)
    frame["green_patents"] = rng.poisson(100, n)
    frame["green"] = 0.4 * np.log(frame["robit"]) + rng.normal(size=n)
    # the lags fct_province_year_panel carries (calendar lags within the panel)
    return panel_lags(frame, ["robit", "ai_patents"], lags=(1, 2))
