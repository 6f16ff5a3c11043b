"""Per-source validation frames: small summaries of what one load wrote to ``raw``.

Each builder takes a DuckDB connection (inside the load's transaction, or on the working
warehouse for ``validate``), ``loads`` (one row per file: ``load_id``, ``file``, ``file_key``)
and the parameters of :func:`greentrade.quality.suites.parameters`, and returns a pandas frame
with a ``file`` column plus the columns the source's suite names. Aggregation happens in
DuckDB, so a frame has one row per matrix, province-sector or province-year -- never one
per Eora cell (2.7 million rows for the demo, 30 million per real year).

Grids: the expected units (panel provinces x sectors, x configured years, ...) are built
here and the loaded rows left-joined onto them, so a missing province or year is a row with
nulls that a ``not_null`` / ``between`` expectation reports by name.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from greentrade.reference import CEADS_IO_SECTOR_LISTS, ceads_io_sectors, provinces, seed

Builder = Callable[..., pd.DataFrame]


def _query(con, sql: str, **frames: pd.DataFrame) -> pd.DataFrame:
    names = []
    try:
        for name, frame in frames.items():
            con.register(f"_gt_{name}", frame)
            names.append(f"_gt_{name}")
        return con.execute(sql).df()
    finally:
        for name in names:
            con.unregister(name)


def _panel() -> pd.DataFrame:
    return provinces(panel_only=True)[["province_code"]].reset_index(drop=True)


def eora26(con, loads: pd.DataFrame, params: dict) -> pd.DataFrame:
    """One row per year x matrix: label counts per axis, the size of T, cells outside the
    labelled shape, incomplete labels, and world output (T + FD, thousand USD) for the year."""
    return _query(con, """
        with labels as (
            select _load_id, year, matrix,
                   count(*) filter (where axis = 'row') as n_rows,
                   count(*) filter (where axis = 'col') as n_cols,
                   -- every axis but the VA / Q / QY rows is country x sector (or category)
                   count(*) filter (where coalesce(trim(item), '') = ''
                                    or not (axis = 'row' and matrix in ('VA', 'Q', 'QY'))
                                       and coalesce(trim(country_code), '') = '') as labels_incomplete
            from raw.eora26_labels where _load_id in (select load_id from _gt_loads)
            group by all),
        cells as (
            select _load_id, matrix, count(*) as n_cells, sum(value) as total,
                   max(row_idx) + 1 as cells_rows, max(col_idx) + 1 as cells_cols
            from raw.eora26_cells where _load_id in (select load_id from _gt_loads)
            group by all)
        select l.file, b.year, b.matrix, b.n_rows, b.n_cols,
               max(b.n_rows) filter (where b.matrix = 'T') over (partition by b._load_id) as t_size,
               b.labels_incomplete, coalesce(c.n_cells, 0) as n_cells,
               coalesce((c.cells_rows > b.n_rows)::int + (c.cells_cols > b.n_cols)::int, 0) as cells_outside,
               sum(c.total) filter (where b.matrix in ('T', 'FD')) over (partition by b._load_id) as world_output
        from labels b join _gt_loads l on l.load_id = b._load_id
        left join cells c on c._load_id = b._load_id and c.matrix = b.matrix
        order by b.year, b.matrix
    """, loads=loads)


def ceads_io(con, loads: pd.DataFrame, params: dict) -> pd.DataFrame:
    """One row per file x panel province x sector of the file's sector list (01..42 or
    01..30): total output, total input, their gap relative to total output (floor
    ``balance_floor``), the sectors found for the province beside the list's size, and the
    province's total output (10,000 CNY)."""
    sectors = pd.concat([ceads_io_sectors(n)[["ceads_io_sector_code"]].assign(list_sectors=n)
                         for n in CEADS_IO_SECTOR_LISTS], ignore_index=True)
    sectors = sectors.rename(columns={"ceads_io_sector_code": "sector_code"})
    return _query(con, """
        with cells as (select * from raw.ceads_io_cells where _load_id in (select load_id from _gt_loads)),
        tables as (select _load_id, any_value(year) as year, any_value(n_sectors) as n_sectors from cells group by all),
        output as (select _load_id, row_province_code as province_code, row_item as sector_code, sum(value) as total_output
                   from cells where row_kind = 'intermediate' and col_kind = 'total_output' group by all),
        input as (select _load_id, col_province_code as province_code, col_item as sector_code, sum(value) as total_input
                  from cells where row_kind = 'total_input' and col_kind = 'intermediate' group by all),
        grid as (select l.*, t.year, s.sector_code, s.list_sectors, p.province_code
                 from _gt_loads l
                 left join tables t on t._load_id = l.load_id
                 join _gt_sectors s on s.list_sectors = coalesce(t.n_sectors, 42)
                 cross join _gt_panel p)
        select g.file, g.year, g.province_code, g.sector_code, g.list_sectors,
               o.total_output, i.total_input,
               abs(o.total_output - i.total_input) / greatest(abs(o.total_output), $floor) as imbalance,
               count(o.total_output) over w as n_sectors,
               sum(o.total_output) over w as province_output
        from grid g
        left join output o on o._load_id = g.load_id and o.province_code = g.province_code and o.sector_code = g.sector_code
        left join input i on i._load_id = g.load_id and i.province_code = g.province_code and i.sector_code = g.sector_code
        window w as (partition by g.load_id, g.province_code)
        order by g.year, g.file, g.province_code, g.sector_code
    """.replace("$floor", repr(float(params["ceads_io_balance_floor"]))), loads=loads, panel=_panel(), sectors=sectors)


def ceads_emissions(con, loads: pd.DataFrame, params: dict) -> pd.DataFrame:
    """One row per file x panel province: inventory sectors and household rows found, the
    Scope 1 total (Mt CO2), the largest gap between the total row and the sum of the other
    rows over all columns (relative: gap / (1 + |total|)) and the smallest value."""
    return _query(con, """
        with rows as (select * from raw.ceads_emissions where _load_id in (select load_id from _gt_loads)),
        per_fuel as (
            select _load_id, province_code, fuel,
                   sum(value_mt) filter (where row_kind = 'total') as total,
                   sum(value_mt) filter (where row_kind <> 'total') as parts
            from rows group by all),
        per_province as (
            select _load_id, province_code,
                   count(distinct inventory_sector_id) filter (where row_kind = 'sector') as n_sectors,
                   count(distinct row_label) filter (where row_kind = 'household') as n_households,
                   sum(value_mt) filter (where row_kind = 'total' and fuel = 'Scope 1 Total') as scope1_total_mt,
                   min(value_mt) as min_value_mt
            from rows group by all),
        gaps as (select _load_id, province_code, max(abs(total - parts) / (1 + abs(total))) as total_gap
                 from per_fuel group by all)
        select l.file, try_cast(l.file_key as integer) as year, p.province_code,
               coalesce(s.n_sectors, 0) as n_sectors, coalesce(s.n_households, 0) as n_households,
               s.scope1_total_mt, g.total_gap, s.min_value_mt
        from _gt_loads l cross join _gt_panel p
        left join per_province s on s._load_id = l.load_id and s.province_code = p.province_code
        left join gaps g on g._load_id = l.load_id and g.province_code = p.province_code
        order by year, p.province_code
    """, loads=loads, panel=_panel())


def ifr(con, loads: pd.DataFrame, params: dict) -> pd.DataFrame:
    """The installation rows as loaded (a few hundred)."""
    return _query(con, """
        select l.file, r.country, r.ifr_industry_code, r.year, r.installations
        from raw.ifr_installations r join _gt_loads l on l.load_id = r._load_id
        order by r.country, r.ifr_industry_code, r.year
    """, loads=loads)


def yearbook(con, loads: pd.DataFrame, params: dict) -> pd.DataFrame:
    """Indicators and employment on one grid: file x item x panel province x year, ``value``
    null where the file has no number (a missing province, year or blank cell)."""
    years = pd.DataFrame({"year": list(params["years"])})
    industries = seed("employment_industries")[["employment_industry_code"]].rename(
        columns={"employment_industry_code": "item"})
    return _query(con, """
        with ind as (select * from raw.yearbook_indicators where _load_id in (select load_id from _gt_loads)),
        emp as (select * from raw.yearbook_employment where _load_id in (select load_id from _gt_loads)),
        ind_grid as (select l.load_id, l.file, l.file_key as item, p.province_code, y.year
                     from _gt_loads l, _gt_panel p, _gt_years y where not starts_with(l.file_key, 'employment_')),
        emp_grid as (select l.load_id, l.file, i.item, p.province_code,
                            cast(substr(l.file_key, 12) as integer) as year
                     from _gt_loads l, _gt_panel p, _gt_industries i where starts_with(l.file_key, 'employment_'))
        select g.file, 'indicator' as "table", g.item, g.province_code, g.year, v.value
        from ind_grid g left join ind v
          on v._load_id = g.load_id and v.province_code = g.province_code and v.year = g.year
        union all
        select g.file, 'employment', g.item, g.province_code, g.year, v.employment_10k
        from emp_grid g left join emp v
          on v._load_id = g.load_id and v.province_code = g.province_code and v.employment_industry_code = g.item
        order by 1, 3, 4, 5
    """, loads=loads, panel=_panel(), years=years, industries=industries)


def eua(con, loads: pd.DataFrame, params: dict) -> pd.DataFrame:
    """The daily rows as loaded, with the calendar year."""
    return _query(con, """
        select l.file, r.trade_date::varchar as trade_date, year(r.trade_date) as year,
               r.settle_eur_per_t, r.open, r.high, r.low, r.close
        from raw.eua_prices r join _gt_loads l on l.load_id = r._load_id
        order by r.trade_date
    """, loads=loads)


def fx(con, loads: pd.DataFrame, params: dict) -> pd.DataFrame:
    """One row per rate date with the USD and CNY rates (units per EUR)."""
    return _query(con, """
        select l.file, r.rate_date::varchar as rate_date, year(r.rate_date) as year,
               max(units_per_eur) filter (where currency = 'USD') as usd,
               max(units_per_eur) filter (where currency = 'CNY') as cny,
               count(*) as n_rates
        from raw.fx_rates r join _gt_loads l on l.load_id = r._load_id
        group by all order by r.rate_date::varchar
    """, loads=loads)


def fred_fx(con, loads: pd.DataFrame, params: dict) -> pd.DataFrame:
    """The daily rows as loaded, one per series and day."""
    return _query(con, """
        select l.file, r.rate_date::varchar as rate_date, r.series_id, r.value
        from raw.fred_fx_rates r join _gt_loads l on l.load_id = r._load_id
        order by r.series_id, r.rate_date
    """, loads=loads)


def china_ets(con, loads: pd.DataFrame, params: dict) -> pd.DataFrame:
    """The daily rows as loaded, one per market and trading day."""
    return _query(con, """
        select l.file, r.trade_date::varchar as trade_date, r.market, r.price_cny_per_t
        from raw.china_ets_prices r join _gt_loads l on l.load_id = r._load_id
        order by r.trade_date, r.market
    """, loads=loads)


BUILDERS: dict[str, Builder] = {
    "eora26": eora26, "ceads_io": ceads_io, "ceads_emissions": ceads_emissions, "ifr": ifr,
    "yearbook": yearbook, "eua": eua, "fx": fx, "fred_fx": fred_fx, "china_ets": china_ets,
}
