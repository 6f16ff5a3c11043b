-- Carbon price per year in USD per tonne CO2. The paper's price: the annual mean of the daily
-- EUA price (EUR/t) converted with the annual mean EUR/USD rate (ECB reference rates).
-- var carbon_price = social_cost uses a constant social cost of carbon instead.
with eua as (
    select extract(year from trade_date)::integer as year, avg(settle_eur_per_t) as eua_eur_per_t,
           count(*) as eua_trading_days
    from {{ ref('stg_prices__eua_settlements') }}
    group by all
),
fx as (
    select extract(year from rate_date)::integer as year, avg(units_per_eur) as usd_per_eur
    from {{ ref('stg_prices__fx_rates') }}
    where currency = 'USD'
    group by all
),
years as (
    select year from {{ ref('year_substitution') }}
    where year between {{ var('first_year') }} and {{ var('last_year') }}
)
select
    years.year,
    eua.eua_eur_per_t,
    eua.eua_trading_days,
    fx.usd_per_eur,
    '{{ var("carbon_price") }}' as carbon_price_series,
    {% if var('carbon_price') == 'social_cost' -%}
    cast({{ var('social_cost_usd_per_t') }} as double)
    {%- elif var('carbon_price') == 'eua' -%}
    eua.eua_eur_per_t * fx.usd_per_eur
    {%- else -%}
    {{ exceptions.raise_compiler_error("carbon_price must be eua or social_cost, got " ~ var('carbon_price')) }}
    {%- endif %} as carbon_price_usd_per_t
from years
left join eua using (year)
left join fx using (year)
order by year
