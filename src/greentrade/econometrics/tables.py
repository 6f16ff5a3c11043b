"""esttab-style publication tables from fitted results: pure string functions.

Each takes ``{column label: RegressionResult}`` and returns text: coefficients with
stars (* p<0.10, ** p<0.05, *** p<0.01), t (or z) statistics in parentheses, one row
per fixed-effect set, N, the R-squared the emulated command reports, IV diagnostics with
the Stock-Yogo 10 % maximal-size critical value, and notes on SE type, cluster variable
and convention.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from .results import RegressionResult

_R2_LABELS = {"r2": "R-squared", "r2_adj": "Adj. R-squared", "r2_within": "Within R-squared",
              "r2_within_adj": "Adj. within R-squared"}


def _stars(p: float) -> str:
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""


def _fmt(value, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _grid(results: Mapping[str, RegressionResult], terms: Sequence[str] | None,
          digits: int) -> tuple[list[str], list[list[str]], list[str]]:
    cols = list(results)
    res = list(results.values())
    terms = terms or list(dict.fromkeys(t for r in res for t in r.params.index))
    rows: list[list[str]] = []
    for term in terms:
        coef, tstat = [term], [""]
        for r in res:
            if term in r.params.index:
                coef.append(f"{r.params[term]:.{digits}f}{_stars(r.pvalues[term])}")
                tstat.append(f"({r.tstats[term]:.2f})")
            else:
                coef.append("")
                tstat.append("")
        rows += [coef, tstat]
    for fe in dict.fromkeys(a for r in res for a in r.absorb):
        rows.append([f"{fe} FE", *("Yes" if fe in r.absorb else "No" for r in res)])
    rows.append(["N", *(str(r.nobs) for r in res)])
    for key, label in _R2_LABELS.items():
        if any(getattr(r, key) is not None for r in res):
            rows.append([label, *(_fmt(getattr(r, key), digits) for r in res)])
    if any(r.diagnostics for r in res):
        def diag(key: str, r: RegressionResult):
            return r.diagnostics.get(key) if r.diagnostics else None

        lm_label = ("Underid. LM (KP rk / Anderson)"
                    if len({r.cov_type for r in res}) > 1 else
                    "Anderson canon. corr. LM" if res[0].cov_type == "unadjusted"
                    else "Kleibergen-Paap rk LM")
        rows.append([lm_label, *(_fmt(diag("underid_lm", r), digits) for r in res)])
        rows.append(["  p-value", *(_fmt(diag("underid_p", r), digits) for r in res)])
        rows.append(["Weak-id. F (CD / KP Wald)",
                     *(_fmt(diag("weakid_f", r), digits) for r in res)])
        rows.append(["Stock-Yogo 10% max. size c.v.",
                     *(_fmt((diag("stock_yogo", r) or {}).get(10), 2) for r in res)])
        if any(diag("hansen_j", r) is not None for r in res):
            rows.append(["Hansen J / Sargan", *(_fmt(diag("hansen_j", r), digits) for r in res)])
            rows.append(["  p-value", *(_fmt(diag("hansen_j_p", r), digits) for r in res)])
    notes = ["* p<0.10, ** p<0.05, *** p<0.01; "
             + ("z" if all(r.dist == "normal" for r in res) else "t")
             + " statistics in parentheses."]
    for label, r in results.items():
        se = r.cov_type + (f" by {r.cluster} ({r.n_clusters} clusters)"
                           if r.cluster else "")
        notes.append(f"({label}) {r.convention} conventions; SE {se}; "
                     f"{'t' if r.dist == 't' else 'z'} statistics.")
    return ["", *cols], rows, notes


def to_markdown(results: Mapping[str, RegressionResult], terms: Sequence[str] | None = None,
                title: str | None = None, digits: int = 3) -> str:
    header, rows, notes = _grid(results, terms, digits)
    out = [f"**{title}**", ""] if title else []
    out.append("| " + " | ".join(header) + " |")
    out.append("| " + " | ".join(["---"] + ["---:"] * (len(header) - 1)) + " |")
    out += ["| " + " | ".join(c.replace("*", r"\*") for c in row) + " |" for row in rows]
    out += [""] + notes
    return "\n".join(out) + "\n"


def _tex(text: str) -> str:
    return text.replace("_", r"\_").replace("%", r"\%")


def to_latex(results: Mapping[str, RegressionResult], terms: Sequence[str] | None = None,
             title: str | None = None, digits: int = 3) -> str:
    header, rows, notes = _grid(results, terms, digits)
    ncol = len(header)
    out = [r"\begin{table}[htbp]\centering"]
    if title:
        out.append(rf"\caption{{{_tex(title)}}}")
    out += [rf"\begin{{tabular}}{{l{'c' * (ncol - 1)}}}", r"\hline",
            " & ".join(f"({_tex(h)})" if h else "" for h in header) + r" \\", r"\hline"]
    for row in rows:
        cells = [_tex(row[0])] + [
            c.replace("***", "^{***}").replace("**", "^{**}").replace("*", "^{*}")
            for c in row[1:]]
        cells = [cells[0]] + [f"${c}$" if "^" in c else c for c in cells[1:]]
        out.append(" & ".join(cells) + r" \\")
    out += [r"\hline", r"\end{tabular}"]
    out += [rf"\par\footnotesize {_tex(n)}" for n in notes]
    out.append(r"\end{table}")
    return "\n".join(out) + "\n"


def to_csv(results: Mapping[str, RegressionResult], terms: Sequence[str] | None = None,
           digits: int = 3) -> str:
    header, rows, notes = _grid(results, terms, digits)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    writer.writerows([[n] for n in notes])
    return buffer.getvalue()
