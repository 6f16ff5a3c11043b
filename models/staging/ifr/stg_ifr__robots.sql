-- Both IFR measures, one row per country, industry, year and measure. The raw rows do not
-- carry their measure: it is the key of the file they were loaded from (raw.load_log.file_key,
-- 'installations' or 'operational_stock'; see docs/sources.md, ifr).
with source as (select * from {{ source('ifr', 'ifr_installations') }}),
loads as (
    select
        load_id,
        file_key
    from {{ source('ifr', 'load_log') }}
    where source = 'ifr' and status = 'loaded'
),
renamed as (
    select
        source.country,
        source.ifr_industry_code,
        source.ifr_industry_name,
        loads.file_key                       as measure,
        cast(source.year as integer)         as year,
        cast(source.installations as double) as robots
    from source
    inner join loads on source._load_id = loads.load_id
)
select * from renamed
