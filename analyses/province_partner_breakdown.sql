-- One province's value-added and carbon balance with each partner country, mean per year.
-- Change the province here (codes in marts.dim_provinces: GD Guangdong, JS Jiangsu, ...):
set variable province = 'GD';
--
-- Run:  duckdb -readonly warehouse/greentrade.duckdb < analyses/province_partner_breakdown.sql
select
    accounts.province_code,
    accounts.partner_country,
    round(sum(accounts.vex_bn_usd) / count(distinct accounts.year), 4) as vex_bn_usd_per_year,
    round(sum(accounts.vim_bn_usd) / count(distinct accounts.year), 4) as vim_bn_usd_per_year,
    round(sum(accounts.cex_mt) / count(distinct accounts.year), 4)     as cex_mt_per_year,
    round(sum(accounts.cim_mt) / count(distinct accounts.year), 4)     as cim_mt_per_year
from marts.fct_bilateral_trade_accounts as accounts
where accounts.province_code = getvariable('province')
group by all
order by vex_bn_usd_per_year desc;
