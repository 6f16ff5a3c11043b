with source as (select * from {{ source('yearbook', 'yearbook_employment') }}),
renamed as (
    select
        cast(year as integer)          as year,
        province_code,
        employment_industry_code,
        industry_label,
        cast(employment_10k as double) as employment_10k
    from source
)
select * from renamed
