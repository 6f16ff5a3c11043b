"""Which source tables serve each panel year: seeds/year_substitution.csv with the var
ceads_io_tie_rule applied to the years equidistant from two CEADs IO tables
(greentrade.pipeline.resolve_year_substitution)."""
from greentrade import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    return pipeline.resolve_year_substitution(dbt.ref("year_substitution"), dbt.config.get("ceads_io_tie_rule"))
