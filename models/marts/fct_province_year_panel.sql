-- The regression panel: one row per panel province and year, the outcome, robot exposure
-- (with its one- and two-year lags, the paper's instruments), controls and groupings.
with green as (select * from {{ ref('fct_green_trade_benefit') }}),
robots as (
    select
        province_code,
        year,
        robit,
        lag(robit, 1) over (partition by province_code order by year) as robit_lag1,
        lag(robit, 2) over (partition by province_code order by year) as robit_lag2
    from {{ ref('int_robot_exposure_by_province_year') }}
),
controls as (select * from {{ ref('int_controls_by_province_year') }}),
provinces as (select * from {{ ref('dim_provinces') }} where in_panel)
select
    green.province_code,
    green.year,
    provinces.name_en                           as province_name,
    provinces.region,
    provinces.is_municipality,
    green.green_bn_usd                          as green,
    robots.robit,
    ln(robots.robit)                            as logrobit,
    robots.robit_lag1,
    robots.robit_lag2,
    controls.gdp_per_capita                     as gdp,
    controls.urbanisation_share                 as town,
    controls.human_capital_share                as hum,
    controls.fiscal_share_of_gdp                as gov,
    ln(controls.gdp_per_capita)                 as loggdp,
    ln(controls.urbanisation_share)             as logtown,
    ln(controls.human_capital_share)            as loghum,
    ln(controls.fiscal_share_of_gdp)            as loggov,
    controls.ai_patents,
    controls.green_patents,
    '{{ var("greentrade_build_id", "unrecorded") }}' as build_id   -- marts.dim_build_lineage
from green
join provinces using (province_code)
join robots using (province_code, year)
join controls using (province_code, year)
order by provinces.sort_order, green.year
