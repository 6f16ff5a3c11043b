-- One province's value-added and carbon balance with each partner country, mean per year.
-- Change the province here (codes in marts.dim_provinces: GD Guangdong, JS Jiangsu, ...):
set variable province = 'GD';
--
-- Run:  duckdb -readonly warehouse/greentrade.duckdb < analyses/province_partner_breakdown.sql
select
    trade.province_code,
    trade.partner_country,
    round(sum(trade.vex_bn_usd) / count(distinct trade.year), 4) as vex_bn_usd_per_year,
    round(sum(trade.vim_bn_usd) / count(distinct trade.year), 4) as vim_bn_usd_per_year,
    round(sum(trade.cex_mt) / count(distinct trade.year), 4)     as cex_mt_per_year,
    round(sum(trade.cim_mt) / count(distinct trade.year), 4)     as cim_mt_per_year
from marts.fct_bilateral_trade_accounts as trade
where trade.province_code = getvariable('province')
group by all
order by vex_bn_usd_per_year desc;
