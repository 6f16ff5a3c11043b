-- The paper's Tables 2-5, one row per table column: the logrobit coefficient with its
-- standard error, t, p and stars, and the column's N and R-squared (within).
-- Every coefficient and statistic is in marts.fct_paper_regressions (long form). Pick another
-- term ('loggdp', 'loghum', 'logtown', 'loggov', '_cons') by changing the filter below.
--
-- Run:  duckdb -readonly warehouse/greentrade.duckdb < analyses/paper_tables.sql
with coefficient as (
    select
        paper_table,
        table_column,
        term,
        estimate,
        se,
        t,
        p,
        stars,
        n
    from marts.fct_paper_regressions
    where term = 'logrobit'
),
statistics as (
    select
        paper_table,
        table_column,
        max(value) filter (where statistic = 'r2_within')  as r2_within,
        max(value) filter (where statistic = 'n_clusters') as n_clusters
    from marts.fct_paper_regressions
    where statistic is not null
    group by all
)
select
    coefficient.paper_table,
    coefficient.table_column,
    coefficient.term,
    round(coefficient.estimate, 4) as estimate,
    round(coefficient.se, 4)       as se,
    round(coefficient.t, 2)        as t,
    round(coefficient.p, 4)        as p,
    coefficient.stars,
    coefficient.n,
    statistics.n_clusters,
    round(statistics.r2_within, 4) as r2_within
from coefficient
left join statistics using (paper_table, table_column)
order by
    coefficient.paper_table,
    case coefficient.table_column
        when 'east' then '1' when 'central' then '2' when 'west' then '3'
        else coefficient.table_column
    end;
