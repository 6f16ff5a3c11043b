"""Render the report: one self-contained HTML file (CSS inline, figures as base64 PNG, no
external requests) plus every figure as a PNG under ``outputs/figures/``."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from greentrade.demo.disclosure import built_in_effects
from greentrade.reference import project_root
from greentrade.report import figures
from greentrade.report.data import (
    CARBON_PRICE_LABELS,
    CO2_SATELLITE_LABELS,
    PARTNER_LABELS,
    PROVINCE_CO2_LABELS,
    ReportData,
)
from greentrade.report.outputs import SYNTHETIC_BANNER
from greentrade.report.tables import comparison_grid, descriptives_grid, frame_grid, html_table, paper_table_grid


@dataclass
class Figure:
    id: str
    title: str
    caption: str
    uri: str
    path: Path


@dataclass
class Link:
    title: str
    href: str | None
    path: str | None
    note: str


def frame_table(frame: pd.DataFrame, digits: int = 4) -> dict:
    """A small frame for the template, laid out by the one table builder (:func:`frame_grid`)."""
    return html_table(frame_grid(frame, digits=digits))


def sources_by_year_table(frame: pd.DataFrame) -> dict:
    """China's CO2 in Eora26 beside CEADs' provincial total, and China's imbalance once ROW
    is set aside, one row per panel year (marts.dim_build_lineage_by_year)."""
    shown = pd.DataFrame({
        "year": frame["year"].astype(str), "Eora26 year": frame["eora_year"].astype(str),
        "labels_Q rows": frame["labels_q_rows"].astype(str),
        "China CO2, Eora26 (Mt)": frame["china_co2_eora_mt"].map("{:,.0f}".format),
        "provinces' CO2, CEADs (Mt)": frame["ceads_provincial_co2_mt"].map("{:,.0f}".format),
        "CEADs / Eora26": frame["ceads_over_eora_co2"].map("{:.3f}".format),
        "China output (bn USD)": frame["china_gross_output_bn_usd"].map("{:,.0f}".format),
        "China inputs (bn USD)": frame["china_inputs_bn_usd"].map("{:,.0f}".format),
        "output - inputs (bn USD)": frame["china_imbalance_bn_usd"].map("{:,.1f}".format),
        "(% of output)": (100 * frame["china_imbalance_share"]).map("{:+.2f}".format),
        "largest sector gap": [f"{s} {100 * v:.1f} %" for s, v in zip(frame["largest_imbalance_sector"],
                                                                       frame["largest_imbalance_share"])],
    })
    return frame_table(shown)


def _href(target: Path, report: Path) -> str:
    """A link the browser resolves relative to the report (portable when the folder moves)."""
    try:
        return Path(os.path.relpath(target, report.parent)).as_posix()
    except ValueError:  # another drive (Windows)
        return target.resolve().as_uri()


def dbt_docs_index(warehouse: Path | None) -> Path:
    """Where `greentrade docs` wrote the dbt docs: DBT_TARGET_PATH, else beside a warehouse
    kept outside the project's warehouse/ folder (dbt_target/, as `greentrade build` does),
    else the project's target/. The first that holds an index.html, else the last."""
    candidates = []
    if os.environ.get("DBT_TARGET_PATH"):
        candidates.append(Path(os.environ["DBT_TARGET_PATH"]))
    if warehouse is not None:
        candidates.append(Path(warehouse).parent / "dbt_target")
    candidates.append(project_root() / "target")
    for folder in candidates:
        if (folder / "index.html").exists():
            return folder / "index.html"
    return candidates[-1] / "index.html"


def update_link(report: Path) -> Link:
    """The latest source-update report beside the report (``outputs/updates/``)."""
    from greentrade.report.updates import latest_report

    latest = latest_report(report.parent)
    if latest is None:
        return Link("Latest source update report", None, None,
                    "none yet: `greentrade ingest` writes one whenever a new or changed file is loaded")
    return Link(f"Latest source update report ({latest.stem.removeprefix('update_')}): what the last ingest "
                "changed, file by file, and its impact on the results", _href(latest, report), str(latest), "")


def documentation_links(report: Path, warehouse: Path | None = None) -> list[Link]:
    links = [update_link(report)]
    dbt_docs = dbt_docs_index(warehouse)
    links.append(Link("dbt documentation of the warehouse (every model and column, lineage graph)",
                      _href(dbt_docs, report) if dbt_docs.exists() else None,
                      str(dbt_docs) if dbt_docs.exists() else None,
                      "" if dbt_docs.exists() else "not generated yet: run `greentrade docs`"))
    try:
        from greentrade.quality import data_docs_index  # optional: the data-quality suite
        index = Path(data_docs_index())
        present = index.exists()
        links.append(Link("Great Expectations Data Docs (validation results of the sources and marts)",
                          _href(index, report) if present else None, str(index) if present else None,
                          "" if present else "not generated yet: run `greentrade validate`"))
    except Exception as error:  # noqa: BLE001 - the link is optional; say why it is absent
        links.append(Link("Great Expectations Data Docs", None, None,
                          f"not available in this installation ({type(error).__name__}: {error})"))
    return links


def build_figures(data: ReportData, figures_dir: Path) -> list[Figure]:
    label = data.settings.label
    synthetic = data.synthetic
    partner = PARTNER_LABELS.get(data.settings.partner_group, data.settings.partner_group)
    specs = [
        ("fig-tile-map", "green_tile_map", "Mean green trade benefit by province",
         f"Tile-grid map: one equal tile per province, placed near its geographic position. Colour: mean of green "
         f"(billion USD) over {data.settings.first_year}-{data.settings.last_year}, trade with {partner}. "
         "Tibet is outside the panel (grey).",
         figures.tile_map(data.mean_green, label, synthetic)),
        ("fig-heatmap", "green_heatmap", "Green trade benefit by province and year",
         f"green = NV - PC x NC (docs/method.md eq. (12)), billion USD, trade with {partner}; rows in the order of the "
         "paper's Appendix Table A1.", figures.heatmap(data.green, label, synthetic)),
        ("fig-decomposition", "vex_vim_cex_cim_by_province", "VEX / VIM and CEX / CIM by province",
         "Mean over the years of value added exported (VEX) and imported (VIM), and CO2 exported (CEX) and "
         "imported (CIM) in trade with the partner group, with the nets NV and NC; provinces sorted by NV.",
         figures.value_decomposition(data.green, label, synthetic)),
        ("fig-totals", "vex_vim_cex_cim_by_year", "VEX, VIM, CEX, CIM and the carbon price by year",
         "Sums over the 30 panel provinces; carbon price: "
         f"{CARBON_PRICE_LABELS.get(data.settings.carbon_price_series, data.settings.carbon_price_series)}.",
         figures.totals_by_year(data.green, label, synthetic)),
        ("fig-coefficients", "logrobit_coefficients", "Coefficient of logrobit across Tables 2-5",
         "Point estimate and 95 % confidence interval of logrobit in every column of Tables 2-5: estimate +/- "
         "c x standard error, with c from the distribution the tables use for that column (Student t with "
         "the column's df, G - 1 with clustering: t(29) for 30 provinces, t(7) for the 8 central provinces; "
         "the normal where a column reports z statistics). Table 4 column 1 has a different outcome (green "
         "invention patents), so its scale differs.",
         figures.coefficient_plot(data.regressions, label, synthetic)),
    ]
    built = []
    for element_id, name, title, caption, fig in specs:
        path = figures_dir / f"{name}.png"
        built.append(Figure(element_id, title, caption, figures.data_uri(figures.to_png(fig, path)), path))
    return built


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("greentrade.report", "templates"),
                              autoescape=jinja2.select_autoescape(["html", "j2"]),
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(data: ReportData, report_path: Path, figures_dir: Path) -> Path:
    """Write the report to ``report_path`` and its figures to ``figures_dir``."""
    report_path = Path(report_path)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    built_figures = build_figures(data, Path(figures_dir))
    sources = data.provenance.assign(loaded_at=data.provenance["loaded_at"].astype(str))
    by_source = (sources.groupby("source", as_index=False)
                 .agg(files=("file_path", "count"), rows=("row_count", "sum"), synthetic=("synthetic", "all"),
                      origin=("origin", lambda o: ", ".join(sorted(set(o))))))
    tables = [html_table(paper_table_grid(data.regressions, t), t) for t in dict.fromkeys(data.regressions["paper_table"])]
    top = data.mean_green.sort_values("green_bn_usd", ascending=False)
    html = _environment().get_template("report.html.j2").render(
        data=data, settings=data.settings, synthetic=data.synthetic, banner=SYNTHETIC_BANNER,
        built_in_effects=built_in_effects(),
        partner_label=PARTNER_LABELS.get(data.settings.partner_group, data.settings.partner_group),
        carbon_label=CARBON_PRICE_LABELS.get(data.settings.carbon_price_series, data.settings.carbon_price_series),
        differences=data.settings.differences(),
        figures={f.id: f for f in built_figures},
        sources=sources.to_dict("records"), by_source=by_source.to_dict("records"),
        regression_tables=tables,
        descriptives=html_table(descriptives_grid(data.descriptives)),
        comparison=html_table(comparison_grid(data.comparison)) if data.comparison is not None else None,
        co2_satellite_label=CO2_SATELLITE_LABELS.get(data.settings.co2_satellite, data.settings.co2_satellite),
        province_co2_label=PROVINCE_CO2_LABELS.get(data.settings.province_co2, data.settings.province_co2),
        sources_by_year=(sources_by_year_table(data.sources_by_year)
                         if data.sources_by_year is not None and not data.sources_by_year.empty else None),
        co2_rows=(sorted(set(data.sources_by_year["co2_rows"]))
                  if data.sources_by_year is not None and "co2_rows" in data.sources_by_year else []),
        top_green=frame_table(top[["name_en", "green_bn_usd"]].head(5).rename(
            columns={"name_en": "province", "green_bn_usd": "mean green, bn USD"}), 3),
        bottom_green=frame_table(top[["name_en", "green_bn_usd"]].tail(5).iloc[::-1].rename(
            columns={"name_en": "province", "green_bn_usd": "mean green, bn USD"}), 3),
        partners=frame_table(data.top_partners, 3) if not data.top_partners.empty else None,
        links=documentation_links(report_path, data.warehouse),
        update=update_link(report_path),
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        warehouse=str(data.warehouse),
    )
    report_path.write_text(html, encoding="utf-8")
    return report_path
