"""China's provinces embedded in the Eora26 world table, solved once per distinct (Eora26
year, CEADs IO table): factors embodied by destination and region-sector totals for every
panel year (greentrade.dbt_models.embedded_mrio; thin plumbing). Every seed the computation
uses comes through dbt.ref, so the DAG shows it."""
from greentrade import dbt_models


def model(dbt, session):
    dbt.config(materialized="table")
    tables_by_year = dbt.ref("int_source_tables_by_year")
    sources = dbt_models.WarehouseSources(
        eora_cells=dbt.ref("stg_eora26__cells"), eora_labels=dbt.ref("stg_eora26__labels"),
        io_cells=dbt.ref("int_ceads_io_cells_mapped_to_eora26"), emissions=dbt.ref("int_emissions_by_province_sector"),
        eora26_sectors=dbt.ref("eora26_sectors"), provinces=dbt.ref("provinces"),
        final_use=dbt.ref("concordance_ceads_final_use_to_eora26"))
    first_year, last_year = int(dbt.config.get("first_year")), int(dbt.config.get("last_year"))
    return dbt_models.embedded_mrio(
        session, tables_by_year, sources, first_year=first_year, last_year=last_year,
        china=dbt.config.get("china_region"), co2_satellite_key=dbt.config.get("co2_satellite"),
        province_co2=dbt.config.get("province_co2"), manufacturing_scope=dbt.config.get("manufacturing_scope"))
