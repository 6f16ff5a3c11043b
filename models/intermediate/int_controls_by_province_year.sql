-- The paper's controls and instruments per province-year, in the paper's units:
-- Gdp = GDP per capita (published unit), Town = urbanisation rate as a share,
-- Hum = higher-education students per person (per-100,000 figure / 100,000),
-- Gov = local fiscal expenditure / GDP, and the AI and green invention patent counts.
with indicators as (select * from {{ ref('stg_yearbook__indicators') }}),
wide as (
    pivot indicators on indicator in (
        'gdp', 'gdp_per_capita', 'urbanisation', 'human_capital',
        'fiscal_expenditure', 'ai_patents', 'green_patents'
    )
    using first(value)
    group by province_code, year
),
panel_years as (
    select range::integer as year from range({{ var('first_year') }}, {{ var('last_year') }} + 1)
),
missing as (
    select string_agg(panel_years.year::varchar, ', ' order by panel_years.year) as years
    from panel_years
    where panel_years.year not in (select indicators.year from indicators)
)
select
    wide.province_code,
    wide.year,
    wide.gdp_per_capita,
    wide.urbanisation / 100.0                     as urbanisation_share,
    wide.human_capital / 100000.0                 as human_capital_share,
    wide.fiscal_expenditure / nullif(wide.gdp, 0) as fiscal_share_of_gdp,
    wide.ai_patents,
    wide.green_patents
from wide
cross join missing
-- error() stops the build naming the panel years without yearbook data
where
    case
        when missing.years is null then true
        else error(
            'the controls need the yearbook indicators for every panel year ({{ var("first_year") }}-'
            || '{{ var("last_year") }}); none in ' || missing.years || ' (greentrade ingest yearbook)'
        )
    end
order by all
