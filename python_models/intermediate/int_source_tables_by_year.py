"""Which source tables serve each panel year: seeds/year_substitution.csv with the var
ceads_io_tie_rule applied to the years equidistant from two CEADs IO tables, and the years
after the var eora_last_year served by that Eora26 year
(greentrade.dbt_models.resolve_year_substitution)."""
from greentrade import dbt_models


def model(dbt, session):
    dbt.config(materialized="table")
    return dbt_models.resolve_year_substitution(dbt.ref("year_substitution"), dbt.config.get("ceads_io_tie_rule"),
                                              int(dbt.config.get("eora_last_year")))
