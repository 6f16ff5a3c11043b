"""Table 1 of the paper: descriptive statistics of the panel (Stata summarize conventions)."""
from greentrade import dbt_models


def model(dbt, session):
    dbt.config(materialized="table")
    table = dbt_models.descriptives(dbt.ref("fct_province_year_panel").df())
    return table.assign(build_id=str(dbt.config.get("build_id")))  # marts.dim_build_lineage
