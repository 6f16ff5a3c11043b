"""Embodied value added and CO2 by origin region-sector and destination region, per year.

Embeds China's provinces into the global MRIO and solves the Leontief system once per year
(greentrade.pipeline). Thin plumbing: every number is computed in the package.
"""
from greentrade import pipeline, reference
from greentrade.progress import ProgressBar


def model(dbt, session):
    dbt.config(materialized="table")
    china = dbt.config.get("china_region")
    years, loaders = pipeline.year_inputs(
        dbt.config.get("first_year"), dbt.config.get("last_year"), year_substitution=dbt.ref("int_source_tables_by_year"), eora_cells=dbt.ref("stg_eora26__cells"),
        eora_labels=dbt.ref("stg_eora26__labels"), io_cells=dbt.ref("int_ceads_io_cells_mapped_to_eora26"),
        emissions=dbt.ref("int_emissions_by_province_sector"), co2_satellite=dbt.config.get("co2_satellite"), china=china)
    manufacturing = reference.eora26_sectors().query("is_manufacturing")["eora_sector_code"].tolist()
    progress = ProgressBar(total=len(years), desc="embed and solve", unit="year")
    try:
        embodied = pipeline.embodied_for_years(years, *loaders, china=china, manufacturing=manufacturing,
                                               province_co2=dbt.config.get("province_co2"), progress=progress)
    finally:
        progress.close()
    return embodied
