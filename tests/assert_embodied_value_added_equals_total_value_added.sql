-- Value added absorbed across all destinations equals total value added (and the same for
-- CO2), for every province-sector and year: sum_d f_i (L Y_d)_i = f_i x_i because
-- L (sum_d Y_d) = x. Computed by two routes (the LU solve vs the embedded table's totals).
-- Holds when the build traces all final demand (manufacturing_scope producing_sector or
-- all); the scopes final_product and both trace final demand for manufactured products
-- only, whose absorption is a part of the totals, so the test has nothing to compare.
with absorbed as (
    select
        year,
        origin_region        as region,
        origin_sector        as sector,
        sum(va_thousand_usd) as va_absorbed,
        sum(co2_t)           as co2_absorbed
    from {{ ref('int_embodied_factors_by_destination') }}
    where final_products = 'all'
    group by all
),
totals as (
    select * from {{ ref('int_embedded_mrio_totals') }}
    where
        is_province{% if var('manufacturing_scope') in ['final_product', 'both'] %} and false{% endif %}
)
select
    totals.year,
    totals.region,
    totals.sector,
    totals.value_added,
    absorbed.va_absorbed,
    totals.co2_t,
    absorbed.co2_absorbed
from totals
left join absorbed using (year, region, sector)
where
    absorbed.va_absorbed is null
    or abs(absorbed.va_absorbed - totals.value_added) > 1e-9 * greatest(abs(totals.value_added), 1.0)
    or abs(absorbed.co2_absorbed - totals.co2_t) > 1e-9 * greatest(abs(totals.co2_t), 1.0)
