"""Great Expectations Data Docs that render offline.

GX 1.24 writes pages that load Bootstrap, jQuery, Popper, bootstrap-table (with its
filter-control extension and bootstrap-datepicker), Font Awesome, Vega and a logo from CDNs;
without internet the index lists nothing (its table is drawn by bootstrap-table) and every
page is unstyled. :func:`make_offline` runs after every Data Docs build (each checkpoint run)
and makes the site self-sufficient:

1. it copies pinned assets from Python packages installed with greentrade (PyPI, see
   ``pyproject.toml``) into ``static/vendor/`` of the site: ``XStatic-jQuery`` 3.7.1 (GX asks
   for 3.7.1), ``XStatic-Bootstrap`` 4.5.3 (GX asks for 4.3.1; its bundle includes Popper 1.16,
   GX asks for 1.12.9), ``XStatic-Font-Awesome`` 6.2.1 (GX asks for 6.6.0; every icon GX uses
   exists in 6.2). ``static/vendor/VERSIONS.txt`` lists them;
2. it rewrites every page's ``<link>``/``<script>``/``<img>`` that points at a CDN to the
   local copy (relative path, so the site can be moved or mailed as a folder), and drops
   those with no use left: Vega (no greentrade expectation draws a chart), the dark theme,
   and bootstrap-table with filter-control and the date picker, which no package registry
   we install from ships;
3. it draws each table GX leaves to bootstrap-table (the index's list of validation results
   and of expectation suites) as plain HTML with Bootstrap's table classes, sorted as GX
   asks (newest run first), each row linking to its page -- so the index lists every
   validation even with JavaScript off. The column filters and search box of
   bootstrap-table are not reproduced.

Pages already rewritten carry ``<meta name="greentrade-offline">`` and are skipped; nothing
is ever fetched when a page is viewed. Links to greatexpectations.io stay links.
"""

from __future__ import annotations

import ast
import html
import logging
import os
import re
import shutil
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

log = logging.getLogger(__name__)

MARKER = '<meta name="greentrade-offline" content="assets from static/vendor">'


@dataclass(frozen=True)
class Asset:
    package: str        # importable XStatic module
    files: tuple[str, ...]  # paths inside its data folder (a folder copies whole)
    target: str         # folder under static/vendor/


ASSETS = {
    "jquery": Asset("xstatic.pkg.jquery", ("jquery.min.js",), "jquery"),
    "bootstrap": Asset("xstatic.pkg.bootstrap", ("css/bootstrap.min.css", "js/bootstrap.bundle.min.js"), "bootstrap"),
    "font-awesome": Asset("xstatic.pkg.font_awesome", ("css/all.min.css", "webfonts"), "font-awesome"),
}

# CDN address (substring) -> local file under static/vendor/, or None: drop the tag.
REWRITES: list[tuple[str, str | None]] = [
    ("code.jquery.com/jquery-", "jquery/jquery.min.js"),
    ("bootstrapcdn.com/bootstrap/4", None),  # css and js: replaced by the tags below
    ("popper.js/", None),                     # in bootstrap.bundle.min.js
    ("font-awesome/", "font-awesome/css/all.min.css"),
    ("bootstrap-table@", None),
    ("bootstrap-datepicker/", None),
    ("bootstrap-dark@", None),
    ("npm/vega", None),
]
LOGO_HOST = "great-expectations-web-assets.s3"

_TAG = re.compile(r"""<(?P<kind>script|link)\b[^>]*?\b(?:src|href)\s*=\s*["'](?P<url>(?:https?:)?//[^"']+)["'][^>]*?>(?:\s*</script>)?""",
                  re.IGNORECASE)
_IMG = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*["'])(?P<url>https?://[^"']+)(["'])""", re.IGNORECASE)


def vendor_versions() -> dict[str, str]:
    return {name: import_module(asset.package).VERSION for name, asset in ASSETS.items()}


def install_assets(site: Path) -> Path:
    """Copy the pinned assets into ``site/static/vendor`` (only what is missing or differs)."""
    vendor = Path(site) / "static" / "vendor"
    for asset in ASSETS.values():
        module = import_module(asset.package)
        base = Path(module.BASE_DIR)
        for name in asset.files:
            source, target = base / name, vendor / asset.target / name
            if source.is_dir():
                for file in sorted(source.iterdir()):
                    _copy(file, target / file.name)
            else:
                _copy(source, target)
    versions = "".join(f"{name} {version} (Python package {ASSETS[name].package}, PyPI)\n"
                       for name, version in vendor_versions().items())
    (vendor / "VERSIONS.txt").write_text(versions, encoding="utf-8")
    return vendor


def _copy(source: Path, target: Path) -> None:
    if target.exists() and target.stat().st_size == source.stat().st_size:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def rewrite_page(text: str, static: str) -> str:
    """One page with its CDN assets replaced by ``static``/vendor/... (``static`` is the
    relative path from the page to the site's ``static`` folder) and its bootstrap-tables drawn."""
    vendor = f"{static}/vendor"
    replaced: set[str] = set()

    def tag(match: re.Match) -> str:
        url = match["url"]
        for needle, local in REWRITES:
            if needle in url:
                if local is None or local in replaced:
                    return ""
                replaced.add(local)
                if match["kind"].lower() == "link":
                    return f'<link rel="stylesheet" href="{vendor}/{local}">'
                return f'<script src="{vendor}/{local}"></script>'
        log.warning("Data Docs: dropped an unknown external asset %s", url)
        return ""

    text = _TAG.sub(tag, text)
    text = _IMG.sub(lambda m: m.group(1) + (f"{static}/images/" + re.sub(r"[?#].*", "", m["url"]).rsplit("/", 1)[-1]
                                             if LOGO_HOST in m["url"] else m["url"]) + m.group(3), text)
    head = (f'{MARKER}\n<link rel="stylesheet" href="{vendor}/bootstrap/css/bootstrap.min.css">\n')
    foot = f'<script src="{vendor}/bootstrap/js/bootstrap.bundle.min.js"></script>\n'
    # Bootstrap's CSS first (GX's own styles after it override it, as with the CDN order);
    # its JavaScript after jQuery, which the pages load in <head>
    text = re.sub(r"<head>", lambda m: m.group(0) + "\n" + head, text, count=1, flags=re.IGNORECASE)
    jquery = f'<script src="{vendor}/jquery/jquery.min.js"></script>'
    text = text.replace(jquery, jquery + "\n" + foot, 1) if jquery in text else text.replace("</head>", foot + "</head>", 1)
    return draw_tables(text)


# --- bootstrap-table, drawn at build time ------------------------------------------------------

_CALL = re.compile(r"\$\('#(?P<id>[^']+)'\)\.bootstrapTable\(\s*Object\.assign\(\s*\{")


def _literal_end(text: str, start: int) -> int:
    """Index just past the bracketed literal starting at ``text[start]`` (quotes respected)."""
    pairs = {"[": "]", "{": "}", "(": ")"}
    stack, i, quote = [], start, None
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            if not stack or stack.pop() != c:
                raise ValueError(f"unbalanced {c!r} at {i}")
            if not stack:
                return i + 1
        i += 1
    raise ValueError("unterminated literal")


def _field(text: str, pos: int, name: str) -> tuple[object, int]:
    match = re.compile(rf"\s*{name}\s*:\s*").match(text, pos)
    if not match:
        raise ValueError(f"expected {name}: at {pos}")
    end = _literal_end(text, match.end())
    return ast.literal_eval(text[match.end():end]), end


def draw_tables(text: str) -> str:
    """Replace every ``$('#id').bootstrapTable(Object.assign({columns, data, toolbar}, options))``
    by a static ``<table>`` in place of the empty one GX wrote."""
    while (call := _CALL.search(text)) is not None:
        table_id = call["id"]
        columns, pos = _field(text, call.end(), "columns")
        pos = text.index(",", pos) + 1
        data, pos = _field(text, pos, "data")
        toolbar_end = _literal_end(text, call.end() - 1)  # the first object: columns, data, toolbar
        options_at = text.index("{", toolbar_end)
        options = ast.literal_eval(text[options_at:_literal_end(text, options_at)])
        # the whole statement, from "$(" to the ");" closing bootstrapTable(...)
        statement_end = _literal_end(text, text.index("(", call.start() + len(f"$('#{table_id}').bootstrapTable")))
        end = text.index(";", statement_end) + 1
        text = text[:call.start()] + f"/* {table_id}: drawn as HTML by greentrade.quality.data_docs */" + text[end:]
        text = _replace_table(text, table_id, _table_html(table_id, columns, data, options))
        text = re.sub(rf'<div id="{re.escape(table_id)}-toolbar"[^>]*>.*?</div>', "", text, count=1, flags=re.S)
    return text


def _replace_table(text: str, table_id: str, drawn: str) -> str:
    pattern = re.compile(rf'<table\s+id="{re.escape(table_id)}"(?P<attrs>[^>]*)>\s*</table>', re.S)
    match = pattern.search(text)
    if not match:
        raise ValueError(f"Data Docs: no empty <table id={table_id!r}> for its bootstrapTable call")
    classes = re.search(r'class="([^"]*)"', match["attrs"])
    drawn = drawn.replace('class="', f'class="{classes.group(1) if classes else ""} ', 1)
    return text[:match.start()] + drawn + text[match.end():]


def _sort_key(value):
    return (value is None, value if isinstance(value, (int, float)) else str(value).strip().lower())


def _table_html(table_id: str, columns: list[dict], data: list[dict], options: dict) -> str:
    sort_name = options.get("sortName")
    if sort_name:
        column = next((c for c in columns if c.get("field") == sort_name), {})
        key = column.get("sortName", sort_name)
        data = sorted(data, key=lambda row: _sort_key(row.get(key)), reverse=options.get("sortOrder") == "desc")
    links = options.get("rowAttributes") == "rowAttributesLinks"
    head = "".join(f'<th class="text-{c.get("align", "left")}">{html.escape(str(c.get("title", c["field"])))}</th>'
                   for c in columns)
    rows = []
    for row in data:
        cells = "".join(f'<td class="text-{c.get("align", "left")}">{row.get(c["field"], "")}</td>' for c in columns)
        href = row.get("_table_row_link_path")
        if links and href:
            rows.append(f'<tr class="clickable-row" data-href="{html.escape(href)}" style="cursor: pointer" '
                        f'onclick="window.location = this.dataset.href">{cells}</tr>')
        else:
            rows.append(f"<tr>{cells}</tr>")
    return (f'<table id="{table_id}" class="table table-hover table-bordered" data-greentrade-rows="{len(data)}">'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


# --- the site ----------------------------------------------------------------------------------

def make_offline(site: Path) -> list[Path]:
    """Install the assets into the Data Docs ``site`` and rewrite its pages not yet rewritten;
    returns the pages rewritten."""
    site = Path(site)
    if not site.is_dir():
        return []
    install_assets(site)
    static = site / "static"
    done = []
    for page in sorted(site.rglob("*.html")):
        if page.is_relative_to(static):
            continue
        text = page.read_text(encoding="utf-8")
        if MARKER in text:
            continue
        prefix = Path(os.path.relpath(static, page.parent)).as_posix()
        page.write_text(rewrite_page(text, prefix), encoding="utf-8")
        done.append(page)
    return done


def external_assets(text: str) -> list[str]:
    """The addresses a page would fetch from the network when viewed (scripts, stylesheets,
    images); empty for a rewritten page."""
    return [m["url"] for m in _TAG.finditer(text)] + [m["url"] for m in _IMG.finditer(text)]
