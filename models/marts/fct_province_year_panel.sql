-- The regression panel: one row per panel province and year, the outcome, robot exposure
-- (with the other share variant beside it), the instruments' lags, controls and groupings.
-- Panel lags are defined here and only here: x_lagk is the value of x in the same province
-- in year - k *of the panel* (first_year-last_year), so the first k panel years have no lag
-- even when earlier years are loaded (Stata's L<k>.x after xtset on the estimation panel).
-- The regressions (fct_paper_regressions) read these columns; they compute no lags.
with panel_years as (
    select range::integer as year from range({{ var('first_year') }}, {{ var('last_year') }} + 1)
),
green as (select * from {{ ref('fct_green_trade_benefit') }}),
robots as (
    select *
    from {{ ref('int_robot_exposure_by_province_year') }}
    where year in (select panel_years.year from panel_years)
),
controls as (
    select *
    from {{ ref('int_controls_by_province_year') }}
    where year in (select panel_years.year from panel_years)
),
provinces as (
    select * from {{ ref('dim_provinces') }}
    where in_panel
)
select
    green.province_code,
    green.year,
    provinces.name_en                                as province_name,
    provinces.region,
    provinces.is_municipality,
    green.green_bn_usd                               as green,
    robots.robit,
    ln(robots.robit)                                 as logrobit,
    robots.robit_shares,
    robots.robit_current,
    robots.robit_base_year,
    robit_lag1.robit                                 as robit_lag1,
    robit_lag2.robit                                 as robit_lag2,
    controls.gdp_per_capita                          as gdp,
    controls.urbanisation_share                      as town,
    controls.human_capital_share                     as hum,
    controls.fiscal_share_of_gdp                     as gov,
    ln(controls.gdp_per_capita)                      as loggdp,
    ln(controls.urbanisation_share)                  as logtown,
    ln(controls.human_capital_share)                 as loghum,
    ln(controls.fiscal_share_of_gdp)                 as loggov,
    controls.ai_patents,
    ai_lag1.ai_patents                               as ai_patents_lag1,
    ai_lag2.ai_patents                               as ai_patents_lag2,
    controls.green_patents,
    '{{ var("greentrade_build_id", "unrecorded") }}' as build_id   -- marts.dim_build_lineage
from green
inner join provinces using (province_code)
inner join robots using (province_code, year)
inner join controls using (province_code, year)
left join robots as robit_lag1
    on green.province_code = robit_lag1.province_code and robit_lag1.year = green.year - 1
left join robots as robit_lag2
    on green.province_code = robit_lag2.province_code and robit_lag2.year = green.year - 2
left join controls as ai_lag1
    on green.province_code = ai_lag1.province_code and ai_lag1.year = green.year - 1
left join controls as ai_lag2
    on green.province_code = ai_lag2.province_code and ai_lag2.year = green.year - 2
order by provinces.sort_order, green.year
