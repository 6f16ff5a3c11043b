-- Provinces ranked by their mean green trade benefit (billion USD) over the panel years,
-- with the two halves of green = NV - PC x NC and the settings of the run.
--
-- Run:  duckdb -readonly warehouse/greentrade.duckdb < analyses/top_provinces_by_green.sql
select
    rank() over (order by avg(green.green_bn_usd) desc)             as rank,
    provinces.name_en                                               as province,
    provinces.region,
    round(avg(green.green_bn_usd), 3)                               as mean_green_bn_usd,
    round(avg(green.nv_bn_usd), 3)                                  as mean_nv_bn_usd,
    round(avg(green.carbon_price_usd_per_t * green.nc_mt / 1e3), 3) as mean_carbon_cost_bn_usd,
    min(green.year) || '-' || max(green.year)                       as years,
    any_value(green.partner_group)                                  as partner_group,
    any_value(green.carbon_price_series)                            as carbon_price_series
from marts.fct_green_trade_benefit as green
inner join marts.dim_provinces as provinces using (province_code)
group by provinces.name_en, provinces.region
order by rank;
