-- Per panel year: China's CO2 in Eora26 (the co2_satellite rows) beside CEADs' provincial
-- total, and China's output and inputs once Eora's ROW entry is set aside. The provinces of
-- the embedded table re-aggregate to China's world-table rows and columns (GRAS targets),
-- so China's figures are the provinces' sums; co2_country_row_t is China's Eora26 CO2 row
-- split over the provinces, co2_ceads_t their CEADs levels.
with totals as (
    select * from {{ ref('int_embedded_mrio_totals') }}
    where is_province
),
by_sector as (
    select
        year,
        sector,
        sum(gross_output)                      as output,
        sum(intermediate_inputs + value_added) as inputs
    from totals
    group by all
),
largest as (
    select
        year,
        arg_max(sector, abs(output - inputs) / abs(output)) as largest_imbalance_sector,
        max(abs(output - inputs) / abs(output))             as largest_imbalance_share
    from by_sector
    where output <> 0
    group by all
),
by_year as (
    select
        year,
        any_value(co2_rows)                    as co2_rows,
        any_value(labels_q_rows)               as labels_q_rows,
        sum(co2_country_row_t)                 as china_co2_eora_t,
        sum(co2_ceads_t)                       as ceads_provincial_co2_t,
        sum(gross_output)                      as china_gross_output,
        sum(intermediate_inputs + value_added) as china_inputs,
        any_value(row_discrepancy_output)      as row_discrepancy_output
    from totals
    group by all
),
tables as (
    select
        year,
        eora_year
    from {{ ref('int_source_tables_by_year') }}
)
select
    by_year.year,
    tables.eora_year,
    '{{ var("co2_satellite") }}'                      as co2_satellite,
    by_year.co2_rows,
    by_year.labels_q_rows,
    '{{ var("province_co2") }}'                       as province_co2,
    by_year.china_co2_eora_t,
    by_year.ceads_provincial_co2_t,
    by_year.china_gross_output,
    by_year.china_inputs,
    by_year.china_gross_output - by_year.china_inputs as china_imbalance,
    (by_year.china_gross_output - by_year.china_inputs) / by_year.china_gross_output
        as china_imbalance_share,
    largest.largest_imbalance_sector,
    largest.largest_imbalance_share,
    by_year.row_discrepancy_output
from by_year
inner join tables using (year)
left join largest using (year)
order by by_year.year
