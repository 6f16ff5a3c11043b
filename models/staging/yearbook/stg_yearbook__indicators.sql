with source as (select * from {{ source('yearbook', 'yearbook_indicators') }}),
renamed as (
    select
        indicator,
        indicator_label,
        unit,
        province_code,
        cast(year as integer) as year,
        cast(value as double) as value
    from source
)
select * from renamed
