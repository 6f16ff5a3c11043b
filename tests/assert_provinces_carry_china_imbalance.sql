-- What the embedding guarantees about balance (docs/mrio.md, "China's imbalance"), computed here
-- independently from the staged Eora26 cells (macros/eora26_china_sector_totals.sql). Real
-- Eora26 balances China's sectors only together with the ROW discrepancy entry, so once ROW is
-- set aside China's sector i has
-- output x_i (row sums of T and FD) and inputs u_i (column sums of T plus VA) that differ.
-- The embedding gives each province-sector (p, i) output s_p,i x_i and inputs s_p,i u_i:
--   1. per year and sector, the provinces' inputs (Z column total + VA) sum to China's u_i;
--   2. every province-sector has China's ratio of inputs to output, u_i / x_i
--      (inputs = gross_output x u_i / x_i), i.e. carries its share of China's imbalance.
-- The provinces' outputs and VA summing to China's are tested in
-- assert_provinces_sum_to_china_in_global_table.sql. No balance beyond China's own is asked.
with substitution as (
    select
        year,
        eora_year
    from {{ ref('int_source_tables_by_year') }}
),  -- after eora_last_year
china as ({{ eora26_china_sector_totals() }}),
china_sectors as (
    select
        substitution.year,
        china.eora_sector_code,
        china.output,
        china.inputs
    from substitution
    inner join china on substitution.eora_year = china.year
),
provinces as (
    select
        year,
        region,
        sector                            as eora_sector_code,
        gross_output,
        intermediate_inputs + value_added as inputs
    from {{ ref('int_embedded_mrio_totals') }}
    where is_province
),
sector_sums as (
    select
        year,
        eora_sector_code,
        sum(inputs) as inputs
    from provinces
    group by all
),
failures as (
    select
        'provinces do not sum to China''s inputs' as failure,
        sector_sums.year,
        null                                      as region,
        sector_sums.eora_sector_code,
        sector_sums.inputs                        as provinces_value,
        china_sectors.inputs                      as expected
    from sector_sums
    inner join china_sectors using (year, eora_sector_code)
    where
        abs(sector_sums.inputs - china_sectors.inputs)
        > {{ var('balance_tolerance') }} * greatest(abs(china_sectors.inputs), 1.0)
    union all
    select
        'province-sector does not carry China''s input/output ratio'         as failure,
        provinces.year,
        provinces.region,
        provinces.eora_sector_code,
        provinces.inputs                                                     as provinces_value,
        provinces.gross_output * china_sectors.inputs / china_sectors.output as expected
    from provinces
    inner join china_sectors using (year, eora_sector_code)
    where
        china_sectors.output != 0
        and abs(provinces.inputs - provinces.gross_output * china_sectors.inputs / china_sectors.output)
        > {{ var('balance_tolerance') }}
        * greatest(abs(provinces.gross_output * china_sectors.inputs / china_sectors.output), 1.0)
)
select * from failures
