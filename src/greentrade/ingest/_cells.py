"""Cell-level checks shared by the readers: numbers, labels, text decoding."""

from __future__ import annotations

import math
from pathlib import Path

from greentrade.reference import UnknownProvinceError, resolve_province

from .errors import SourceFormatError, found

_MISSING_TEXT = {"", "nan", "na", "n/a", "-", "--", "—", "…", "...", "null", "none", "#n/a"}


def number(value: object, file: Path, place: str, *, allow_empty: bool = False) -> float | None:
    """A finite float from a cell; ``None`` for an empty cell when ``allow_empty``."""
    if isinstance(value, bool):
        raise SourceFormatError(file, place, f"expected a number, found {value!r}")
    if isinstance(value, (int, float)):
        if math.isfinite(value):
            return float(value)
        raise SourceFormatError(file, place, f"expected a number, found {found(value)}")
    text = "" if value is None else str(value).strip()
    if text == "" and allow_empty:
        return None
    try:
        parsed = float(text.replace(",", "")) if text.lower() not in _MISSING_TEXT else None
    except ValueError:
        parsed = None
    if parsed is None or not math.isfinite(parsed):
        raise SourceFormatError(file, place, f"expected a number, found {found(value)}")
    return parsed


def text(value: object) -> str:
    """A label cell as text (numbers written by Excel as floats come back as ``12``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def province(label: object, file: Path, place: str) -> str:
    """Province code via :func:`greentrade.reference.resolve_province`, as a SourceFormatError."""
    try:
        return resolve_province(label)
    except UnknownProvinceError as error:
        message = str(error)
        raise SourceFormatError(file, place, message) from None


def decode(path: Path, encoding: str | None, source_key: str) -> str:
    """File text; a file that is not valid in the configured encoding gets a hint."""
    raw = path.read_bytes()
    if not raw.strip():
        raise SourceFormatError(path, "", "the file is empty")
    enc = (encoding or "utf-8").lower()
    try:
        return raw.decode("utf-8-sig" if enc in ("utf-8", "utf8") else enc)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        hint = ""
        if enc in ("utf-8", "utf8"):
            try:
                raw.decode("gb18030")
                hint = (
                    f"; it decodes as GB18030 (a Chinese-Windows/NBS export): set "
                    f'encoding = "gb18030" under [sources.{source_key}] in greentrade.toml'
                )
            except UnicodeDecodeError:
                pass
        raise SourceFormatError(
            path,
            f"line {line}",
            f"not valid {encoding or 'utf-8'} (byte 0x{raw[error.start]:02x} at offset "
            f"{error.start}){hint}",
        ) from None
