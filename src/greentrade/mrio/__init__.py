"""Multi-regional input-output routines: Leontief solve, factors embodied in final demand,
China's provincial table from long cells, embedding of China's provinces into a world
table, GRAS balancing, sector concordances.
The trade accounts themselves (VEX ... green) are defined once, in the SQL marts
(models/marts/fct_bilateral_trade_accounts.sql, fct_green_trade_benefit.sql).

Pure functions over numpy / pandas; no I/O. Conventions: docs/mrio.md.
"""

from greentrade.mrio.embedding import EmbeddingResult, EmbeddingSettings, embed_provinces
from greentrade.mrio.errors import (
                                    GRASConvergenceError,
                                    InputTableError,
                                    MRIOError,
                                    NonProductiveError,
                                    SingularSystemError,
                                    TableLayoutError,
)
from greentrade.mrio.gras import Constraint, GRASResult, balance_groups, gras
from greentrade.mrio.leontief import (
                                    LeontiefFactorisation,
                                    SolveInfo,
                                    coefficients,
                                    embodied_by_destination,
                                    embodied_in_final_demand,
                                    factorise_leontief,
                                    final_demand_by_region,
                                    reciprocal_output,
                                    solve_by_destination,
                                    spectral_radius,
                                    sum_by_origin_region,
                                    sum_columns_by_group,
                                    total_output,
)
from greentrade.mrio.provincial import provincial_co2, provincial_table, with_co2
from greentrade.mrio.sectors import aggregate_sectors, normalise_concordance
from greentrade.mrio.table import MRIO, ProvincialIO, drop_regions

__all__ = [
    "EmbeddingResult", "EmbeddingSettings", "embed_provinces",
    "GRASConvergenceError", "InputTableError", "MRIOError", "NonProductiveError", "SingularSystemError",
    "TableLayoutError",
    "Constraint", "GRASResult", "balance_groups", "gras",
    "LeontiefFactorisation", "SolveInfo", "coefficients", "embodied_by_destination", "embodied_in_final_demand",
    "factorise_leontief", "final_demand_by_region", "reciprocal_output", "solve_by_destination",
    "sum_by_origin_region", "sum_columns_by_group",
    "spectral_radius", "total_output",
    "provincial_co2", "provincial_table", "with_co2",
    "aggregate_sectors", "normalise_concordance",
    "MRIO", "ProvincialIO", "drop_regions",
]
