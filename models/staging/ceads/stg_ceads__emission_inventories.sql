with source as (select * from {{ source('ceads', 'ceads_emissions') }}),
renamed as (
    select
        cast(year as integer)                as year,
        province_code,
        row_kind,
        cast(inventory_sector_id as integer) as inventory_sector_id,
        trim(row_label)                      as row_label,
        replace(trim(fuel), '_', ' ')        as fuel,
        cast(value_mt as double)             as co2_mt
    from source
)
select * from renamed
