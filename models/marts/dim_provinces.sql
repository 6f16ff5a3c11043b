-- The 30 panel provinces (and Tibet, outside the panel) with the paper's groupings.
select
    province_code,
    gb_code,
    name_en,
    name_zh,
    region,
    is_municipality,
    in_panel,
    sort_order,
    '{{ var("greentrade_build_id", "unrecorded") }}' as build_id   -- marts.dim_build_lineage
from {{ ref('provinces') }}
order by sort_order
