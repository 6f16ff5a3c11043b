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
from scipy import stats as sps

from .absorb import factorize, mobility_groups
from .bootstrap import wild_cluster_bootstrap
from .fe import fe_regression
from .iv import iv_regression
from .results import NotEstimableError, RegressionResult
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
    """Tables 2-5 in long form (see :func:`tables.long_form`): columns ``LONG_COLUMNS``,
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


# the paper's names for our terms; Table 2 prints 'logRD' for the model's Hum
PAPER_TERMS = {"logRD": "logHum", "const": "_cons"}
# the paper's own inconsistencies (docs/method.md section 5.5), keyed by (table, column, paper variable);
# None matches any
PAPER_FLAGS = {
    ("T2", "2", "logRD"): "the paper labels this control logRD; the model (eq. 13) names Hum, "
                          "so it is compared with logHum",
    ("T3", "1", "logrobit"): "N = 270 with the AI-patent instrument implies a one-year lag, which the "
                       "paper does not state",
    ("T3", "2", "weakid_f"): "F printed as 1.3e+04 (two significant digits): differences below "
                             "500 are print precision",
    ("T4", "2", None): "the paper prints N = 240; dropping Beijing, Shanghai, Tianjin and "
                       "Chongqing leaves 26 x 10 = 260",
}
COMPARISON_COLUMNS = ["paper_table", "table_column", "kind", "paper_variable", "term",
                      "published_value", "reproduced_value", "diff", "published_t",
                      "reproduced_t", "t_diff", "published_stars", "reproduced_stars",
                      "stars_fit", "published_n", "reproduced_n", "reading", "flag"]
STATISTIC_LABELS = {
    "anderson_lm": "Anderson canonical-correlation LM (iid)",
    "kp_lm_robust": "heteroskedasticity-robust Kleibergen-Paap rk LM",
    "kp_lm_cluster": "cluster-robust Kleibergen-Paap rk LM",
    "cd_f": "Cragg-Donald Wald F (iid)",
    "kp_f_robust": "heteroskedasticity-robust Kleibergen-Paap rk Wald F",
    "kp_f_cluster": "cluster-robust Kleibergen-Paap rk Wald F",
}
PRINTED_STATISTICS = ("underid_lm", "underid_p", "weakid_f", "r2")


def published_comparison(long: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The paper's published estimates beside the reproduced ones.

    ``long``: Tables 2-5 in long form (mart names ``paper_table``/``table_column`` or
    ``table``/``column``), with the ``inference`` spec column and the reading statistics of
    :func:`_readings`. ``published``: the seed ``published_estimates`` (paper_table,
    table_column, variable, estimate, t_stat, stars, n_obs, underid_lm, underid_p, weakid_f,
    r2). One row per published coefficient (``kind = 'coefficient'``: value = estimate, with t)
    and per published IV statistic (``kind = 'statistic'``); ``diff`` and ``t_diff`` are
    reproduced minus published.

    ``stars_fit`` says, for a coefficient, under which inference reading the printed stars
    follow from the printed t (within its rounding): clustered by province (t with G - 1 df),
    unclustered (t with the iid residual df) or normal. ``reading`` says, for a statistic, what
    it can be (:func:`_read_statistics`: bounds and the LM-F pairing); ``term`` and
    ``reproduced_value`` are that statistic. ``flag`` lists the paper's own inconsistencies
    (:data:`PAPER_FLAGS`), the readings a printed statistic cannot be (with the reason) and
    three checks on the printed numbers: N differing from the reproduced sample; stars the
    printed t cannot give under the reproduced column's reference distribution; the same
    printed t for one variable in several columns whose estimates differ.
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

    def model(table, column):
        rows = long[(long["paper_table"] == table) & (long["table_column"] == column)]
        return {"k": int(rows["term"].notna().sum()),
                "excluded": (len(str(rows["instruments"].dropna().iloc[0]).split(","))
                             if "instruments" in rows and rows["instruments"].notna().any() else 0)}

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
                         stars_fit=_stars_fit(r.t_stat, r.stars, {
                             "df_r_clustered": stat(table, column, "df_r_clustered"),
                             "df_r_unclustered": stat(table, column, "df_r_unclustered")}),
                         flag="; ".join(f for f in flags if f) or None))
        printed = {name: getattr(r, name, None) for name in PRINTED_STATISTICS}
        if all(v is None or pd.isna(v) for v in printed.values()):
            continue
        readings = _read_statistics(printed, r.n_obs, model(table, column),
                                    lambda name, t=table, c=column: stat(t, c, name))
        for name, reading in readings.items():
            flag = "; ".join(f for f in (_known_flag(table, column, name), reading.pop("flag", None)) if f)
            rows.append(dict(base, kind="statistic", paper_variable=name, published_value=printed[name],
                             **reading, flag=flag or None))
    frame = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    for col in ("published_value", "reproduced_value", "published_t", "reproduced_t",
                "published_n", "reproduced_n"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    frame["diff"] = frame["reproduced_value"] - frame["published_value"]
    frame["t_diff"] = frame["reproduced_t"] - frame["published_t"]
    return frame


def _print_half_unit(value: float) -> float:
    """Half a unit in the last printed digit: the paper prints statistics to three decimals,
    except F = 1.3e+04 (two significant digits, seed value 13000)."""
    if value >= 1e4 and value % 1000 == 0:
        return 500.0
    return 0.0005


def _df_conventions(n: float, l_no_fe: int, provinces: float | None, years: float | None) -> dict:
    """The Cragg-Donald F's denominator df N - L - dofminus - sdofminus of each reading of
    the paper's 2SLS with province and year FE (L without FE: instruments + controls + _cons)."""
    out = {"FE not counted (ivreg2 without FE, or partial())": n - l_no_fe}
    if provinces and years:
        p, t = int(provinces), int(years)
        out |= {"ivreg2 with province and year dummies": n - l_no_fe - (p - 1) - (t - 1),
                "xtivreg2, fe with year dummies": n - (l_no_fe - 1 + t - 1) - p,
                "ivreghdfe, absorb(province year)": n - (l_no_fe - 1) - (p + t - 1),
                "ivreghdfe, absorb(province year) cluster(province)": n - (l_no_fe - 1) - t}
    return out


def _read_statistics(printed: dict, n: float, model: dict, stat) -> dict[str, dict]:
    """What each printed Table 3 statistic can be.

    The LM: a cluster-robust KP rk LM with one endogenous regressor is at most G (it is the
    squared length of the projection of the ones vector of the G cluster scores), a robust one
    at most N, Anderson's N x ev at most N. The LM and F are read as one iid pair when the
    Cragg-Donald F implied by the printed LM (ev = LM/N) and the printed F share a df
    N - L - dofminus - sdofminus of one of the readings in :func:`_df_conventions` (within
    the print precision of both). The p-value follows the LM's reading; the R-squared of
    2SLS with FE can only be a within R-squared (ivreg2 with FE dummies prints a centred
    R-squared that counts the FE as explained)."""
    lm, f = printed.get("underid_lm"), printed.get("weakid_f")
    out: dict[str, dict] = {}
    g = stat("levels_province_code")
    excluded = max(model["excluded"], 1)
    l_no_fe = model["k"] - 1 + excluded
    rejected, lm_term, f_term, pair, fits = [], None, None, None, {}
    if lm is not None and not pd.isna(lm):
        if g is not None and lm > g:
            rejected.append(f"not the {STATISTIC_LABELS['kp_lm_cluster']}: with one endogenous "
                            f"regressor it cannot exceed the number of clusters ({g:.0f})")
        if lm > n:
            rejected.append(f"not a {STATISTIC_LABELS['kp_lm_robust']} nor Anderson's LM: both are "
                            f"at most N ({n:.0f})")
        if f is not None and not pd.isna(f) and lm < n:
            implied = [fv * (1 - lv / n) / (lv / n) * excluded
                       for lv in (lm - 0.0005, lm + 0.0005)
                       for fv in (f - _print_half_unit(f), f + _print_half_unit(f))]
            low, high = min(implied), max(implied)
            conventions = _df_conventions(n, l_no_fe, g, stat("levels_year"))
            fits = {label: df for label, df in conventions.items() if low - 0.5 <= df <= high + 0.5}
            if fits:
                pair = next(iter(fits.items()))
            else:
                rejected.append(
                    f"the printed LM and F are not the Anderson LM and Cragg-Donald F of one "
                    f"regression: together they imply N - L = {(low + high) / 2:.1f}, where the readings "
                    f"give {', '.join(f'{df:.0f}' for df in conventions.values())}")
        feasible = [t for t in ("kp_lm_cluster", "kp_lm_robust", "anderson_lm")
                    if not (t == "kp_lm_cluster" and g is not None and lm > g) and lm <= n]
        lm_term = "anderson_lm" if pair else (feasible[0] if feasible else "kp_lm_cluster")
        f_term = {"anderson_lm": "cd_f", "kp_lm_robust": "kp_f_robust",
                  "kp_lm_cluster": "kp_f_cluster"}[lm_term]
        why = ("with the printed F it fits the Cragg-Donald F with "
               + "; ".join(f"N - L = {df:.0f} ({label})" for label, df in fits.items())
               if pair else "not determined by the printed F" if feasible else "no reading fits")
        out["underid_lm"] = dict(term=lm_term, reproduced_value=stat(lm_term),
                                 reading=f"{STATISTIC_LABELS[lm_term]}: {why}",
                                 flag="; ".join(rejected) or None)
    if printed.get("underid_p") is not None and not pd.isna(printed["underid_p"]) and lm_term:
        value, df = stat(lm_term), stat("underid_df")
        out["underid_p"] = dict(term=f"{lm_term}_p",
                                reproduced_value=(float(sps.chi2.sf(value, df))
                                                  if value is not None and df else None),
                                reading=f"p-value of the {STATISTIC_LABELS[lm_term]}, chi2({df or 1:.0f})")
    if f is not None and not pd.isna(f) and f_term:
        value = stat(f_term)
        reading = STATISTIC_LABELS[f_term]
        if pair and value is not None and stat("weakid_df"):
            value = value * pair[1] / stat("weakid_df")  # our F with the paper's df
            reading += (f" with N - L = {pair[1]:.0f} ({pair[0]}); reproduced with the same df "
                        f"(ours uses {stat('weakid_df'):.0f})")
        out["weakid_f"] = dict(term=f_term, reproduced_value=value, reading=reading,
                               flag=None if pair or not rejected else rejected[-1])
    r2 = printed.get("r2")
    if r2 is not None and not pd.isna(r2):
        centred = stat("r2")
        out["r2"] = dict(term="r2_within", reproduced_value=stat("r2_within"),
                         reading="within R-squared (xtivreg2's and ivreghdfe's e(r2))",
                         flag="not ivreg2's centred R-squared with the FE as dummies, which counts the "
                              "FE as explained" + (f" (reproduced {centred:.3f})" if centred is not None else ""))
    return out


def _known_flag(table: str, column: str, variable: str) -> str | None:
    return "; ".join(text for (t, c, v), text in PAPER_FLAGS.items()
                     if t == table and c in (None, column) and v in (None, variable)) or None


def _stars_range(t: float, dist) -> tuple[str, str]:
    """The stars the printed t can give within its rounding (+- half a unit in its last digit)."""
    decimals = len(f"{abs(t)}".split(".")[1]) if "." in f"{abs(t)}" else 0
    half = 0.5 * 10 ** -decimals
    low, high = (stars(2 * dist.sf(abs(t) + sign * half)) for sign in (-1, 1))
    return low, high


def _stars_check(t: float, printed, label: str, dist) -> str | None:
    """Flag stars no value of the printed t (within its rounding) can produce."""
    if t is None or pd.isna(t):
        return None
    printed = printed if isinstance(printed, str) else ""
    low, high = _stars_range(t, dist)
    if len(low) <= len(printed) <= len(high):
        return None
    p = 2 * dist.sf(abs(t))
    return (f"printed stars '{printed}' but t = {t:g} on {label} gives p = {p:.3f} "
            f"('{stars(p)}')")


def _stars_fit(t: float, printed, dfs: dict) -> str | None:
    """Which inference readings give the printed stars from the printed t: clustered by
    province (t, G - 1 df), unclustered (t, iid residual df) and normal."""
    if t is None or pd.isna(t):
        return None
    printed = printed if isinstance(printed, str) else ""
    readings = [(f"clustered t({dfs['df_r_clustered']:.0f})", sps.t(dfs["df_r_clustered"]))
                if dfs.get("df_r_clustered") else None,
                (f"unclustered t({dfs['df_r_unclustered']:.0f})", sps.t(dfs["df_r_unclustered"]))
                if dfs.get("df_r_unclustered") else None,
                ("normal", sps.norm)]
    fit, misfit = [], []
    for label, dist in filter(None, readings):
        low, high = _stars_range(t, dist)
        (fit if len(low) <= len(printed) <= len(high) else misfit).append(label)
    return (f"fits: {', '.join(fit) or 'none'}"
            + (f"; does not fit: {', '.join(misfit)}" if misfit else ""))


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
