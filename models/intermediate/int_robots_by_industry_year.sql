-- IFR installations in China by industry and year, with the 'unspecified' row (99)
-- allocated to the specified industries in proportion to their installations that year
-- (the usual treatment since Acemoglu and Restrepo 2020).
with installations as (
    select * from {{ ref('stg_ifr__robot_installations') }}
    where lower(country) = 'china'
),
industries as (select * from {{ ref('ifr_industries') }}),
specified as (
    select installations.year, installations.ifr_industry_code, installations.installations
    from installations
    join industries using (ifr_industry_code)
    where not industries.is_unspecified
),
unspecified as (
    select installations.year, sum(installations.installations) as unspecified
    from installations
    join industries using (ifr_industry_code)
    where industries.is_unspecified
    group by all
),
totals as (select year, sum(installations) as specified_total from specified group by all)
select
    specified.year,
    specified.ifr_industry_code,
    specified.installations as installations_reported,
    specified.installations
        + coalesce(unspecified.unspecified, 0) * specified.installations / nullif(totals.specified_total, 0)
        as installations
from specified
join totals using (year)
left join unspecified using (year)
order by all
