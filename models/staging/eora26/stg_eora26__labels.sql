with source as (select * from {{ source('eora26', 'eora26_labels') }}),
renamed as (
    select
        cast(year as integer) as year,
        matrix,
        axis,
        cast(idx as integer)  as idx,
        country_name,
        country_code,
        entity,
        trim(item)            as item,
        country_code = 'ROW'  as is_discrepancy
    from source
)
select * from renamed
