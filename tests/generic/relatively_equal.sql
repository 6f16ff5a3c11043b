{#- Two numeric columns agree to a relative tolerance: |a - b| <= tol * max(|a|, |b|, floor).
    Used for the accounting identities (row = column balance, shares summing to totals). -#}
{% test relatively_equal(model, column_name, other, tolerance=1e-6, floor=1e-9) %}
select {{ column_name }} as lhs, {{ other }} as rhs
from {{ model }}
where abs({{ column_name }} - ({{ other }}))
      > {{ tolerance }} * greatest(abs({{ column_name }}), abs({{ other }}), {{ floor }})
{% endtest %}
