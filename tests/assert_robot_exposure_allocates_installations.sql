-- Every robot installed is allocated to some province: employment shares of each industry
-- sum to one over the provinces of the employment table, so the provinces' exposures add up
-- to the year's installations (all of them when the employment table covers only panel
-- provinces, as the demo does; otherwise no more than them).
with exposure as (
    select year, sum(robit) as total_exposure
    from {{ ref('int_robot_exposure_by_province_year') }} group by all
),
installations as (
    select year, sum(installations) as total_installations
    from {{ ref('int_robot_installations_allocated') }} group by all
)
select exposure.year, exposure.total_exposure, installations.total_installations
from exposure
join installations using (year)
where exposure.total_exposure > installations.total_installations * (1 + 1e-9)
