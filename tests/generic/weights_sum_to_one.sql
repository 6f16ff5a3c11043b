{#- In a concordance, the weights of each source code sum to one (nothing lost or doubled). -#}
{% test weights_sum_to_one(model, column_name, group_by) %}
select {{ group_by }}, sum({{ column_name }}) as total_weight
from {{ model }}
group by {{ group_by }}
having abs(sum({{ column_name }}) - 1) > 1e-9
{% endtest %}
