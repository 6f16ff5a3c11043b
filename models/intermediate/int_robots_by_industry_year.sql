-- IFR robots in China by industry and year, in the measure of the robot_measure var
-- (installations | operational_stock), with the 'unspecified' row (99) allocated to the
-- specified industries in proportion to their robots that year (the usual treatment since
-- Acemoglu and Restrepo 2020). The paper's text says installations; its Table 1 levels are
-- those of the operational stock, the default (dbt_project.yml).
{%- set measures = ['installations', 'operational_stock'] %}
{%- if var('robot_measure') not in measures %}
    {{ exceptions.raise_compiler_error("var robot_measure: expected one of " ~ measures | join(', ') ~ ", found '" ~ var('robot_measure') ~ "'") }}
{%- endif %}
with robots as (
    select * from {{ ref('stg_ifr__robots') }}
    where lower(country) = 'china' and measure = '{{ var("robot_measure") }}'
),
industries as (select * from {{ ref('ifr_industries') }}),
specified as (
    select
        robots.year,
        robots.ifr_industry_code,
        robots.robots
    from robots
    inner join industries using (ifr_industry_code)
    where not industries.is_unspecified
),
unspecified as (
    select
        robots.year,
        sum(robots.robots) as unspecified
    from robots
    inner join industries using (ifr_industry_code)
    where industries.is_unspecified
    group by all
),
totals as (
    select
        year,
        sum(robots) as specified_total
    from specified
    group by all
)
select
    specified.year,
    specified.ifr_industry_code,
    '{{ var("robot_measure") }}' as measure,
    specified.robots             as robots_reported,
    specified.robots
    + coalesce(unspecified.unspecified, 0) * specified.robots / nullif(totals.specified_total, 0)
        as robots
from specified
inner join totals using (year)
left join unspecified using (year)
order by all
