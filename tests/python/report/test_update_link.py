"""outputs/report.html links the latest source-update report (outputs/updates/), relative to
itself, in the provenance section and among the documentation links."""

from __future__ import annotations

import re

from greentrade.report import write_report


def test_report_links_the_latest_update_report(synthetic_warehouse, tmp_path):
    updates = tmp_path / "updates"
    updates.mkdir()
    for stamp in ("20260101T000000_000000Z", "20260301T120000_000000Z", "20260201T000000_000000Z"):
        (updates / f"update_{stamp}.html").write_text("<html></html>")
    html = write_report(synthetic_warehouse, tmp_path, configured_settings={}).read_text(encoding="utf-8")
    latest = re.search(r'<p id="latest-update">.*?</p>', html, re.S).group(0)
    assert 'href="updates/update_20260301T120000_000000Z.html"' in latest
    assert html.count('href="updates/update_20260301T120000_000000Z.html"') == 2  # provenance and documentation
    assert "update_20260201" not in html


def test_report_says_when_no_update_report_exists(synthetic_warehouse, tmp_path):
    html = write_report(synthetic_warehouse, tmp_path, configured_settings={}).read_text(encoding="utf-8")
    latest = re.search(r'<p id="latest-update">.*?</p>', html, re.S).group(0)
    assert "href" not in latest and "greentrade ingest" in latest
