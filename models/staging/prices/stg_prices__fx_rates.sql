with source as (select * from {{ source('prices', 'fx_rates') }}),
renamed as (
    select
        cast(rate_date as date)       as rate_date,
        currency,
        cast(units_per_eur as double) as units_per_eur
    from source
)
select * from renamed
