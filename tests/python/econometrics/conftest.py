import numpy as np
import pandas as pd
import pytest


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


@pytest.fixture(scope="session")
def panel() -> pd.DataFrame:
    return simulated_panel()
