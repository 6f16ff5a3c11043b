"""The C tokenizer (``eora26/_tokenizer.c``), the Eora26 reader's fast path.

It must give bit for bit the doubles Python's ``float()`` gives (correct rounding), skip
exactly the zero cells, and refuse -- never guess -- anything but the plain grid of numbers,
so that the reader's polars path names the fault. The reader's behaviour on malformed files
(the error messages) is tested in test_eora26.py / test_malformed.py, with either path.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from greentrade.ingest.eora26 import parse
from greentrade.ingest.errors import SourceFormatError

tokenizer = parse._tokenizer
pytestmark = pytest.mark.skipif(os.environ.get("GREENTRADE_EORA26_TOKENIZER") == "polars",
                                reason="GREENTRADE_EORA26_TOKENIZER=polars: the fast path is switched off")


def test_the_tokenizer_is_built():
    """`pip install -e .` compiles it (gcc is part of the machine); without it the reader is ~3x slower."""
    assert tokenizer is not None, "greentrade.ingest.eora26._tokenizer is missing: reinstall with a C compiler"


def _tokens(rng: np.random.Generator, n: int) -> list[str]:
    """Numbers written in every way a published file (or a tool re-saving it) might."""
    magnitude = 10.0 ** rng.uniform(-30, 30, n)
    values = magnitude * rng.choice([-1.0, 1.0], n) * rng.random(n)
    formats = ["%.17g", "%.6g", "%.15g", "%.3e", "%.12E", "%.10f", "%r", "%.16g", "%.19g", "%.25g"]
    tokens = []
    for i, v in enumerate(values):
        fmt = formats[i % len(formats)]
        tokens.append(repr(float(v)) if fmt == "%r" else fmt % v)
    tokens += ["0", "-0", "+0", "0.0", "0e0", "-0.000", "000", "0000123.4500", ".5", "5.", "+3", "-.25",
               "1E+05", "1e-5", "1e22", "1e23", "9007199254740992", "9007199254740993", "9007199254740995",
               "123456789012345678901234567890", "0.1", "0.3", "2.2250738585072014e-308", "5e-324", "4.9e-324",
               "1.7976931348623157e308", "1e-400", "0.000000000000000000000000000001", "12345678901234567890e-10",
               "1234567890123456789", "98765432109876543.21", "3.141592653589793238462643383279", "1.0000000000000002",
               "0.30000000000000004", "123.456e-25", "7e+0", "8E-0", "1" + "0" * 40, "0." + "0" * 40 + "1"]
    return tokens


def _grid_file(tmp_path, tokens: list[str], n_cols: int, newline: str = "\n", name: str = "m.txt"):
    rows = [tokens[i:i + n_cols] for i in range(0, len(tokens), n_cols)]
    rows[-1] += ["0"] * (n_cols - len(rows[-1]))
    path = tmp_path / name
    path.write_bytes(newline.join("\t".join(r) for r in rows).encode() + newline.encode())
    return path, (len(rows), n_cols), np.array([[float(t) for t in r] for r in rows])


def _dense(cells, shape) -> np.ndarray:
    out = np.zeros(shape)
    out[cells["row_idx"].to_numpy(), cells["col_idx"].to_numpy()] = cells["value"].to_numpy()
    return out


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_values_are_bit_identical_to_python_float_and_the_polars_path(tmp_path, monkeypatch, newline):
    rng = np.random.default_rng(7)
    tokens = _tokens(rng, 30000)
    path, shape, expected = _grid_file(tmp_path, tokens, 97, newline)
    native = parse._parse_native(path, shape)
    assert native is not None
    got = _dense(native, shape)
    assert np.array_equal(got.view(np.int64), expected.view(np.int64) * (expected != 0)), "not bit-identical"
    assert native.num_rows == np.count_nonzero(expected)  # zeros (and -0) skipped, nothing else
    monkeypatch.setenv("GREENTRADE_EORA26_TOKENIZER", "polars")
    assert parse._parse_native(path, shape) is None
    assert np.array_equal(_dense(parse.read_matrix_cells(path, shape), shape), got)


def test_a_large_file_is_split_into_chunks_and_closed_up_in_row_major_order(tmp_path, monkeypatch):
    rng = np.random.default_rng(3)
    shape = (613, 701)  # ~3 MB: several chunks
    t = rng.lognormal(3, 2, shape) * (rng.random(shape) < 0.5)
    path = tmp_path / "T.txt"
    np.savetxt(path, t, fmt="%.9g", delimiter="\t")
    monkeypatch.setattr(parse, "_native_threads", lambda: 5)
    cells = parse._parse_native(path, shape)
    expected = np.loadtxt(path, delimiter="\t")
    assert np.array_equal(_dense(cells, shape), expected)
    flat = cells["row_idx"].to_numpy().astype(np.int64) * shape[1] + cells["col_idx"].to_numpy()
    assert np.all(np.diff(flat) > 0)  # row-major, every cell once
    # trailing blank lines at the end of the file are allowed; the same lines inside are not
    path.write_bytes(path.read_bytes() + b"\n\r\n\n")
    assert np.array_equal(_dense(parse._parse_native(path, shape), shape), expected)
    lines = path.read_bytes().rstrip(b"\r\n").split(b"\n")
    lines.insert(300, b"")
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert parse._parse_native(path, shape) is None
    with pytest.raises(SourceFormatError, match=r"row 301"):
        parse.read_matrix_cells(path, shape)


def _parse(text: bytes, n_cols: int, is_last: bool = True, capacity: int = 100):
    rows, cols = np.empty(capacity, np.int32), np.empty(capacity, np.int32)
    values = np.empty(capacity, np.float64)
    cells, n_rows, status, row, col = tokenizer.parse_rows(text, 0, len(text), n_cols, is_last, rows, cols, values)
    return (cells, n_rows, status, row, col), list(zip(rows[:cells].tolist(), cols[:cells].tolist(),
                                                       values[:cells].tolist()))


@pytest.mark.parametrize("text, status, row, col", [
    (b"1\t2\n3\tabc\n", 1, 1, 1),       # text
    (b"1\t2\n3\t\n", 1, 1, 1),          # an empty cell
    (b"1\tNaN\n3\t4\n", 1, 0, 1),       # NaN
    (b"1\t2\ninf\t4\n", 1, 1, 0),       # inf
    (b"1\t1e999\n", 1, 0, 1),           # out of range
    (b"1\t2 \n", 1, 0, 1),              # a trailing space
    (b"1,5\t2\n", 1, 0, 0),             # a decimal comma
    (b"1\t2\t3\n", 2, 0, 3),            # a row too long
    (b"1\t2\n3\n", 2, 1, 1),            # a row too short
    (b"1\t2\n\n3\t4\n", 2, 1, 0),       # a blank line inside
    (b"1\t2\r3\t4\n", 1, 0, 1),         # a lone carriage return
    (b"1e\t2\n", 1, 0, 0),              # an exponent without digits
    (b"-\t2\n", 1, 0, 0),               # a sign alone
])
def test_anything_but_plain_numbers_is_refused_with_its_place(text, status, row, col):
    (cells, _, got_status, got_row, got_col), _ = _parse(text, 2)
    assert (got_status, got_row, got_col) == (status, row, col)


def test_rows_counts_and_blank_lines_at_the_end():
    result, cells = _parse(b"1\t0\n0\t-2.5\n\n\r\n", 2)
    assert result[:3] == (2, 2, 0) and cells == [(0, 0, 1.0), (1, 1, -2.5)]
    assert _parse(b"1\t0\n0\t-2.5\n\n", 2, is_last=False)[0][2] == 2  # only the last chunk may end blank
    assert _parse(b"1\t0\n0\t-2.5", 2)[0][:3] == (2, 2, 0)  # no line end after the last row
    assert _parse(b"1\t2\n3\t4\n", 2, capacity=3)[0][2] == 3  # output too small: refused, not overrun


def test_bad_arguments_raise():
    with pytest.raises(ValueError):
        tokenizer.parse_rows(b"1\n", 0, 5, 1, True, np.empty(1, np.int32), np.empty(1, np.int32), np.empty(1))
    with pytest.raises(TypeError):
        tokenizer.parse_rows(b"1\n", 0, 2, 1, True, np.empty(1, np.int64), np.empty(1, np.int32), np.empty(1))
    with pytest.raises(TypeError):  # read-only output
        tokenizer.parse_rows(b"1\n", 0, 2, 1, True, b"1234", np.empty(1, np.int32), np.empty(1))


def test_empty_file_and_missing_tokenizer_take_the_polars_path(tmp_path, monkeypatch):
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    assert parse._parse_native(empty, (2, 2)) is None
    with pytest.raises(SourceFormatError):
        parse.read_matrix_cells(empty, (2, 2))
    monkeypatch.setattr(parse, "_tokenizer", None)
    path, shape, expected = _grid_file(tmp_path, ["1.5", "0", "2", "3"], 2)
    assert parse._parse_native(path, shape) is None
    assert np.array_equal(_dense(parse.read_matrix_cells(path, shape), shape), expected)
