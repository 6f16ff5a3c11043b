"""The report as a browser sees it: headless Chromium loads the file with no network, and
every section, decoded image and table row is there.

Needs the Debian packages ``chromium`` (and ``chromium-driver`` for other tools); skipped
with the reason when the browser is absent. The check script is added to a *copy* of the
report (the report itself forbids scripts in its Content-Security-Policy): on ``load`` it
writes what it found into a ``<pre id="browser-check">`` that ``--dump-dom`` returns.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from .test_report_html import FIGURES, SECTIONS

BROWSERS = ("chromium", "chromium-browser", "google-chrome")

CHECK = """<script>
window.addEventListener("load", () => {
  const images = [...document.images];
  const result = {
    sections: [...document.querySelectorAll("section[id]")].map(s => s.id),
    figures: [...document.querySelectorAll("figure[id]")].map(f => f.id),
    images: images.length,
    decoded: images.filter(i => i.complete && i.naturalWidth > 0).length,
    regressionRows: Object.fromEntries([...document.querySelectorAll("table.regression")]
        .map(t => [t.id, t.querySelectorAll("tbody tr").length])),
    banner: !!document.getElementById("synthetic-banner"),
  };
  const pre = document.createElement("pre");
  pre.id = "browser-check";
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
});
</script>"""


def browser() -> str:
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium chromium-driver)")


def browser_check(report, tmp_path) -> dict:
    page = tmp_path / "report_with_check.html"
    html = report.read_text(encoding="utf-8")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>',
                  '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
                  'style-src \'unsafe-inline\'; script-src \'unsafe-inline\'">', html)
    page.write_text(html.replace("</body>", CHECK + "</body>"), encoding="utf-8")
    command = [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000",
               "--dump-dom", page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    match = re.search(r'<pre id="browser-check">(.*?)</pre>', done.stdout, re.S)
    assert match, f"Chromium returned no check (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.mark.slow
def test_browser_renders_every_section_image_and_table(synthetic_report, tmp_path):
    result = browser_check(synthetic_report, tmp_path)
    assert set(SECTIONS) <= set(result["sections"])
    assert set(FIGURES) <= set(result["figures"])
    assert result["images"] == len(FIGURES) and result["decoded"] == len(FIGURES), result
    assert set(result["regressionRows"]) == {f"regression-table-T{i}" for i in range(2, 6)}
    assert all(rows == 3 * 2 + 2 for rows in result["regressionRows"].values()), result["regressionRows"]
    assert result["banner"] is True


@pytest.mark.slow
def test_browser_shows_no_banner_on_real_data(real_report, tmp_path):
    assert browser_check(real_report, tmp_path)["banner"] is False
