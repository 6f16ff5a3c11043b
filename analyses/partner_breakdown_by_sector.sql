-- One partner country's trade with China's provinces, by sector: value added exported to it
-- (VEX, the Chinese province's producing sector) and imported from it (VIM, the partner's
-- producing sector), and the CO2 embodied in each, mean per year, billion USD and Mt CO2.
-- fct_bilateral_trade_accounts holds every partner country of the embedded table, whatever the
-- run's partner group. Change the country here (Eora codes: VNM Viet Nam, THA Thailand, IDN
-- Indonesia, MYS Malaysia, ..., listed in reference.partner_groups):
set variable partner = 'VNM';
--
-- Run:  duckdb -readonly warehouse/greentrade.duckdb < analyses/partner_breakdown_by_sector.sql
select
    trade.partner_country,
    trade.eora_sector_code,
    sectors.eora_sector_name,
    round(sum(trade.vex_bn_usd) / count(distinct trade.year), 4)                    as vex_bn_usd_per_year,
    round(sum(trade.vim_bn_usd) / count(distinct trade.year), 4)                    as vim_bn_usd_per_year,
    round(sum(trade.vex_bn_usd - trade.vim_bn_usd) / count(distinct trade.year), 4) as nv_bn_usd_per_year,
    round(sum(trade.cex_mt) / count(distinct trade.year), 4)                        as cex_mt_per_year,
    round(sum(trade.cim_mt) / count(distinct trade.year), 4)                        as cim_mt_per_year,
    any_value(trade.manufacturing_scope)                                            as manufacturing_scope
from marts.fct_bilateral_trade_accounts as trade
left join reference.eora26_sectors as sectors using (eora_sector_code)
where trade.partner_country = getvariable('partner')
group by all
order by vex_bn_usd_per_year desc;
