-- Totals of each region-sector of each panel year's embedded MRIO, with the GRAS
-- diagnostics: the 'region_sector' records of int_embedded_mrio.
with embedded as (select * from {{ ref('int_embedded_mrio') }})
select
    year,
    region,
    sector,
    is_province,
    gross_output_thousand_usd           as gross_output,
    intermediate_inputs_thousand_usd    as intermediate_inputs,
    va_thousand_usd                     as value_added,
    co2_t,
    co2_country_row_t,
    co2_ceads_t,
    gras_iterations,
    gras_residual,
    row_discrepancy_output_thousand_usd as row_discrepancy_output,
    co2_rows,
    labels_q_rows
from embedded
where record_kind = 'region_sector'
