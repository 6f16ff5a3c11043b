-- fct_province_year_panel's lags are calendar lags within the panel years: x_lagk of a row is x
-- of the same province in year - k when that year is a panel year, else null (also in
-- first_year when earlier years are loaded). The regressions read these columns, so this is
-- what Table 3's instruments are.
with panel as (select * from {{ ref('fct_province_year_panel') }})
select
    panel.province_code,
    panel.year
from panel
left join panel as lag1 on panel.province_code = lag1.province_code and lag1.year = panel.year - 1
left join panel as lag2 on panel.province_code = lag2.province_code and lag2.year = panel.year - 2
where
    panel.robit_lag1 is distinct from lag1.robit
    or panel.robit_lag2 is distinct from lag2.robit
    or panel.ai_patents_lag1 is distinct from lag1.ai_patents
    or panel.ai_patents_lag2 is distinct from lag2.ai_patents
    or (panel.year = {{ var('first_year') }} and panel.robit_lag1 is not null)
