-- Mapping CEADs' 42 (or 30) sectors to Eora26's 26 loses and doubles nothing: per table
-- (year and sector list) and row / column kind, the mapped cells sum to the published cells.
with published as (
    select
        table_year,
        n_sectors,
        row_kind,
        col_kind,
        sum(value_10k_cny) as total
    from {{ ref('stg_ceads__io_table_cells') }}
    group by all
),
mapped as (
    select
        table_year,
        n_sectors,
        row_kind,
        col_kind,
        sum(value_10k_cny) as total
    from {{ ref('int_ceads_io_cells_mapped_to_eora26') }}
    group by all
)
select
    published.*,
    mapped.total as mapped_total
from published
full join mapped using (table_year, n_sectors, row_kind, col_kind)
where
    mapped.total is null or published.total is null
    or abs(published.total - mapped.total) > 1e-9 * greatest(abs(published.total), 1.0)
