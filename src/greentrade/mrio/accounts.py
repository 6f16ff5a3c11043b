"""Value-added and CO2 trade accounts of docs/method.md eqs. (6)-(12).

For a home region m and a partner group U (ASEAN in the paper), with X = L Y_r the gross
output needed by each destination's final demand, v the value-added and c the CO2 intensity:

    VEX_m = sum_{u in U} sum_{i in m} v_i X[i, u]      (6)  VA of m in U's final demand
    VIM_m = sum_{u in U} sum_{i in u} v_i X[i, m]      (7)  VA of U in m's final demand
    CEX_m, CIM_m the same with c                     (8), (9)
    NV_m = VEX_m - VIM_m,  NC_m = CEX_m - CIM_m       (10), (11)

A partner equal to the home region is skipped (domestic absorption is not trade).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from greentrade.mrio.errors import TableLayoutError
from greentrade.mrio.leontief import embodied_by_destination
from greentrade.mrio.table import MRIO

Scope = Literal["all", "producing_sector", "final_product", "both"]
_SCOPES = ("all", "producing_sector", "final_product", "both")


@dataclass(frozen=True)
class AccountSettings:
    """How the accounts are computed.

    va_rows : F rows summed into value added; None means every row not in ``co2_rows``.
    co2_rows : F rows summed into CO2 (tonnes).
    scope : the paper's 'manufacturing' restriction:
        'all'              no restriction;
        'producing_sector' only VA/CO2 generated in manufacturing origin sectors (anywhere
                           in the chain) counts - intensities outside manufacturing set to 0;
        'final_product'    only final demand for manufacturing products is traced - rows of
                           Y outside manufacturing set to 0 before solving; VA/CO2 of every
                           sector upstream of those products counts;
        'both'             both restrictions.
    manufacturing_sectors : sector labels counted as manufacturing (needed unless 'all').
    """

    va_rows: tuple[str, ...] | None = None
    co2_rows: tuple[str, ...] = ("CO2",)
    scope: Scope = "all"
    manufacturing_sectors: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.scope not in _SCOPES:
            raise ValueError(f"scope must be one of {_SCOPES}; found {self.scope!r}")
        if self.scope != "all" and not self.manufacturing_sectors:
            raise ValueError(f"scope {self.scope!r} needs manufacturing_sectors")


@dataclass(frozen=True)
class BilateralAccounts:
    """VA and CO2 of each origin region-sector embodied in each destination's final demand.

    va, co2 : DataFrames (origin_region, origin_sector) x destination_region, units of F
        (Eora: thousand USD; CO2 tonnes).
    """

    va: pd.DataFrame
    co2: pd.DataFrame
    settings: AccountSettings = field(default_factory=AccountSettings)

    def by_region(self, which: Literal["va", "co2"]) -> pd.DataFrame:
        """origin_region x destination_region totals."""
        frame = self.va if which == "va" else self.co2
        return frame.groupby(level=0, sort=False).sum()

    def summary(self) -> str:
        va, co2 = self.by_region("va"), self.by_region("co2")
        return (f"Bilateral accounts ({self.settings.scope}): {va.shape[0]} origin x "
                f"{va.shape[1]} destination regions; VA total {va.to_numpy().sum():.6g}, "
                f"CO2 total {co2.to_numpy().sum():.6g}")


def _factor_rows(F: pd.DataFrame, settings: AccountSettings) -> tuple[list, list]:
    co2 = [r for r in settings.co2_rows if r in F.index]
    missing = [r for r in settings.co2_rows if r not in F.index]
    va = list(settings.va_rows) if settings.va_rows is not None else [r for r in F.index if r not in co2]
    missing += [r for r in va if r not in F.index]
    if missing or not co2 or not va:
        raise TableLayoutError(f"F rows {list(F.index)}: VA rows {va} and CO2 rows "
                               f"{list(settings.co2_rows)} must be present (missing {missing})")
    return va, co2


def bilateral_accounts(mrio: MRIO, settings: AccountSettings = AccountSettings(), *,
                       check: bool = True, precision: str = "auto") -> BilateralAccounts:
    """Solve the table once and return VA and CO2 by origin region-sector x destination.

    x is always computed from the unrestricted table (restrictions change what is traced,
    not the technology A). ``precision`` as in ``solve_by_destination`` (default: float32
    LU with float64 refinement, verified to 1e-12, for n >= 512; float64 LU otherwise).
    """
    va_rows, co2_rows = _factor_rows(mrio.F, settings)
    x = mrio.x.to_numpy()
    y_r = mrio.y_by_region()
    F = mrio.F.to_numpy(dtype=np.float64)
    rows = list(mrio.F.index)
    factors = np.vstack([F[[rows.index(r) for r in va_rows]].sum(axis=0),
                         F[[rows.index(r) for r in co2_rows]].sum(axis=0)])
    manufacturing = mrio.Z.index.get_level_values(1).isin(settings.manufacturing_sectors)
    embodied = embodied_by_destination(
        mrio.Z.to_numpy(dtype=np.float64), y_r.to_numpy(), factors, x=x, check=check, precision=precision,
        origin_mask=manufacturing if settings.scope in ("producing_sector", "both") else None,
        product_mask=manufacturing if settings.scope in ("final_product", "both") else None)
    index = mrio.Z.index.set_names(["origin_region", "origin_sector"])
    return BilateralAccounts(
        va=pd.DataFrame(embodied[0], index=index, columns=y_r.columns),
        co2=pd.DataFrame(embodied[1], index=index, columns=y_r.columns),
        settings=settings)


def _flows(accounts: BilateralAccounts, which: str, home, partners, direction: str,
           by_partner: bool, by_sector: bool) -> pd.Series:
    """Exports (origin home, destination partner) or imports (origin partner, destination
    home) of one factor, per home region [x partner] [x origin sector]."""
    frame = accounts.va if which == "va" else accounts.co2
    values = frame.to_numpy()
    origin_regions = frame.index.get_level_values(0)
    origin_sectors = frame.index.get_level_values(1)
    missing = [r for r in list(home) + list(partners) if r not in frame.columns]
    if missing:
        raise TableLayoutError(f"regions {missing} have no final-demand column")
    pieces = []
    for m in home:
        others = [u for u in partners if u != m]
        if direction == "export":  # rows of m, columns of the partners
            rows = np.flatnonzero(origin_regions == m)
            block = values[np.ix_(rows, frame.columns.get_indexer(others))]
            partner = np.tile(np.asarray(others, dtype=object), len(rows))
            sector = np.repeat(origin_sectors[rows].to_numpy(), len(others))
            flat = block.ravel()
        else:  # rows of the partners, column of m
            rows = np.flatnonzero(origin_regions.isin(others))
            partner = origin_regions[rows].to_numpy()
            sector = origin_sectors[rows].to_numpy()
            flat = values[rows, frame.columns.get_loc(m)]
        pieces.append(pd.DataFrame({"home_region": m, "partner_region": partner,
                                    "origin_sector": sector, "value": flat}))
    keys = ["home_region"] + (["partner_region"] if by_partner else []) + (["origin_sector"] if by_sector else [])
    table = pd.concat(pieces, ignore_index=True)
    return table.groupby(keys, sort=False)["value"].sum()


def vex(accounts: BilateralAccounts, home, partners, *, by_partner=False, by_sector=False) -> pd.Series:
    """Eq. (6): value added of each home region embodied in the partners' final demand."""
    return _flows(accounts, "va", home, partners, "export", by_partner, by_sector).rename("vex")


def vim(accounts: BilateralAccounts, home, partners, *, by_partner=False, by_sector=False) -> pd.Series:
    """Eq. (7): value added of the partners embodied in each home region's final demand
    (``origin_sector`` is the partner's sector)."""
    return _flows(accounts, "va", home, partners, "import", by_partner, by_sector).rename("vim")


def cex(accounts: BilateralAccounts, home, partners, *, by_partner=False, by_sector=False) -> pd.Series:
    """Eq. (8): CO2 emitted in each home region for the partners' final demand."""
    return _flows(accounts, "co2", home, partners, "export", by_partner, by_sector).rename("cex")


def cim(accounts: BilateralAccounts, home, partners, *, by_partner=False, by_sector=False) -> pd.Series:
    """Eq. (9): CO2 emitted in the partners for each home region's final demand."""
    return _flows(accounts, "co2", home, partners, "import", by_partner, by_sector).rename("cim")


@dataclass(frozen=True)
class TradeAccounts:
    """VEX, VIM, CEX, CIM, NV, NC per home region (and partner / origin sector if asked).

    table : DataFrame indexed by home_region [, partner_region] [, origin_sector]; VA
        columns in the units of F's VA rows (Eora: thousand USD), CO2 columns in tonnes.
    """

    table: pd.DataFrame
    settings: AccountSettings

    def summary(self) -> str:
        return (f"Trade accounts, scope {self.settings.scope!r}, {len(self.table)} rows\n"
                + self.table.describe().T[["mean", "min", "max"]].to_string())


def trade_accounts(mrio_or_accounts: MRIO | BilateralAccounts, home, partners,
                   settings: AccountSettings = AccountSettings(), *, by_partner: bool = False,
                   by_sector: bool = False) -> TradeAccounts:
    """Eqs (6)-(11) for every home region in ``home`` against the partner group ``partners``.

    Pass a :class:`BilateralAccounts` to reuse one solve for several partner groups
    (``settings`` is then taken from it)."""
    accounts = (mrio_or_accounts if isinstance(mrio_or_accounts, BilateralAccounts)
                else bilateral_accounts(mrio_or_accounts, settings))
    home, partners = list(home), list(partners)
    kwargs = dict(by_partner=by_partner, by_sector=by_sector)
    table = pd.concat([vex(accounts, home, partners, **kwargs), vim(accounts, home, partners, **kwargs),
                       cex(accounts, home, partners, **kwargs), cim(accounts, home, partners, **kwargs)],
                      axis=1).fillna(0.0)
    table["nv"] = table["vex"] - table["vim"]
    table["nc"] = table["cex"] - table["cim"]
    return TradeAccounts(table=table, settings=accounts.settings)


def green_benefit(nv, nc, carbon_price_usd_per_t, *, va_unit_usd: float = 1e3,
                  co2_unit_t: float = 1.0, result_unit_usd: float = 1e9):
    """Eq. (12): green = NV - PC x NC, in billion USD.

    nv : net value-added exports in units of ``va_unit_usd`` (Eora: thousand USD -> 1e3).
    nc : net embodied CO2 exports in units of ``co2_unit_t`` tonnes (default tonnes).
    carbon_price_usd_per_t : PC in USD per tonne CO2 (EUA EUR price x the year's USD/EUR).
    Returns ``(nv * va_unit_usd - PC * nc * co2_unit_t) / result_unit_usd`` (billion USD).
    Works element-wise on scalars, arrays and aligned Series.
    """
    return (nv * va_unit_usd - carbon_price_usd_per_t * nc * co2_unit_t) / result_unit_usd
