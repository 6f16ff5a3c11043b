-- The provinces of the embedded table re-aggregate to China's blocks of the global table:
-- per year and sector, their gross output, value added and CO2 sum to China's in Eora26
-- (after setting aside the ROW discrepancy), computed here independently from the staged cells.
{{ config(severity='error') }}
with substitution as (
    select
        year,
        eora_year
    from {{ ref('int_source_tables_by_year') }}
),  -- after eora_last_year
labels as (select * from {{ ref('stg_eora26__labels') }}),
sectors as (
    select
        eora_sector_code,
        eora_sector_name
    from {{ ref('eora26_sectors') }}
),
china_rows as (
    select
        labels.year,
        labels.idx,
        sectors.eora_sector_code
    from labels inner join sectors on labels.item = sectors.eora_sector_name
    where labels.matrix = 'T' and labels.axis = 'row' and labels.country_code = '{{ var("china_region") }}'
),
kept_columns as (
    select
        year,
        matrix,
        idx
    from labels
    where matrix in ('T', 'FD') and axis = 'col' and not is_discrepancy
),
china_output as (
    select
        china_rows.year,
        china_rows.eora_sector_code,
        sum(cells.value) as gross_output
    from {{ ref('stg_eora26__cells') }} as cells
    inner join china_rows on cells.year = china_rows.year and cells.row_idx = china_rows.idx
    inner join kept_columns
        on
            cells.year = kept_columns.year and cells.matrix = kept_columns.matrix
            and cells.col_idx = kept_columns.idx
    where cells.matrix in ('T', 'FD')
    group by all
),
china_va as (
    select
        china_rows.year,
        china_rows.eora_sector_code,
        sum(cells.value) as value_added
    from {{ ref('stg_eora26__cells') }} as cells
    inner join china_rows on cells.year = china_rows.year and cells.col_idx = china_rows.idx
    where cells.matrix = 'VA'
    group by all
),
provinces as (
    select
        year,
        sector            as eora_sector_code,
        sum(gross_output) as gross_output,
        sum(value_added)  as value_added
    from {{ ref('int_embedded_mrio_totals') }}
    where is_province
    group by all
)
select
    provinces.year,
    provinces.eora_sector_code,
    provinces.gross_output,
    china_output.gross_output as china_gross_output,
    provinces.value_added,
    china_va.value_added      as china_value_added
from provinces
inner join substitution using (year)
left join
    china_output
    on substitution.eora_year = china_output.year and provinces.eora_sector_code = china_output.eora_sector_code
left join china_va on substitution.eora_year = china_va.year and provinces.eora_sector_code = china_va.eora_sector_code
where
    abs(provinces.gross_output - coalesce(china_output.gross_output, 0))
    > {{ var('balance_tolerance') }} * greatest(abs(coalesce(china_output.gross_output, 0)), 1.0)
    or abs(provinces.value_added - coalesce(china_va.value_added, 0))
    > {{ var('balance_tolerance') }} * greatest(abs(coalesce(china_va.value_added, 0)), 1.0)
