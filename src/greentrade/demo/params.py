"""Every calibration constant of the synthetic demo economy, in one place.

Nothing here is real data: the numbers are round, plausible magnitudes (GDP levels, growth,
sector shares, carbon intensities, price levels) chosen so that the demo pipeline produces
results with the magnitudes of the paper's Table 1 (``paper/published_descriptives.csv``).
Retune here; :func:`params_fingerprint` changes with any edit, so the cached demo files are
rewritten on the next ``generate``.

Units: GDP of countries in billion USD; provincial GDP in 100 million CNY (亿元, the NBS
unit); carbon intensities in kg CO2 per USD of output; CO2 totals in Mt.
"""

from __future__ import annotations

GENERATOR_VERSION = "1.4.0"
SEED = 20240617

YEARS = tuple(range(2010, 2020))
CEADS_IO_YEARS = (2010, 2012, 2015, 2017)

# --- exchange rates (annual means; daily series are drawn around them) -----------------
USD_PER_EUR = {2010: 1.3257, 2011: 1.3920, 2012: 1.2848, 2013: 1.3281, 2014: 1.3285,
               2015: 1.1095, 2016: 1.1069, 2017: 1.1297, 2018: 1.1810, 2019: 1.1195}
CNY_PER_USD = {2010: 6.770, 2011: 6.461, 2012: 6.312, 2013: 6.196, 2014: 6.143,
               2015: 6.228, 2016: 6.642, 2017: 6.752, 2018: 6.616, 2019: 6.908}
# other ECB currencies, units per USD (converted to per EUR through USD_PER_EUR)
OTHER_PER_USD = {
    "JPY": (87.8, 79.8, 79.8, 97.6, 105.9, 121.0, 108.8, 112.2, 110.4, 109.0),
    "GBP": (0.647, 0.624, 0.631, 0.640, 0.607, 0.654, 0.740, 0.776, 0.750, 0.784),
    "KRW": (1156, 1108, 1127, 1095, 1053, 1131, 1160, 1130, 1100, 1166),
    "AUD": (1.090, 0.969, 0.966, 1.036, 1.109, 1.331, 1.345, 1.305, 1.338, 1.439),
    "IDR": (9090, 8770, 9390, 10460, 11870, 13390, 13310, 13380, 14240, 14150),
    "INR": (45.7, 46.7, 53.4, 58.6, 61.0, 64.2, 67.2, 65.1, 68.4, 70.4),
    "MYR": (3.22, 3.06, 3.09, 3.15, 3.27, 3.91, 4.15, 4.30, 4.04, 4.14),
    "PHP": (45.1, 43.3, 42.2, 42.4, 44.4, 45.5, 47.5, 50.4, 52.7, 51.8),
    "SGD": (1.364, 1.258, 1.250, 1.251, 1.267, 1.375, 1.381, 1.381, 1.349, 1.364),
    "THB": (31.7, 30.5, 31.1, 30.7, 32.5, 34.2, 35.3, 33.9, 32.3, 31.0),
}
FX_DAILY_VOL = 0.004          # daily log-sd of the FX noise
FX_NOISE_PERSISTENCE = 0.97   # AR(1) coefficient of the FX noise

# --- EUA prices: annual means of the real settle price (EUR/t), matched exactly ---------
EUA_ANNUAL_MEAN = {2010: 14.41, 2011: 12.53, 2012: 7.40, 2013: 4.47, 2014: 5.98,
                   2015: 7.69, 2016: 5.35, 2017: 5.83, 2018: 15.92, 2019: 24.87}
EUA_DAILY_VOL = 0.025
EUA_NOISE_PERSISTENCE = 0.985

# --- China ETS pilot markets: first trading day and annual mean price (CNY/t) from 2013 ---
# plausible magnitudes (20-60 CNY/t), not the markets' real prices
CHINA_ETS_FIRST_DAY = {"shenzhen": "2013-06-18", "shanghai": "2013-11-26", "beijing": "2013-11-28",
                       "guangdong": "2013-12-19", "tianjin": "2013-12-26", "hubei": "2014-04-02",
                       "chongqing": "2014-06-19", "fujian": "2016-12-22"}
CHINA_ETS_ANNUAL_MEAN = {  # 2013 .. 2019
    "shenzhen": (58.0, 55.0, 38.0, 30.0, 26.0, 28.0, 22.0),
    "shanghai": (30.0, 38.0, 25.0, 20.0, 34.0, 37.0, 40.0),
    "beijing": (51.0, 55.0, 46.0, 50.0, 52.0, 58.0, 60.0),
    "guangdong": (60.0, 40.0, 22.0, 20.0, 21.0, 25.0, 26.0),
    "tianjin": (29.0, 25.0, 22.0, 20.0, 21.0, 22.0, 24.0),
    "hubei": (None, 24.0, 25.0, 20.0, 21.0, 23.0, 30.0),
    "chongqing": (None, 30.0, 24.0, 20.0, 20.0, 22.0, 25.0),
    "fujian": (None, None, None, 35.0, 30.0, 22.0, 20.0),
}
CHINA_ETS_DAILY_VOL = 0.03
CHINA_ETS_NOISE_PERSISTENCE = 0.95
CHINA_ETS_TRADING_SHARE = 0.6   # thin pilot markets: share of business days with a trade

# --- the reduced Eora world -------------------------------------------------------------
# code: (name, GDP 2010 bn USD, nominal USD growth a year, CO2 2010 Mt, CO2 growth a year,
#        manufacturing share of VA); the Eora26 files carry Eora's names and order
#        (seeds/eora26_countries.csv); XRW, the small demo's rest of world, is no Eora country
COUNTRIES = {
    "AUS": ("Australia", 1150, 0.030, 400, 0.000, 0.07),
    "BRN": ("Brunei", 14, 0.000, 8, 0.010, 0.12),
    "KHM": ("Cambodia", 11, 0.090, 5, 0.080, 0.16),
    "FRA": ("France", 2650, 0.000, 360, -0.010, 0.11),
    "DEU": ("Germany", 3400, 0.010, 790, -0.010, 0.22),
    "IND": ("India", 1700, 0.075, 1700, 0.050, 0.16),
    "IDN": ("Indonesia", 755, 0.050, 430, 0.040, 0.22),
    "JPN": ("Japan", 5700, -0.010, 1200, -0.005, 0.20),
    "LAO": ("Laos", 7, 0.100, 2, 0.150, 0.09),
    "MYS": ("Malaysia", 255, 0.040, 200, 0.030, 0.24),
    "MMR": ("Myanmar", 50, 0.070, 10, 0.080, 0.20),
    "PHL": ("Philippines", 208, 0.070, 80, 0.060, 0.21),
    "SGP": ("Singapore", 236, 0.045, 45, 0.010, 0.19),
    "KOR": ("South Korea", 1140, 0.040, 600, 0.010, 0.28),
    "THA": ("Thailand", 341, 0.050, 250, 0.020, 0.28),
    "GBR": ("UK", 2480, 0.015, 490, -0.030, 0.10),
    "USA": ("USA", 15000, 0.040, 5400, -0.008, 0.12),
    "VNM": ("Viet Nam", 116, 0.090, 140, 0.070, 0.16),
    "XRW": ("Rest of World", 24700, 0.025, 12300, 0.012, 0.15),
}
# the ASEAN members: seeds/partner_groups.csv (greentrade.demo.world.ASEAN)
# Eora gives China zero rows/columns in these sectors
CHINA_ZERO_SECTORS = ("PHH", "OTH", "REI")
# VA shares of the three Eora catch-all sectors in other countries
OTHER_SMALL_SECTOR_SHARE = {"PHH": 0.004, "OTH": 0.001, "REI": 0.0005}

# --- China's provinces (all in the panel; Tibet only in the yearbook files) -------------
# code: (GDP 2010 亿元, population 2010 万人, annual nominal CNY GDP growth 2010-14,
#        idem 2015-19, manufacturing share of VA, export orientation of manufacturing,
#        ASEAN orientation, urbanisation 2010 %, students per 100k 2010,
#        fiscal spending / GDP 2010, CO2 intensity multiplier)
PROVINCES = {
    "BJ": (14114, 1962, 0.105, 0.080, 0.16, 0.8, 0.8, 86.0, 3400, 0.175, 0.55),
    "TJ": (9224, 1299, 0.150, 0.020, 0.42, 1.1, 0.8, 79.6, 2650, 0.145, 0.90),
    "HE": (20394, 7194, 0.090, 0.050, 0.36, 0.5, 0.6, 44.5, 1650, 0.135, 1.45),
    "SX": (9201, 3574, 0.080, 0.060, 0.24, 0.3, 0.4, 48.0, 1550, 0.200, 1.80),
    "NM": (11672, 2472, 0.110, 0.010, 0.28, 0.2, 0.4, 55.5, 1600, 0.195, 1.90),
    "LN": (18457, 4375, 0.100, -0.020, 0.38, 0.6, 0.6, 62.1, 2150, 0.170, 1.10),
    "JL": (8668, 2747, 0.110, 0.000, 0.40, 0.3, 0.4, 53.3, 2150, 0.175, 1.05),
    "HL": (10369, 3833, 0.090, 0.010, 0.22, 0.3, 0.4, 55.7, 1900, 0.210, 1.10),
    "SH": (17166, 2303, 0.075, 0.075, 0.30, 1.4, 1.1, 89.3, 2650, 0.195, 0.60),
    "JS": (41425, 7869, 0.115, 0.075, 0.44, 1.8, 1.0, 60.6, 2350, 0.115, 0.80),
    "ZJ": (27722, 5447, 0.100, 0.080, 0.43, 1.8, 1.0, 61.6, 1900, 0.110, 0.75),
    "AH": (12359, 5957, 0.130, 0.085, 0.36, 0.5, 0.6, 43.0, 1600, 0.190, 0.95),
    "FJ": (14737, 3693, 0.130, 0.090, 0.40, 1.2, 1.1, 57.1, 1900, 0.115, 0.75),
    "JX": (9451, 4462, 0.130, 0.090, 0.39, 0.6, 0.7, 44.1, 1950, 0.180, 0.90),
    "SD": (39170, 9588, 0.100, 0.050, 0.42, 0.9, 0.8, 49.7, 1850, 0.105, 1.20),
    "HA": (23092, 9405, 0.100, 0.080, 0.42, 0.5, 0.5, 38.8, 1500, 0.145, 1.05),
    "HB": (15968, 5728, 0.140, 0.080, 0.39, 0.5, 0.6, 49.7, 2500, 0.155, 0.95),
    "HN": (16038, 6570, 0.130, 0.080, 0.37, 0.5, 0.6, 43.3, 1650, 0.155, 0.90),
    "GD": (46013, 10441, 0.100, 0.080, 0.42, 3.4, 1.2, 66.2, 1550, 0.120, 0.65),
    "GX": (9570, 4610, 0.120, 0.075, 0.34, 0.6, 2.6, 40.0, 1300, 0.210, 0.95),
    "HI": (2065, 869, 0.130, 0.070, 0.12, 0.5, 1.6, 49.8, 1850, 0.280, 0.70),
    "CQ": (7926, 2885, 0.150, 0.095, 0.38, 0.9, 0.9, 53.0, 2150, 0.225, 0.85),
    "SC": (17185, 8045, 0.140, 0.080, 0.35, 0.6, 0.8, 40.2, 1700, 0.245, 0.75),
    "GZ": (4602, 3479, 0.180, 0.110, 0.26, 0.3, 0.8, 33.8, 1000, 0.355, 1.50),
    "YN": (7224, 4602, 0.140, 0.090, 0.24, 0.4, 2.4, 34.8, 1100, 0.310, 0.80),
    "SN": (10123, 3735, 0.140, 0.050, 0.32, 0.4, 0.5, 45.8, 2800, 0.215, 1.00),
    "GS": (4121, 2560, 0.120, 0.040, 0.26, 0.3, 0.4, 36.1, 1500, 0.355, 1.25),
    "QH": (1350, 563, 0.140, 0.050, 0.28, 0.2, 0.3, 44.7, 900, 0.560, 1.20),
    "NX": (1690, 633, 0.140, 0.060, 0.30, 0.3, 0.4, 47.9, 1350, 0.330, 2.10),
    "XJ": (5437, 2185, 0.150, 0.050, 0.24, 0.4, 0.5, 43.0, 1250, 0.310, 1.60),
}
TIBET = {"gdp": 507, "pop": 301, "growth": 0.120, "urban": 22.7, "students": 1450, "fiscal": 1.08}
GDP_GROWTH_NOISE_SD = 0.012
POPULATION_GROWTH = 0.005
MUNICIPALITY_SERVICE_TILT = 1.3

# provincial specialisation within manufacturing (multiplies the national mix)
PROVINCE_MFG_TILT = {
    "GD": {"ELM": 2.0, "OMF": 1.5, "TEX": 1.2, "MET": 0.7, "PCM": 0.7},
    "JS": {"ELM": 1.6, "TEX": 1.3, "PCM": 1.1},
    "ZJ": {"TEX": 1.8, "ELM": 1.2, "OMF": 1.4},
    "SD": {"FOD": 1.6, "PCM": 1.4, "TEX": 1.1},
    "SH": {"TRE": 1.8, "ELM": 1.3, "PCM": 1.1},
    "TJ": {"TRE": 1.3, "MET": 1.4, "PCM": 1.2},
    "BJ": {"TRE": 1.6, "ELM": 1.3},
    "HE": {"MET": 2.4, "PCM": 1.1},
    "SX": {"MET": 1.8, "PCM": 1.6},
    "NM": {"MET": 1.5, "PCM": 1.4, "FOD": 1.4},
    "LN": {"MET": 1.6, "TRE": 1.2},
    "JL": {"TRE": 2.8, "FOD": 1.1},
    "HL": {"FOD": 1.8, "PCM": 1.4},
    "CQ": {"TRE": 2.0, "ELM": 1.3},
    "HB": {"TRE": 1.6, "MET": 1.1},
    "HA": {"FOD": 1.4, "ELM": 1.0},
    "SC": {"ELM": 1.2, "FOD": 1.3},
    "GX": {"FOD": 1.5, "MET": 1.2, "TRE": 1.2},
    "YN": {"FOD": 1.8, "MET": 1.3},
    "GZ": {"FOD": 1.6, "PCM": 1.3},
    "FJ": {"TEX": 1.9, "ELM": 1.1},
    "JX": {"MET": 1.5, "ELM": 1.0},
    "AH": {"ELM": 1.2, "TRE": 1.1},
    "HN": {"MET": 1.1, "ELM": 1.0},
    "SN": {"PCM": 1.4, "ELM": 1.0},
    "GS": {"MET": 1.7, "PCM": 1.5},
    "QH": {"MET": 2.0, "PCM": 1.4},
    "NX": {"PCM": 1.8, "MET": 1.5},
    "XJ": {"PCM": 2.0, "TEX": 1.2},
}
# mining share of provincial VA (others: MINING_SHARE_DEFAULT)
MINING_SHARE = {"SX": 0.20, "NM": 0.14, "XJ": 0.12, "HL": 0.10, "SN": 0.11, "GZ": 0.07,
                "NX": 0.09, "QH": 0.10, "GS": 0.05}
MINING_SHARE_DEFAULT = 0.02
AGRI_SHARE = {"BJ": 0.008, "SH": 0.007, "TJ": 0.015, "GD": 0.05, "JS": 0.06, "ZJ": 0.05,
              "HI": 0.24, "GX": 0.17, "YN": 0.15, "GZ": 0.13, "HL": 0.14, "XJ": 0.17,
              "JL": 0.11, "SC": 0.13, "HN": 0.12, "HB": 0.12, "AH": 0.13, "JX": 0.12,
              "HA": 0.13, "GS": 0.14, "QH": 0.10, "NX": 0.09, "NM": 0.09}
AGRI_SHARE_DEFAULT = 0.09
# the ceads 01 sector maps to AGR 0.9 / FIS 0.1: keep the demo's FIS/AGR at that ratio
FISHING_PER_AGRICULTURE = 0.1 / 0.9
# Within 'Wholesale and retail' (ceads 29 -> WHT 0.6, RET 0.4)
RETAIL_PER_WHOLESALE = 0.4 / 0.6

# national VA mix of manufacturing (shares within manufacturing) and of the rest
MFG_MIX = {"FOD": 0.13, "TEX": 0.10, "WOD": 0.06, "PCM": 0.20, "MET": 0.15, "ELM": 0.22,
           "TRE": 0.09, "OMF": 0.04, "REC": 0.01}
OTHER_MIX = {"EGW": 0.055, "CON": 0.11, "MRE": 0.01, "WHT": 0.075, "RET": 0.05, "HOT": 0.035,
             "TRA": 0.075, "PTE": 0.04, "FIB": 0.22, "PUB": 0.07, "EHO": 0.16}
SERVICE_SECTORS = ("WHT", "RET", "HOT", "TRA", "PTE", "FIB", "PUB", "EHO", "MRE")
# provincial manufacturing shares (PROVINCES column 5) are relative: scaled so that China's
# manufacturing share of VA is ~0.31 in 2010
MFG_SHARE_SCALE = 0.84
# manufacturing share drifts down, services up (a year)
MFG_SHARE_TREND = -0.004

# --- technology: intermediate input ratio (intermediate inputs / output) ----------------
IIR_CHINA = {"mfg": 0.76, "primary": 0.45, "EGW": 0.68, "CON": 0.74, "services": 0.42}
IIR_OTHER = {"mfg": 0.64, "primary": 0.40, "EGW": 0.55, "CON": 0.58, "services": 0.36}
COEF_NOISE_SD = 0.15

# --- trade: sourcing shares -------------------------------------------------------------
# share of a product bought at home by a country, by product type (intermediates; final
# demand uses 1 - (1 - share) * FINAL_IMPORT_FACTOR)
HOME_SHARE_COUNTRY = {"tradable_large": 0.84, "tradable_small": 0.45, "nontradable": 0.97,
                      "local": 0.995}
SMALL_COUNTRIES = ("BRN", "KHM", "LAO", "MMR", "SGP", "MYS", "VNM", "THA", "PHL")
FINAL_IMPORT_FACTOR = 0.55
# provinces: own-province share and foreign import share of tradables
OWN_PROVINCE_SHARE = {"tradable": 0.50, "nontradable": 0.80, "local": 0.97}
CHINA_FOREIGN_SHARE = {"tradable": 0.085, "nontradable": 0.012, "local": 0.002}
PROVINCE_IMPORT_PROPENSITY_EXTRA = {"BJ": 2.6, "SH": 2.6, "TJ": 1.3, "GD": 1.5, "JS": 1.1,
                                    "ZJ": 1.0, "FJ": 1.1, "HI": 1.6, "GX": 1.3, "YN": 1.2,
                                    "HL": 1.4, "JL": 1.3, "LN": 1.2, "XJ": 1.3, "SN": 1.0}
# bilateral affinity of supplier -> buyer (multiplies supplier capacity); default 1
AFFINITY = {
    ("ASEAN", "ASEAN"): 2.5,
    ("CHN", "ASEAN"): 1.4,        # Chinese intermediate goods into ASEAN production
    ("ASEAN", "CHN"): 2.2,        # ASEAN intermediate goods into Chinese production
    ("JPN", "ASEAN"): 2.0, ("KOR", "ASEAN"): 1.5, ("AUS", "ASEAN"): 1.3,
    ("JPN", "CHN"): 1.6, ("KOR", "CHN"): 2.0,
}
# log change a year of every China-ASEAN affinity (intermediate and final): trade still
# grows with the economies, but the net value-added flows stay of the paper's size
CHN_ASEAN_AFFINITY_TREND = -0.04
# final goods: extra affinity factor China -> ASEAN final demand and back
FINAL_AFFINITY_CHN_TO_ASEAN = 0.6
FINAL_AFFINITY_ASEAN_TO_CHN = 4.0
# log change a year (keeps the net flows from growing with the economies)
FINAL_AFFINITY_CHN_TO_ASEAN_TREND = -0.02
FINAL_AFFINITY_ASEAN_TO_CHN_TREND = 0.0
# ASEAN-oriented provinces also buy relatively more from ASEAN (elasticity on orientation)
ASEAN_ORIENTATION_IMPORT_ELASTICITY = 0.8
# mechanism: faster-growing robot exposure (relative to the national growth) raises a
# province's competitiveness in manufacturing exports (automation lowers unit costs):
# its weight as a supplier to every foreign buyer, ASEAN included, is multiplied by
# rel_growth ** elasticity. It acts on total exports so that a proportional embedding
# (which splits China's exports to ASEAN by the provinces' shares of *total* exports in
# the CEADs export column) carries it into the pipeline's green.
ROBOT_EXPORT_ELASTICITY = 0.35
FD_TARGET_ITERATIONS = 20

# final demand: category shares of final demand (P.3h, P.3n, P.3g, P.51, P.52, P.53)
FD_CATEGORY_SHARE_CHINA = (0.39, 0.003, 0.14, 0.44, 0.025, 0.002)
FD_CATEGORY_SHARE_OTHER = (0.58, 0.02, 0.17, 0.21, 0.018, 0.002)

# --- CO2 --------------------------------------------------------------------------------
# China's EDGAR-like total CO2 (Mt) by year, production sectors plus households
CHINA_CO2_MT = {2010: 8600, 2011: 9300, 2012: 9500, 2013: 9800, 2014: 9800, 2015: 9700,
                2016: 9600, 2017: 9800, 2018: 10100, 2019: 10300}
HOUSEHOLD_CO2_SHARE = {"CHN": 0.045, "other": 0.12}
# relative carbon intensity (per USD of output) by Eora sector
RELATIVE_CO2_INTENSITY = {
    "AGR": 0.12, "FIS": 0.20, "MIN": 0.9, "FOD": 0.15, "TEX": 0.20, "WOD": 0.35, "PCM": 1.0,
    "MET": 1.2, "ELM": 0.06, "TRE": 0.06, "OMF": 0.15, "REC": 0.2, "EGW": 12.0, "CON": 0.05,
    "MRE": 0.03, "WHT": 0.04, "RET": 0.04, "HOT": 0.10, "TRA": 1.2, "PTE": 0.02, "FIB": 0.01,
    "PUB": 0.04, "EHO": 0.04, "PHH": 0.01, "OTH": 0.01, "REI": 0.01,
}
CO2_NOISE_SD = 0.10
INVENTORY_NOISE_SD = 0.03       # CEADs inventories differ from the EDGAR-like row by a few %
CEADS_IO_NOISE_SD = 0.03        # CEADs IO cells differ from the Eora-consistent values
URBAN_SHARE_OF_HOUSEHOLD_CO2 = 0.72

# --- IFR robot installations in China ---------------------------------------------------
IFR_CHINA_TOTAL = {2010: 14978, 2011: 22577, 2012: 22987, 2013: 36560, 2014: 57096,
                   2015: 68556, 2016: 87000, 2017: 137920, 2018: 154032, 2019: 140492}
# industry shares in 2010 and 2019 (linear in between, then noise)
IFR_SHARE_2010 = {"AB": 0.001, "C": 0.002, "10-12": 0.02, "13-15": 0.004, "16": 0.003,
                  "17-18": 0.004, "19-22": 0.07, "23": 0.01, "24-25": 0.06, "26-27": 0.17,
                  "28": 0.03, "29": 0.40, "30": 0.01, "91": 0.01, "DE": 0.002, "F": 0.001,
                  "P": 0.004, "90": 0.005, "99": 0.195}
IFR_SHARE_2019 = {"AB": 0.002, "C": 0.002, "10-12": 0.025, "13-15": 0.004, "16": 0.003,
                  "17-18": 0.004, "19-22": 0.05, "23": 0.012, "24-25": 0.10, "26-27": 0.27,
                  "28": 0.03, "29": 0.21, "30": 0.012, "91": 0.012, "DE": 0.003, "F": 0.002,
                  "P": 0.01, "90": 0.01, "99": 0.233}
IFR_NOISE_SD = 0.08
# a few other countries' totals (rows kept by the reader; shares as China's)
IFR_OTHER_COUNTRIES = {"Japan": (21903, 38585), "Republic of Korea": (23508, 40989)}
# --- IFR operational stock in China ------------------------------------------------------
# IFR's convention: a robot stays in service 12 years and is withdrawn at once after that,
# so stock_t = stock_{t-1} + installations_t - installations_{t-12}. China's installations
# before the panel (approximately IFR's; they sum to the ~37k robots in service at the end
# of 2009) give the 2009 stock and the retirements of 2010-2019; their industry mix is the
# 2010 one. Real stock: 52,290 in 2010, 783,358 in 2019; this rule gives ~52k and ~755k.
# (Geometric depreciation at 1/12 a year would give only ~618k in 2019.)
IFR_SERVICE_LIFE_YEARS = 12
IFR_CHINA_INSTALLATIONS_BEFORE = {1998: 300, 1999: 400, 2000: 600, 2001: 800, 2002: 1000,
                                  2003: 1400, 2004: 2600, 2005: 4461, 2006: 5770, 2007: 6581,
                                  2008: 7879, 2009: 5525}
# other countries' stock totals in 2010 and 2019 (geometric in between; shares as China's)
IFR_OTHER_COUNTRIES_STOCK = {"Japan": (307698, 354878), "Republic of Korea": (101080, 319022)}

# --- employment (China Labour Statistics Yearbook, 10,000 persons) ---------------------
NATIONAL_EMPLOYMENT_10K = {2010: 13052, 2019: 17162}
# national employment mix by employment industry (shares)
EMPLOYMENT_MIX = {"A": 0.029, "B": 0.042, "C13-C16": 0.045, "C17-C19": 0.055,
                  "C20-C21": 0.012, "C22-C24": 0.017, "C25-C29": 0.045, "C30": 0.025,
                  "C31-C33": 0.04, "C34-C35": 0.035, "C36": 0.02, "C37": 0.01,
                  "C38-C39": 0.055, "C40-C43": 0.01, "D": 0.027, "E": 0.10,
                  "M,P": 0.14, "OTHER": 0.293}
# which Eora manufacturing sector's provincial tilt drives each employment industry
EMPLOYMENT_EORA_LINK = {"C13-C16": "FOD", "C17-C19": "TEX", "C20-C21": "WOD",
                        "C22-C24": "WOD", "C25-C29": "PCM", "C30": "PCM", "C31-C33": "MET",
                        "C34-C35": "ELM", "C36": "TRE", "C37": "TRE", "C38-C39": "ELM",
                        "C40-C43": "OMF"}
# how concentrated manufacturing employment is in export provinces (exponent on the
# province's export orientation); calibrates the spread of robit
EMPLOYMENT_EXPORT_CONCENTRATION = 0.85
EMPLOYMENT_MFG_CONCENTRATION = 0.9
# electronics and automotive relocate inland over the decade (share drift a year)
EMPLOYMENT_INLAND_DRIFT = {"HA": 0.06, "SC": 0.05, "CQ": 0.06, "AH": 0.04, "JX": 0.04,
                           "HB": 0.03, "HN": 0.03, "GX": 0.02, "GZ": 0.03,
                           "GD": -0.015, "SH": -0.03, "BJ": -0.04, "TJ": -0.02}
EMPLOYMENT_NOISE_SD = 0.05

# --- yearbook panels (targets of Table 1) -----------------------------------------------
# Gdp: per-capita GDP written in the paper's units (its Table 1 magnitudes), not CNY of
# the year: nominal per-capita GDP deflated by GDP_PC_DEFLATOR_GROWTH a year, raised to
# GDP_PC_POWER (the paper's Gdp is right-skewed) and standardised to this mean and sd over
# the 300 province-years.
GDP_PC_PAPER_MEAN = 12590.0
GDP_PC_PAPER_SD = 7809.0
GDP_PC_POWER = 1.7
GDP_PC_DEFLATOR_GROWTH = 0.01
URBANISATION_GAIN_PP = 1.4       # percentage points a year, slowing near saturation
URBANISATION_CEILING = 89.6
STUDENT_GROWTH = 0.025
STUDENT_SCALE = 0.93
FISCAL_SHARE_TREND = 0.0065        # fiscal / GDP rises a little a year
FISCAL_NOISE_SD = 0.03
AI_PATENTS_2010_PER_100BN = 0.9    # applications per 100 亿元 of GDP in 2010
AI_PATENT_GROWTH = 0.34
GREEN_PATENTS_2010_PER_100BN = 2.2
GREEN_PATENT_GROWTH = 0.16
PATENT_NOISE_SD = 0.12

# --- CEADs IO files ---------------------------------------------------------------------
# split of an Eora sector over the CEADs IO sectors that map to it (relative sizes)
CEADS_IO_SPLIT = {
    "01": 1.0, "02": 0.45, "03": 0.25, "04": 0.18, "05": 0.12, "06": 1.0, "07": 0.55,
    "08": 0.45, "09": 0.45, "10": 0.55, "11": 0.22, "12": 0.50, "13": 0.28, "14": 0.70,
    "15": 0.30, "16": 0.17, "17": 0.13, "18": 1.0, "19": 0.25, "20": 0.40, "21": 0.05,
    "22": 1.0, "23": 1.0, "24": 1.0, "25": 0.86, "26": 0.06, "27": 0.08, "28": 1.0,
    "29": 1.0, "30": 1.0, "31": 1.0, "32": 1.0, "33": 0.45, "34": 0.35, "35": 0.14,
    "36": 0.06, "37": 0.06, "38": 0.10, "39": 0.30, "40": 0.36, "41": 0.18, "42": 1.0,
}
# the same for the 30-sector list of the 2010-style tables (seeds/ceads_io_sectors_30.csv)
CEADS_IO_SPLIT_30 = {
    "01": 1.0, "02": 0.45, "03": 0.25, "04": 0.18, "05": 0.12, "06": 1.0, "07": 0.55,
    "08": 0.45, "09": 0.45, "10": 0.55, "11": 0.22, "12": 0.50, "13": 0.28, "14": 0.70,
    "15": 0.30, "16": 0.30, "17": 1.0, "18": 0.25, "19": 0.40, "20": 0.05, "21": 1.0,
    "22": 0.86, "23": 0.14, "24": 1.0, "25": 1.0, "26": 1.0, "27": 1.0, "28": 0.14,
    "29": 0.06, "30": 0.80,
}
# the sector list of each table as CEADs publishes it: 2010 (Liu et al.) 30 provinces x 30
# sectors, with split import rows; 2012-2017 31 provinces (Tibet included) x 42 sectors
CEADS_IO_SECTORS = {2010: 30, 2012: 42, 2015: 42, 2017: 42}
# Tibet is not in the demo world: the 31-province tables give it a block shaped like this
# province's, scaled by the two provinces' GDP (and no trade between the two)
CEADS_IO_TIBET_TEMPLATE = "QH"
VA_ITEM_SHARE = {"劳动者报酬": 0.48, "生产税净额": 0.12, "固定资产折旧": 0.14, "营业盈余": 0.26}
EORA_VA_ITEM_SHARE = (0.48, 0.13, -0.01, 0.24, 0.02, 0.14)

# --- ROW discrepancy in the Eora files (share of output) -------------------------------
ROW_DISCREPANCY_SHARE = 2e-4
# Real Eora26 balances each sector only together with the ROW entry: once ROW is set aside,
# a sector's inputs (T column + VA) differ from its output by up to a few percent. The demo
# draws each country-sector's gap uniformly within +/- this share of its output (at most half
# its value added), books it in VA's net operating surplus, and lets the ROW row close it.
SECTOR_IMBALANCE_MAX = 0.03

# --- Eora26 releases: the satellite block (labels_Q) of each demo year -----------------
# (greentrade.demo.eora_releases); 2720 rows up to 2014, the 2619-row layout from 2015
EORA_RELEASE_BY_YEAR = {2010: "2720", 2011: "2720", 2012: "2720", 2013: "2720", 2014: "2720",
                        2015: "2619", 2016: "2619", 2017: "2619", 2018: "2619", 2019: "2619"}
# relative spread (sd) of the other CO2 readings around EDGAR's total, per country-sector
CO2_SATELLITE_SPREAD = {"edgar_ipcc": 0.01, "iea_fuel_combustion": 0.02, "primap_co2": 0.02}

# --- full scale (greentrade demo --scale full): Eora26's 189 countries ------------------
# The free Eora26 release ends in 2016: the full-scale demo writes Eora26 for these years
# only (2017-2019 are served by 2016 through year substitution, as for a real user); the
# other sources cover every year of YEARS, as at the small scale.
FULL_SCALE_EORA_YEARS = tuple(range(2010, 2017))
# XRW is split into the other 170 Eora26 countries (greentrade.demo.world.split_rest_of_world):
# sizes are lognormal draws (log sd below) normalised to XRW's; the largest draws go, in
# order, to these economies (roughly the largest of 2010 outside the calibrated 19), the
# others in a fixed random order, so no micro-state is given a continental economy
ROW_SIZE_LOG_SD = 1.5
ROW_LARGEST_ECONOMIES = ("BRA", "ITA", "CAN", "RUS", "ESP", "MEX", "NLD", "TUR", "CHE", "SAU",
                         "POL", "SWE", "BEL", "IRN", "TWN", "NOR", "ARG", "AUT", "ZAF", "ARE")
# each country's share of XRW's output in a sector: its size times lognormal noise (a
# sector mix of its own), renormalised over the countries; a small noise a year on top
ROW_SECTOR_MIX_LOG_SD = 0.5
ROW_YEAR_NOISE_SD = 0.02
# its share of XRW's CO2 in a sector: its output share times lognormal noise (intensities
# differ between countries), renormalised, so the countries' CO2 sums to XRW's
ROW_CO2_INTENSITY_LOG_SD = 0.4
# share of XRW's internal flows of a product that stays within one country (the rest is
# trade between the countries), by tradability of the product
ROW_HOME_SHARE = {"tradable": 0.70, "nontradable": 0.95, "local": 0.99}

# --- countries' sector structure (shares of VA) ----------------------------------------
COUNTRY_AGR_SHARE = {"MMR": 0.26, "KHM": 0.25, "LAO": 0.20, "VNM": 0.16, "IDN": 0.13,
                     "PHL": 0.11, "THA": 0.09, "MYS": 0.09, "IND": 0.17, "BRN": 0.01,
                     "SGP": 0.001, "USA": 0.01, "JPN": 0.012, "KOR": 0.022, "DEU": 0.008,
                     "GBR": 0.007, "FRA": 0.017, "AUS": 0.025, "XRW": 0.06}
COUNTRY_MINING_SHARE = {"BRN": 0.50, "AUS": 0.08, "IDN": 0.10, "MYS": 0.08, "XRW": 0.07,
                        "MMR": 0.05, "USA": 0.02, "IND": 0.025, "VNM": 0.07, "THA": 0.03}
COUNTRY_MINING_SHARE_DEFAULT = 0.005

# --- final-demand product composition by category (relative weights) -------------------
FD_COMPOSITION = {
    "P.3h": {"AGR": 6, "FIS": 0.7, "FOD": 15, "TEX": 6, "WOD": 1.5, "PCM": 4, "ELM": 5,
             "TRE": 4, "OMF": 2, "EGW": 3, "WHT": 5, "RET": 6, "HOT": 7, "TRA": 4, "PTE": 3,
             "FIB": 12, "EHO": 12, "MRE": 0.5, "PHH": 1.0, "OTH": 0.2, "REI": 0.1},
    "P.3n": {"EHO": 8, "PUB": 2},
    "P.3g": {"PUB": 55, "EHO": 40, "FIB": 3, "PCM": 1, "CON": 1},
    "P.51": {"CON": 58, "ELM": 18, "TRE": 8, "MET": 5, "FIB": 5, "OMF": 2, "WOD": 1,
             "PTE": 1, "WHT": 1, "REI": 0.1},
    "P.52": {"FOD": 2, "TEX": 2, "PCM": 3, "MET": 3, "ELM": 3, "TRE": 1, "AGR": 2, "MIN": 1},
    "P.53": {"OMF": 3, "MET": 1},
}
# bounds of the supplier demand scaling used to hit the sector VA targets
DEMAND_SCALE_BOUNDS = (1e-3, 1e3)
# speed and floor of the scaling of intermediate sales (products over their VA target)
INTERMEDIATE_SCALE_SPEED = 0.35
INTERMEDIATE_SCALE_MIN = 0.05

# --- CEADs inventories: split of an Eora sector's CO2 over inventory sectors -----------
# relative size of each inventory sector within the Eora sector(s) it maps to
INVENTORY_SPLIT = {
    1: 0.9, 2: 0.6, 3: 0.2, 4: 0.08, 5: 0.06, 6: 0.05, 7: 0.01, 8: 0.1, 9: 0.35, 10: 0.25,
    11: 0.25, 12: 0.15, 13: 0.6, 14: 0.25, 15: 0.15, 16: 0.3, 17: 0.15, 18: 0.4, 19: 0.1,
    20: 0.05, 21: 0.35, 22: 0.3, 23: 0.03, 24: 0.03, 25: 0.02, 26: 0.02, 27: 0.25, 28: 0.75,
    29: 0.18, 30: 0.07, 31: 0.3, 32: 0.25, 33: 1.0, 34: 0.2, 35: 0.15, 36: 0.1, 37: 1.0,
    38: 1.0, 39: 0.96, 40: 0.03, 41: 0.01, 42: 1.0, 43: 1.0, 44: 1.0, 45: 1.0,
}
# Eora sectors no inventory sector maps to: their CO2 goes to this inventory sector
INVENTORY_UNMAPPED = {"PTE": 43, "MRE": 45}
INVENTORY_SPLIT_NOISE_SD = 0.2
FUEL_MIX_NOISE_SD = 0.25
# fuel mixes (weights over the 17 fuels, plus 'Process'), by inventory sector
FUEL_MIX = {
    "power": {"Raw Coal": 88, "Natural Gas": 5, "Other Gas": 3, "Fuel Oil": 1, "Coke Oven Gas": 1,
              "Diesel Oil": 1, "Other Washed Coal": 1},
    "ferrous": {"Coke": 55, "Raw Coal": 15, "Coke Oven Gas": 8, "Other Gas": 12,
                "Cleaned Coal": 5, "Natural Gas": 2, "Process": 3},
    "nonmetal": {"Raw Coal": 45, "Process": 45, "Fuel Oil": 2, "Natural Gas": 3, "Coke": 3,
                 "Diesel Oil": 2},
    "refining": {"Raw Coal": 20, "Refinery Gas": 25, "Crude Oil": 5, "Coke": 10,
                 "Other Petroleum Products": 10, "Natural Gas": 10, "Fuel Oil": 10,
                 "Cleaned Coal": 10},
    "chemical": {"Raw Coal": 55, "Natural Gas": 15, "Coke": 10, "Fuel Oil": 5, "Other Gas": 5,
                 "Process": 10},
    "transport": {"Diesel Oil": 45, "Gasoline": 25, "Kerosene": 20, "Fuel Oil": 8, "LPG": 2},
    "coal_mining": {"Raw Coal": 80, "Diesel Oil": 10, "Cleaned Coal": 5, "Other Washed Coal": 5},
    "industry": {"Raw Coal": 55, "Diesel Oil": 12, "Natural Gas": 12, "Fuel Oil": 6, "LPG": 3,
                 "Gasoline": 4, "Coke": 5, "Other Gas": 3},
    "services": {"Raw Coal": 30, "Diesel Oil": 25, "Gasoline": 20, "Natural Gas": 10, "LPG": 10,
                 "Fuel Oil": 5},
    "agriculture": {"Diesel Oil": 60, "Raw Coal": 30, "Gasoline": 10},
    "urban": {"Raw Coal": 15, "Gasoline": 45, "LPG": 15, "Natural Gas": 20, "Diesel Oil": 5},
    "rural": {"Raw Coal": 70, "LPG": 15, "Gasoline": 10, "Diesel Oil": 5},
}
FUEL_MIX_OF_SECTOR = {1: "agriculture", 2: "coal_mining", 21: "refining", 22: "chemical",
                      27: "nonmetal", 28: "ferrous", 29: "ferrous", 39: "power", 40: "power",
                      43: "transport", 44: "services", 45: "services", 42: "services",
                      41: "services"}
CEADS_IO_SPLIT_NOISE_SD = 0.2
