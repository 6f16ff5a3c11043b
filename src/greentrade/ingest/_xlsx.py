"""Reading xlsx sheets as lists of rows (python-calamine: fast, no formatting)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from python_calamine import CalamineWorkbook

from .errors import SourceFormatError


def open_workbook(path: Path) -> CalamineWorkbook:
    if path.stat().st_size == 0:
        raise SourceFormatError(path, "", "the file is empty")
    if not zipfile.is_zipfile(path):
        raise SourceFormatError(
            path, "", "not an xlsx workbook (not a zip archive: truncated or another format)"
        )
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
