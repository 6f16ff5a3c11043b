"""Per region-sector totals of each year's embedded MRIO, for the accounting-identity tests."""
from greentrade import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    china = dbt.config.get("china_region")
    years, loaders = pipeline.year_inputs(
        dbt.config.get("first_year"), dbt.config.get("last_year"), year_substitution=dbt.ref("int_source_tables_by_year"), eora_cells=dbt.ref("stg_eora26__cells"),
        eora_labels=dbt.ref("stg_eora26__labels"), io_cells=dbt.ref("int_ceads_io_cells_mapped_to_eora26"),
        emissions=dbt.ref("int_emissions_by_province_sector"), co2_satellite=dbt.config.get("co2_satellite"), china=china)
    return pipeline.embedded_totals_for_years(years, *loaders, china=china, province_co2=dbt.config.get("province_co2"))
