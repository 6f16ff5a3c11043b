{#- The data deviations from the paper, stated once and carried into the marts where the data
    are used (fct_green_trade_benefit.carbon_price_basis and co2_source). -#}

{% macro carbon_price_basis(series) -%}
{%- if series == 'eua' -%}
'EUA: annual mean of the ICE front-month EUA futures daily settlement price (ETS-Watch market_prices.csv, column settle), EUR/t; the paper uses the EEX EUA spot price'
{%- elif series == 'china_ets' -%}
'China ETS: mean over the pilot markets (national market from July 2021) of each market''s annual mean price, CNY/t; beyond the paper'
{%- else -%}
'constant social cost of carbon, {{ var("social_cost_usd_per_t") }} USD/t (social_cost_usd_per_t); beyond the paper'
{%- endif -%}
{%- endmacro %}

{#- CO2 behind CEX and CIM. Hook for the co2_satellite setting (edgar_total | edgar_ipcc |
    iea_fuel_combustion | primap_co2): the Eora26 reader selects the satellite row; until that
    var exists the reader uses Eora's 'Total CO2 emissions (Gg) from EDGAR', the default here. -#}
{% macro co2_source() -%}
{%- set satellite = var('co2_satellite', 'edgar_total') -%}
{%- set countries = {
    'edgar_total': "Eora26 satellite 'Total CO2 emissions (Gg) from EDGAR'",
    'edgar_ipcc': "Eora26 satellite EDGAR CO2 by IPCC category ('I-GHG-CO2 emissions (Gg)' rows)",
    'iea_fuel_combustion': "Eora26 satellite 'IEA - DEPRECATED - CO2 emissions from fuel combustion', the paper's IEA CO2 from fuel combustion",
    'primap_co2': "Eora26 satellite 'PRIMAP|CO2|TOTALexcludingLULUCF|Gg'",
} -%}
{%- if satellite not in countries -%}
{{ exceptions.raise_compiler_error("co2_satellite must be one of " ~ countries.keys() | list ~ ", got " ~ satellite) }}
{%- endif -%}
'countries (co2_satellite = {{ satellite }}): {{ countries[satellite] | replace("'", "''") }}{{ "; the paper uses IEA CO2 from fuel combustion" if satellite != "iea_fuel_combustion" else "" }}. Chinese provinces: CEADs provincial CO2 inventories (IPCC sectoral approach, scope 1), as the paper'
{%- endmacro %}
