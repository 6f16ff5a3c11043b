-- The companion of dim_build_lineage, one row per panel year: which Eora26 year and CEADs IO
-- table served it, how the countries' and the provinces' CO2 were read (vars co2_satellite,
-- province_co2), China's CO2 in Eora26 beside CEADs' provincial total, and China's output
-- and inputs once Eora's ROW discrepancy entry is set aside (the imbalance the embedding
-- carries over to the provinces, docs/mrio.md).
with totals as (select * from {{ ref('int_source_totals_by_year') }}),
substitution as (
    select
        year,
        ceads_io_year,
        ceads_io_sectors
    from {{ ref('int_source_tables_by_year') }}
)
select
    totals.year,
    totals.eora_year,
    substitution.ceads_io_year,
    substitution.ceads_io_sectors,
    totals.labels_q_rows,
    totals.co2_satellite,
    totals.co2_rows,
    totals.province_co2,
    totals.china_co2_eora_t / 1e6                           as china_co2_eora_mt,
    totals.ceads_provincial_co2_t / 1e6                     as ceads_provincial_co2_mt,
    totals.ceads_provincial_co2_t / totals.china_co2_eora_t as ceads_over_eora_co2,
    totals.china_gross_output / 1e6                         as china_gross_output_bn_usd,
    totals.china_inputs / 1e6                               as china_inputs_bn_usd,
    totals.china_imbalance / 1e6                            as china_imbalance_bn_usd,
    totals.china_imbalance_share,
    totals.largest_imbalance_sector,
    totals.largest_imbalance_share,
    totals.row_discrepancy_output / 1e6                     as row_discrepancy_output_bn_usd,
    '{{ var("greentrade_build_id", "unrecorded") }}'        as build_id   -- marts.dim_build_lineage
from totals
inner join substitution using (year)
order by totals.year
