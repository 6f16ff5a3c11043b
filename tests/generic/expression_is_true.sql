{#- Rows for which a boolean SQL expression does not hold fail the test. -#}
{% test expression_is_true(model, expression, where_clause=none) %}
select *
from {{ model }}
where not ({{ expression }})
{%- if where_clause is not none %} and ({{ where_clause }}){% endif %}
{% endtest %}
