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
