"""Multi-regional input-output routines: Leontief solve, trade accounts, embedding of
China's provinces into a world table, GRAS balancing, sector concordances.

Pure functions over numpy / pandas; no I/O. Conventions: docs/mrio.md.
"""

from greentrade.mrio.accounts import (AccountSettings, BilateralAccounts, TradeAccounts,
                                      bilateral_accounts, cex, cim, green_benefit,
                                      trade_accounts, vex, vim)
from greentrade.mrio.embedding import EmbeddingResult, EmbeddingSettings, embed_provinces
from greentrade.mrio.errors import (GRASConvergenceError, MRIOError, NonProductiveError,
                                    SingularSystemError, TableLayoutError)
from greentrade.mrio.gras import Constraint, GRASResult, balance_groups, gras
from greentrade.mrio.leontief import (LeontiefFactorisation, SolveInfo, coefficients, embodied_by_destination,
                                      embodied_in_final_demand, factorise_leontief,
                                      final_demand_by_region, reciprocal_output,
                                      solve_by_destination, spectral_radius, sum_by_origin_region,
                                      sum_columns_by_group, total_output)
from greentrade.mrio.sectors import aggregate_sectors, normalise_concordance
from greentrade.mrio.table import MRIO, ProvincialIO, drop_regions

__all__ = [
    "AccountSettings", "BilateralAccounts", "TradeAccounts", "bilateral_accounts", "cex", "cim",
    "green_benefit", "trade_accounts", "vex", "vim",
    "EmbeddingResult", "EmbeddingSettings", "embed_provinces",
    "GRASConvergenceError", "MRIOError", "NonProductiveError", "SingularSystemError",
    "TableLayoutError",
    "Constraint", "GRASResult", "balance_groups", "gras",
    "LeontiefFactorisation", "SolveInfo", "coefficients", "embodied_by_destination", "embodied_in_final_demand",
    "factorise_leontief", "final_demand_by_region", "reciprocal_output", "solve_by_destination",
    "sum_by_origin_region", "sum_columns_by_group",
    "spectral_radius", "total_output",
    "aggregate_sectors", "normalise_concordance",
    "MRIO", "ProvincialIO", "drop_regions",
]
