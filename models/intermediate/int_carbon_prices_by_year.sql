-- Carbon price per year in USD per tonne CO2. The paper's price: the annual mean of the daily
-- EUA price (EUR/t) converted with the annual mean EUR/USD rate (ECB reference rates).
-- Deviation from the paper: the EUA series is the ICE front-month futures settlement price
-- (ETS-Watch market_prices.csv), where the paper uses the EEX spot price; carbon_price_basis
-- says so on every row (macros/data_deviations.sql).
-- var carbon_price = china_ets: the mean over the China ETS markets trading that year of each
-- market's annual mean price (so a market's weight does not depend on how often it trades),
-- CNY/t converted with the annual mean USD per CNY; social_cost: a constant social cost of carbon.
-- var fx_source = ecb | fred chooses the exchange rates (USD per CNY: ECB's USD / CNY per EUR,
-- or FRED's 1 / DEXCHUS). A year without a price fails the build, naming the years.
-- depends_on: {{ ref('stg_prices__fx_rates') }} {{ ref('stg_prices__fred_fx_rates') }}
{%- set series = var('carbon_price') %}
{%- set fx_source = var('fx_source') %}
{%- if series not in ['eua', 'china_ets', 'social_cost'] %}
{{ exceptions.raise_compiler_error("carbon_price must be eua, china_ets or social_cost, got " ~ series) }}
{%- endif %}
{%- if fx_source not in ['ecb', 'fred'] %}
{{ exceptions.raise_compiler_error("fx_source must be ecb or fred, got " ~ fx_source) }}
{%- endif %}
with eua as (
    select
        extract(year from trade_date)::integer as year,
        avg(settle_eur_per_t)                  as eua_eur_per_t,
        count(*)                               as eua_trading_days
    from {{ ref('stg_prices__eua_settlements') }}
    group by all
),
china_ets_markets as (
    select
        extract(year from trade_date)::integer as year,
        market,
        avg(price_cny_per_t)                   as cny_per_t
    from {{ ref('stg_prices__china_ets_prices') }}
    group by all
),
china_ets as (
    select
        year,
        avg(cny_per_t) as china_ets_cny_per_t
    from china_ets_markets
    group by all
),
fx_daily as (
    {% if fx_source == 'ecb' -%}
        select
            rate_date,
            max(units_per_eur) filter (where currency = 'USD')
                as usd_per_eur,
            max(units_per_eur) filter (where currency = 'USD')
            / max(units_per_eur) filter (where currency = 'CNY') as usd_per_cny
        from {{ ref('stg_prices__fx_rates') }}
    {%- else -%}
        select
            rate_date,
            max(value) filter (where series_id = 'DEXUSEU')     as usd_per_eur,
            1 / max(value) filter (where series_id = 'DEXCHUS') as usd_per_cny
        from {{ ref('stg_prices__fred_fx_rates') }}
    {%- endif %}
    group by all
),
fx as (
    select
        extract(year from rate_date)::integer as year,
        avg(usd_per_eur)                      as usd_per_eur,
        avg(usd_per_cny)                      as usd_per_cny
    from fx_daily
    group by all
),
years as (  -- every panel year, so that a year without a price is named, not dropped
    select range::integer as year from range({{ var('first_year') }}, {{ var('last_year') }} + 1)
),
priced as (
    select
        years.year,
        eua.eua_eur_per_t,
        eua.eua_trading_days,
        fx.usd_per_eur,
        -- aligned in the source; sqlfluff measures the rendered lines (noqa: LT01)
        '{{ series }}'                   as carbon_price_series,  -- noqa: LT01
        {{ carbon_price_basis(series) }} as carbon_price_basis,  -- noqa: LT01
        '{{ fx_source }}'                as fx_source,  -- noqa: LT01
        {% if series == 'social_cost' -%}
            cast({{ var('social_cost_usd_per_t') }} as double)
        {%- elif series == 'eua' -%}
            eua.eua_eur_per_t * fx.usd_per_eur
        {%- else -%}
            china_ets.china_ets_cny_per_t * fx.usd_per_cny
        {%- endif %} as carbon_price_usd_per_t,
        {% if series == 'social_cost' -%} false {%- elif series == 'eua' -%} eua.eua_eur_per_t is null
        {%- else -%} china_ets.china_ets_cny_per_t is null {%- endif %} as no_series_price,
        {% if series == 'social_cost' -%} false {%- elif series == 'eua' -%} fx.usd_per_eur is null
        {%- else -%} fx.usd_per_cny is null {%- endif %} as no_fx_rate
    from years
    left join eua using (year)
    -- china_ets is read when carbon_price = china_ets, the rendering sqlfluff does not lint
    left join china_ets using (year)  -- noqa: ST11
    left join fx using (year)
)
select *
from priced
-- the tests covers_years name the years without a carbon price or an exchange rate; dbt then
-- skips what depends on this model
order by year
