-- The provinces of the embedded table re-aggregate to China's blocks of the global table:
-- per year and sector, their gross output and value added sum to China's in Eora26 (after
-- setting aside the ROW discrepancy), computed here independently from the staged cells
-- (macros/eora26_china_sector_totals.sql). Their CO2 is CEADs' own under province_co2 =
-- ceads_levels, so it is not asked to sum to China's row.
{{ config(severity='error') }}
with substitution as (
    select
        year,
        eora_year
    from {{ ref('int_source_tables_by_year') }}
),  -- after eora_last_year
china as ({{ eora26_china_sector_totals() }}),
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
    china.output      as china_gross_output,
    provinces.value_added,
    china.value_added as china_value_added
from provinces
inner join substitution using (year)
left join china on substitution.eora_year = china.year and provinces.eora_sector_code = china.eora_sector_code
where
    abs(provinces.gross_output - coalesce(china.output, 0))
    > {{ var('balance_tolerance') }} * greatest(abs(coalesce(china.output, 0)), 1.0)
    or abs(provinces.value_added - coalesce(china.value_added, 0))
    > {{ var('balance_tolerance') }} * greatest(abs(coalesce(china.value_added, 0)), 1.0)
