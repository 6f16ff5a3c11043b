with source as (select * from {{ source('ifr', 'ifr_installations') }}),
renamed as (
    select
        country,
        ifr_industry_code,
        ifr_industry_name,
        cast(year as integer)           as year,
        cast(installations as double)   as installations
    from source
)
select * from renamed
