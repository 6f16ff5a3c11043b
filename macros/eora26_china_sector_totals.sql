{#-
  China's sectors in the staged Eora26 cells, with the ROW discrepancy entry set aside, for the
  identity tests (computed independently of the embedding): per Eora26 year and Eora26 sector,
  output (row sums of T and FD over the columns kept), value added (column sums of VA) and inputs
  (column sums of T over the rows kept, plus value added). Thousand USD; one select, to use as a
  subquery.
-#}
{% macro eora26_china_sector_totals() %}
    with labels as (select * from {{ ref('stg_eora26__labels') }}),
    cells as (select * from {{ ref('stg_eora26__cells') }}),
    china as (
        select
            labels.year,
            labels.idx,
            sectors.eora_sector_code
        from labels inner join {{ ref('eora26_sectors') }} as sectors on labels.item = sectors.eora_sector_name
        where labels.matrix = 'T' and labels.axis = 'row' and labels.country_code = '{{ var("china_region") }}'
    ),
    kept_columns as (
        select
            year,
            matrix,
            idx
        from labels
        where matrix in ('T', 'FD') and axis = 'col' and not is_discrepancy
    ),
    kept_t_rows as (
        select
            year,
            idx
        from labels
        where matrix = 'T' and axis = 'row' and not is_discrepancy
    ),
    output as (
        select
            china.year,
            china.eora_sector_code,
            sum(cells.value) as output
        from cells
        inner join china on cells.year = china.year and cells.row_idx = china.idx
        inner join kept_columns
            on
                cells.year = kept_columns.year and cells.matrix = kept_columns.matrix
                and cells.col_idx = kept_columns.idx
        where cells.matrix in ('T', 'FD')
        group by all
    ),
    columns as (
        select
            china.year,
            china.eora_sector_code,
            coalesce(sum(cells.value) filter (where cells.matrix = 'VA'), 0) as value_added,
            coalesce(sum(cells.value) filter (where cells.matrix = 'T'), 0)  as intermediate_inputs
        from cells
        inner join china on cells.year = china.year and cells.col_idx = china.idx
        left join kept_t_rows on cells.year = kept_t_rows.year and cells.row_idx = kept_t_rows.idx
        where cells.matrix = 'VA' or (cells.matrix = 'T' and kept_t_rows.idx is not null)
        group by all
    )
    select
        china.year,
        china.eora_sector_code,
        coalesce(output.output, 0)                                                   as output,
        coalesce(columns.value_added, 0)                                             as value_added,
        coalesce(columns.intermediate_inputs, 0) + coalesce(columns.value_added, 0) as inputs
    from china
    left join output on china.year = output.year and china.eora_sector_code = output.eora_sector_code
    left join columns on china.year = columns.year and china.eora_sector_code = columns.eora_sector_code
{% endmacro %}
