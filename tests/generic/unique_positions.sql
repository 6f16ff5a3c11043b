{#- Primary-key test for cells of dense matrices: (group columns..., position) is unique, where
    position is a small non-negative integer (a column index). Checked per group with a bitmap
    of its positions (DuckDB's bitstring_agg): one bit per position and group, so a table of
    hundreds of millions of cells is checked in seconds and a few hundred MB, where a hash of
    every key (unique_combination_of_columns) needs gigabytes. A position outside
    [0, max_position] stops the test with DuckDB's out-of-range error naming it. -#}
{% test unique_positions(model, group_by, position, max_position=9999) %}
select {{ group_by | join(', ') }},
       count(*)                                                              as n_rows,
       bit_count(bitstring_agg({{ position }}, 0, {{ max_position }}))        as n_positions
from {{ model }}
group by {{ group_by | join(', ') }}
having count(*) <> bit_count(bitstring_agg({{ position }}, 0, {{ max_position }}))
{% endtest %}
