-- Which source tables serve each panel year: the Eora26 year and the CEADs IO table (its
-- year and sector list), from seeds/year_substitution.csv with the var ceads_io_tie_rule
-- deciding the years equidistant from two tables: 'paper' keeps the seed's ceads_io_year
-- (set from the paper's Table A1: 2011 from the 2012 table, 2016 from the 2015 table),
-- 'earlier' / 'later' take the earlier / later of the two tables for every tie.
{%- set rule = var('ceads_io_tie_rule') %}
{%- if rule not in ['paper', 'earlier', 'later'] %}
{{ exceptions.raise_compiler_error("var ceads_io_tie_rule: expected paper, earlier or later, found '" ~ rule ~ "'") }}
{%- endif %}
with substitution as (select * from {{ ref('year_substitution') }}),
ties as (
    select
        *,
        tie_ceads_io_year is not null                                             as is_tie,
        coalesce(('{{ rule }}' = 'earlier' and tie_ceads_io_year < ceads_io_year)
              or ('{{ rule }}' = 'later' and tie_ceads_io_year > ceads_io_year), false) as takes_tie
    from substitution
)
select
    year,
    eora_year,
    case when takes_tie then tie_ceads_io_year else ceads_io_year end          as ceads_io_year,
    case when takes_tie then tie_ceads_io_sectors else ceads_io_sectors end    as ceads_io_sectors,
    is_tie,
    '{{ rule }}'                                                                as ceads_io_tie_rule
from ties
order by year
