"""The report file itself: self-contained, every section, the right banner and labels."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest

from greentrade.report import data as report_data

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SECTIONS = ["settings", "provenance", "sources-by-year", "map", "heatmap", "decomposition", "coefficients", "descriptives",
            "regressions", "comparison", "documentation"]
FIGURES = ["fig-tile-map", "fig-heatmap", "fig-decomposition", "fig-totals", "fig-coefficients"]


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each table row."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if "id" in a}


def parse(path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_section_and_figure_is_present(synthetic_report):
    ids = parse(synthetic_report).ids()
    missing = set(SECTIONS + FIGURES) - ids
    assert not missing, f"report lacks elements {sorted(missing)}"


def test_images_are_embedded_pngs_and_written_beside(synthetic_report):
    images = [a for tag, a in parse(synthetic_report).tags if tag == "img"]
    assert len(images) == len(FIGURES)
    for image in images:
        assert image["src"].startswith("data:image/png;base64,")
        assert base64.b64decode(image["src"].split(",", 1)[1]).startswith(PNG_MAGIC)
    written = sorted(p.name for p in (synthetic_report.parent / "figures").glob("*.png"))
    assert len(written) == len(FIGURES)


def test_no_external_requests(synthetic_report):
    text = synthetic_report.read_text(encoding="utf-8")
    for tag, attrs in parse(synthetic_report).tags:
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not re.match(r"^(https?:)?//", value), f"<{tag} {name}={value!r}> would fetch over the network"
        assert tag not in ("script", "link", "iframe"), f"<{tag}> in a self-contained report"
    assert "@import" not in text and "url(http" not in text


def test_synthetic_banner_only_on_synthetic_data(synthetic_report, real_report):
    assert "synthetic-banner" in parse(synthetic_report).ids()
    assert "[SYNTHETIC]" in synthetic_report.read_text(encoding="utf-8")
    assert "synthetic-banner" not in parse(real_report).ids()


def test_banner_states_the_built_in_robot_effect(synthetic_report, real_report):
    from greentrade.demo import params as P
    assert "built-in-effect" in parse(synthetic_report).ids()
    text = synthetic_report.read_text(encoding="utf-8")
    assert "positive effect of robots on exports" in text
    assert f"elasticity {P.ROBOT_EXPORT_ELASTICITY:g}" in text
    assert "built-in-effect" not in parse(real_report).ids()


def test_settings_are_read_from_the_marts_and_shown(real_report):
    text = real_report.read_text(encoding="utf-8")
    assert "RCEP" in text and "social cost of carbon" in text and "2010-2012" in text


def test_settings_drift_is_flagged(synthetic_report, real_report):
    assert "settings-drift" in parse(synthetic_report).ids()  # built eua, configured social_cost
    assert "settings-drift" not in parse(real_report).ids()


def test_every_regression_table_with_all_its_rows(synthetic_report):
    text = synthetic_report.read_text(encoding="utf-8")
    for table in ["T2", "T3", "T4", "T5"]:
        body = re.search(rf'<table id="regression-table-{table}".*?</table>', text, re.S).group(0)
        # 3 terms x (coefficient + t) + 2 statistics, plus the header row
        assert body.count("<tr") == 1 + 3 * 2 + 2
    t5 = re.search(r'<table id="regression-table-T5".*?</thead>', text, re.S).group(0)
    assert t5.index(">east<") < t5.index(">central<") < t5.index(">west<")  # the paper's order


def test_comparison_missing_is_said_and_present_is_shown(synthetic_report, real_report):
    assert "comparison-missing" in parse(synthetic_report).ids()
    ids = parse(real_report).ids()
    assert "comparison-table" in ids and "comparison-missing" not in ids


def test_provenance_lists_every_file_with_its_hash(real_report):
    assert "ab" * 32 in real_report.read_text(encoding="utf-8")


def test_missing_warehouse_says_what_to_run(tmp_path):
    with pytest.raises(report_data.ReportInputError, match="greentrade build"):
        report_data.load(tmp_path / "absent.duckdb")


def test_sources_by_year_show_ceads_beside_eora_and_china_imbalance(synthetic_report, real_report):
    assert "sources-by-year-missing" in parse(synthetic_report).ids()
    text = real_report.read_text(encoding="utf-8")
    body = re.search(r'<table id="sources-by-year-table".*?</table>', text, re.S).group(0)
    assert body.count("<tr") == 1 + 3
    for shown in ("8,123", "7,712", "0.949", "+0.28", "-0.21", "FOD 2.9 %", "2619", "2720"):
        assert f"<td>{shown}</td>" in body, shown
    assert "IEA - DEPRECATED - CO2 emissions from fuel combustion" in text


def test_co2_settings_are_shown_and_their_drift_flagged(real_report, real_warehouse):
    text = real_report.read_text(encoding="utf-8")
    assert re.search(r'id="setting-co2-satellite"><code>iea_fuel_combustion</code>: IEA CO2 from fuel combustion', text)
    assert re.search(r'id="setting-province-co2"><code>ceads_levels</code>', text)
    built = report_data.load(real_warehouse, configured={"co2_satellite": "edgar_total", "province_co2": "ceads_levels"})
    assert "CO2: iea_fuel_combustion, provinces ceads_levels" in built.settings.label
    assert built.settings.differences() == {"co2_satellite": ("iea_fuel_combustion", "edgar_total")}
