"""Result objects for the Stata-convention estimators: the fitted regression, its
diagnostic test statistics and its printed summary."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from linearmodels.shared.hypotheses import WaldTestStatistic


class NotEstimableError(ValueError):
    """The sample cannot identify the model (no observations, or a design that is rank
    deficient once the fixed effects are absorbed, e.g. one year with year effects)."""


class DiagnosticStatistic(float, WaldTestStatistic):
    """A test statistic with its reference distribution, as linearmodels'
    :class:`~linearmodels.shared.hypotheses.WaldTestStatistic` (``stat``, ``pval``,
    ``df``, ``df_denom``, ``null``, ``dist_name``, ``critical_values``), that is also the
    number itself: ``float(d)`` is the statistic and arithmetic and comparisons work on it,
    so code that stored the plain number keeps working.

    Parameters
    ----------
    stat : float
        The statistic.
    null : str
        The null hypothesis it tests.
    df : int
        Degrees of freedom (the numerator's for an F statistic).
    df_denom : int, optional
        Denominator degrees of freedom: the reference distribution is F(df, df_denom);
        without it chi2(df).
    name : str, optional
        What the statistic is (``'Kleibergen-Paap rk LM'``).
    has_pvalue : bool, default True
        False for the weak-identification F statistics: ivreg2 prints no p-value for them
        (the test compares them with the Stock-Yogo critical values), so ``pvalue`` is NaN.
    """

    def __new__(cls, stat: float, null: str, df: int, df_denom: int | None = None,
                name: str | None = None, has_pvalue: bool = True):
        return super().__new__(cls, stat)

    def __init__(self, stat: float, null: str, df: int, df_denom: int | None = None,
                 name: str | None = None, has_pvalue: bool = True) -> None:
        WaldTestStatistic.__init__(self, float(stat), null, df, df_denom, name)
        self._has_pvalue = has_pvalue

    @property
    def statistic(self) -> float:
        """The statistic (also ``float(self)`` and linearmodels' ``stat``)."""
        return self.stat

    @property
    def pval(self) -> float:
        """P-value from the reference distribution; NaN where the test has none."""
        return float(self.dist.sf(self.stat)) if self._has_pvalue else math.nan

    @property
    def pvalue(self) -> float:
        """Same as ``pval``."""
        return self.pval

    @property
    def name(self) -> str | None:
        return self._name

    def __reduce__(self):
        return (type(self), (self.stat, self.null, self.df, self.df_denom, self._name,
                             self._has_pvalue))

    def __repr__(self) -> str:
        p = "" if not self._has_pvalue else f", pvalue={self.pval:.4g}"
        return f"{self._name or 'DiagnosticStatistic'}({self.stat:.6g}, {self.dist_name}{p})"

    def __format__(self, spec: str) -> str:  # f"{d:.3f}" and f"{d}" format the number
        return float.__format__(float(self), spec)


@dataclass
class Summary:
    """The printed summary of a :class:`RegressionResult`: ``print(summary)`` or
    ``str(summary)`` shows the text table, ``tables`` holds the coefficient table as a
    frame, ``as_text()`` / ``as_html()`` render it."""

    header: list[str]
    coefficients: pd.DataFrame
    statistic_label: str
    footer: list[str]

    @property
    def tables(self) -> list[pd.DataFrame]:
        return [self.coefficients]

    def as_text(self) -> str:
        stat = self.statistic_label
        lines = [*self.header, f"{'term':<16}{'coef':>12}{'se':>12}{stat:>9}{'p':>9}"]
        for term, row in self.coefficients.iterrows():
            lines.append(f"{term:<16}{row['coef']:>12.5g}{row['se']:>12.5g}"
                         f"{row[stat]:>9.3f}{row['p']:>9.4f}")
        return "\n".join([*lines, *self.footer])

    def as_html(self) -> str:
        notes = "".join(f"<p>{line}</p>" for line in self.footer)
        heads = "".join(f"<p>{line}</p>" for line in self.header)
        return heads + self.coefficients.to_html(float_format=lambda v: f"{v:.5g}") + notes

    def _repr_html_(self) -> str:
        return self.as_html()

    def __str__(self) -> str:
        return self.as_text()

    def __repr__(self) -> str:
        return self.as_text()

@dataclass
class RegressionResult:
    """One fitted regression, with the numbers Stata would store in ``e()``.

    ``params``/``std_errors``/``tstats``/``pvalues`` are indexed by term; the constant is
    ``_cons`` (absent where the emulated command reports none, e.g. ``xtivreg2``). Fixed
    effects entered as dummies (``xtreg``'s ``i.year``) are estimated but not listed.
    ``dist`` is ``"t"`` (p-values from Student t with ``df_resid``) or ``"normal"``
    (ivreg2 without ``small``: z statistics). ``diagnostics`` maps names to
    :class:`DiagnosticStatistic` objects (IV statistics: ``float(d)``, ``d.df``,
    ``d.pvalue``, ``d.name``) and plain numbers (their p-values and df, the Stock-Yogo
    critical values, the bootstrap's p-values); ``summary()`` returns a :class:`Summary`.
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
        """Confidence intervals ``params +- q se`` with ``q`` the quantile of the result's
        reference distribution (Student t with ``df_resid``, or the normal for z statistics).

        Parameters
        ----------
        level : float, default 0.95
            Coverage of the interval.

        Returns
        -------
        DataFrame
            ``lower`` and ``upper`` per term, in the units of the coefficient.
        """
        from scipy import stats

        q = (stats.norm.ppf if self.dist == "normal" else
             (lambda p: stats.t.ppf(p, self.df_resid)))(0.5 + level / 2)
        return pd.DataFrame({"lower": self.params - q * self.std_errors,
                             "upper": self.params + q * self.std_errors})

    def summary(self) -> Summary:
        """The coefficient table with the sample, the covariance convention, the R-squared
        and the diagnostics: a :class:`Summary` (``print`` it, or ``as_text()``)."""
        stat = "z" if self.dist == "normal" else "t"
        header = [
            f"{self.convention} | dep. var: {self.depvar} | N = {self.nobs}"
            + (f" | absorbed: {', '.join(self.absorb)}" if self.absorb else ""),
            f"SE: {self.cov_type}"
            + (f" by {self.cluster} ({self.n_clusters} clusters)" if self.cluster else "")
            + f" | df_resid = {self.df_resid:g} | df_absorbed = {self.df_absorbed}",
        ]
        table = pd.DataFrame({"coef": self.params, "se": self.std_errors, stat: self.tstats,
                              "p": self.pvalues})
        r2s = {k: getattr(self, k) for k in
               ("r2", "r2_adj", "r2_within", "r2_within_adj", "r2_overall", "r2_between")}
        footer = ["  ".join(f"{k} = {v:.4f}" for k, v in r2s.items()
                            if v is not None and np.isfinite(v))]
        for k, v in self.diagnostics.items():
            if isinstance(v, dict):
                footer.append(f"{k}: " + ", ".join(f"{a}%={b}" for a, b in v.items()))
            elif isinstance(v, DiagnosticStatistic):
                p = "" if math.isnan(v.pvalue) else f", p = {v.pvalue:.4f}"
                footer.append(f"{k} = {float(v):.4f} ({v.name}, {v.dist_name}{p})")
            elif v is not None:
                footer.append(f"{k} = {v:.4f}")
        footer.extend(f"note: {n}" for n in self.notes)
        return Summary(header, table, stat, footer)

    def __str__(self) -> str:  # pragma: no cover - convenience
        return str(self.summary())


# ---------------------------------------------------------------- results in long form

LONG_COLUMNS = ["table", "column", "term", "estimate", "se", "t", "p", "stars", "n",
                "statistic", "value"]
SPEC_COLUMNS = ["depvar", "estimator", "convention", "se_type", "cluster_var",
                "fixed_effects", "instruments", "inference"]


def stars(p: float | None) -> str:
    """Significance stars with esttab's default thresholds: * p < 0.10, ** p < 0.05,
    *** p < 0.01.

    Parameters
    ----------
    p : float or None
        A p-value.

    Returns
    -------
    str
        ``''``, ``'*'``, ``'**'`` or ``'***'`` (``''`` for a missing or non-finite p).
    """
    if p is None or not math.isfinite(p):
        return ""
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""


def _diagnostic_statistics(diagnostics: Mapping) -> dict[str, float]:
    """Scalar diagnostics as they are; Stock-Yogo's {level: value} as stock_yogo_<level>."""
    stats: dict[str, float] = {}
    for key, value in diagnostics.items():
        if isinstance(value, Mapping):
            stats.update({f"{key}_{level}": v for level, v in value.items()})
        elif value is not None:
            stats[key] = value
    return stats


def long_form(results: Mapping[str, Mapping[str, RegressionResult]] | Mapping[str, RegressionResult],
              instruments: Mapping[tuple[str, str], Sequence[str]] | None = None) -> pd.DataFrame:
    """Fitted results in long form, the shape of ``marts.fct_paper_regressions``: columns
    :data:`LONG_COLUMNS` + :data:`SPEC_COLUMNS`.

    Parameters
    ----------
    results : mapping
        ``{table: {column: RegressionResult}}`` or, for one table, ``{column: result}``
        (``table`` is then empty).
    instruments : mapping, optional
        The excluded instruments of IV columns, keyed by (table, column).

    Returns
    -------
    DataFrame
        One row per coefficient (``term``, ``estimate`` and ``se`` in units of the dependent
        variable per unit of the regressor, ``t``, ``p``, ``stars``) and one per statistic
        (``statistic``, ``value``): N, n_clusters, df_r (the t distribution's df, absent for z
        statistics), r2, r2_adj, r2_within, r2_within_adj and every diagnostic (IV:
        underid_lm, underid_p, weakid_f, cd_f, kp_f, hansen_j, hansen_j_p,
        stock_yogo_10/15/20/25; wild bootstrap: wcb_*), each as a float; the model's
        specification repeated on every row.
    """
    if all(isinstance(r, RegressionResult) for r in results.values()):
        results = {"": results}
    instruments = instruments or {}
    rows = []
    for table, columns in results.items():
        for column, res in columns.items():
            is_iv = "underid_lm" in res.diagnostics
            spec = dict(table=table, column=column, n=res.nobs, depvar=res.depvar,
                        estimator="2SLS" if is_iv else "OLS", convention=res.convention,
                        se_type=res.cov_type, cluster_var=res.cluster,
                        fixed_effects=",".join(res.absorb) or None,
                        instruments=",".join(instruments.get((table, column), ())) or None,
                        inference="z" if res.dist == "normal" else "t")
            for term in res.params.index:
                rows.append(dict(spec, term=term, estimate=res.params[term],
                                 se=res.std_errors[term], t=res.tstats[term],
                                 p=res.pvalues[term], stars=stars(res.pvalues[term])))
            statistics = {"N": res.nobs, "n_clusters": res.n_clusters,
                          # the df of the reference distribution of t and p (none for z)
                          "df_r": res.df_resid if res.dist == "t" else None,
                          **{k: getattr(res, k) for k in ("r2", "r2_adj", "r2_within",
                                                          "r2_within_adj")},
                          **_diagnostic_statistics(res.diagnostics)}
            rows += [dict(spec, statistic=k, value=float(v))
                     for k, v in statistics.items() if v is not None]
    return pd.DataFrame(rows, columns=LONG_COLUMNS + SPEC_COLUMNS)
