-- Bartik robot exposure (docs/method.md section 4): robit_pt = sum_j (emp_pjt / emp_jt) x robots_jt,
-- j the IFR industries, emp_pjt province p's employment in the industry groups matched to j,
-- emp_jt the sum over all provinces in the employment table (so the shares of every industry
-- sum to one and every robot is allocated), robots_jt IFR robots in the robot_measure var's
-- measure (operational stock by default: the paper's text says installations, its Table 1
-- levels are the stock's), 'unspecified' allocated.
-- Two share variants, both kept: robit_current uses the employment shares of year t (the
-- paper's subscripts); robit_base_year fixes them at var robit_base_year (2010), as
-- shift-share designs usually do (beyond the paper). var robit_shares = current | base_year
-- chooses which one is `robit`.
{%- set shares = var('robit_shares') %}
{%- set robit_column = 'current_exposure.robit_current' if shares == 'current'
    else 'base_year_exposure.robit_base_year' %}
{%- if shares not in ['current', 'base_year'] %}
{{ exceptions.raise_compiler_error("robit_shares must be current or base_year, got " ~ shares) }}
{%- endif %}
with employment as (
    select
        employment.year,
        employment.province_code,
        industries.ifr_industry_code,
        sum(employment.employment_10k) as employment_10k
    from {{ ref('stg_yearbook__employment') }} as employment
    inner join {{ ref('employment_industries') }} as industries using (employment_industry_code)
    where employment.province_code != 'CN'
    group by all
),
national as (
    select
        year,
        ifr_industry_code,
        sum(employment_10k) as national_employment_10k
    from employment
    group by all
),
shares as (
    select
        employment.year,
        employment.province_code,
        employment.ifr_industry_code,
        employment.employment_10k / nullif(national.national_employment_10k, 0) as employment_share
    from employment
    inner join national using (year, ifr_industry_code)
),
base_shares as (
    select
        province_code,
        ifr_industry_code,
        employment_share
    from shares
    where year = {{ var('robit_base_year') }}
),
robots as (select * from {{ ref('int_robots_by_industry_year') }}),
current_exposure as (
    select
        robots.year,
        shares.province_code,
        sum(shares.employment_share * robots.robots) as robit_current
    from shares
    inner join robots using (year, ifr_industry_code)
    group by all
),
base_year_exposure as (
    select
        robots.year,
        base_shares.province_code,
        sum(base_shares.employment_share * robots.robots) as robit_base_year
    from base_shares
    inner join robots using (ifr_industry_code)
    group by all
),
exposure as (
    select
        current_exposure.year,
        current_exposure.province_code,
        {{ robit_column }} as robit,  -- noqa: LT01
        current_exposure.robit_current,
        base_year_exposure.robit_base_year,
        '{{ shares }}'     as robit_shares  -- noqa: LT01
    from current_exposure
    left join base_year_exposure using (year, province_code)
)
select exposure.*
from exposure
inner join {{ ref('provinces') }} as provinces using (province_code)
-- the tests covers_years name the panel years without IFR robots or employment, and a missing
-- robit_base_year employment table; dbt then skips what depends on this model
where provinces.in_panel
order by all
