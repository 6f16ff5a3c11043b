"""The paper's Tables 1-5 on a province-year panel, and their comparison with the
published numbers.

Choices where the paper is ambiguous (stated per table by :func:`paper_notes`):

* Table 2 labels a control ``logRD``; the model names human capital (Hum). We use logHum.
* Table 3 (1): the AI-patent instrument with N = 270 only fits a one-year lag, so the
  instrument is ``log(1 + ai_patents)`` lagged one year (``settings.ai_instrument_lag``).
  log(1 + .) because patent counts can be 0.
* Table 3 includes the Table 2 (2) controls (``settings.iv_controls``).
* Table 4 (1) outcome: ``log(1 + green_patents)`` (green invention patent applications).
  Table 4 (2) drops the four municipalities: 26 provinces x 10 years = 260 rows, whereas
  the paper prints N = 240.
* Tables 4 and 5 use the Table 2 (2) specification (with controls).

Beyond the paper: wild cluster bootstrap p-values (Rademacher and Webb weights) for
``logrobit`` in Tables 2 and 5 (``settings.bootstrap_reps``, 0 disables).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats as sps

from .bootstrap import wild_cluster_bootstrap
from .fe import fe_regression
from .iv import iv_regression
from .panel import panel_lags
from .results import RegressionResult
from .tables import LONG_COLUMNS, SPEC_COLUMNS, long_form, stars

CONTROLS = ("logHum", "logGdp", "logTown", "logGov")
DESCRIPTIVE_VARIABLES = ("green", "robit", "Gdp", "Town", "Hum", "Gov")
UNIT, TIME = "province_code", "year"
KEY_TERM = "logrobit"
BOOTSTRAP_TABLES = ("T2", "T5")
FE_LABELS = {UNIT: "Province FE", TIME: "Year FE"}


@dataclass(frozen=True)
class PaperSettings:
    """Estimation choices; defaults reproduce the paper's Stata 17 set-up as read in
    docs/econometrics.md. ``bootstrap_reps`` wild cluster bootstrap replications per
    weight type for logrobit in Tables 2 and 5 (0: none), drawn from ``bootstrap_seed``."""

    fe_convention: str = "reghdfe"
    iv_convention: str = "ivreg2"
    cov_type: str = "clustered"
    cluster: str = UNIT
    iv_small: bool = False
    ai_instrument_lag: int = 1
    iv_controls: bool = True
    bootstrap_reps: int = 999
    bootstrap_seed: int = 20240501


def paper_notes(settings: PaperSettings | dict | None = None) -> dict[str, list[str]]:
    """Per table, the readings of the paper's ambiguities that the estimates rest on."""
    s = _settings(settings)
    controls = ["Includes the Table 2 (2) controls; the paper prints only logrobit and the "
                "constant."]
    notes = {
        "T2": ["The paper's 'logRD' is estimated as logHum, the model's human-capital "
               "control (eq. 13)."],
        "T3": [f"(1) instrument: log(1 + AI patent applications) lagged {s.ai_instrument_lag} "
               "year(s); a one-year lag is the reading that gives the paper's N = 270.",
               *(controls if s.iv_controls else [])],
        "T4": ["(1) outcome: log(1 + green invention patent applications).",
               "(2) dropping Beijing, Shanghai, Tianjin, Chongqing leaves 26 x 10 = 260 rows; "
               "the paper prints 240.", *controls],
        "T5": list(controls),
    }
    if s.bootstrap_reps > 0:
        notes["T5"].append("With 8 to 11 clusters per region Rademacher weights have at most "
                           "2^G distinct draws; prefer the Webb p-value.")
    return notes


def prepare_panel(panel: pd.DataFrame, settings: PaperSettings) -> pd.DataFrame:
    """Logs and lags used by the tables."""
    frame = panel.copy()
    frame["logrobit"] = np.log(frame["robit"])
    for var in ("Hum", "Gdp", "Town", "Gov"):
        frame[f"log{var}"] = np.log(frame[var])
    frame["logai"] = np.log1p(frame["ai_patents"])
    frame["loggreenpat"] = np.log1p(frame["green_patents"])
    frame = panel_lags(frame, ["logrobit"], UNIT, TIME, lags=(1, 2))
    return panel_lags(frame, ["logai"], UNIT, TIME, lags=(settings.ai_instrument_lag,))


@dataclass(frozen=True)
class ModelSpec:
    """One column of a paper table: the sample, outcome, regressors and (IV) instruments."""

    table: str
    column: str
    data: pd.DataFrame
    y: str
    x: tuple[str, ...]
    instruments: tuple[str, ...] = ()


def paper_specs(panel: pd.DataFrame, settings: PaperSettings | dict | None = None
                ) -> list[ModelSpec]:
    """The specifications of Tables 2-5 (IV columns: ``x[0]`` endogenous, the rest exogenous)."""
    s = _settings(settings)
    frame = prepare_panel(panel, s)
    baseline = ("logrobit", *CONTROLS)
    iv_x = ("logrobit", *(CONTROLS if s.iv_controls else ()))
    municipality = frame["is_municipality"].astype(bool)
    ai_lag = f"logai_lag{s.ai_instrument_lag}"
    return [
        ModelSpec("T2", "1", frame, "green", ("logrobit",)),
        ModelSpec("T2", "2", frame, "green", baseline),
        ModelSpec("T3", "1", frame, "green", iv_x, (ai_lag,)),
        ModelSpec("T3", "2", frame, "green", iv_x, ("logrobit_lag1",)),
        ModelSpec("T3", "3", frame, "green", iv_x, ("logrobit_lag2",)),
        ModelSpec("T4", "1", frame, "loggreenpat", baseline),
        ModelSpec("T4", "2", frame.loc[~municipality], "green", baseline),
        *(ModelSpec("T5", region, frame.loc[frame["region"] == region], "green", baseline)
          for region in ("east", "central", "west")),
    ]


def _fit(spec: ModelSpec, s: PaperSettings) -> RegressionResult:
    common = dict(absorb=[UNIT, TIME], cov_type=s.cov_type, cluster=s.cluster)
    if spec.instruments:
        return iv_regression(spec.data, spec.y, [spec.x[0]], list(spec.instruments),
                             exog=list(spec.x[1:]), small=s.iv_small,
                             convention=s.iv_convention, **common)
    result = fe_regression(spec.data, spec.y, list(spec.x), convention=s.fe_convention,
                           **common)
    if spec.table in BOOTSTRAP_TABLES and s.bootstrap_reps > 0 and s.cov_type == "clustered":
        result = replace(result, diagnostics={**result.diagnostics, **_bootstrap(spec, s)})
    return result


def _bootstrap(spec: ModelSpec, s: PaperSettings) -> dict[str, float]:
    """WCR bootstrap p-values for KEY_TERM with both weight types, from one fixed seed."""
    out = {f"wcb_p_{weights}": wild_cluster_bootstrap(
        spec.data, spec.y, list(spec.x), absorb=[UNIT, TIME], cluster=s.cluster,
        term=KEY_TERM, weights=weights, reps=s.bootstrap_reps, seed=s.bootstrap_seed).pvalue
        for weights in ("rademacher", "webb")}
    return {**out, "wcb_reps": s.bootstrap_reps, "wcb_seed": s.bootstrap_seed}


def paper_results(panel: pd.DataFrame, settings: PaperSettings | dict | None = None
                  ) -> dict[str, dict[str, RegressionResult]]:
    """Fitted models for Tables 2-5: ``{table: {column: result}}``. Tables 2 and 5 carry
    the wild bootstrap p-values of logrobit in ``diagnostics`` (``wcb_p_rademacher``,
    ``wcb_p_webb``, ``wcb_reps``, ``wcb_seed``) unless ``bootstrap_reps`` is 0."""
    s = _settings(settings)
    return _fit_all(paper_specs(panel, s), s)


def _fit_all(specs: list[ModelSpec], s: PaperSettings) -> dict[str, dict[str, RegressionResult]]:
    results: dict[str, dict[str, RegressionResult]] = {}
    for spec in specs:
        results.setdefault(spec.table, {})[spec.column] = _fit(spec, s)
    return results


def paper_tables(panel: pd.DataFrame, settings: PaperSettings | dict | None = None,
                 with_specs: bool = False) -> pd.DataFrame:
    """Tables 2-5 in long form (see :func:`tables.long_form`): columns ``LONG_COLUMNS``,
    plus the per-model ``SPEC_COLUMNS`` (depvar, estimator, convention, se_type,
    cluster_var, fixed_effects, instruments, inference) when ``with_specs``.
    ``attrs['notes']`` lists the readings of the paper's inconsistencies ("T2: ..."),
    ``attrs['table_notes']`` the same per table, ``attrs['settings']`` the settings used."""
    s = _settings(settings)
    specs = paper_specs(panel, s)
    frame = long_form(_fit_all(specs, s), {(m.table, m.column): m.instruments for m in specs})
    if not with_specs:
        frame = frame[LONG_COLUMNS]
    notes = paper_notes(s)
    frame.attrs["notes"] = [f"{table}: {note}" for table, lines in notes.items() for note in lines]
    frame.attrs["table_notes"] = notes
    frame.attrs["settings"] = asdict(s)
    return frame


def table1_descriptives(panel: pd.DataFrame,
                        variables: tuple[str, ...] = DESCRIPTIVE_VARIABLES) -> pd.DataFrame:
    """Stata ``summarize``: N, mean, sd (N - 1 denominator), min, max per variable."""
    data = panel[list(variables)]
    return pd.DataFrame({"N": data.count(), "mean": data.mean(), "sd": data.std(ddof=1),
                         "min": data.min(), "max": data.max()}).rename_axis("variable")


# the paper's names for our terms; Table 2 prints 'logRD' for the model's Hum
PAPER_TERMS = {"logRD": "logHum", "const": "_cons"}
# published IV statistics -> the long form's statistic; the paper's r2 (0.22 with province
# and year effects) can only be a within R-squared
PUBLISHED_STATISTICS = {"underid_lm": "underid_lm", "underid_p": "underid_p",
                        "weakid_f": "weakid_f", "r2": "r2_within"}
# the paper's own inconsistencies (METHOD.md), keyed by (table, column, paper variable);
# None matches any
PAPER_FLAGS = {
    ("T2", "2", "logRD"): "the paper labels this control logRD; the model (eq. 13) names Hum, "
                          "so it is compared with logHum",
    ("T3", "1", "logrobit"): "N = 270 with the AI-patent instrument implies a one-year lag, which the "
                       "paper does not state",
    ("T3", "2", "weakid_f"): "F printed as 1.3e+04 (two significant digits): differences below "
                             "500 are print precision",
    ("T3", None, "r2"): "the paper's r2 is read as a within R-squared (ivreg2 with FE dummies "
                        "prints a centred R-squared near 1)",
    ("T4", "2", None): "the paper prints N = 240; dropping Beijing, Shanghai, Tianjin and "
                       "Chongqing leaves 26 x 10 = 260",
}
COMPARISON_COLUMNS = ["paper_table", "table_column", "kind", "paper_variable", "term",
                      "published_value", "reproduced_value", "diff", "published_t",
                      "reproduced_t", "t_diff", "published_stars", "reproduced_stars",
                      "published_n", "reproduced_n", "flag"]


def published_comparison(long: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The paper's published estimates beside the reproduced ones.

    ``long``: Tables 2-5 in long form (mart names ``paper_table``/``table_column`` or
    ``table``/``column``), with the ``inference`` spec column. ``published``: the seed
    ``published_estimates`` (paper_table, table_column, variable, estimate, t_stat, stars,
    n_obs, underid_lm, underid_p, weakid_f, r2). One row per published coefficient
    (``kind = 'coefficient'``: value = estimate, with t) and per published IV statistic
    (``kind = 'statistic'``); ``diff`` and ``t_diff`` are reproduced minus published.

    ``flag`` lists the paper's own inconsistencies: the known ones (:data:`PAPER_FLAGS`)
    and three checks on the printed numbers: N differing from the reproduced sample; stars
    that the printed t (rounded, +- half a unit in its last digit) cannot give with the
    reproduced column's reference distribution (t with G - 1 df, or normal for z); the
    same printed t for one variable in several columns whose estimates differ.
    """
    long = long.rename(columns={"table": "paper_table", "column": "table_column"})
    long = long.assign(table_column=long["table_column"].astype(str))
    pub = published.assign(table_column=published["table_column"].astype(str))
    coefs = long[long["term"].notna()].set_index(["paper_table", "table_column", "term"])
    stats = long[long["statistic"].notna()].set_index(["paper_table", "table_column", "statistic"])

    def stat(table, column, name):
        key = (table, column, name)
        return float(stats.at[key, "value"]) if key in stats.index else None

    def reference(table, column):
        inference = (long.loc[(long["paper_table"] == table) & (long["table_column"] == column),
                              "inference"].dropna() if "inference" in long else pd.Series())
        clusters = stat(table, column, "n_clusters")
        if (not inference.empty and inference.iloc[0] == "z") or clusters is None:
            return "normal", sps.norm
        return f"t({clusters - 1:.0f})", sps.t(clusters - 1)

    rows = []
    for r in pub.itertuples(index=False):
        table, column, variable = r.paper_table, r.table_column, r.variable
        term = PAPER_TERMS.get(variable, variable)
        key = (table, column, term)
        found = key in coefs.index
        n_rep = stat(table, column, "N")
        base = dict(paper_table=table, table_column=column, published_n=r.n_obs,
                    reproduced_n=n_rep)
        flags = [_known_flag(table, column, variable)]
        if n_rep is not None and n_rep != r.n_obs:
            flags.append(f"N: paper {r.n_obs:.0f}, reproduced {n_rep:.0f}")
        flags.append(_stars_check(r.t_stat, r.stars, *reference(table, column)))
        flags.append(_same_t_check(pub, r))
        rows.append(dict(base, kind="coefficient", paper_variable=variable, term=term,
                         published_value=r.estimate,
                         reproduced_value=coefs.at[key, "estimate"] if found else None,
                         published_t=r.t_stat, reproduced_t=coefs.at[key, "t"] if found else None,
                         published_stars=r.stars if isinstance(r.stars, str) else "",
                         reproduced_stars=coefs.at[key, "stars"] if found else None,
                         flag="; ".join(f for f in flags if f) or None))
        for name, statistic in PUBLISHED_STATISTICS.items():
            value = getattr(r, name, None)
            if value is None or pd.isna(value):
                continue
            rows.append(dict(base, kind="statistic", paper_variable=name, term=statistic,
                             published_value=value,
                             reproduced_value=stat(table, column, statistic),
                             flag=_known_flag(table, column, name)))
    frame = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    for col in ("published_value", "reproduced_value", "published_t", "reproduced_t",
                "published_n", "reproduced_n"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    frame["diff"] = frame["reproduced_value"] - frame["published_value"]
    frame["t_diff"] = frame["reproduced_t"] - frame["published_t"]
    return frame


def _known_flag(table: str, column: str, variable: str) -> str | None:
    return "; ".join(text for (t, c, v), text in PAPER_FLAGS.items()
                     if t == table and c in (None, column) and v in (None, variable)) or None


def _stars_check(t: float, printed, label: str, dist) -> str | None:
    """Flag stars no value of the printed t (within its rounding) can produce."""
    if t is None or pd.isna(t):
        return None
    printed = printed if isinstance(printed, str) else ""
    decimals = len(f"{abs(t)}".split(".")[1]) if "." in f"{abs(t)}" else 0
    half = 0.5 * 10 ** -decimals
    low, high = (stars(2 * dist.sf(abs(t) + sign * half)) for sign in (-1, 1))
    if len(low) <= len(printed) <= len(high):
        return None
    p = 2 * dist.sf(abs(t))
    return (f"printed stars '{printed}' but t = {t:g} on {label} gives p = {p:.3f} "
            f"('{stars(p)}')")


def _same_t_check(published: pd.DataFrame, row) -> str | None:
    same = published[(published["paper_table"] == row.paper_table)
                     & (published["variable"] == row.variable)
                     & (published["t_stat"] == row.t_stat)]
    if len(same) < 2 or same["estimate"].nunique() < 2:
        return None
    return (f"the paper prints t = {row.t_stat:g} for {row.variable} in columns "
            f"{', '.join(same['table_column'])} although the estimates differ")


def _settings(settings: PaperSettings | dict | None) -> PaperSettings:
    if settings is None:
        return PaperSettings()
    if isinstance(settings, dict):
        return replace(PaperSettings(), **settings)
    return settings
