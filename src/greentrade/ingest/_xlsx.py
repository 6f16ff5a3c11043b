"""Reading xlsx sheets as lists of rows (python-calamine: fast, no formatting)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from python_calamine import CalamineWorkbook

from .errors import SourceFormatError

OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # the compound file of an Excel 97 (.xls) workbook


def open_workbook(path: Path, *, excel97: bool = False) -> CalamineWorkbook:
    """An xlsx workbook; with ``excel97`` also an Excel 97 (BIFF8, .xls) one."""
    if path.stat().st_size == 0:
        raise SourceFormatError(path, "", "the file is empty")
    with open(path, "rb") as handle:
        start = handle.read(len(OLE2_MAGIC))
    if excel97 and start == OLE2_MAGIC:
        pass
    elif not zipfile.is_zipfile(path):
        kind = "an HTML page" if start.lstrip().startswith(b"<") else "truncated or another format"
        if excel97:
            raise SourceFormatError(path, "", f"not an Excel 97 (.xls) or xlsx workbook (neither an OLE2 compound "
                                    f"file nor a zip archive: {kind})")
        raise SourceFormatError(path, "", f"not an xlsx workbook (not a zip archive: {kind})")
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own error types for broken archives
        raise SourceFormatError(path, "", f"cannot open the workbook: {error}") from None


def sheet_rows(workbook: CalamineWorkbook, path: Path, name: str) -> list[list]:
    """All rows of a sheet, from A1, padded to one width."""
    try:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as error:
        raise SourceFormatError(path, f"sheet {name!r}", f"cannot read the sheet: {error}") from None
    width = max((len(r) for r in rows), default=0)
    return [list(r) + [""] * (width - len(r)) for r in rows]


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _column_index(ref: str) -> int:
    index = 0
    for char in ref:
        if not char.isalpha():
            break
        index = index * 26 + ord(char.upper()) - ord("A") + 1
    return index - 1


def peek_rows(path: Path, rows: int, sheet: str | None = None) -> list[list[str]]:
    """The first ``rows`` rows of a sheet (``sheet``, else the first) of an xlsx workbook as
    text, streamed from the sheet's XML and stopped there: a look at a large table's header
    without loading the table (calamine parses a whole sheet before it gives a row)."""
    import xml.etree.ElementTree as ET

    open_workbook(path)  # the same refusals as a full read: empty, not a zip, unreadable
    try:
        with zipfile.ZipFile(path) as archive:
            book = ET.fromstring(archive.read("xl/workbook.xml"))
            sheets = [(s.get("name"), s.get(f"{_REL}id")) for s in book.iter(f"{_MAIN}sheet")]
            if not sheets:
                raise SourceFormatError(path, "", "the workbook has no sheets")
            rid = dict(sheets).get(sheet) if sheet is not None else sheets[0][1]
            if rid is None:
                raise SourceFormatError(path, f"sheet {sheet!r}", f"missing sheet; found {[n for n, _ in sheets]}")
            rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            target = next(r.get("Target") for r in rels.iter(f"{_PKG}Relationship") if r.get("Id") == rid)
            target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            shared = []
            if "xl/sharedStrings.xml" in archive.namelist():
                for _, item in ET.iterparse(archive.open("xl/sharedStrings.xml")):
                    if item.tag == f"{_MAIN}si":
                        shared.append("".join(t.text or "" for t in item.iter(f"{_MAIN}t")))
                        item.clear()
            out: list[list[str]] = [[] for _ in range(rows)]
            with archive.open(target) as stream:
                for _, element in ET.iterparse(stream):
                    if element.tag == f"{_MAIN}row" and int(element.get("r", "0")) >= rows:
                        break
                    if element.tag != f"{_MAIN}c":
                        continue
                    ref = element.get("r", "")
                    r = int("".join(ch for ch in ref if ch.isdigit())) - 1
                    if r >= rows:
                        break
                    kind, value = element.get("t"), element.find(f"{_MAIN}v")
                    if kind == "inlineStr":
                        text = "".join(t.text or "" for t in element.iter(f"{_MAIN}t"))
                    elif kind == "s" and value is not None:
                        text = shared[int(value.text)]
                    else:
                        text = value.text if value is not None and value.text else ""
                    c = _column_index(ref)
                    out[r].extend([""] * (c + 1 - len(out[r])))
                    out[r][c] = text.strip()
                    element.clear()
    except (KeyError, ET.ParseError, StopIteration, ValueError) as error:
        raise SourceFormatError(path, "", f"cannot read the workbook's first rows: {error}") from None
    return out
