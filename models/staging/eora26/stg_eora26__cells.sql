with source as (select * from {{ source('eora26', 'eora26_cells') }}),
renamed as (
    select
        cast(year as integer)    as year,
        matrix,
        cast(row_idx as integer) as row_idx,
        cast(col_idx as integer) as col_idx,
        cast(value as double)    as value
    from source
)
select * from renamed
