-- Every robot is allocated to some province: employment shares of each industry sum to one
-- over the provinces of the employment table, so the provinces' exposures add up to the
-- year's robots in the robot_measure var's measure (all of them when the employment table
-- covers only panel provinces, as the demo does; otherwise no more than them). Also fails
-- for a panel year without robots in that measure (e.g. no operational-stock file loaded).
with exposure as (
    select
        year,
        sum(robit) as total_exposure
    from {{ ref('int_robot_exposure_by_province_year') }}
    group by all
),
robots as (
    select
        year,
        sum(robots) as total_robots
    from {{ ref('int_robots_by_industry_year') }}
    group by all
),
panel_years as (
    select range as year from range({{ var('first_year') }}, {{ var('last_year') }} + 1)
)
select
    panel_years.year,
    exposure.total_exposure,
    robots.total_robots
from panel_years
left join exposure using (year)
left join robots using (year)
where
    robots.total_robots is null
    or exposure.total_exposure is null
    or exposure.total_exposure > robots.total_robots * (1 + 1e-9)
