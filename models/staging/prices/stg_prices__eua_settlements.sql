with source as (select * from {{ source('prices', 'eua_prices') }}),
renamed as (
    select
        cast(trade_date as date)           as trade_date,
        cast(settle_eur_per_t as double)   as settle_eur_per_t
    from source
)
select * from renamed
