"""esttab-style publication tables: one formatter over the long form, three renderers.

Fitted results are first turned into the long form (:func:`long_form`: one row per
coefficient, one per statistic, the model's specification repeated on each row), the same
shape the warehouse mart ``fct_paper_regressions`` stores. :func:`regression_grid` lays one
table of that long form out as text cells, and :func:`render_markdown`,
:func:`render_latex` and :func:`render_csv` print the grid. So a table formatted from
``RegressionResult`` objects and one formatted from the mart go through the same code.

Conventions (as esttab with ``star(* 0.10 ** 0.05 *** 0.01)``): coefficients with stars,
t (or z) statistics in parentheses below, one row per fixed-effect set, N, clusters, the
R-squared by name, IV diagnostics (underidentification LM with p, weak-identification F
named after its statistic, the Stock-Yogo 10 % maximal-size critical value, Hansen J when
over-identified), wild cluster bootstrap p-values when present, and notes on the
convention, SE type and cluster variable.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from .results import RegressionResult

LONG_COLUMNS = ["table", "column", "term", "estimate", "se", "t", "p", "stars", "n",
                "statistic", "value"]
SPEC_COLUMNS = ["depvar", "estimator", "convention", "se_type", "cluster_var",
                "fixed_effects", "instruments", "inference"]
# the mart's names for 'table' and 'column', which are SQL keywords
MART_NAMES = {"paper_table": "table", "table_column": "column"}

R2_LABELS = {"r2": "R-squared", "r2_within": "Within R-squared"}
INTEGER_STATISTICS = ("N", "n_clusters")


def stars(p: float | None) -> str:
    """esttab's default thresholds: * p < 0.10, ** p < 0.05, *** p < 0.01."""
    if p is None or not math.isfinite(p):
        return ""
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""


# ---------------------------------------------------------------- results -> long form

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
    """Fitted results in long form: columns :data:`LONG_COLUMNS` + :data:`SPEC_COLUMNS`.

    ``results`` is ``{table: {column: result}}`` or, for one table, ``{column: result}``
    (``table`` is then empty). Statistic rows: N, n_clusters, df_r (the t distribution's
    df, absent for z statistics), r2, r2_adj, r2_within,
    r2_within_adj and every diagnostic (IV: underid_lm, underid_p, weakid_f, cd_f, kp_f,
    hansen_j, hansen_j_p, stock_yogo_10/15/20/25; wild bootstrap: wcb_*). ``instruments``
    names the excluded instruments of IV columns, keyed by (table, column).
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


# ---------------------------------------------------------------- long form -> grid

@dataclass
class Grid:
    """A table as text cells. ``kinds`` tags each row: 'coef', 't', 'stat' or 'plain';
    ``numeric`` marks the columns to right-align (default: all but the first)."""

    header: list[str]
    rows: list[list[str]]
    kinds: list[str]
    notes: list[str] = field(default_factory=list)
    title: str | None = None
    banner: str | None = None
    numeric: list[bool] | None = None

    def aligned_right(self) -> list[bool]:
        return self.numeric or [False] + [True] * (len(self.header) - 1)


def _num(value, digits: int) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return f"{value:.{digits}f}"


def _as_long(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.rename(columns=MART_NAMES)
    missing = {"column", "term", "estimate", "t", "p", "statistic", "value"} - set(frame.columns)
    if missing:
        raise ValueError(f"long form lacks the columns {sorted(missing)}; "
                         f"found {list(frame.columns)}")
    if "table" in frame and frame["table"].nunique() > 1:
        raise ValueError(f"expected the rows of one table, found tables "
                         f"{sorted(frame['table'].unique())}: select one first")
    return frame


def _column_spec(frame: pd.DataFrame, columns: list[str]) -> dict[str, dict]:
    present = [c for c in SPEC_COLUMNS if c in frame]
    first = frame.drop_duplicates("column").set_index("column")
    return {c: {k: (None if pd.isna(first.at[c, k]) else first.at[c, k]) for k in present}
            for c in columns}


def _same(values: list) -> bool:
    return len(set(values)) == 1


def regression_grid(long: pd.DataFrame | Mapping, terms: Sequence[str] | None = None,
                    title: str | None = None, digits: int = 3, banner: str | None = None,
                    fe_labels: Mapping[str, str] | None = None,
                    bootstrap_term: str | None = None) -> Grid:
    """One table of the long form (or ``{column: RegressionResult}``) as an esttab grid.

    ``terms`` selects and orders the coefficients (default: order of appearance, ``_cons``
    last); ``fe_labels`` names fixed-effect sets (``{'province_code': 'Province FE'}``,
    default ``'<name> FE'``); ``bootstrap_term`` is the coefficient the ``wcb_*`` p-values
    test, for the note. Stars come from the long form's ``stars`` column when it has one
    (the mart's), otherwise from ``p`` with :func:`stars`.
    """
    if not isinstance(long, pd.DataFrame):
        long = long_form(long)
    frame = _as_long(long)
    columns = list(dict.fromkeys(frame["column"].astype(str)))
    frame = frame.assign(column=frame["column"].astype(str))
    spec = _column_spec(frame, columns)
    coefs = frame[frame["term"].notna()]
    stats = frame[frame["statistic"].notna()]
    if terms is None:
        found = list(dict.fromkeys(coefs["term"]))
        terms = [t for t in found if t != "_cons"] + (["_cons"] if "_cons" in found else [])

    def coef_cell(column: str, term: str) -> tuple[str, str]:
        hit = coefs[(coefs["column"] == column) & (coefs["term"] == term)]
        if hit.empty:
            return "", ""
        r = hit.iloc[0]
        star = r["stars"] if "stars" in r and isinstance(r["stars"], str) else stars(r["p"])
        return f"{r['estimate']:.{digits}f}{star}", f"({r['t']:.2f})"

    def stat(column: str, name: str):
        hit = stats[(stats["column"] == column) & (stats["statistic"] == name)]
        return None if hit.empty else float(hit.iloc[0]["value"])

    def has(name: str) -> bool:
        return any(stat(c, name) is not None for c in columns)

    rows, kinds = [], []

    def add(label: str, cells: list[str], kind: str = "stat") -> None:
        rows.append([label, *cells])
        kinds.append(kind)

    for term in terms:
        cells = [coef_cell(c, term) for c in columns]
        add(term, [c[0] for c in cells], "coef")
        add("", [c[1] for c in cells], "t")

    fe_sets = [fe.split(",") if fe else [] for fe in (spec[c].get("fixed_effects") for c in columns)]
    labels = fe_labels or {}
    for fe in dict.fromkeys(f for sets in fe_sets for f in sets):
        add(labels.get(fe, f"{fe} FE"), ["Yes" if fe in sets else "No" for sets in fe_sets])
    if any(spec[c].get("depvar") for c in columns):
        add("Dependent variable", [spec[c].get("depvar") or "" for c in columns])
    add("N", [_num(stat(c, "N"), 0) for c in columns])
    if has("n_clusters"):
        add("Clusters", [_num(stat(c, "n_clusters"), 0) for c in columns])
    for key, label in R2_LABELS.items():
        if has(key):
            add(label, [_num(stat(c, key), digits) for c in columns])

    se_types = {spec[c].get("se_type") for c in columns if stat(c, "underid_lm") is not None}
    if has("underid_lm"):
        add("Kleibergen-Paap rk LM" if "unadjusted" not in se_types else
            "Anderson canon. corr. LM" if se_types == {"unadjusted"} else
            "Underid. LM (KP rk / Anderson)",
            [_num(stat(c, "underid_lm"), digits) for c in columns])
        add("  p-value", [_num(stat(c, "underid_p"), digits) for c in columns])
    if has("weakid_f"):
        add("Weak-id. F (KP Wald)" if "unadjusted" not in se_types else
            "Weak-id. F (Cragg-Donald)" if se_types == {"unadjusted"} else
            "Weak-id. F (CD / KP Wald)",
            [_num(stat(c, "weakid_f"), digits) for c in columns])
    if has("anderson_lm") and se_types - {"unadjusted"}:
        # what a reader assuming iid errors would print, beside the robust statistics
        add("Anderson canon. corr. LM (iid)", [_num(stat(c, "anderson_lm"), digits) for c in columns])
        add("Cragg-Donald Wald F (iid)", [_num(stat(c, "cd_f"), digits) for c in columns])
    if has("stock_yogo_10"):
        add("Stock-Yogo 10% max. size c.v.", [_num(stat(c, "stock_yogo_10"), 2) for c in columns])
    if has("hansen_j"):
        add("Hansen J" if "unadjusted" not in se_types else "Sargan",
            [_num(stat(c, "hansen_j"), digits) for c in columns])
        add("  p-value", [_num(stat(c, "hansen_j_p"), digits) for c in columns])
    for weights, label in (("rademacher", "Rademacher"), ("webb", "Webb")):
        if has(f"wcb_p_{weights}"):
            add(f"Wild bootstrap p ({label})",
                [_num(stat(c, f"wcb_p_{weights}"), digits) for c in columns])

    notes = _regression_notes(frame, columns, spec, stat, bootstrap_term)
    return Grid(header=["", *columns], rows=rows, kinds=kinds, notes=notes, title=title,
                banner=banner)


def _regression_notes(frame, columns, spec, stat, bootstrap_term) -> list[str]:
    inference = [spec[c].get("inference") or "t" for c in columns]
    kind = ("z" if set(inference) == {"z"} else "t" if set(inference) == {"t"}
            else "t (z where the column note says so)")
    notes = [f"* p<0.10, ** p<0.05, *** p<0.01; {kind} statistics in parentheses."]

    def describe(c: str) -> str:
        s = spec[c]
        se = s.get("se_type") or "unknown"
        if s.get("cluster_var"):
            se += f" by {s['cluster_var']}"
        text = f"{s.get('convention') or 'unstated'} conventions; SE {se}"
        return text + f"; {s.get('inference') or 't'} statistics."

    described = [describe(c) for c in columns]
    if _same(described):
        notes.append(("All columns: " if len(columns) > 1 else "") + described[0])
    else:
        notes += [f"({c}) {d}" for c, d in zip(columns, described)]
    instruments = [(c, spec[c].get("instruments")) for c in columns if spec[c].get("instruments")]
    if instruments:
        notes.append("Excluded instruments: "
                     + "; ".join(f"({c}) {i.replace(',', ', ')}" for c, i in instruments) + ".")
    reps = [stat(c, "wcb_reps") for c in columns if stat(c, "wcb_reps") is not None]
    if reps:
        seeds = {stat(c, "wcb_seed") for c in columns} - {None}
        notes.append(
            "Wild bootstrap p: wild cluster restricted bootstrap (null imposed, boottest's "
            f"default), H0: coefficient on {bootstrap_term or 'the key regressor'} = 0, "
            f"symmetric p, {int(max(reps))} replications"
            + (f", seed {int(next(iter(seeds)))}" if len(seeds) == 1 else "") + ".")
    if "notes" in frame:
        for text in dict.fromkeys(frame["notes"].dropna()):
            notes += [n for n in str(text).split(" | ") if n]
    return notes


def frame_grid(frame: pd.DataFrame, title: str | None = None, digits: int = 3,
               notes: Sequence[str] = (), banner: str | None = None) -> Grid:
    """A plain table (Table 1, Appendix A1, the published comparison) as a grid: integer
    columns as integers, other numbers with ``digits`` decimals, missing values blank."""
    def cell(value, integer: bool) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if isinstance(value, str):
            return value
        return f"{value:.0f}" if integer else f"{value:.{digits}f}"

    integer = {c: pd.api.types.is_integer_dtype(frame[c]) for c in frame.columns}
    rows = [[cell(v, integer[c]) for c, v in zip(frame.columns, values)]
            for values in frame.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns]
    return Grid(header=[str(c) for c in frame.columns], rows=rows, kinds=["plain"] * len(rows),
                notes=list(notes), title=title, banner=banner, numeric=numeric)


# ---------------------------------------------------------------- renderers

def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", r"\*").replace("|", r"\|")


def _column_label(label: str) -> str:
    """esttab numbers the columns: '1' -> '(1)'; named columns (regions) stay as they are."""
    return f"({label})" if label.isdigit() else label


def render_markdown(grid: Grid) -> str:
    out = [f"> {grid.banner}", ""] if grid.banner else []
    if grid.title:
        out += [f"**{_md(grid.title)}**", ""]
    regression = "coef" in grid.kinds
    header = [_column_label(h) if regression else h for h in grid.header]
    out.append("| " + " | ".join(_md(h) for h in header) + " |")
    out.append("|" + "".join("---:|" if right else "---|" for right in grid.aligned_right()))
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in grid.rows]
    for note in grid.notes:
        out += ["", _md(note)]
    return "\n".join(out) + "\n"


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}"}
_NUMBER = re.compile(r"^(\()?(-?\d+(?:\.\d+)?)(\))?(\*{0,3})$")


def tex_escape(text: str) -> str:
    """Text with LaTeX's special characters escaped."""
    return "".join(_TEX_SPECIAL.get(ch, ch) for ch in text)


def _tex_cell(text: str) -> str:
    """Numbers in math mode (a true minus sign), stars as superscripts; text escaped."""
    match = _NUMBER.match(text)
    if not match:
        return tex_escape(text)
    left, number, right, star = match.groups()
    return f"${left or ''}{number}{right or ''}" + (f"^{{{star}}}" if star else "") + "$"


def render_latex(grid: Grid) -> str:
    regression = "coef" in grid.kinds
    out = [f"% {grid.banner}"] if grid.banner else []
    out.append(r"\begin{table}[htbp]\centering")
    if grid.title:
        out.append(rf"\caption{{{tex_escape(grid.title)}}}")
    header = [_column_label(h) if regression else h for h in grid.header]
    spec = "l" + "".join("c" if right else "l" for right in grid.aligned_right()[1:])
    out += [rf"\begin{{tabular}}{{{spec}}}", r"\hline",
            " & ".join(tex_escape(h) for h in header) + r" \\", r"\hline"]
    previous = None
    for row, kind in zip(grid.rows, grid.kinds):
        if previous in ("coef", "t") and kind == "stat":
            out.append(r"\hline")
        out.append(" & ".join([tex_escape(row[0])] + [_tex_cell(c) for c in row[1:]]) + r" \\")
        previous = kind
    out += [r"\hline", r"\end{tabular}"]
    if grid.banner:
        out.append(rf"\par\footnotesize \textbf{{{tex_escape(grid.banner)}}}")
    out += [rf"\par\footnotesize {tex_escape(n)}" for n in grid.notes]
    out.append(r"\end{table}")
    return "\n".join(out) + "\n"


def render_csv(grid: Grid) -> str:
    """Header, rows, then one single-cell row per note; a demo banner as a '#' first line."""
    buffer = io.StringIO()
    if grid.banner:
        buffer.write(f"# {grid.banner}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(grid.header)
    writer.writerows(grid.rows)
    writer.writerows([[n] for n in grid.notes])
    return buffer.getvalue()


# ---------------------------------------------------------------- convenience

def to_markdown(results: Mapping[str, RegressionResult] | pd.DataFrame,
                terms: Sequence[str] | None = None, title: str | None = None,
                digits: int = 3, **options) -> str:
    """Markdown table from ``{column: RegressionResult}`` or one table's long form."""
    return render_markdown(regression_grid(results, terms, title, digits, **options))


def to_latex(results: Mapping[str, RegressionResult] | pd.DataFrame,
             terms: Sequence[str] | None = None, title: str | None = None,
             digits: int = 3, **options) -> str:
    """LaTeX table (``tabular`` in a ``table`` float) from results or one table's long form."""
    return render_latex(regression_grid(results, terms, title, digits, **options))


def to_csv(results: Mapping[str, RegressionResult] | pd.DataFrame,
           terms: Sequence[str] | None = None, digits: int = 3, **options) -> str:
    """CSV of the table grid from results or one table's long form."""
    return render_csv(regression_grid(results, terms, None, digits, **options))
