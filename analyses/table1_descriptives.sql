-- The paper's Table 1: N, mean, standard deviation (N - 1), min and max of green, robit and
-- the controls over the panel.
--
-- Run:  duckdb -readonly warehouse/greentrade.duckdb < analyses/table1_descriptives.sql
select
    variable,
    n_obs,
    round(mean, 4) as mean,
    round(sd, 4)   as sd,
    round(min, 4)  as min,
    round(max, 4)  as max
from marts.fct_paper_descriptives;
