"""The one error a reader raises for a file that does not have its publisher's layout.

``str(error)`` is one line: the file (``<source folder>/<file name>``), the place in it and
what was expected versus found, e.g.::

    ceads_emissions/Emission_Inventories_for_30_Provinces_2017.xlsx, sheet 'Beijing2017',
    row 12, column 'Coke': expected a number, found 'n/a'
"""

from __future__ import annotations

from pathlib import Path


def display_path(path: Path | str) -> str:
    """``folder/name``: enough to find the file, short enough for one line."""
    path = Path(path)
    if path.parent.name:
        return f"{path.parent.name}/{path.name}"
    return path.name


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index (0 -> 'A', 27 -> 'AB')."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class SourceFormatError(ValueError):
    """A source file that does not match the layout documented in docs/sources.md."""

    def __init__(self, file: Path | str, place: str, message: str):
        self.file = str(file)
        self.place = place
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = display_path(self.file) if self.file else "<no file>"
        if self.place:
            where = f"{where}, {self.place}"
        return f"{where}: {self.message}"

    def __reduce__(self):
        return (type(self), (self.file, self.place, self.message))


def found(value: object) -> str:
    """How a bad cell is quoted in a message."""
    if value is None or (isinstance(value, str) and value == ""):
        return "an empty cell"
    if isinstance(value, float) and value != value:
        return "NaN"
    return repr(value)
