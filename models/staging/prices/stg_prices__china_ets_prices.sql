with source as (select * from {{ source('prices', 'china_ets_prices') }}),
renamed as (
    select
        cast(trade_date as date)        as trade_date,
        market,
        cast(price_cny_per_t as double) as price_cny_per_t
    from source
)
select * from renamed
