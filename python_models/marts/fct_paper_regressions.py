"""Tables 2-5 of the paper in long form (greentrade.dbt_models / greentrade.econometrics)."""
from greentrade import dbt_models


def model(dbt, session):
    dbt.config(materialized="table")
    settings = {"bootstrap_reps": int(dbt.config.get("bootstrap_reps")),
                "bootstrap_seed": int(dbt.config.get("bootstrap_seed")),
                "vce": str(dbt.config.get("vce"))}
    results = dbt_models.regression_results(dbt.ref("fct_province_year_panel").df(), settings)
    return results.assign(build_id=str(dbt.config.get("build_id")))  # marts.dim_build_lineage
