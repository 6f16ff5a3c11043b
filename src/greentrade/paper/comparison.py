"""The paper's published estimates beside the reproduced ones, with the readings a printed
statistic can have and the paper's own inconsistencies (``marts.fct_published_comparison``)."""

from __future__ import annotations

import pandas as pd
from scipy import stats as sps

from greentrade.econometrics.results import stars

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
