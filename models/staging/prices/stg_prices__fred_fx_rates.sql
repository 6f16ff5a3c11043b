with source as (select * from {{ source('prices', 'fred_fx_rates') }}),
renamed as (
    select
        cast(rate_date as date) as rate_date,
        series_id,
        cast(value as double)   as value
    from source
)
select * from renamed
