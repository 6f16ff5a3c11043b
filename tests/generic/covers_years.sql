{#-
  A guard as a data test: the years a model must cover (the panel years first_year-last_year
  by default, or the list `years`) that it lacks. One row, whose `problem` names those years
  in `message` (where '{years}' stands for them), e.g. the command that loads them. Failures
  are stored, so `greentrade build` prints the message; dbt's own skipping then stops every
  model downstream of the failing one.
  where: only rows for which it holds count as covering their year.
-#}
{% test covers_years(model, column_name, message, years=none, where=none) %}
{{ config(store_failures=true) }}
{%- set wanted = years if years is not none else range(var('first_year') | int, (var('last_year') | int) + 1) | list %}
with wanted as (
    select unnest([{{ wanted | join(', ') }}])::integer as year
),
covered as (
    select distinct {{ column_name }}::integer as year
    from {{ model }}
    {%- if where is not none %}
    where {{ where }}
    {%- endif %}
),
missing as (
    select string_agg(year::varchar, ', ' order by year) as years, count(*) as n_years
    from wanted
    where year not in (select year from covered)
)
select replace('{{ message | replace("'", "''") }}', '{years}', years) as problem, years, n_years
from missing
where n_years > 0
{% endtest %}
