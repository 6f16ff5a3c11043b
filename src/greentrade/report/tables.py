"""The one table builder: every table the project prints (Markdown, LaTeX, CSV under
``outputs/tables`` and the HTML report) is a :class:`Grid` built here, with its title from
:data:`TABLE_TITLES`.

Fitted results are first turned into the long form (:func:`greentrade.econometrics.long_form`:
one row per coefficient, one per statistic, the model's specification repeated on each
row), the same shape the warehouse mart ``fct_paper_regressions`` stores.
:func:`regression_grid` lays one table of that long form out as text cells,
:func:`paper_table_grid` does so for one of the paper's Tables 2-5 from the mart, and
:func:`frame_grid` lays out a plain frame (Table 1, Appendix A1, the comparison). The
renderers :func:`render_markdown`, :func:`render_latex`, :func:`render_csv` print a grid and
:func:`html_table` hands it to the report's template. So a table formatted from
``RegressionResult`` objects, one formatted from the mart, and the report's copy go
through the same code.

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

from greentrade.econometrics.results import SPEC_COLUMNS, RegressionResult, long_form, stars
from greentrade.paper.estimation import FE_LABELS, KEY_TERM

# the mart's names for 'table' and 'column', which are SQL keywords
MART_NAMES = {"paper_table": "table", "table_column": "column"}

R2_LABELS = {"r2": "R-squared", "r2_within": "Within R-squared"}
INTEGER_STATISTICS = ("N", "n_clusters")

# the titles of every table the outputs and the report print, in one place
TABLE_TITLES = {
    "T1": "Table 1. Descriptive statistics",
    "T2": "Table 2. Industrial robots and the green trade benefit: two-way fixed effects",
    "T3": "Table 3. Instrumental-variable (2SLS) estimates with province and year fixed effects",
    "T4": "Table 4. Robustness: alternative outcome and sample",
    "T5": "Table 5. Heterogeneity by region",
    "A1": "Table A1. Green trade benefit by province and year (billion USD)",
    "comparison": "Published vs reproduced estimates",
}


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


# ---------------------------------------------------------------- the paper's tables from the marts

def paper_table_grid(results: pd.DataFrame, table: str, banner: str | None = None) -> Grid:
    """One of Tables 2-5 as an esttab grid, from the rows of ``marts.fct_paper_regressions``
    (four decimals, the paper's fixed-effect labels, the bootstrap note on ``logrobit``)."""
    return regression_grid(results[results["paper_table"] == table],
                           title=TABLE_TITLES.get(table, table), digits=4, banner=banner,
                           fe_labels=FE_LABELS, bootstrap_term=KEY_TERM)


def descriptives_grid(descriptives: pd.DataFrame, banner: str | None = None) -> Grid:
    """Table 1 from ``marts.fct_paper_descriptives``."""
    frame = descriptives.rename(columns={"variable": "Variable", "n_obs": "N", "mean": "Mean",
                                         "sd": "SD", "min": "Min", "max": "Max"})
    return frame_grid(frame, TABLE_TITLES["T1"], digits=4, banner=banner,
                      notes=["SD with the N - 1 denominator (Stata summarize). green in billion USD."])


def deviation_notes(green: pd.DataFrame) -> list[str]:
    """Where the data deviate from the paper's, as fct_green_trade_benefit records it."""
    notes = []
    for column, label in (("carbon_price_basis", "Carbon price"), ("co2_source", "CO2")):
        if column in green:
            notes += [f"{label}: {text}" for text in dict.fromkeys(green[column].dropna())]
    return notes


def green_grid(green: pd.DataFrame, banner: str | None = None) -> Grid:
    """Appendix Table A1: green by province (rows, in the paper's order) and year (columns),
    from :func:`greentrade.report.data.green_by_province`."""
    wide = (green.pivot(index="name_en", columns="year", values="green_bn_usd")
            .reindex(list(dict.fromkeys(green["name_en"]))).rename_axis("province").reset_index())
    wide.columns = [str(c) for c in wide.columns]
    return frame_grid(wide, TABLE_TITLES["A1"], digits=4, banner=banner,
                      notes=["green = NV - PC x NC (docs/method.md eq. (12)), billion USD.",
                             *deviation_notes(green)])


def comparison_grid(comparison: pd.DataFrame, banner: str | None = None) -> Grid:
    """The published estimates beside the reproduced ones, from ``marts.fct_published_comparison``."""
    frame = comparison.astype({c: "Int64" for c in ("published_n", "reproduced_n") if c in comparison})
    return frame_grid(frame, TABLE_TITLES["comparison"], digits=4, banner=banner, notes=[
        "value: coefficient (kind = coefficient) or IV statistic; diff and t_diff = reproduced - published.",
        "term and reading (statistics): the statistic a printed one can be (a cluster-robust KP LM with one "
        "endogenous regressor cannot exceed the number of clusters; a printed LM and F that fit one "
        "Anderson / Cragg-Donald pair give the df of the F); reproduced_value is that statistic.",
        "stars_fit (coefficients): the inference readings under which the printed stars follow from the printed "
        "t: clustered by province (t, G - 1 df), unclustered (t, iid residual df), normal.",
        "flag: the readings a statistic cannot be and why, the paper's own inconsistencies and checks of its "
        "printed numbers (stars against t under the run's vce, N, repeated t statistics)."])


def html_table(grid: Grid, table_id: str | None = None) -> dict:
    """A grid for the report's template: ``title``, ``columns`` (the header as the other
    renderers print it), ``rows`` and ``notes``. A regression table's ``columns`` leave out
    the label column and its ``rows`` are ``{label, cells, kind}``; a plain table's rows are
    lists of cells."""
    if "coef" not in grid.kinds:
        return {"id": table_id, "title": grid.title, "columns": list(grid.header),
                "rows": [list(row) for row in grid.rows], "notes": list(grid.notes)}
    return {"id": table_id, "title": grid.title,
            "columns": [_column_label(h) for h in grid.header[1:]],
            "rows": [{"label": row[0], "cells": row[1:], "kind": kind}
                     for row, kind in zip(grid.rows, grid.kinds)],
            "notes": list(grid.notes)}
