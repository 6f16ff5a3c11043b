"""The paper's published Tables 2-5 beside the reproduced estimates, with the paper's own
inconsistencies flagged (greentrade.analysis)."""
from greentrade import analysis


def model(dbt, session):
    dbt.config(materialized="table")
    table = analysis.published_comparison_table(dbt.ref("fct_paper_regressions").df(),
                                                dbt.ref("published_estimates").df())
    return table.assign(build_id=str(dbt.config.get("build_id")))  # marts.dim_build_lineage
