with source as (select * from {{ source('ceads', 'ceads_io_cells') }}),
renamed as (
    select
        cast(year as integer)      as table_year,
        cast(n_sectors as integer) as n_sectors,
        row_kind,
        row_province_code,
        row_item,
        col_kind,
        col_province_code,
        col_item,
        cast(value as double)      as value_10k_cny
    from source
)
select * from renamed
