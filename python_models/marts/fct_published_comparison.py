"""The paper's published Tables 2-5 beside the reproduced estimates, with the paper's own
inconsistencies flagged (greentrade.dbt_models)."""
from greentrade import dbt_models


def model(dbt, session):
    dbt.config(materialized="table")
    table = dbt_models.published_comparison_table(dbt.ref("fct_paper_regressions").df(),
                                                dbt.ref("published_estimates").df())
    return table.assign(build_id=str(dbt.config.get("build_id")))  # marts.dim_build_lineage
