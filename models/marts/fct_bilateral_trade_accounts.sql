-- Value added and CO2 exchanged between each province and each foreign country through
-- final demand (docs/method.md eqs. (6)-(9)), by sector and year, within the manufacturing scope set
-- by the var manufacturing_scope:
--   producing_sector: only value added / CO2 generated in manufacturing sectors;
--   final_product:    only what is embodied in final demand for manufactured products;
--   both:             both restrictions;  all: no restriction.
-- For a row (province m, partner U, sector s): vex / cex are generated in m's sector s and
-- absorbed by U's final demand; vim / cim are generated in U's sector s and absorbed by m's.
{% set scope = var('manufacturing_scope') %}
{% if scope not in ['producing_sector', 'final_product', 'both', 'all'] %}
    {{ exceptions.raise_compiler_error("manufacturing_scope must be producing_sector, final_product, both or all; got " ~ scope) }}
{% endif %}
with embodied as (
    select embodied.*
    from {{ ref('int_embodied_factors_by_destination') }} as embodied
    inner join {{ ref('eora26_sectors') }} as sectors on embodied.origin_sector = sectors.eora_sector_code
    -- int_embedded_mrio traced only the final demand this scope needs
    where
        embodied.final_products = '{{ "manufacturing" if scope in ["final_product", "both"] else "all" }}'
        {%- if scope in ['producing_sector', 'both'] %}
            and sectors.is_manufacturing
        {%- endif %}
),
provinces as (select province_code from {{ ref('provinces') }}),
exports as (   -- generated in province m, absorbed abroad
    select
        year,
        origin_region      as province_code,
        destination_region as partner_country,
        origin_sector      as eora_sector_code,
        va_thousand_usd,
        co2_t
    from embodied
    where
        origin_region in (select provinces.province_code from provinces)
        and destination_region not in (select provinces.province_code from provinces)
),
imports as (   -- generated abroad, absorbed in province m
    select
        year,
        destination_region as province_code,
        origin_region      as partner_country,
        origin_sector      as eora_sector_code,
        va_thousand_usd,
        co2_t
    from embodied
    where
        destination_region in (select provinces.province_code from provinces)
        and origin_region not in (select provinces.province_code from provinces)
),
combined as (
    select
        year,
        province_code,
        partner_country,
        eora_sector_code,
        va_thousand_usd as vex_thousand_usd,
        0.0             as vim_thousand_usd,
        co2_t           as cex_t,
        0.0             as cim_t
    from exports
    union all
    select
        year,
        province_code,
        partner_country,
        eora_sector_code,
        0.0             as vex_thousand_usd,
        va_thousand_usd as vim_thousand_usd,
        0.0             as cex_t,
        co2_t           as cim_t
    from imports
)
select
    year,
    province_code,
    partner_country,
    eora_sector_code,
    '{{ scope }}'                                    as manufacturing_scope,
    '{{ var("co2_satellite") }}'                     as co2_satellite,
    '{{ var("province_co2") }}'                      as province_co2,
    sum(vex_thousand_usd) / 1e6                      as vex_bn_usd,
    sum(vim_thousand_usd) / 1e6                      as vim_bn_usd,
    sum(cex_t) / 1e6                                 as cex_mt,
    sum(cim_t) / 1e6                                 as cim_mt,
    '{{ var("greentrade_build_id", "unrecorded") }}' as build_id   -- marts.dim_build_lineage
from combined
group by all
order by year, province_code, partner_country, eora_sector_code
