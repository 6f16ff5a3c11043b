"""Update reports: what an ingest changed, file by file, and what the next build changed in the
results. ``outputs/updates/update_<id>.html`` (self-contained) and ``.md``.

``greentrade ingest`` records, in the schema ``updates`` of the working warehouse and inside
each source's load transaction (:mod:`greentrade.ingest.changes`), every new, changed or
removed file: sha256 before and after, rows added / removed / changed per raw table, the
totals that moved by more than the threshold, and the checkpoint's expectations. After the
ingest it writes the report of that update (:func:`write_update_report`). After the next
successful ``greentrade build`` every update not yet followed by a build gets a section on
the marts (:func:`impact`: green, NV and NC by province-year and the coefficients of Tables
2-5, old against new; the previous build's marts are kept in the published warehouse's
schema ``marts_previous``, see :mod:`greentrade.snapshot`) and is rewritten.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import jinja2
import pandas as pd

UPDATES_DIR = "updates"
PREVIOUS_SCHEMA = "marts_previous"
PAPER_TABLES = ("T2", "T3", "T4", "T5")
TOP_PROVINCE_YEARS = 30  # rows of the largest changes shown (the Markdown and HTML say how many changed)


@dataclass
class Impact:
    """The marts of a build against those of the build it replaced."""

    build_id: str
    previous_build_id: str | None
    green: pd.DataFrame = field(default_factory=pd.DataFrame)        # province_code, name, year, old/new green, nv, nc
    coefficients: pd.DataFrame = field(default_factory=pd.DataFrame)  # paper_table, table_column, term, old, new

    @property
    def compared(self) -> bool:
        return self.previous_build_id is not None

    @property
    def changed_green(self) -> pd.DataFrame:
        g = self.green
        if g.empty:
            return g
        moved = (g["green_old"].fillna(math.nan) != g["green_new"]) | g["green_old"].isna() | g["green_new"].isna()
        return g[moved]

    def largest(self) -> str:
        """One line: the largest change in green it caused."""
        if not self.compared:
            return "no previous build to compare with (first build of this warehouse)"
        changed = self.changed_green
        if changed.empty:
            return f"green unchanged in every province-year (build {self.build_id} against {self.previous_build_id})"
        top = changed.iloc[0]
        return (f"largest change in green: {top['name_en']} ({top['province_code']}) {int(top['year'])}: "
                f"{_num(top['green_old'])} -> {_num(top['green_new'])} bn USD ({_pct(top['green_old'], top['green_new'])}); "
                f"{len(changed)} of {len(self.green)} province-years changed")


def _num(value, digits: int = 4) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


def _pct(old, new) -> str:
    if old is None or new is None or (isinstance(old, float) and math.isnan(old)) or (isinstance(new, float) and math.isnan(new)):
        return "new" if old is None or (isinstance(old, float) and math.isnan(old)) else "removed"
    if old == new:
        return "unchanged"
    if old == 0:
        return "from 0"
    return f"{(new - old) / abs(old) * 100:+.3g} %"


def _has(con, schema: str, table: str) -> bool:
    return bool(con.execute("select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
                            [schema, table]).fetchall()[0][0])


def build_ids(con, schema: str = "marts") -> list[str]:
    if not _has(con, schema, "dim_build_lineage"):
        return []
    return [r[0] for r in con.execute(f"select distinct build_id from {schema}.dim_build_lineage order by 1").fetchall()]


def impact(published: Path) -> Impact:
    """Compare the published warehouse's marts with ``marts_previous`` (the build it replaced)."""
    with duckdb.connect(str(published), read_only=True) as con:
        new_id = ", ".join(build_ids(con)) or "unrecorded"
        if not _has(con, PREVIOUS_SCHEMA, "fct_green_trade_benefit") or not _has(con, "marts", "fct_green_trade_benefit"):
            return Impact(new_id, None)
        old_id = ", ".join(build_ids(con, PREVIOUS_SCHEMA)) or "unrecorded"
        names = "left join marts.dim_provinces p using (province_code)" if _has(con, "marts", "dim_provinces") else ""
        green = con.sql(f"""
            select province_code, {'p.name_en' if names else 'province_code'} as name_en, year,
                   o.green_bn_usd as green_old, n.green_bn_usd as green_new,
                   o.nv_bn_usd as nv_old, n.nv_bn_usd as nv_new, o.nc_mt as nc_old, n.nc_mt as nc_new
            from marts.fct_green_trade_benefit n
            full outer join {PREVIOUS_SCHEMA}.fct_green_trade_benefit o using (province_code, year)
            {names}
            order by abs(coalesce(n.green_bn_usd, 0) - coalesce(o.green_bn_usd, 0)) desc, province_code, year
        """).df()
        coefficients = pd.DataFrame()
        if _has(con, "marts", "fct_paper_regressions") and _has(con, PREVIOUS_SCHEMA, "fct_paper_regressions"):
            tables = ", ".join(f"'{t}'" for t in PAPER_TABLES)
            coefficients = con.sql(f"""
                with n as (select paper_table, table_column, term, estimate, se from marts.fct_paper_regressions
                           where term is not null and paper_table in ({tables})),
                     o as (select paper_table, table_column, term, estimate, se from {PREVIOUS_SCHEMA}.fct_paper_regressions
                           where term is not null and paper_table in ({tables}))
                select paper_table, table_column, term, o.estimate as estimate_old, n.estimate as estimate_new,
                       o.se as se_old, n.se as se_new
                from n full outer join o using (paper_table, table_column, term)
                order by paper_table, table_column, term
            """).df()
    return Impact(new_id, old_id, green, coefficients)


# --- what an update changed, read back from the schema ``updates`` -----------------------------

@dataclass
class UpdateData:
    update_id: str
    recorded_at: str
    threshold: float
    files: pd.DataFrame
    tables: pd.DataFrame
    totals: pd.DataFrame
    loaded: pd.DataFrame
    expectations: pd.DataFrame
    synthetic: bool = False


def recorded_updates(con) -> list[str]:
    if not _has(con, "updates", "files"):
        return []
    return [r[0] for r in con.execute("select distinct update_id from updates.files order by 1").fetchall()]


def pending_updates(con) -> list[str]:
    """Updates that no build has followed yet."""
    if not _has(con, "updates", "files"):
        return []
    return [r[0] for r in con.execute("""
        select distinct update_id from updates.files
        where update_id not in (select update_id from updates.builds) order by 1""").fetchall()]


def read_update(con, update_id: str) -> UpdateData:
    def frame(table: str, order: str) -> pd.DataFrame:
        df = con.execute(f"select * from updates.{table} where update_id = ? order by {order}", [update_id]).df()
        return df.astype(object).where(df.notna(), None)  # SQL NULL stays None (not NaN) in the templates

    runs = frame("runs", "source")
    if runs.empty:
        raise KeyError(f"no update {update_id!r} recorded in the warehouse (schema updates)")
    files = frame("files", "source, file_key")
    from greentrade.lineage import is_synthetic_file

    synthetic = any(is_synthetic_file(p) for p in files["file_path"])
    recorded_at = pd.Timestamp(min(runs["recorded_at"])).strftime("%Y-%m-%d %H:%M:%S UTC")
    return UpdateData(update_id, recorded_at, float(runs["threshold"].iloc[0]), files,
                      frame("tables", "source, file_key, raw_table"),
                      frame("totals", "source, file_key, raw_table, dimension, abs(coalesce(relative_change, 1e300)) desc, member"),
                      frame("loaded", "source, file_key, raw_table, dimension"),
                      frame("expectations", "source, position"), synthetic)


# --- rendering ----------------------------------------------------------------------------------

def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("greentrade.report", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = lambda v, d=4: _num(None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v), d)
    env.filters["pct"] = lambda pair: _pct(*[None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
                                             for v in pair])
    env.filters["count"] = lambda v: "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{int(v):,}"
    env.filters["rel"] = _rel
    env.filters["short"] = lambda sha: "-" if not isinstance(sha, str) else sha
    return env


def _rel(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "new / gone"
    return f"{value * 100:+.2f} %"


def context(data: UpdateData, result: Impact | None, build_note: str | None = None) -> dict:
    sources = []
    for source, files in data.files.groupby("source", sort=True):
        items = []
        for row in files.itertuples(index=False):
            def pick(f, source=source, file_key=row.file_key):
                return f[(f["source"] == source) & (f["file_key"] == file_key)]
            items.append({"file": row._asdict(), "tables": pick(data.tables).to_dict("records"),
                          "totals": pick(data.totals).to_dict("records"),
                          "loaded": pick(data.loaded).to_dict("records")})
        expectations = data.expectations[data.expectations["source"] == source].to_dict("records")
        sources.append({"source": source, "files": items, "expectations": expectations})
    impact_ctx = None
    if result is not None:
        changed = result.changed_green
        impact_ctx = {"build_id": result.build_id, "previous_build_id": result.previous_build_id,
                      "compared": result.compared, "largest": result.largest(),
                      "n_changed": len(changed), "n_total": len(result.green),
                      "green": changed.head(TOP_PROVINCE_YEARS).to_dict("records"),
                      "coefficients": result.coefficients.to_dict("records"), "top": TOP_PROVINCE_YEARS,
                      "note": build_note}
    return {"update": data, "sources": sources, "impact": impact_ctx, "threshold_pct": f"{data.threshold * 100:g} %",
            "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}


def report_paths(outputs: Path, update_id: str) -> tuple[Path, Path]:
    folder = Path(outputs) / UPDATES_DIR
    return folder / f"update_{update_id}.html", folder / f"update_{update_id}.md"


def write_update_report(work: Path | duckdb.DuckDBPyConnection, update_id: str, outputs: Path,
                        result: Impact | None = None) -> tuple[Path, Path]:
    """Write ``outputs/updates/update_<id>.html`` and ``.md`` for ``update_id`` (read from the
    working warehouse ``work``), with the section on the marts when ``result`` is given."""
    if isinstance(work, duckdb.DuckDBPyConnection):
        data = read_update(work, update_id)
    else:
        with duckdb.connect(str(work), read_only=True) as con:
            data = read_update(con, update_id)
    values = context(data, result)
    html_path, md_path = report_paths(outputs, update_id)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    env = _environment()
    html_path.write_text(env.get_template("update.html.j2").render(**values), encoding="utf-8")
    md_path.write_text(env.get_template("update.md.j2").render(**values), encoding="utf-8")
    return html_path, md_path


def latest_report(outputs: Path) -> Path | None:
    """The newest update report under ``outputs/updates`` (names sort by time)."""
    folder = Path(outputs) / UPDATES_DIR
    reports = sorted(folder.glob("update_*.html")) if folder.is_dir() else []
    return reports[-1] if reports else None


def complete_pending(work: Path, published: Path, outputs: Path) -> tuple[Impact, list[Path]]:
    """After a successful build and publish: the impact of the build, added to (and recorded
    for) every update no build had followed yet. The caller holds the warehouse lock."""
    result = impact(published)
    written = []
    with duckdb.connect(str(work)) as con:
        for update_id in pending_updates(con):
            html_path, _ = write_update_report(con, update_id, outputs, result)
            con.execute("insert into updates.builds values (?, ?, ?, ?)",
                        [update_id, result.build_id, result.previous_build_id, dt.datetime.now(dt.UTC)])
            written.append(html_path)
    return result, written
