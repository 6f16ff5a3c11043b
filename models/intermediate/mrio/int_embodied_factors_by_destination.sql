-- Value added and CO2 generated in each origin region-sector and embodied in each
-- destination region's final demand, per panel year: the 'embodied' records of
-- int_embedded_mrio (one embedding and one LU per distinct Eora26 year and CEADs IO table).
with embedded as (select * from {{ ref('int_embedded_mrio') }})
select
    year,
    final_products,
    region as origin_region,
    sector as origin_sector,
    destination_region,
    va_thousand_usd,
    co2_t
from embedded
where record_kind = 'embodied'
