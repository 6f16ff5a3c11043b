"""Result objects for the Stata-convention estimators."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd



class NotEstimableError(ValueError):
    """The sample cannot identify the model (no observations, or a design that is rank
    deficient once the fixed effects are absorbed, e.g. one year with year effects)."""

@dataclass
class RegressionResult:
    """One fitted regression, with the numbers Stata would store in ``e()``.

    ``params``/``std_errors``/``tstats``/``pvalues`` are indexed by term; the constant is
    ``_cons`` (absent where the emulated command reports none, e.g. ``xtivreg2``). Fixed
    effects entered as dummies (``xtreg``'s ``i.year``) are estimated but not listed.
    ``dist`` is ``"t"`` (p-values from Student t with ``df_resid``) or ``"normal"``
    (ivreg2 without ``small``: z statistics).
    """

    params: pd.Series
    std_errors: pd.Series
    tstats: pd.Series
    pvalues: pd.Series
    cov: pd.DataFrame
    nobs: int
    df_resid: float
    df_absorbed: int
    df_absorbed_nested: int
    dist: str
    depvar: str
    absorb: tuple[str, ...]
    cov_type: str
    cluster: str | None
    n_clusters: int | None
    convention: str
    small: bool
    r2: float
    r2_within: float | None
    r2_adj: float | None
    r2_within_adj: float | None
    r2_overall: float | None = None
    r2_between: float | None = None
    rss: float = float("nan")
    vce_factor: float = float("nan")
    rmse: float = float("nan")  # ivreg2's e(rmse): sqrt(RSS/(N - dofminus)), with small /(N-K-...)
    diagnostics: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        from scipy import stats

        q = (stats.norm.ppf if self.dist == "normal" else
             (lambda p: stats.t.ppf(p, self.df_resid)))(0.5 + level / 2)
        return pd.DataFrame({"lower": self.params - q * self.std_errors,
                             "upper": self.params + q * self.std_errors})

    def summary(self) -> str:
        stat = "z" if self.dist == "normal" else "t"
        lines = [
            f"{self.convention} | dep. var: {self.depvar} | N = {self.nobs}"
            + (f" | absorbed: {', '.join(self.absorb)}" if self.absorb else ""),
            f"SE: {self.cov_type}"
            + (f" by {self.cluster} ({self.n_clusters} clusters)" if self.cluster else "")
            + f" | df_resid = {self.df_resid:g} | df_absorbed = {self.df_absorbed}",
            f"{'term':<16}{'coef':>12}{'se':>12}{stat:>9}{'p':>9}",
        ]
        for term in self.params.index:
            lines.append(f"{term:<16}{self.params[term]:>12.5g}{self.std_errors[term]:>12.5g}"
                         f"{self.tstats[term]:>9.3f}{self.pvalues[term]:>9.4f}")
        r2s = {k: getattr(self, k) for k in
               ("r2", "r2_adj", "r2_within", "r2_within_adj", "r2_overall", "r2_between")}
        lines.append("  ".join(f"{k} = {v:.4f}" for k, v in r2s.items()
                               if v is not None and np.isfinite(v)))
        for k, v in self.diagnostics.items():
            if isinstance(v, dict):
                lines.append(f"{k}: " + ", ".join(f"{a}%={b}" for a, b in v.items()))
            elif v is not None:
                lines.append(f"{k} = {v:.4f}")
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.summary()
