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
-- the test covers_years names the panel years without yearbook data; dbt then skips what depends on it
order by all
