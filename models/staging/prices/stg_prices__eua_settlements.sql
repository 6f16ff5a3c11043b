-- ICE front-month EUA futures, daily settlement (ETS-Watch market_prices.csv, column settle).
-- The paper uses the EEX EUA spot price: see int_carbon_prices_by_year.carbon_price_basis.
with source as (select * from {{ source('prices', 'eua_prices') }}),
renamed as (
    select
        cast(trade_date as date)         as trade_date,
        cast(settle_eur_per_t as double) as settle_eur_per_t
    from source
)
select * from renamed
