"""CEADs China multi-regional input-output table (provinces x 42 or 30 sectors), one xlsx per
table.

Layout (docs/sources.md): rows 1-4 are headers (title with the year and ``单位：万元``;
province names above the first column of each sector block and of each five-column final-use
block; item names; sector codes ``01``..``NN``), data from row 5. Columns A-C: province (first
row of each sector block only: forward-filled), item name, code. Columns from D: Z (P x N),
final use (P x 5: ``农村居民消费``, ``城镇居民消费``, ``政府消费``, ``固定资本形成总额``,
``存货增加``), ``出口``, ``其他``, ``总产出``. Below Z: the imports (one row ``进口``, or, as in
the 30-sector tables, an intermediate-use row ``进口（中间使用）`` and a final-use row
``进口（最终使用）``), four value-added rows, ``增加值合计``, ``总投入``. Unit 10,000 CNY.

The sector list is recognised from the table itself: the code row of the first block runs
``01``..``NN`` and starts again at ``01`` with the next province; NN must be a list of
``greentrade.reference.CEADS_IO_SECTOR_LISTS`` (42: the 31-province tables of 2012-2017; 30:
the 30-province tables of 2010, Liu et al., and 2012, Mi et al. 2018). Every row carries it
(``n_sectors``), so two tables of one year (CEADs' 42-sector 2012 and Mi et al.'s) coexist.

Checks beyond the layout, all with relative tolerance ``balance_tolerance`` (floor 100 万元):
total output = total input for each province-sector; row sums (Z + final use + export +
other) = total output; column sums (Z + imports + total value added) = total input; the four
value-added rows sum to total value added; no negative total output; each province's total
output within ``output_bounds_10k_cny`` (a table in CNY is 10^4 too large).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from greentrade.reference import CEADS_IO_SECTOR_LISTS, ceads_io_sectors, normalise_label

from . import _cells
from ._xlsx import open_workbook, peek_rows, sheet_rows
from .errors import SourceFormatError, column_letter

FINAL_USE = ("农村居民消费", "城镇居民消费", "政府消费", "固定资本形成总额", "存货增加")
TAIL_COLUMNS = (("export", "出口"), ("other", "其他"), ("total_output", "总产出"))
IMPORT = "进口"
# the split import rows of the 30-sector tables, told apart by the use they name
IMPORT_INTERMEDIATE, IMPORT_FINAL = "进口（中间使用）", "进口（最终使用）"
VALUE_ADDED = ("劳动者报酬", "生产税净额", "固定资产折旧", "营业盈余")
TOTAL_VALUE_ADDED = "增加值合计"
TOTAL_INPUT = "总投入"
FIRST_COL = 3  # column D
FIRST_ROW = 4  # row 5 (0-based index)
ABS_TOLERANCE = 100.0  # 万元


def read(path: Path, *, output_bounds_10k_cny=(1.0e6, 1.0e10), balance_tolerance=1e-3, sheet=None, **_options):
    """Reader of source ``ceads_io``: one CEADs multi-regional IO table (xlsx).

    Parameters
    ----------
    path : pathlib.Path
        The workbook.
    output_bounds_10k_cny : tuple of float, default (1e6, 1e10)
        Bounds of each province's total output, 10,000 CNY (a table in CNY is 10^4 too large).
    balance_tolerance : float, default 1e-3
        Relative tolerance of the balance checks (floor 100 万元 = 1e6 CNY).
    sheet : str, optional
        The sheet holding the table; the first by default.

    Returns
    -------
    dict
        ``ceads_io_cells``: pandas frame of the ``raw.ceads_io_cells`` columns, every cell of
        the table by row and column (kind, province code, item), ``value`` in 10,000 CNY
        (万元, as published), ``n_sectors`` 42 or 30.

    Raises
    ------
    greentrade.ingest.errors.SourceFormatError
        A layout the reader does not recognise, an unknown province or sector, or a failed balance or
        bounds check; the message names the file and the place (sheet, row, column).
    """
    path = Path(path)
    workbook = open_workbook(path)
    names = workbook.sheet_names
    if sheet is None:
        if not names:
            raise SourceFormatError(path, "", "the workbook has no sheets")
        sheet = names[0]
    elif sheet not in names:
        raise SourceFormatError(path, f"sheet {sheet!r}", f"missing sheet; found {names}")
    rows = sheet_rows(workbook, path, sheet)
    table = _Table(path, sheet, rows)
    cells = table.parse()
    table.check(cells, balance_tolerance, output_bounds_10k_cny)
    return {"ceads_io_cells": cells}


def sector_count(path: Path, sheet=None) -> int:
    """The number of sectors of the table in ``path``, from its code row (row 4): the codes
    from column D up to where ``01`` comes again. Streams only the first rows (a look, for
    file discovery: the reader validates the whole header)."""
    codes = [_cells.text(c).zfill(2) for c in peek_rows(Path(path), FIRST_ROW, sheet)[3][FIRST_COL:]]
    if not codes or codes[0] != "01":
        raise SourceFormatError(path, f"row 4, column {column_letter(FIRST_COL)}",
                                f"expected sector code '01', found {codes[0] if codes else ''!r}")
    return next((k for k in range(1, len(codes)) if codes[k] == "01" or not codes[k].isdigit()), len(codes))


def file_key(year: str, n_sectors: int) -> str:
    """raw.load_log key of a table: its year for a 42-sector table, ``{year}_{n}sectors`` for
    another list (so CEADs' 2012 table and Mi et al.'s 30-sector one are two files)."""
    return year if n_sectors == 42 else f"{year}_{n_sectors}sectors"


class _Table:
    def __init__(self, path: Path, sheet: str, rows: list[list]):
        self.path, self.sheet, self.rows = path, sheet, rows
        if len(rows) <= FIRST_ROW or not rows or len(rows[0]) <= FIRST_COL:
            raise SourceFormatError(path, f"sheet {sheet!r}", f"expected four header rows and data from row 5, found {len(rows)} rows")

    def place(self, row: int, col: int | None = None) -> str:
        where = f"sheet {self.sheet!r}, row {row + 1}"
        if col is not None:
            where += f", column {column_letter(col)}"
        return where

    def fail(self, row, col, message):
        raise SourceFormatError(self.path, self.place(row, col), message)

    def cell(self, row: int, col: int) -> str:
        return _cells.text(self.rows[row][col]) if row < len(self.rows) and col < len(self.rows[row]) else ""

    # ---- headers -------------------------------------------------------------------------
    def year(self) -> int:
        title = " ".join(_cells.text(v) for v in self.rows[0])
        unit = re.search(r"单位[：:]\s*([^）)\s]+)", title)
        if unit and unit.group(1) != "万元":
            self.fail(0, 0, f"unit {unit.group(1)!r} in the title; expected 万元 (10,000 CNY)")
        for text in (title, self.path.name):
            match = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
            if match:
                return int(match.group(1))
        self.fail(0, 0, "no year in the title or the file name")

    def sector_list(self, fd_start: int) -> list[str]:
        """The sector codes of the table, recognised from the code row of the first block:
        ``01``..``NN`` up to where ``01`` comes again (or the final-use columns begin)."""
        codes = [self.cell(3, c).zfill(2) for c in range(FIRST_COL, fd_start)]
        n = next((k for k in range(1, len(codes)) if codes[k] == "01"), len(codes))
        lists = {size: ceads_io_sectors(size) for size in CEADS_IO_SECTOR_LISTS}
        named = self._named_list(lists)
        if named is not None and named != n:
            c = FIRST_COL + min(n, named)
            self.fail(3, c, f"the item-name row gives the {named}-sector list ({lists[named]['name_zh'].iloc[0]} .. "
                            f"{lists[named]['name_zh'].iloc[-1]}) but the code row runs 01..{codes[n - 1]} "
                            f"({n} codes before 01 comes again): the codes of a {n}-sector table in a {named}-sector one?")
        if n not in lists:
            known = ", ".join(f"{size} (01..{size})" for size in sorted(lists))
            self.fail(3, FIRST_COL + n - 1, f"the sector codes of the first block run 01..{codes[n - 1]} ({n} sectors); "
                                            f"expected a CEADs sector list: {known}")
        return list(lists[n]["ceads_io_sector_code"])

    def _named_list(self, lists: dict[int, pd.DataFrame]) -> int | None:
        """The sector list whose Chinese names the first block's item-name row spells exactly
        (None when none does: real names vary a little between vintages)."""
        for size, frame in lists.items():
            names = [normalise_label(self.cell(2, FIRST_COL + k)) for k in range(size)]
            if names == [normalise_label(n) for n in frame["name_zh"]]:
                return size
        return None

    def columns(self):
        """(col_kind, province code, item) for each data column from column D, the provinces
        and the sector codes."""
        width = len(self.rows[0])
        names = [self.cell(2, c) for c in range(width)]
        try:
            fd_start = names.index(FINAL_USE[0], FIRST_COL)
        except ValueError:
            self.fail(2, None, f"no final-use column {FINAL_USE[0]!r} in the item-name row")
        if fd_start == FIRST_COL:
            self.fail(3, FIRST_COL, f"no intermediate block before the first final-use column {FINAL_USE[0]!r}")
        codes = self.sector_list(fd_start)
        n_sectors = len(codes)
        n_z = fd_start - FIRST_COL
        if n_z % n_sectors:
            self.fail(3, FIRST_COL, f"expected the intermediate block to span provinces x {n_sectors} columns, "
                                    f"found {n_z} columns before {FINAL_USE[0]!r}")
        n_prov = n_z // n_sectors
        cols, provinces = [], []
        for p in range(n_prov):
            start = FIRST_COL + p * n_sectors
            label = self.cell(1, start)
            if not label:
                self.fail(1, start, f"expected a province name at the start of block {p + 1} ({n_sectors} sectors each), "
                                    "found an empty cell")
            code = _cells.province(label, self.path, self.place(1, start))
            if code in provinces:
                self.fail(1, start, f"province {label!r} appears twice")
            provinces.append(code)
            for s in range(n_sectors):
                c = start + s
                if s and self.cell(1, c):
                    self.fail(1, c, f"expected a blank inside the block of {label!r}, found {self.cell(1, c)!r}: "
                                    f"blocks of {n_sectors} sectors misaligned")
                if self.cell(3, c).zfill(2) != codes[s]:
                    self.fail(3, c, f"expected sector code {codes[s]!r}, found {self.cell(3, c)!r}")
                cols.append(("intermediate", code, codes[s]))
        c = fd_start
        fd_provinces = []
        for _ in range(n_prov):
            label = self.cell(1, c)
            code = _cells.province(label, self.path, self.place(1, c))
            fd_provinces.append(code)
            for item in FINAL_USE:
                if names[c] != item:
                    self.fail(2, c, f"expected final-use item {item!r}, found {names[c]!r}")
                cols.append(("final_use", code, item))
                c += 1
        if fd_provinces != provinces:
            self.fail(1, fd_start, f"final-use blocks are for provinces {fd_provinces}, the intermediate blocks for {provinces}")
        for kind, item in TAIL_COLUMNS:
            if c >= width or names[c] != item:
                self.fail(2, c, f"expected column {item!r}, found {names[c] if c < width else 'the end of the row'!r}")
            cols.append((kind, None, item))
            c += 1
        for extra in range(c, width):
            if any(self.cell(r, extra) for r in range(len(self.rows))):
                self.fail(2, extra, "unexpected column after '总产出'")
        return cols, provinces, codes

    def import_rows(self, r: int) -> list[tuple[str, str, int]]:
        """The import rows from row ``r``: one ``进口`` row, or the intermediate-use row and
        the final-use row of the 30-sector tables; (kind, item, row index) each."""
        name = self.cell(r, 1)
        if name == IMPORT:
            return [("import", name, r)]
        if normalise_label(name).startswith(IMPORT) and "中间" in name:
            final = self.cell(r + 1, 1) if r + 1 < len(self.rows) else ""
            if not (normalise_label(final).startswith(IMPORT) and "最终" in final):
                self.fail(r + 1, 1, f"expected the final-use import row {IMPORT_FINAL!r} after {name!r} (split imports "
                                    f"come as an intermediate-use and a final-use row), found {final!r}")
            return [("import", name, r), ("import", final, r + 1)]
        if normalise_label(name).startswith(IMPORT):
            self.fail(r, 1, f"expected {IMPORT!r}, or {IMPORT_INTERMEDIATE!r} followed by {IMPORT_FINAL!r}, found {name!r}")
        self.fail(r, 1, f"expected row {IMPORT!r} (or {IMPORT_INTERMEDIATE!r} and {IMPORT_FINAL!r}), found {name!r}")

    def row_labels(self, provinces, codes):
        """(row_kind, province code, item, row index) for each data row."""
        n_sectors = len(codes)
        out, r = [], FIRST_ROW
        for code in provinces:
            for s in range(n_sectors):
                if r >= len(self.rows):
                    self.fail(r, 0, f"the file ends inside the intermediate rows (expected {len(provinces) * n_sectors}): truncated?")
                label = self.cell(r, 0)
                if s == 0:
                    if _cells.province(label, self.path, self.place(r, 0)) != code:
                        self.fail(r, 0, f"expected province {code} (the order of the column blocks), found {label!r}")
                elif label:
                    self.fail(r, 0, f"expected a blank (forward-filled province), found {label!r}: blocks of {n_sectors} rows misaligned")
                if self.cell(r, 2).zfill(2) != codes[s]:
                    self.fail(r, 2, f"expected sector code {codes[s]!r}, found {self.cell(r, 2)!r}")
                out.append(("intermediate", code, codes[s], r))
                r += 1
        if r >= len(self.rows):
            self.fail(r, 1, f"missing row {IMPORT!r}: truncated?")
        below = self.import_rows(r)
        r += len(below)
        expected = [("value_added", v) for v in VALUE_ADDED]
        expected += [("total_value_added", TOTAL_VALUE_ADDED), ("total_input", TOTAL_INPUT)]
        for kind, name in expected:
            if r >= len(self.rows):
                self.fail(r, 1, f"missing row {name!r}: truncated?")
            if self.cell(r, 1) != name:
                self.fail(r, 1, f"expected row {name!r}, found {self.cell(r, 1)!r}")
            below.append((kind, name, r))
            r += 1
        for kind, name, row in below:
            if self.cell(row, 0):
                self.fail(row, 0, f"expected a blank province cell in row {name!r}, found {self.cell(row, 0)!r}")
            out.append((kind, None, name, row))
        for extra in range(r, len(self.rows)):
            if any(self.cell(extra, c) for c in range(len(self.rows[extra]))):
                self.fail(extra, 0, f"unexpected row after {TOTAL_INPUT!r}")
        return out

    # ---- values --------------------------------------------------------------------------
    def parse(self) -> pd.DataFrame:
        year = self.year()
        cols, provinces, codes = self.columns()
        rows = self.row_labels(provinces, codes)
        n_z = len(provinces) * len(codes)
        self.shape = (n_z, len(cols))
        self.n_sectors = len(codes)
        values = np.full((len(rows), len(cols)), np.nan)
        for i, (kind, _, item, r) in enumerate(rows):
            row = self.rows[r]
            try:  # fast path: a row of plain numbers
                fast = np.asarray(row[FIRST_COL : FIRST_COL + len(cols)], dtype=float)
                if len(fast) == len(cols) and np.isfinite(fast).all() and not any(isinstance(x, (bool, str)) for x in row[FIRST_COL:]):
                    values[i] = fast
                    continue
            except (TypeError, ValueError):
                pass
            # below Z only the intermediate columns are required (none in the final-use
            # import row, whose values sit under the final-use columns); other cells are optional
            final_imports = kind == "import" and "最终" in item
            for j in range(len(cols)):
                c = FIRST_COL + j
                required = kind == "intermediate" or (j < n_z and not final_imports)
                v = _cells.number(row[c], self.path, self.place(r, c), allow_empty=not required)
                if v is not None:
                    values[i, j] = v
        self.values = values
        self.row_meta, self.col_meta = rows, cols
        ri, ci = np.nonzero(~np.isnan(values))
        row_meta = [np.array([m[k] for m in rows], dtype=object) for k in range(3)]
        col_meta = [np.array([m[k] for m in cols], dtype=object) for k in range(3)]
        return pd.DataFrame({
            "year": year,
            "n_sectors": self.n_sectors,
            "row_kind": row_meta[0][ri],
            "row_province_code": row_meta[1][ri],
            "row_item": row_meta[2][ri],
            "col_kind": col_meta[0][ci],
            "col_province_code": col_meta[1][ci],
            "col_item": col_meta[2][ci],
            "value": values[ri, ci],
        })

    def check(self, cells, tolerance, bounds) -> None:
        v = self.values
        n_z = self.shape[0]
        x_out = v[:n_z, -1]
        below = {m[2]: i for i, m in enumerate(self.row_meta) if m[0] not in ("intermediate", "import")}
        imports = [i for i, m in enumerate(self.row_meta) if m[0] == "import"]
        x_in = v[below[TOTAL_INPUT], :n_z]
        first_row = FIRST_ROW
        out_col = FIRST_COL + self.shape[1] - 1

        def label(i):
            return f"{self.col_meta[i][1]} {self.col_meta[i][2]}"

        negative = np.flatnonzero(x_out < 0)
        if negative.size:
            i = negative[0]
            self.fail(first_row + i, out_col, f"negative total output {x_out[i]:g} for {label(i)}")

        def compare(a, b, what, place):
            gap = np.abs(a - b)
            allowed = np.maximum(tolerance * np.abs(b), ABS_TOLERANCE)
            bad = np.flatnonzero(gap > allowed)
            if bad.size:
                i = bad[0]
                r, c = place(i)
                self.fail(r, c, f"{what} for {label(i)}: {a[i]:.6g} vs {b[i]:.6g} "
                                f"(off by {gap[i] / max(abs(b[i]), 1e-300):.3%}, tolerance {tolerance:.3%}); an unbalanced table")

        in_row = first_row + below[TOTAL_INPUT]
        compare(x_in, x_out, "total input differs from total output", lambda i: (in_row, FIRST_COL + i))
        uses = np.nansum(v[:n_z, :-1], axis=1)
        compare(uses, x_out, "intermediate + final use + export + other differs from total output", lambda i: (first_row + i, out_col))
        inputs = np.nansum(v[:n_z, :n_z], axis=0) + np.nansum(v[imports, :n_z], axis=0) + v[below[TOTAL_VALUE_ADDED], :n_z]
        compare(inputs, x_in, "intermediate inputs + imports + total value added differs from total input",
                lambda i: (in_row, FIRST_COL + i))
        va = sum(v[below[name], :n_z] for name in VALUE_ADDED)
        compare(va, v[below[TOTAL_VALUE_ADDED], :n_z], "the value-added rows do not add up to total value added",
                lambda i: (first_row + below[TOTAL_VALUE_ADDED], FIRST_COL + i))

        low, high = bounds
        per_province = x_out.reshape(-1, self.n_sectors).sum(axis=1)
        for p, total in enumerate(per_province):
            if not low <= total <= high:
                code = self.col_meta[p * self.n_sectors][1]
                self.fail(first_row + p * self.n_sectors, out_col,
                          f"total output of {code} is {total:.4g} 万元 = {total * 1e4:.4g} CNY, outside the plausible "
                          f"{low:g}-{high:g} 万元: values in CNY (x 10^4) or 100 million CNY instead of 10,000 CNY?")
