-- CEADs IO cells with both sector axes mapped to the 26 Eora26 sectors, each table through
-- the concordance of its own sector list (n_sectors: 42 -> concordance_ceads_io_to_eora26,
-- 30 -> concordance_ceads_io_30_to_eora26); a split sector contributes weight x value to each
-- target. Non-sector items (final-use categories, imports, value-added components) pass through.
with cells as (select * from {{ ref('stg_ceads__io_table_cells') }}),
concordance as (
    select
        42 as n_sectors,
        ceads_io_sector_code,
        eora_sector_code,
        weight
    from {{ ref('concordance_ceads_io_to_eora26') }}
    union all
    select
        30 as n_sectors,
        ceads_io_sector_code,
        eora_sector_code,
        weight
    from {{ ref('concordance_ceads_io_30_to_eora26') }}
),
mapped as (
    select
        cells.table_year,
        cells.n_sectors,
        cells.row_kind,
        cells.row_province_code,
        case when cells.row_kind = 'intermediate' then row_map.eora_sector_code else cells.row_item end as row_item,
        cells.col_kind,
        cells.col_province_code,
        case when cells.col_kind = 'intermediate' then col_map.eora_sector_code else cells.col_item end as col_item,
        cells.value_10k_cny * coalesce(row_map.weight, 1.0) * coalesce(col_map.weight, 1.0)             as value_10k_cny
    from cells
    left join concordance as row_map
        on
            cells.row_kind = 'intermediate' and cells.n_sectors = row_map.n_sectors
            and cells.row_item = row_map.ceads_io_sector_code
    left join concordance as col_map
        on
            cells.col_kind = 'intermediate' and cells.n_sectors = col_map.n_sectors
            and cells.col_item = col_map.ceads_io_sector_code
)
select
    table_year,
    n_sectors,
    row_kind,
    row_province_code,
    row_item,
    col_kind,
    col_province_code,
    col_item,
    sum(value_10k_cny) as value_10k_cny
from mapped
group by all
order by all
