-- Production-based CO2 (Scope 1 total: fuel combustion plus process emissions) of each
-- province and Eora26 sector, in tonnes. Household rows (Urban, Rural) are excluded: they
-- are final-demand emissions, not emissions of any producing sector.
with inventories as (
    select * from {{ ref('stg_ceads__emission_inventories') }}
    where row_kind = 'sector' and fuel = 'Scope 1 Total'
),
concordance as (select * from {{ ref('concordance_ceads_inventory_to_eora26') }})
select
    inventories.year,
    inventories.province_code,
    concordance.eora_sector_code,
    sum(inventories.co2_mt * concordance.weight) * 1e6 as co2_t
from inventories
inner join concordance using (inventory_sector_id)
group by all
order by all
