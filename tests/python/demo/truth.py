"""Test oracle: the trade accounts of the demo's *true* provincial world.

The demo (``greentrade.demo.world``) builds one true world per year -- the 30 panel provinces
and 19 foreign regions, 26 Eora sectors each, in thousand USD, CO2 in Gg -- and derives every
published file from it (Eora26 with the provinces aggregated into CHN, CEADs IO tables at 30
or 42 sectors in 10,000 CNY with noise, CEADs inventories in Mt). The pipeline never sees this
world: it reads the files, embeds the CEADs provinces into Eora26 and solves. This module
computes the accounts on the true world directly, so a test can say how close the shipped
marts come to it.

It is an oracle, not a second definition of the accounts: the Leontief solve is the
library's public ``greentrade.mrio.embodied_in_final_demand(Z, Y, F)``; everything after it
is an explicit sum written out here, following the marts' documented conventions
(``models/marts/fct_bilateral_trade_accounts.sql``, ``fct_green_trade_benefit.sql``):

- a row of ``embodied`` is factor f generated in origin (region r, sector s) and absorbed by
  destination d's final demand (all its categories, all products traced: final_products 'all');
- manufacturing_scope ``producing_sector``: only origin sectors flagged ``is_manufacturing``
  in seeds/eora26_sectors.csv count;
- VEX/CEX of province m with partner U: origin m, destination U; VIM/CIM: origin U,
  destination m; NV = VEX - VIM, NC = CEX - CIM over the partner group;
- units: thousand USD / 1e6 = bn USD; CO2 Gg / 1e3 = Mt; green = NV - PC * NC / 1e3 bn USD
  (PC in USD per tonne).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greentrade import reference
from greentrade.demo import world as W
from greentrade.mrio import embodied_in_final_demand


def true_worlds(years) -> dict[int, W.WorldYear]:
    """The demo generator's true world of each year (the same calls as ``demo.generate``)."""
    panel = W.province_panel()
    robit = W.robot_exposure(W.employment(), W.ifr_operational_stock(W.ifr_installations()))
    panel = W.add_patents(panel, robit)
    return {year: W.world_year(year, panel, robit) for year in years}


def true_bilateral(world: W.WorldYear) -> pd.DataFrame:
    """Province x partner country accounts of one true world, manufacturing producing
    sectors only: columns year, province_code, partner_country, vex_bn_usd, vim_bn_usd,
    cex_mt, cim_mt (one row per province and foreign region)."""
    layout = world.layout
    rows = pd.MultiIndex.from_product([world.regions, layout.sectors], names=["region", "sector"])
    columns = pd.MultiIndex.from_product([world.regions, W.FD_CATEGORIES], names=["region", "category"])
    Z = pd.DataFrame(world.Z, index=rows, columns=rows)
    Y = pd.DataFrame(world.Y, index=rows, columns=columns)
    F = pd.DataFrame(np.vstack([world.va / 1e6,       # thousand USD -> bn USD
                                world.co2 / 1e3]),    # Gg -> Mt
                     index=pd.Index(["va_bn_usd", "co2_mt"], name="factor"), columns=rows)
    embodied = embodied_in_final_demand(Z, Y, F)
    manufacturing = set(reference.eora26_sectors().query("is_manufacturing")["eora_sector_code"])
    embodied = embodied[embodied["origin_sector"].isin(manufacturing)]
    provinces = set(layout.provinces)
    origin_home = embodied["origin_region"].isin(provinces)
    destination_home = embodied["destination_region"].isin(provinces)
    exports = embodied[origin_home & ~destination_home].rename(
        columns={"origin_region": "province_code", "destination_region": "partner_country"})
    imports = embodied[destination_home & ~origin_home].rename(
        columns={"destination_region": "province_code", "origin_region": "partner_country"})
    keys = ["province_code", "partner_country", "factor"]
    flows = pd.concat([exports.groupby(keys)["value"].sum().unstack("factor").rename(
                           columns={"va_bn_usd": "vex_bn_usd", "co2_mt": "cex_mt"}),
                       imports.groupby(keys)["value"].sum().unstack("factor").rename(
                           columns={"va_bn_usd": "vim_bn_usd", "co2_mt": "cim_mt"})], axis=1)
    flows = flows[["vex_bn_usd", "vim_bn_usd", "cex_mt", "cim_mt"]].reset_index()
    flows.insert(0, "year", world.year)
    return flows


def true_green(bilateral: pd.DataFrame, partners, carbon_price_usd_per_t: pd.Series) -> pd.DataFrame:
    """Eqs. (10)-(12) per province and year over the partner group ``partners``:
    vex/vim (bn USD), cex/cim (Mt), nv, nc, green = nv - PC * nc / 1e3 (bn USD), PC the
    year's carbon price (USD/t, a Series indexed by year)."""
    group = bilateral[bilateral["partner_country"].isin(list(partners))]
    out = group.groupby(["year", "province_code"])[["vex_bn_usd", "vim_bn_usd", "cex_mt", "cim_mt"]].sum()
    out["nv_bn_usd"] = out["vex_bn_usd"] - out["vim_bn_usd"]
    out["nc_mt"] = out["cex_mt"] - out["cim_mt"]
    price = carbon_price_usd_per_t.reindex(out.index.get_level_values("year")).to_numpy()
    out["green_bn_usd"] = out["nv_bn_usd"] - price * out["nc_mt"] / 1e3
    return out.reset_index()
