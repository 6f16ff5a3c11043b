{#- Primary-key test for a compound key: no two rows share the same values of the columns.
    Two steps, so a key of many text columns over millions of rows stays within DuckDB's
    memory limit: keys are first grouped by a 64-bit hash of the columns (16 bytes a row),
    and only the rows whose hash occurs twice are then grouped by the columns themselves.
    A hash collision makes a candidate, never a failure: the second step decides. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
{%- set columns = combination_of_columns | join(', ') %}
with candidates as (
    select hash({{ columns }}) as key_hash
    from {{ model }}
    group by 1
    having count(*) > 1
)
select {{ columns }}, count(*) as n_rows
from {{ model }}
where hash({{ columns }}) in (select key_hash from candidates)
group by {{ columns }}
having count(*) > 1
{% endtest %}
