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
),
panel_years as (
    select range::integer as year from range({{ var('first_year') }}, {{ var('last_year') }} + 1)
),
missing as (
    select
        string_agg(year::varchar, ', ' order by year) filter (where year not in (select year from robots)) as no_robots,
        string_agg(year::varchar, ', ' order by year) filter (where year not in (select year from employment))
            as no_employment
    from panel_years
)
select exposure.*
from exposure
join {{ ref('provinces') }} as provinces using (province_code)
cross join missing
-- error() stops the build naming the panel years a source lacks; CASE evaluates it only then
where provinces.in_panel and case
    when missing.no_robots is null and missing.no_employment is null then true
    else error(concat_ws('; ',
        'robit needs IFR robots and provincial employment for every panel year ({{ var("first_year") }}-{{ var("last_year") }})',
        'no IFR {{ var("robot_measure") }} robots for China in ' || missing.no_robots || ' (greentrade ingest ifr)',
        'no employment table in ' || missing.no_employment || ' (greentrade ingest yearbook)'))
end
order by all
