-- Bartik robot exposure (METHOD.md section 4): robit_pt = sum_j (emp_pjt / emp_jt) x robots_jt,
-- j the IFR industries, emp_pjt province p's employment in the industry groups matched to j,
-- emp_jt the sum over all provinces in the employment table (so the shares of every industry
-- sum to one and every robot is allocated), robots_jt IFR robots in the robot_measure var's
-- measure (operational stock by default: the paper's text says installations, its Table 1
-- levels are the stock's), 'unspecified' allocated.
with employment as (
    select employment.year, employment.province_code, industries.ifr_industry_code,
           sum(employment.employment_10k) as employment_10k
    from {{ ref('stg_yearbook__employment') }} as employment
    join {{ ref('employment_industries') }} as industries using (employment_industry_code)
    where employment.province_code != 'CN'
    group by all
),
national as (
    select year, ifr_industry_code, sum(employment_10k) as national_employment_10k
    from employment
    group by all
),
robots as (select * from {{ ref('int_robots_by_industry_year') }}),
exposure as (
    select
        employment.year,
        employment.province_code,
        sum(employment.employment_10k / nullif(national.national_employment_10k, 0) * robots.robots) as robit
    from employment
    join national using (year, ifr_industry_code)
    join robots using (year, ifr_industry_code)
    group by all
)
select exposure.*
from exposure
join {{ ref('provinces') }} as provinces using (province_code)
where provinces.in_panel
order by all
