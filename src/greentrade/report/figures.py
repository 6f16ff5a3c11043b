"""The report's figures: pure functions from mart frames to matplotlib figures.

No warehouse access here (see :mod:`greentrade.report.data`); every function takes the frames
it draws and a ``label`` string naming the run's settings, which each figure prints, so a
PNG separated from the report still says which partner group, scope, carbon price and years
it shows (and whether the data are synthetic).
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: the report is written by a CLI and in CI

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import TwoSlopeNorm  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy import stats  # noqa: E402

# A tile-grid layout of China's 31 provincial units, (row, column), row 0 at the top: each
# province one equal tile placed near its geographic position and touching its main
# neighbours, in the style of the common China tile-grid maps (e.g. geofacet's
# china_prov_grid1). Tile maps give every province the same visual weight, which a choropleth
# of areas does not (Xinjiang would dominate, Shanghai vanish).
CHINA_TILE_GRID: dict[str, tuple[int, int]] = {
    "HL": (0, 7),
    "NM": (1, 4), "BJ": (1, 5), "LN": (1, 6), "JL": (1, 7),
    "XJ": (2, 1), "NX": (2, 2), "SX": (2, 3), "HE": (2, 4), "TJ": (2, 5),
    "QH": (3, 1), "GS": (3, 2), "SN": (3, 3), "HA": (3, 4), "SD": (3, 5),
    "XZ": (4, 1), "SC": (4, 2), "CQ": (4, 3), "HB": (4, 4), "AH": (4, 5), "JS": (4, 6), "SH": (4, 7),
    "YN": (5, 2), "GZ": (5, 3), "HN": (5, 4), "JX": (5, 5), "ZJ": (5, 6),
    "GX": (6, 3), "GD": (6, 4), "FJ": (6, 5),
    "HI": (7, 4),
}

SYNTHETIC_STAMP = "SYNTHETIC DEMO DATA: illustrates the pipeline, says nothing about China"


def _footer(fig: Figure, label: str, synthetic: bool, bottom: float = 0.055) -> None:
    """The provenance label (and the SYNTHETIC stamp) under the plot, then the layout with
    ``bottom`` (a fraction of the figure height) kept free for them."""
    fig.text(0.01, 0.005, label, fontsize=7, color="#444", ha="left", va="bottom")
    if synthetic:
        fig.text(0.01, 0.03, SYNTHETIC_STAMP, fontsize=8, color="#b00020", ha="left", va="bottom",
                 fontweight="bold")
    fig.tight_layout(rect=(0, bottom, 1, 1))


def _diverging_norm(values) -> TwoSlopeNorm:
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    bound = float(np.max(np.abs(finite))) if finite.size else 1.0
    bound = bound or 1.0
    return TwoSlopeNorm(vcenter=0.0, vmin=-bound, vmax=bound)


def tile_map(mean_green: pd.DataFrame, label: str, synthetic: bool) -> Figure:
    """Tile-grid map coloured by each province's mean green (billion USD) over the years.

    ``mean_green``: columns province_code, name_en, green_bn_usd (mean); provinces absent
    from it (Tibet, outside the panel) are drawn grey as "no data".
    """
    values = mean_green.set_index("province_code")["green_bn_usd"]
    norm = _diverging_norm(values)
    cmap = plt.get_cmap("RdYlGn")
    rows = 1 + max(r for r, _ in CHINA_TILE_GRID.values())
    cols = 1 + max(c for _, c in CHINA_TILE_GRID.values())
    fig, ax = plt.subplots(figsize=(8.5, 7.2))
    for code, (row, col) in CHINA_TILE_GRID.items():
        value = values.get(code, np.nan)
        colour = cmap(norm(value)) if np.isfinite(value) else "#d9d9d9"
        ax.add_patch(plt.Rectangle((col, rows - 1 - row), 0.94, 0.94, facecolor=colour, edgecolor="white"))
        dark = np.isfinite(value) and abs(norm(value) - 0.5) > 0.35
        text_colour = "white" if dark else "#111"
        ax.text(col + 0.47, rows - 1 - row + 0.60, code, ha="center", va="center", fontsize=11,
                fontweight="bold", color=text_colour)
        ax.text(col + 0.47, rows - 1 - row + 0.30, f"{value:.2f}" if np.isfinite(value) else "no data",
                ha="center", va="center", fontsize=7.5, color=text_colour)
    ax.set_xlim(-0.1, cols + 0.1)
    ax.set_ylim(-0.1, rows + 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    mappable = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(mappable, ax=ax, shrink=0.6, label="mean green, billion USD")
    ax.set_title("Green trade benefit by province (mean over the years)", fontsize=12)
    _footer(fig, label, synthetic)
    return fig


def heatmap(green: pd.DataFrame, label: str, synthetic: bool) -> Figure:
    """Heatmap of green (billion USD) by province (rows, Appendix Table A1 order) x year."""
    order = green.drop_duplicates("province_code").sort_values("sort_order")["name_en"].tolist()
    grid = green.pivot(index="name_en", columns="year", values="green_bn_usd").reindex(order)
    fig, ax = plt.subplots(figsize=(8.5, 9))
    image = ax.imshow(grid.to_numpy(), cmap="RdYlGn", norm=_diverging_norm(grid.to_numpy()), aspect="auto")
    ax.set_yticks(range(len(grid.index)), grid.index, fontsize=8)
    ax.set_xticks(range(len(grid.columns)), [str(y) for y in grid.columns], fontsize=8)
    fig.colorbar(image, ax=ax, shrink=0.7, label="green, billion USD")
    ax.set_title("Green trade benefit by province and year", fontsize=12)
    _footer(fig, label, synthetic)
    return fig


def value_decomposition(green: pd.DataFrame, label: str, synthetic: bool) -> Figure:
    """Mean VEX (up) and VIM (down) per province with their difference NV (marker), and the
    same for CEX / CIM / NC: the two halves of green = NV - PC x NC."""
    means = (green.groupby(["province_code", "name_en", "sort_order"], as_index=False)
             [["vex_bn_usd", "vim_bn_usd", "nv_bn_usd", "cex_mt", "cim_mt", "nc_mt"]].mean()
             .sort_values("nv_bn_usd", ascending=False))
    x = np.arange(len(means))
    fig, axes = plt.subplots(2, 1, figsize=(10, 7.5), sharex=True)
    for ax, (out, into, net, unit, title) in zip(axes, [
            ("vex_bn_usd", "vim_bn_usd", "nv_bn_usd", "billion USD", "Value added: VEX, VIM and NV = VEX - VIM"),
            ("cex_mt", "cim_mt", "nc_mt", "Mt CO2", "Embodied CO2: CEX, CIM and NC = CEX - CIM")]):
        ax.bar(x, means[out], color="#2b8cbe", label=out.split("_")[0].upper() + " (exports)")
        ax.bar(x, -means[into], color="#fdae6b", label=into.split("_")[0].upper() + " (imports, shown negative)")
        ax.plot(x, means[net], "k_", markersize=10, markeredgewidth=2, linestyle="none",
                label=net.split("_")[0].upper() + " (net)")
        ax.axhline(0, color="#555", linewidth=0.6)
        ax.set_ylabel(f"mean, {unit}")
        ax.set_title(title, fontsize=11)
        ax.legend(fontsize=8, loc="upper right")
    axes[-1].set_xticks(x, means["province_code"], fontsize=8)
    _footer(fig, label, synthetic)
    return fig


def totals_by_year(green: pd.DataFrame, label: str, synthetic: bool) -> Figure:
    """Sum over provinces of VEX, VIM (billion USD) and CEX, CIM (Mt CO2) per year, and the
    carbon price used (USD per tonne)."""
    totals = green.groupby("year")[["vex_bn_usd", "vim_bn_usd", "cex_mt", "cim_mt"]].sum()
    price = green.groupby("year")["carbon_price_usd_per_t"].first()
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    axes[0].plot(totals.index, totals["vex_bn_usd"], "o-", label="VEX")
    axes[0].plot(totals.index, totals["vim_bn_usd"], "s-", label="VIM")
    axes[0].set_title("Value added, all provinces", fontsize=10)
    axes[0].set_ylabel("billion USD")
    axes[1].plot(totals.index, totals["cex_mt"], "o-", label="CEX")
    axes[1].plot(totals.index, totals["cim_mt"], "s-", label="CIM")
    axes[1].set_title("Embodied CO2, all provinces", fontsize=10)
    axes[1].set_ylabel("Mt CO2")
    axes[2].plot(price.index, price, "d-", color="#636363", label="PC")
    axes[2].set_title("Carbon price PC", fontsize=10)
    axes[2].set_ylabel("USD per t CO2")
    for ax in axes:
        ax.legend(fontsize=8)
        ax.tick_params(labelsize=8)
    _footer(fig, label, synthetic, bottom=0.09)
    return fig


def critical_values(regressions: pd.DataFrame, level: float = 0.95) -> pd.Series:
    """The two-sided critical value of each (paper_table, table_column), from the distribution
    the tables' t and p use: Student t with the model's ``df_r`` (G - 1 with clustering: t(7)
    for a region of 8 provinces), the normal where the column reports z statistics."""
    spec = regressions.drop_duplicates(["paper_table", "table_column"]).set_index(["paper_table", "table_column"])
    df = (regressions[regressions["statistic"] == "df_r"].set_index(["paper_table", "table_column"])["value"]
          .reindex(spec.index))
    normal = spec["inference"].eq("z") if "inference" in spec else df.isna()
    q = 0.5 + level / 2
    values = [stats.norm.ppf(q) if z or pd.isna(d) else stats.t.ppf(q, d) for z, d in zip(normal, df)]
    return pd.Series(values, index=spec.index, name="critical_value")


def coefficient_plot(regressions: pd.DataFrame, label: str, synthetic: bool, term: str = "logrobit"
                     ) -> Figure:
    """The coefficient of ``term`` in every column of Tables 2-5 with its 95 % confidence
    interval, estimate +/- c x se with c from the distribution the tables use for that column
    (:func:`critical_values`: t with the column's df, e.g. t(29) with 30 province clusters,
    t(7) for the central region; z where the column reports z statistics)."""
    rows = regressions[regressions["term"].str.lower() == term.lower()].copy()
    crit = critical_values(regressions)
    rows["critical_value"] = [crit[(t, c)] for t, c in zip(rows["paper_table"], rows["table_column"])]
    rows["label"] = [f"Table {t[1:]} ({c})" for t, c in zip(rows["paper_table"], rows["table_column"])]
    rows = rows.iloc[::-1]
    y = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(rows) + 1.6))
    colours = plt.get_cmap("tab10")
    tables = list(dict.fromkeys(regressions["paper_table"]))
    for i, (_, r) in enumerate(rows.iterrows()):
        colour = colours(tables.index(r["paper_table"]) % 10)
        ax.errorbar(r["estimate"], i, xerr=r["critical_value"] * r["se"], fmt="o", color=colour, capsize=3)
    ax.axvline(0, color="#555", linewidth=0.8, linestyle="--")
    ax.set_yticks(y, rows["label"], fontsize=9)
    ax.set_xlabel(f"coefficient of {term} (95 % CI, the tables' t or z distribution)")
    ax.set_title(f"{term} across Tables 2-5", fontsize=12)
    _footer(fig, label, synthetic, bottom=0.065)
    return fig


def to_png(fig: Figure, path: Path | None = None, dpi: int = 110) -> bytes:
    """PNG bytes of ``fig`` (also written to ``path`` when given); closes the figure."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    data = buffer.getvalue()
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(data)
    return data


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
