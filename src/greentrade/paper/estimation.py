"""The paper's Tables 1-5 estimated on a province-year panel: the settings, the
specifications of each column, the fits and the long form the mart stores (the comparison
with the published numbers is :mod:`greentrade.paper.comparison`).

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

* The paper never says how it computed standard errors: clustering by province is the
  default reading (``settings.cov_type``, the ``vce`` setting), labelled "assumed".
* Panel lags (robit lag 1 and 2, AI patents lagged) are calendar lags within the panel years,
  defined once in ``marts.fct_province_year_panel`` (columns ``robit_lag1``, ``robit_lag2``,
  ``ai_patents_lag1``, ``ai_patents_lag2``); this module reads them and computes none.

Beyond the paper: wild cluster bootstrap p-values (Rademacher and Webb weights) for
``logrobit`` in Tables 2 and 5 (``settings.bootstrap_reps``, 0 disables); Table 4 column 3,
the Table 2 (2) model with robot exposure from the other employment-share variant (base-year
2010 shares when the main one uses year-t shares, as the paper does, and vice versa).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from greentrade.econometrics import fe_regression, iv_regression, wild_cluster_bootstrap
from greentrade.econometrics.absorb import factorize, mobility_groups
from greentrade.econometrics.results import LONG_COLUMNS, NotEstimableError, RegressionResult, long_form

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
    robit_shares: str = "current"  # which employment shares robit uses (current | base_year)


def paper_notes(settings: PaperSettings | dict | None = None) -> dict[str, list[str]]:
    """Per table, the readings of the paper's ambiguities that the estimates rest on."""
    s = _settings(settings)
    controls = ["Includes the Table 2 (2) controls; the paper prints only logrobit and the "
                "constant."]
    vce = {"clustered": f"Standard errors clustered by {s.cluster}: assumed (the paper does not "
                        "say how it computed its standard errors; setting vce).",
           "robust": "Heteroskedasticity-robust standard errors (setting vce; the paper does not "
                     "say how it computed its standard errors).",
           "unadjusted": "Unadjusted (iid) standard errors (setting vce; the paper does not say how "
                         "it computed its standard errors)."}[s.cov_type]
    other = "base-year (2010)" if s.robit_shares == "current" else "current-year"
    main = "current-year" if s.robit_shares == "current" else "base-year (2010)"
    notes = {
        "T2": ["The paper's 'logRD' is estimated as logHum, the model's human-capital "
               "control (eq. 13)."],
        "T3": [f"(1) instrument: log(1 + AI patent applications) lagged {s.ai_instrument_lag} "
               "year(s); a one-year lag is the reading that gives the paper's N = 270.",
               *(controls if s.iv_controls else [])],
        "T4": ["(1) outcome: log(1 + green invention patent applications).",
               "(2) dropping Beijing, Shanghai, Tianjin, Chongqing leaves 26 x 10 = 260 rows; "
               "the paper prints 240.",
               f"(3) beyond the paper: the Table 2 (2) model with robot exposure from {other} "
               f"employment shares (the other columns use {main} shares).", *controls],
        "T5": list(controls),
    }
    for lines in notes.values():
        lines.append(vce)
    if s.bootstrap_reps > 0:
        notes["T5"].append("With 8 to 11 clusters per region Rademacher weights have at most "
                           "2^G distinct draws; prefer the Webb p-value.")
    return notes


LAG_COLUMNS = ("robit_lag1", "robit_lag2")
SHARE_VARIANTS = {"current": "robit_current", "base_year": "robit_base_year"}


def prepare_panel(panel: pd.DataFrame, settings: PaperSettings) -> pd.DataFrame:
    """Logs used by the tables. The lags come with the panel (``robit_lag1``, ``robit_lag2``,
    ``ai_patents_lag<k>``: calendar lags within the panel years, as
    ``marts.fct_province_year_panel`` defines them and :func:`panel.panel_lags` computes
    them for a frame from elsewhere); none is computed here."""
    ai_lag = settings.ai_instrument_lag
    ai_column = f"ai_patents_lag{ai_lag}" if ai_lag else "ai_patents"
    missing = [c for c in (*LAG_COLUMNS, ai_column) if c not in panel]
    if missing:
        raise KeyError(f"the panel lacks the lag columns {missing}: they are defined in "
                       "marts.fct_province_year_panel (greentrade.econometrics.panel_lags gives the "
                       "same calendar lags for a frame from elsewhere)")
    frame = panel.copy()
    frame["logrobit"] = np.log(frame["robit"])
    frame["logrobit_lag1"] = np.log(frame["robit_lag1"])
    frame["logrobit_lag2"] = np.log(frame["robit_lag2"])
    for var in ("Hum", "Gdp", "Town", "Gov"):
        frame[f"log{var}"] = np.log(frame[var])
    frame[f"logai_lag{ai_lag}"] = np.log1p(frame[ai_column])
    frame["loggreenpat"] = np.log1p(frame["green_patents"])
    other = SHARE_VARIANTS["base_year" if settings.robit_shares == "current" else "current"]
    if other in frame:
        frame["logrobit_other_shares"] = np.log(frame[other])
    return frame


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
        *([ModelSpec("T4", "3", frame.assign(logrobit=frame["logrobit_other_shares"]), "green",
                     baseline)] if "logrobit_other_shares" in frame else []),
        *(ModelSpec("T5", region, frame.loc[frame["region"] == region], "green", baseline)
          for region in ("east", "central", "west")),
    ]


def _fit(spec: ModelSpec, s: PaperSettings) -> RegressionResult:
    used = spec.data[[spec.y, *spec.x, *spec.instruments]].notna().all(axis=1)
    if not used.any():
        raise NotEstimableError(f"no observation has {', '.join([spec.y, *spec.x, *spec.instruments])} "
                                f"(panel years {sorted(spec.data[TIME].unique().tolist())})")
    result = _estimate(spec, s, s.cov_type)
    extra = _readings(spec, s, result)
    if spec.table in BOOTSTRAP_TABLES and s.bootstrap_reps > 0 and s.cov_type == "clustered":
        extra |= _bootstrap(spec, s)
    return replace(result, diagnostics={**result.diagnostics, **extra})


def _estimate(spec: ModelSpec, s: PaperSettings, cov_type: str, small: bool | None = None
              ) -> RegressionResult:
    common = dict(absorb=[UNIT, TIME], cov_type=cov_type, cluster=s.cluster)
    if spec.instruments:
        return iv_regression(spec.data, spec.y, [spec.x[0]], list(spec.instruments),
                             exog=list(spec.x[1:]), convention=s.iv_convention,
                             small=s.iv_small if small is None else small, **common)
    return fe_regression(spec.data, spec.y, list(spec.x), convention=s.fe_convention, **common)


def _readings(spec: ModelSpec, s: PaperSettings, result: RegressionResult) -> dict[str, float]:
    """What a reader of the paper may have computed instead, for the published comparison:
    the residual df of the other VCE readings (``df_r_clustered``: G - 1 with clustering by
    ``s.cluster``; ``df_r_unclustered``: N - K - absorbed FE, the iid df of reghdfe, xtreg and
    ivreg2 small alike: province and year levels less the mobility groups), the number of FE
    levels, and for IV models the Kleibergen-Paap statistics under both non-iid VCEs
    (``kp_lm_robust``, ``kp_f_robust``, ``kp_lm_cluster``, ``kp_f_cluster``)."""
    used = spec.data.loc[spec.data[[spec.y, *spec.x, *spec.instruments]].notna().all(axis=1)]
    (unit, n_units), (time, n_times) = factorize(used[UNIT]), factorize(used[TIME])
    absorbed = n_units + n_times - mobility_groups(unit, n_units, time, n_times)
    out = {f"levels_{UNIT}": float(n_units), f"levels_{TIME}": float(n_times),
           "df_r_clustered": float(used[s.cluster].nunique() - 1),
           "df_r_unclustered": float(len(used) - len(spec.x) - absorbed)}
    if spec.instruments:
        robust = result if result.cov_type == "robust" else _estimate(spec, s, "robust")
        clustered = result if result.cov_type == "clustered" else _estimate(spec, s, "clustered")
        out |= {"kp_lm_robust": robust.diagnostics["kp_lm"], "kp_f_robust": robust.diagnostics["kp_f"],
                "kp_lm_cluster": clustered.diagnostics["kp_lm"],
                "kp_f_cluster": clustered.diagnostics["kp_f"]}
    return out


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


def _fit_all(specs: list[ModelSpec], s: PaperSettings, skipped: dict | None = None
             ) -> dict[str, dict[str, RegressionResult]]:
    """Fit every spec; a column its sample cannot identify (e.g. a one-year panel with year
    effects, or lags beyond the panel) is left out and its reason put in ``skipped``
    (``{(table, column): reason}``) when given, else raised."""
    results: dict[str, dict[str, RegressionResult]] = {}
    for spec in specs:
        try:
            results.setdefault(spec.table, {})[spec.column] = _fit(spec, s)
        except NotEstimableError as error:
            if skipped is None:
                raise
            skipped[spec.table, spec.column] = (str(error), spec)
    return results


def _not_estimated_row(spec: ModelSpec, s: PaperSettings, reason: str) -> dict:
    """The one long-form row of a column that could not be estimated: its specification,
    the observations it has (``n``) and ``statistic = 'not_estimated'``."""
    used = spec.data[[spec.y, *spec.x, *spec.instruments]].notna().all(axis=1)
    return dict(table=spec.table, column=spec.column, n=int(used.sum()), depvar=spec.y,
                estimator="2SLS" if spec.instruments else "OLS",
                convention=s.iv_convention if spec.instruments else s.fe_convention, se_type=s.cov_type,
                cluster_var=s.cluster if s.cov_type == "clustered" else None, fixed_effects=f"{UNIT},{TIME}",
                instruments=",".join(spec.instruments) or None, inference=None,
                statistic="not_estimated", value=np.nan)


def paper_tables(panel: pd.DataFrame, settings: PaperSettings | dict | None = None,
                 with_specs: bool = False) -> pd.DataFrame:
    """Tables 2-5 in long form (see :func:`greentrade.econometrics.long_form`): columns ``LONG_COLUMNS``,
    plus the per-model ``SPEC_COLUMNS`` (depvar, estimator, convention, se_type,
    cluster_var, fixed_effects, instruments, inference) when ``with_specs``.
    ``attrs['notes']`` lists the readings of the paper's inconsistencies ("T2: ..."),
    ``attrs['table_notes']`` the same per table, ``attrs['settings']`` the settings used. A
    column its sample cannot identify (:class:`NotEstimableError`) has no estimates, one
    ``statistic = 'not_estimated'`` row, and a note saying why."""
    s = _settings(settings)
    specs = paper_specs(panel, s)
    skipped: dict[tuple[str, str], tuple[str, ModelSpec]] = {}
    frame = long_form(_fit_all(specs, s, skipped), {(m.table, m.column): m.instruments for m in specs})
    if skipped:  # a column that cannot be estimated has one row saying so, and no estimates
        frame = pd.concat([frame, pd.DataFrame([_not_estimated_row(spec, s, reason)
                                                for reason, spec in skipped.values()])], ignore_index=True)
    if not with_specs:
        frame = frame[LONG_COLUMNS]
    notes = paper_notes(s)
    for (table, column), (reason, _) in skipped.items():
        notes.setdefault(table, []).append(f"({column}) not estimated: {reason}")
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


def _settings(settings: PaperSettings | dict | None) -> PaperSettings:
    if settings is None:
        return PaperSettings()
    if isinstance(settings, dict):
        return replace(PaperSettings(), **settings)
    return settings
