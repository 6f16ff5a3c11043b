-- The green trade benefit of each panel province and year (docs/method.md eqs. (10)-(12)):
--   NV = VEX - VIM, NC = CEX - CIM over the partner group (var partner_group),
--   green = NV - PC x NC, PC the carbon price in USD per tonne; green in billion USD.
-- carbon_price_basis and co2_source state, on every row, where the data deviate from the
-- paper's (EUA futures settlement instead of EEX spot; the CO2 satellite per setting).
{% set group = var('partner_group') %}
with accounts as (select * from {{ ref('fct_bilateral_trade_accounts') }}),
partners as (
    {% if group == 'world' %}
        select distinct partner_country as country_code from accounts
    {% else %}
        select country_code from {{ ref('partner_groups') }}
        where partner_group = '{{ group }}'
    {% endif %}
),
by_province as (
    select
        year,
        province_code,
        sum(vex_bn_usd) as vex_bn_usd,
        sum(vim_bn_usd) as vim_bn_usd,
        sum(cex_mt)     as cex_mt,
        sum(cim_mt)     as cim_mt
    from accounts
    where partner_country in (select partners.country_code from partners)
    group by all
),
prices as (select * from {{ ref('int_carbon_prices_by_year') }}),
tables as (select * from {{ ref('int_source_tables_by_year') }}),
panel_provinces as (
    select province_code from {{ ref('provinces') }}
    where in_panel
)
select
    by_province.year,
    by_province.province_code,
    '{{ group }}'                                    as partner_group,
    '{{ var("manufacturing_scope") }}'               as manufacturing_scope,
    '{{ var("co2_satellite") }}'                     as co2_satellite,
    '{{ var("province_co2") }}'                      as province_co2,
    by_province.vex_bn_usd,
    by_province.vim_bn_usd,
    by_province.cex_mt,
    by_province.cim_mt,
    by_province.vex_bn_usd - by_province.vim_bn_usd  as nv_bn_usd,
    by_province.cex_mt - by_province.cim_mt          as nc_mt,
    prices.carbon_price_series,
    prices.carbon_price_basis,
    {{ co2_source() }}                               as co2_source,
    prices.fx_source,
    tables.ceads_io_year,
    tables.ceads_io_sectors,
    tables.ceads_io_tie_rule,
    prices.carbon_price_usd_per_t,
    (by_province.vex_bn_usd - by_province.vim_bn_usd)
    - prices.carbon_price_usd_per_t * (by_province.cex_mt - by_province.cim_mt) / 1e3
        as green_bn_usd,
    '{{ var("greentrade_build_id", "unrecorded") }}' as build_id   -- marts.dim_build_lineage
from by_province
inner join panel_provinces using (province_code)
inner join prices using (year)
inner join tables using (year)
where by_province.year between {{ var('first_year') }} and {{ var('last_year') }}
order by by_province.year, by_province.province_code
