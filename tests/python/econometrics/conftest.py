import numpy as np
import pandas as pd
import pytest

from greentrade.econometrics import panel_lags


def simulated_panel(seed: int = 1, provinces: int = 30, years: int = 10, drop: int = 5,
                    beta: float = 0.5) -> pd.DataFrame:
    """Unbalanced two-way panel with an endogenous regressor x, instruments z1 z2 and an
    exogenous control w; ``drop`` rows removed at the start to unbalance it."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"prov": np.repeat(np.arange(provinces), years),
                          "year": np.tile(np.arange(2010, 2010 + years), provinces)})
    alpha = rng.normal(size=provinces)[frame["prov"]]
    mu = rng.normal(size=years)[frame["year"] - 2010]
    n = len(frame)
    u = rng.normal(size=n)
    frame["z1"] = rng.normal(size=n) + alpha
    frame["z2"] = rng.normal(size=n)
    frame["x"] = 0.8 * frame["z1"] + 0.3 * frame["z2"] + 0.5 * u + alpha + rng.normal(size=n)
    frame["x2"] = 0.5 * frame["z2"] - 0.4 * frame["z1"] + rng.normal(size=n)
    frame["w"] = rng.normal(size=n)
    frame["y"] = 1 + beta * frame["x"] + 0.2 * frame["w"] + alpha + mu + u
    return frame.iloc[drop:].reset_index(drop=True)


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


@pytest.fixture(scope="session")
def panel() -> pd.DataFrame:
    return simulated_panel()
