"""Stock & Yogo (2005) critical values for the weak-instrument test, 2SLS maximal size.

Source: Stock, J. H. and Yogo, M. (2005), "Testing for Weak Instruments in Linear IV
Regression", Table 5.2 (critical values for the Cragg-Donald F statistic, 5 % test of
"the nominal 5 % Wald test of beta has actual size above r"), as shipped in Stata's
ivreg2 (livreg2 ``s_cdsy``). Rows are L1 = number of excluded instruments, columns
r = 10/15/20/25 % maximal size. The size table exists only for K1 = 1 and K1 = 2
endogenous regressors (K1 = 2 needs L1 >= 2); Stock & Yogo publish no size values for
K1 = 3, so ``stock_yogo_size`` returns ``None`` there, exactly as ivreg2 prints nothing.
"""

from __future__ import annotations

# {K1: {L1: (10 %, 15 %, 20 %, 25 %)}}
_SIZE_TABLE: dict[int, dict[int, tuple[float, float, float, float]]] = {
    1: {
        1: (16.38, 8.96, 6.66, 5.53),
        2: (19.93, 11.59, 8.75, 7.25),
        3: (22.30, 12.83, 9.54, 7.80),
        4: (24.58, 13.96, 10.26, 8.31),
        5: (26.87, 15.09, 10.98, 8.84),
        6: (29.18, 16.23, 11.72, 9.38),
        7: (31.50, 17.38, 12.48, 9.93),
        8: (33.84, 18.54, 13.24, 10.50),
        9: (36.19, 19.71, 14.01, 11.07),
        10: (38.54, 20.88, 14.78, 11.65),
    },
    2: {
        2: (7.03, 4.58, 3.95, 3.63),
        3: (13.43, 8.18, 6.40, 5.45),
        4: (16.87, 9.93, 7.54, 6.28),
        5: (19.45, 11.22, 8.38, 6.89),
        6: (21.68, 12.33, 9.10, 7.42),
        7: (23.72, 13.34, 9.77, 7.91),
        8: (25.64, 14.31, 10.41, 8.39),
        9: (27.51, 15.24, 11.03, 8.85),
        10: (29.32, 16.16, 11.65, 9.31),
    },
}

SIZE_LEVELS = (10, 15, 20, 25)


def stock_yogo_size(k1: int, l1: int) -> dict[int, float] | None:
    """Stock & Yogo (2005) critical values of the Cragg-Donald F for 2SLS maximal size.

    Parameters
    ----------
    k1 : int
        Number of endogenous regressors.
    l1 : int
        Number of excluded instruments.

    Returns
    -------
    dict or None
        ``{10: c10, 15: c15, 20: c20, 25: c25}`` (critical values of the F statistic for a
        nominal 5 % Wald test of actual size above 10/15/20/25 %), or None where Stock & Yogo
        tabulate none (K1 = 3, L1 < K1, L1 > 10 in this shipped excerpt).
    """
    row = _SIZE_TABLE.get(k1, {}).get(l1)
    if row is None:
        return None
    return dict(zip(SIZE_LEVELS, row))
