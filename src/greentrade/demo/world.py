"""The synthetic economy behind the demo files.

One *true* world is built per year: the 30 panel provinces of China and 19 foreign regions
(10 ASEAN members, 8 major partners, a rest of world ``XRW``), 26 Eora sectors each, in
thousand USD. At full scale (``Layout("full")``, Eora26's real size) :func:`split_rest_of_world`
replaces ``XRW`` by the other 170 countries of Eora26 (``seeds/eora26_countries.csv``), which
together carry exactly XRW's flows, value added and CO2, so every flow of China, ASEAN and
the partners is the small world's. Every published file is derived from it: the Eora26 tables aggregate the
provinces into ``CHN``; the CEADs IO tables disaggregate the provincial block to 42 sectors
(in 10,000 CNY, with a few percent of noise, as real tables never match Eora); the CEADs
inventories split the provincial CO2 by sector and fuel. So the pipeline's embedded MRIO
approximately recovers this provincial world; tests/python/demo/truth.py computes the
paper's quantities on it directly, and the end-to-end tests compare the marts with them.

Construction (demand driven, balanced and productive by design):
- input coefficients A = IIR_j * W[i, j] (a rule-based input pattern, columns normalised,
  lognormal noise), split over supplying regions by sourcing shares S[s, i, r];
- final demand Y[(r, i), (s, k)] = GDP_s * c_k * comp_k[i] * S_final[s, i, r] * f[r, i],
  where f is a supplier scaling iterated until every region-sector's value added
  (1 - column sum of A) * x hits its target (GDP * sector share);
- x = (I - A)^-1 Y 1, Z = A diag(x). Column sums of A are below one, so the table is
  productive, and x = Z 1 + Y 1 = Z' 1 + VA holds exactly.
Randomness: one numpy Generator per component and year (``rng(...)``), so any subset of
years is generated with the same numbers as the full set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import scipy.linalg as sla

from greentrade import reference
from greentrade.demo import params as P

FD_CATEGORIES = ("P.3h", "P.3n", "P.3g", "P.51", "P.52", "P.53")
# The manufacturing sectors and the ASEAN members come from the seeds, never from a list of
# the demo's own (seeds/eora26_sectors.csv ``is_manufacturing``, seeds/partner_groups.csv),
# so the demo builds the world the pipeline's marts read: :class:`Layout` checks that the
# calibration (params) covers exactly these.
PARTNER_GROUP = "asean"
MFG = tuple(reference.eora26_sectors().query("is_manufacturing")["eora_sector_code"])
ASEAN = tuple(reference.partner_group(PARTNER_GROUP))
REST_OF_WORLD = "XRW"   # the small world's rest of world (not an Eora26 country)
SCALES = ("small", "full")
PRIMARY = ("AGR", "FIS", "MIN")
LOCAL = ("CON", "EGW", "PUB", "PHH", "OTH", "REI")


def rng(*keys: int) -> np.random.Generator:
    """Generator for one component (and year): independent of which years are written."""
    return np.random.default_rng([P.SEED, *keys])


class Layout:
    """Codes and orders shared by the world and the writers, at one ``scale``.

    ``small``: the 18 calibrated countries of ``P.COUNTRIES`` and the rest of world ``XRW``
    (written last in the Eora26 files, after the countries in Eora's order); ``full``: the 18
    and the other 170 Eora26 countries (``rest_of_world``), Eora's 189 in Eora's order with
    Eora's codes and names (``seeds/eora26_countries.csv``). ``regions`` (the true world's
    order) is the provinces, then the calibrated countries, then XRW or the other countries.
    """

    def __init__(self, scale: str = "small") -> None:
        if scale not in SCALES:
            raise ValueError(f"demo scale: expected one of {', '.join(SCALES)}, found {scale!r}")
        self.scale = scale
        prov = reference.provinces(panel_only=True)
        self.provinces: list[str] = prov["province_code"].tolist()
        self.all_provinces = reference.provinces()
        sectors = reference.eora26_sectors()
        self.sectors: list[str] = sectors["eora_sector_code"].tolist()
        self.sector_names: list[str] = sectors["eora_sector_name"].tolist()
        eora = reference.eora26_countries()
        names = dict(zip(eora["country_code"], eora["country_name"]))
        calibrated = [c for c in P.COUNTRIES if c != REST_OF_WORLD]
        unknown = sorted(set(calibrated + ["CHN"]) - set(names))
        if unknown:
            raise ValueError(f"demo countries {unknown} are not in seeds/eora26_countries.csv")
        uncalibrated = [c for c in ASEAN if c not in calibrated]
        if uncalibrated:
            raise ValueError(f"the {PARTNER_GROUP} members {uncalibrated} of seeds/partner_groups.csv have no "
                             "calibration in greentrade/demo/params.py COUNTRIES: add them there")
        mix = set(P.MFG_MIX)
        if mix != set(MFG):
            raise ValueError("greentrade/demo/params.py MFG_MIX must weight exactly the manufacturing sectors of "
                             f"seeds/eora26_sectors.csv (is_manufacturing): missing {sorted(set(MFG) - mix)}, "
                             f"not manufacturing {sorted(mix - set(MFG))}")
        self.manufacturing: tuple[str, ...] = MFG
        self.asean: tuple[str, ...] = ASEAN
        self.partners: list[str] = [c for c in calibrated if c not in ASEAN]  # the other calibrated countries
        if scale == "small":
            self.rest_of_world: list[str] = []
            self.countries: list[str] = calibrated + [REST_OF_WORLD]
            self.eora_regions = [c for c in eora["country_code"] if c in calibrated or c == "CHN"] + [REST_OF_WORLD]
            names[REST_OF_WORLD] = P.COUNTRIES[REST_OF_WORLD][0]
        else:
            self.rest_of_world = [c for c in eora["country_code"] if c not in calibrated and c != "CHN"]
            self.countries = calibrated + self.rest_of_world
            self.eora_regions = eora["country_code"].tolist()
        self.regions: list[str] = self.provinces + self.countries
        self.eora_names = {c: names[c] for c in self.eora_regions}

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)

    def sector_index(self, code: str) -> int:
        return self.sectors.index(code)


LAYOUT = Layout()
_LAYOUTS = {"small": LAYOUT}


def layout(scale: str = "small") -> Layout:
    """The :class:`Layout` of ``scale`` (``small`` or ``full``), built once."""
    if scale not in _LAYOUTS:
        _LAYOUTS[scale] = Layout(scale)
    return _LAYOUTS[scale]


# --------------------------------------------------------------------------------------
# Provincial panels: GDP, population, controls, employment, robots
# --------------------------------------------------------------------------------------
def _province_codes_with_tibet() -> list[str]:
    return LAYOUT.all_provinces["province_code"].tolist()


def province_panel() -> pd.DataFrame:
    """Long frame (province_code, year) with gdp (亿元), population (万人), gdp_pc_paper,
    urbanisation (%), students per 100k, fiscal expenditure (亿元), for the 31 units."""
    g = rng(1)
    rows = []
    for code in _province_codes_with_tibet():
        if code == "XZ":
            t = P.TIBET
            gdp0, pop0, gr1, gr2 = t["gdp"], t["pop"], t["growth"], t["growth"] * 0.8
            urban0, stud0, fisc0 = t["urban"], t["students"], t["fiscal"]
        else:
            p = P.PROVINCES[code]
            gdp0, pop0, gr1, gr2, urban0, stud0, fisc0 = p[0], p[1], p[2], p[3], p[7], p[8], p[9]
        shocks = g.normal(0.0, P.GDP_GROWTH_NOISE_SD, len(P.YEARS))
        fisc_noise = g.normal(0.0, P.FISCAL_NOISE_SD, len(P.YEARS))
        stud_noise = g.normal(0.0, 0.02, len(P.YEARS))
        gdp, urban = gdp0, urban0
        for k, year in enumerate(P.YEARS):
            if k > 0:
                growth = (gr1 if year <= 2014 else gr2) + shocks[k]
                gdp *= 1.0 + growth
                room = max(P.URBANISATION_CEILING - urban, 0.0) / P.URBANISATION_CEILING
                urban += P.URBANISATION_GAIN_PP * (0.5 + room)
            pop = pop0 * (1.0 + P.POPULATION_GROWTH) ** k
            rows.append({
                "province_code": code, "year": year, "gdp": gdp, "population": pop,
                "urbanisation": min(urban, P.URBANISATION_CEILING),
                "students": stud0 * P.STUDENT_SCALE * (1.0 + P.STUDENT_GROWTH) ** k * np.exp(stud_noise[k]),
                "fiscal": gdp * (fisc0 + P.FISCAL_SHARE_TREND * k) * np.exp(fisc_noise[k]),
            })
    panel = pd.DataFrame(rows)
    nominal_pc = panel["gdp"] * 1e8 / (panel["population"] * 1e4)
    real_pc = nominal_pc / (1.0 + P.GDP_PC_DEFLATOR_GROWTH) ** (panel["year"] - P.YEARS[0])
    in_panel = panel["province_code"] != "XZ"
    powered = real_pc ** P.GDP_PC_POWER
    z = (powered - powered[in_panel].mean()) / powered[in_panel].std(ddof=1)
    panel["gdp_pc_paper"] = P.GDP_PC_PAPER_MEAN + P.GDP_PC_PAPER_SD * z
    return panel


# AI patents grow with (relative robot-exposure growth) ** this (kept out of params.py so the
# demo's parameter fingerprint, and every cached demo, stays as it was)
AI_PATENT_ROBOT_ELASTICITY = 0.5


def add_patents(panel: pd.DataFrame, robit: pd.DataFrame) -> pd.DataFrame:
    """AI and green invention patent applications (counts). AI patents scale with GDP and
    grow faster where robot exposure grows faster (relative to the national growth), so
    they carry the instrument's relevance; green patents scale with GDP and students."""
    g = rng(4)
    out = panel.copy()
    growth = robit.div(robit[P.YEARS[0]], axis=0)
    rel = growth / growth.mean(axis=0)
    k = out["year"] - P.YEARS[0]
    rel_long = np.array([rel.loc[c, y] if c in rel.index else 1.0 for c, y in zip(out["province_code"], out["year"])])
    noise = np.exp(g.normal(0.0, P.PATENT_NOISE_SD, (2, len(out))))
    out["ai_patents"] = np.rint(P.AI_PATENTS_2010_PER_100BN * out["gdp"] / 100
                                * (1 + P.AI_PATENT_GROWTH) ** k * rel_long ** AI_PATENT_ROBOT_ELASTICITY * noise[0])
    out["green_patents"] = np.rint(P.GREEN_PATENTS_2010_PER_100BN * out["gdp"] / 100
                                   * (out["students"] / 2000) * (1 + P.GREEN_PATENT_GROWTH) ** k * noise[1])
    return out


def ifr_installations() -> pd.DataFrame:
    """Installations by country and IFR industry (rows) and year (columns)."""
    g = rng(2)
    industries = reference.seed("ifr_industries")
    codes = industries["ifr_industry_code"].tolist()
    frames = []
    for country, total_by_year in [("China", P.IFR_CHINA_TOTAL)] + [
        (name, dict(zip(P.YEARS, np.geomspace(a, b, len(P.YEARS)))))
        for name, (a, b) in P.IFR_OTHER_COUNTRIES.items()
    ]:
        values = {}
        for k, year in enumerate(P.YEARS):
            w = k / (len(P.YEARS) - 1)
            share = np.array([(1 - w) * P.IFR_SHARE_2010[c] + w * P.IFR_SHARE_2019[c] for c in codes])
            share = share * np.exp(g.normal(0.0, P.IFR_NOISE_SD, len(codes)))
            values[year] = np.rint(total_by_year[year] * share / share.sum()).astype(int)
        frame = pd.DataFrame(values)
        frame.insert(0, "industry", industries["ifr_industry_name"].values)
        frame.insert(0, "industry_code", codes)
        frame.insert(0, "country", country)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def ifr_operational_stock(installations: pd.DataFrame) -> pd.DataFrame:
    """Operational stock by country and IFR industry (rows) and year (columns), the layout of
    :func:`ifr_installations`.

    China's follows from its installations under IFR's service-life convention: the robots
    installed in the last ``IFR_SERVICE_LIFE_YEARS`` years, stock_jt = sum_{v=t-11..t}
    installations_jv, the pre-panel vintages (``IFR_CHINA_INSTALLATIONS_BEFORE``) split by
    the 2010 industry mix. The other countries' rows are geometric paths between their 2010
    and 2019 totals with China's interpolated mix (the pipeline reads only China).
    """
    industries = reference.seed("ifr_industries")
    codes = industries["ifr_industry_code"].tolist()
    china = installations[installations["country"] == "China"].set_index("industry_code").loc[codes]
    mix_2010 = np.array([P.IFR_SHARE_2010[c] for c in codes])
    vintages = {year: np.rint(total * mix_2010 / mix_2010.sum())
                for year, total in P.IFR_CHINA_INSTALLATIONS_BEFORE.items()}
    vintages.update({year: china[year].to_numpy(dtype=float) for year in P.YEARS})
    life = P.IFR_SERVICE_LIFE_YEARS
    rows = [("China", {year: sum(vintages[v] for v in range(year - life + 1, year + 1) if v in vintages)
                       for year in P.YEARS})]
    for name, (a, b) in P.IFR_OTHER_COUNTRIES_STOCK.items():
        values = {}
        for k, (year, total) in enumerate(zip(P.YEARS, np.geomspace(a, b, len(P.YEARS)))):
            w = k / (len(P.YEARS) - 1)
            share = np.array([(1 - w) * P.IFR_SHARE_2010[c] + w * P.IFR_SHARE_2019[c] for c in codes])
            values[year] = np.rint(total * share / share.sum())
        rows.append((name, values))
    frames = []
    for country, values in rows:
        frame = pd.DataFrame({year: np.asarray(v).astype(int) for year, v in values.items()})
        frame.insert(0, "industry", industries["ifr_industry_name"].values)
        frame.insert(0, "industry_code", codes)
        frame.insert(0, "country", country)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _mfg_tilt(code: str) -> dict[str, float]:
    return {s: P.PROVINCE_MFG_TILT.get(code, {}).get(s, 1.0) for s in MFG}


def employment() -> dict[int, pd.DataFrame]:
    """Employment (10,000 persons): province (31, incl. Tibet) x employment industry, per year."""
    g = rng(3)
    industries = reference.seed("employment_industries")["employment_industry_code"].tolist()
    codes = _province_codes_with_tibet()
    panel = province_panel().set_index(["province_code", "year"])
    noise = np.exp(g.normal(0.0, P.EMPLOYMENT_NOISE_SD, (len(codes), len(industries))))
    out = {}
    n_years = len(P.YEARS) - 1
    for k, year in enumerate(P.YEARS):
        national = P.NATIONAL_EMPLOYMENT_10K[2010] * (
            P.NATIONAL_EMPLOYMENT_10K[2019] / P.NATIONAL_EMPLOYMENT_10K[2010]) ** (k / n_years)
        weights = np.zeros((len(codes), len(industries)))
        for a, code in enumerate(codes):
            size = panel.loc[(code, year), "population"]
            p = P.PROVINCES.get(code)
            mfg_share = p[4] if p else 0.08
            export = p[5] if p else 0.1
            tilt = _mfg_tilt(code) if p else {s: 0.3 for s in MFG}
            drift = 1.0 + P.EMPLOYMENT_INLAND_DRIFT.get(code, 0.0) * k
            for b, ind in enumerate(industries):
                if ind in P.EMPLOYMENT_EORA_LINK:
                    w = (size * mfg_share ** P.EMPLOYMENT_MFG_CONCENTRATION
                         * export ** P.EMPLOYMENT_EXPORT_CONCENTRATION
                         * tilt[P.EMPLOYMENT_EORA_LINK[ind]] * max(drift, 0.2))
                elif ind == "A":
                    w = size * P.AGRI_SHARE.get(code, P.AGRI_SHARE_DEFAULT)
                elif ind == "B":
                    w = size * P.MINING_SHARE.get(code, P.MINING_SHARE_DEFAULT)
                else:
                    w = size * (1.0 + 0.5 * (P.PROVINCES[code][7] / 60 if p else 0.4))
                weights[a, b] = w * noise[a, b]
        weights /= weights.sum(axis=0, keepdims=True)
        mix = np.array([P.EMPLOYMENT_MIX[i] for i in industries])
        table = weights * mix * national
        out[year] = pd.DataFrame(table, index=codes, columns=industries)
    return out


def robot_exposure(emp: dict[int, pd.DataFrame], ifr: pd.DataFrame) -> pd.DataFrame:
    """robit_pt = sum_j emp_pjt / emp_jt * robots_jt (the paper's Bartik measure), computed
    from the rounded figures the files carry; ``ifr`` is either measure's frame (the demo
    world uses the operational stock, the measure whose levels match the paper's Table 1);
    rows: panel provinces, columns: years."""
    inds = reference.seed("employment_industries")
    china = ifr[ifr["country"] == "China"].set_index("industry_code")
    out = {}
    for year, table in emp.items():
        table = table.round(2)
        share = table / table.sum(axis=0)
        robots = china.loc[inds["ifr_industry_code"], year].to_numpy(dtype=float)
        out[year] = share.to_numpy() @ robots
    frame = pd.DataFrame(out, index=emp[P.YEARS[0]].index)
    return frame.loc[LAYOUT.provinces]


# --------------------------------------------------------------------------------------
# The world of one year
# --------------------------------------------------------------------------------------
def _province_va_shares(code: str, year: int) -> np.ndarray:
    p = P.PROVINCES[code]
    s = LAYOUT.sectors
    out = np.zeros(len(s))
    agr = P.AGRI_SHARE.get(code, P.AGRI_SHARE_DEFAULT)
    mining = P.MINING_SHARE.get(code, P.MINING_SHARE_DEFAULT)
    mfg = p[4] * P.MFG_SHARE_SCALE + P.MFG_SHARE_TREND * (year - P.YEARS[0])
    out[s.index("AGR")] = agr / (1 + P.FISHING_PER_AGRICULTURE)
    out[s.index("FIS")] = agr - out[s.index("AGR")]
    out[s.index("MIN")] = mining
    tilt = _mfg_tilt(code)
    mix = np.array([P.MFG_MIX[k] * tilt[k] for k in MFG])
    for k, v in zip(MFG, mix / mix.sum()):
        out[s.index(k)] = mfg * v
    municipal = code in ("BJ", "TJ", "SH", "CQ")
    other = np.array([P.OTHER_MIX[k] * (P.MUNICIPALITY_SERVICE_TILT if municipal and k in P.SERVICE_SECTORS else 1.0)
                      for k in P.OTHER_MIX])
    for k, v in zip(P.OTHER_MIX, other / other.sum()):
        out[s.index(k)] = (1 - agr - mining - mfg) * v
    return out


def _country_va_shares(code: str, year: int) -> np.ndarray:
    s = LAYOUT.sectors
    out = np.zeros(len(s))
    agr = P.COUNTRY_AGR_SHARE[code]
    mining = P.COUNTRY_MINING_SHARE.get(code, P.COUNTRY_MINING_SHARE_DEFAULT)
    mfg = P.COUNTRIES[code][5]
    small = sum(P.OTHER_SMALL_SECTOR_SHARE.values())
    out[s.index("AGR")] = agr * 0.9
    out[s.index("FIS")] = agr * 0.1
    out[s.index("MIN")] = mining
    for k in MFG:
        out[s.index(k)] = mfg * P.MFG_MIX[k]
    for k, v in P.OTHER_SMALL_SECTOR_SHARE.items():
        out[s.index(k)] = v
    rest = 1 - agr - mining - mfg - small
    total = sum(P.OTHER_MIX.values())
    for k, v in P.OTHER_MIX.items():
        out[s.index(k)] = rest * v / total
    return out


def _input_pattern() -> np.ndarray:
    """Rule-based W[i, j]: relative weight of product i in sector j's inputs."""
    s = LAYOUT.sectors
    n = len(s)
    W = np.full((n, n), 0.08)
    idx = {c: k for k, c in enumerate(s)}
    for c in ("PHH", "OTH", "REI"):
        W[idx[c], :] = 0.0
    W[np.arange(n), np.arange(n)] += 4.0
    for j in range(n):
        for i, w in (("WHT", 0.4), ("TRA", 0.5), ("FIB", 0.7), ("EGW", 0.4), ("PTE", 0.2)):
            W[idx[i], j] += w
    rules = {
        "PCM": {"MIN": 4, "EGW": 1.5, "PCM": 2}, "MET": {"MIN": 5, "EGW": 2, "MET": 2},
        "EGW": {"MIN": 6, "PCM": 1.5}, "FOD": {"AGR": 6, "FIS": 0.7, "PCM": 0.8},
        "TEX": {"AGR": 1.5, "PCM": 1.5}, "WOD": {"AGR": 1.0, "PCM": 1.0},
        "ELM": {"MET": 2.5, "PCM": 1.0}, "TRE": {"MET": 2.5, "ELM": 2.0, "PCM": 1.0},
        "OMF": {"MET": 1, "PCM": 1, "WOD": 1}, "REC": {"MET": 1.5},
        "CON": {"PCM": 4, "MET": 3, "WOD": 1, "ELM": 1}, "TRA": {"PCM": 4, "TRE": 0.8, "MRE": 0.5},
        "AGR": {"PCM": 1.5, "AGR": 1}, "FIS": {"PCM": 1.0}, "MIN": {"EGW": 1.0, "ELM": 0.6, "MET": 0.5},
        "HOT": {"FOD": 3, "AGR": 1}, "EHO": {"PCM": 0.6, "ELM": 0.4}, "PUB": {"CON": 0.5, "ELM": 0.4},
    }
    for j, inputs in rules.items():
        for i, w in inputs.items():
            W[idx[i], idx[j]] += w
    return W / W.sum(axis=0, keepdims=True)


def _iir(region_is_province: bool) -> np.ndarray:
    table = P.IIR_CHINA if region_is_province else P.IIR_OTHER
    out = []
    for c in LAYOUT.sectors:
        if c in MFG:
            out.append(table["mfg"])
        elif c in PRIMARY:
            out.append(table["primary"])
        elif c in ("EGW", "CON"):
            out.append(table[c])
        else:
            out.append(table["services"])
    return np.array(out)


def _tradability(code: str) -> str:
    if code in MFG or code in PRIMARY:
        return "tradable"
    if code in LOCAL:
        return "local"
    return "nontradable"


def _group(region: str) -> str:
    if region in P.PROVINCES:
        return "CHN"
    if region in ASEAN:
        return "ASEAN"
    return region


def _affinity(supplier: str, buyer: str) -> float:
    a, b = _group(supplier), _group(buyer)
    return P.AFFINITY.get((a, b), P.AFFINITY.get((supplier, b), P.AFFINITY.get((a, buyer), 1.0)))


@dataclass
class WorldYear:
    """The true provincial world of one year (thousand USD; CO2 in Gg)."""

    year: int
    regions: list[str]
    Z: np.ndarray            # n x n
    Y: np.ndarray            # n x (regions * 6)
    va: np.ndarray           # n
    co2: np.ndarray          # n, Gg
    co2_households: np.ndarray  # regions, Gg (emitted by households' own fuel use)
    layout: Layout = LAYOUT  # the scale whose regions these are

    @cached_property
    def x(self) -> np.ndarray:
        return self.Z.sum(axis=1) + self.Y.sum(axis=1)

    @property
    def n_sectors(self) -> int:
        return LAYOUT.n_sectors

    def block(self, region: str) -> slice:
        k = self.regions.index(region)
        return slice(k * self.n_sectors, (k + 1) * self.n_sectors)


def _sourcing(year: int, cap: np.ndarray, robot_factor: dict[str, float], final: bool) -> np.ndarray:
    """S[s, i, r]: share of product i used in region s that region r supplies."""
    regions = LAYOUT.regions
    R, n = len(regions), LAYOUT.n_sectors
    S = np.zeros((R, n, R))
    prov_idx = [k for k, r in enumerate(regions) if r in P.PROVINCES]
    ctry_idx = [k for k, r in enumerate(regions) if r not in P.PROVINCES]
    mfg_mask = np.array([c in MFG for c in LAYOUT.sectors])
    aff = np.array([[_affinity(sup, buy) for buy in regions] for sup in regions])  # [sup, buy]
    groups = np.array([_group(r) for r in regions])
    china_asean = ((groups[:, None] == "CHN") & (groups[None, :] == "ASEAN")) | (
        (groups[:, None] == "ASEAN") & (groups[None, :] == "CHN"))
    aff = aff * np.where(china_asean, np.exp(P.CHN_ASEAN_AFFINITY_TREND * (year - P.YEARS[0])), 1.0)
    # supplier-side weights: export orientation of provinces (raised by robots: sales to
    # every foreign buyer, ASEAN included, so the CEADs export column shows it); ASEAN
    # orientation (visible only in the true world, not to a proportional embedding)
    export_w = np.ones((R, n))
    asean_w = np.ones((R, n))
    for k in prov_idx:
        code = regions[k]
        p = P.PROVINCES[code]
        export_w[k, mfg_mask] = p[5] * robot_factor.get(code, 1.0)
        asean_w[k, mfg_mask] = p[6]
    for s, buyer in enumerate(regions):
        for i, prod in enumerate(LAYOUT.sectors):
            kind = _tradability(prod)
            w = cap[:, i] * aff[:, s]
            if buyer in P.PROVINCES:
                p = P.PROVINCES[buyer]
                own = P.OWN_PROVINCE_SHARE[kind]
                foreign = P.CHINA_FOREIGN_SHARE[kind] * P.PROVINCE_IMPORT_PROPENSITY_EXTRA.get(buyer, 1.0)
                if final:
                    foreign *= P.FINAL_IMPORT_FACTOR
                fw = w[ctry_idx].copy()
                asean_pos = [j for j, k in enumerate(ctry_idx) if regions[k] in ASEAN]
                fw[asean_pos] *= p[6] ** P.ASEAN_ORIENTATION_IMPORT_ELASTICITY
                if final and prod in MFG:
                    fw[asean_pos] *= P.FINAL_AFFINITY_ASEAN_TO_CHN * np.exp(
                        P.FINAL_AFFINITY_ASEAN_TO_CHN_TREND * (year - P.YEARS[0]))
                dw = w[prov_idx].copy()
                dw[prov_idx.index(s)] = 0.0
                if cap[s, i] == 0 or dw.sum() == 0:
                    continue  # China does not produce (or use) this product
                S[s, i, s] = own
                S[s, i, prov_idx] += (1 - own - foreign) * dw / dw.sum()
                if fw.sum() > 0:
                    S[s, i, ctry_idx] = foreign * fw / fw.sum()
                else:
                    S[s, i, s] += foreign
            else:
                if kind == "tradable":
                    home = P.HOME_SHARE_COUNTRY["tradable_small" if buyer in P.SMALL_COUNTRIES else "tradable_large"]
                else:
                    home = P.HOME_SHARE_COUNTRY[kind]
                if final:
                    home = 1 - (1 - home) * P.FINAL_IMPORT_FACTOR
                fw = w.copy()
                fw[s] = 0.0
                fw[prov_idx] *= export_w[prov_idx, i]
                if buyer in ASEAN:
                    fw[prov_idx] *= asean_w[prov_idx, i]
                    if final and prod in MFG:
                        fw[prov_idx] *= P.FINAL_AFFINITY_CHN_TO_ASEAN * np.exp(
                            P.FINAL_AFFINITY_CHN_TO_ASEAN_TREND * (year - P.YEARS[0]))
                if cap[s, i] == 0:
                    home = 0.0
                if fw.sum() == 0:
                    S[s, i, s] = 1.0
                    continue
                S[s, i, s] = home
                S[s, i, :] += (1 - home) * fw / fw.sum()
    return S


def _fd_composition(region: str) -> np.ndarray:
    """comp[k, i]: product mix of final-demand category k (rows sum to 1)."""
    out = np.zeros((len(FD_CATEGORIES), LAYOUT.n_sectors))
    for k, cat in enumerate(FD_CATEGORIES):
        for prod, w in P.FD_COMPOSITION[cat].items():
            if region in P.PROVINCES and prod in P.CHINA_ZERO_SECTORS:
                continue
            out[k, LAYOUT.sector_index(prod)] = w
    return out / out.sum(axis=1, keepdims=True)


def world_year(year: int, panel: pd.DataFrame, robit: pd.DataFrame) -> WorldYear:
    regions = LAYOUT.regions
    R, n = len(regions), LAYOUT.n_sectors
    N = R * n
    k_year = year - P.YEARS[0]
    g_static = rng(10)      # structural noise, the same every year
    g_year = rng(11, year)  # noise of this year
    fx = P.CNY_PER_USD[year]
    gdp = panel[panel["year"] == year].set_index("province_code")["gdp"]

    # value-added targets (thousand USD)
    target = np.zeros((R, n))
    for r, code in enumerate(regions):
        if code in P.PROVINCES:
            level = gdp[code] * 1e8 / fx / 1e3
            target[r] = level * _province_va_shares(code, year)
        else:
            c = P.COUNTRIES[code]
            level = c[1] * 1e6 * (1 + c[2]) ** k_year
            target[r] = level * _country_va_shares(code, year)
    target *= np.exp(g_year.normal(0.0, 0.02, target.shape)) * (target > 0)

    # robot mechanism: exposure growth relative to the national (panel-mean) growth raises
    # a province's manufacturing export competitiveness, hence its share of China's
    # manufacturing exports (to ASEAN as to everyone)
    growth = robit[year] / robit[P.YEARS[0]]
    rel = growth / growth.mean()
    robot_factor = (rel ** P.ROBOT_EXPORT_ELASTICITY).to_dict()

    # technology
    W = _input_pattern()
    coef_noise = np.exp(g_static.normal(0.0, P.COEF_NOISE_SD, (R, n, n)))
    S_int = _sourcing(year, target, robot_factor, final=False)
    S_fin = _sourcing(year, target, robot_factor, final=True)
    A = np.zeros((N, N))
    for s, code in enumerate(regions):
        nat = W * coef_noise[s]
        nat = nat / nat.sum(axis=0, keepdims=True) * _iir(code in P.PROVINCES)
        # A[(r, i), (s, j)] = nat[i, j] * S_int[s, i, r]
        blockcol = (S_int[s].T[:, :, None] * nat[None, :, :]).reshape(N, n)
        A[:, s * n:(s + 1) * n] = blockcol
    active = (target.reshape(N) > 0)
    A[:, ~active] = 0.0
    A[~active, :] = 0.0

    # final demand per destination and category, before supplier scaling
    cat_share = {True: np.array(P.FD_CATEGORY_SHARE_CHINA), False: np.array(P.FD_CATEGORY_SHARE_OTHER)}
    base_Y = np.zeros((N, R * 6))
    for s, code in enumerate(regions):
        comp = _fd_composition(code)
        level = target[s].sum()
        for k in range(6):
            spend = level * cat_share[code in P.PROVINCES][k] * comp[k]       # by product
            base_Y[:, s * 6 + k] = (S_fin[s] * spend[:, None]).T.reshape(N)
    # f scales final demand for a supplier's product; g (<= 1) scales its intermediate
    # sales, for products whose intermediate sales alone would exceed the VA target
    f = np.ones(N)
    g = np.ones(N)
    lo, hi = P.DEMAND_SCALE_BOUNDS
    t_flat = target.reshape(N)
    y_base = base_Y.sum(axis=1)
    x = y_base.copy()
    for _ in range(P.FD_TARGET_ITERATIONS):
        Ag = A * g[:, None]
        y = y_base * f
        for _ in range(60):  # x = Ag x + y by fixed point, warm started (column sums < 0.8)
            x = Ag @ x + y
        va = (1.0 - Ag.sum(axis=0)) * x
        ratio = np.where(active & (va > 0), t_flat / np.maximum(va, 1e-12), 1.0)
        f = np.clip(f * ratio ** 0.8, lo, hi)
        g = np.clip(g * np.minimum(ratio, 1.0) ** P.INTERMEDIATE_SCALE_SPEED, P.INTERMEDIATE_SCALE_MIN, 1.0)
    A = A * g[:, None]
    Y = base_Y * f[:, None]
    x = sla.lu_solve(sla.lu_factor(np.eye(N) - A), Y.sum(axis=1))
    x = np.where(active, np.maximum(x, 0.0), 0.0)
    Z = A * x[None, :]
    va = x - Z.sum(axis=0)

    co2, co2_hh = _emissions(year, regions, x, Y, g_static, g_year)
    return WorldYear(year=year, regions=regions, Z=Z, Y=Y, va=va, co2=co2, co2_households=co2_hh)


def _emissions(year, regions, x, Y, g_static, g_year):
    R, n = len(regions), LAYOUT.n_sectors
    k_year = year - P.YEARS[0]
    rel = np.array([P.RELATIVE_CO2_INTENSITY[c] for c in LAYOUT.sectors])
    mult = np.exp(g_static.normal(0.0, P.CO2_NOISE_SD, (R, n)) + g_year.normal(0.0, 0.03, (R, n)))
    co2 = np.zeros(R * n)
    hh = np.zeros(R)
    xr = x.reshape(R, n)
    household_spend = Y.reshape(R * n, R, 6)[:, :, 0].sum(axis=0)
    prov = [k for k, r in enumerate(regions) if r in P.PROVINCES]
    raw = np.zeros((R, n))
    for r, code in enumerate(regions):
        m = P.PROVINCES[code][10] if code in P.PROVINCES else 1.0
        raw[r] = xr[r] * rel * mult[r] * m
    # China: national total fixed, split by the provincial raw emissions
    chn_total = P.CHINA_CO2_MT[year] * 1e3  # Gg
    chn_hh = chn_total * P.HOUSEHOLD_CO2_SHARE["CHN"]
    raw_chn = raw[prov].sum()
    for r in prov:
        co2[r * n:(r + 1) * n] = raw[r] * (chn_total - chn_hh) / raw_chn
    hh_w = household_spend[prov] / household_spend[prov].sum()
    hh[prov] = chn_hh * hh_w
    for r, code in enumerate(regions):
        if code in P.PROVINCES:
            continue
        c = P.COUNTRIES[code]
        total = c[3] * 1e3 * (1 + c[4]) ** k_year
        h = total * P.HOUSEHOLD_CO2_SHARE["other"]
        co2[r * n:(r + 1) * n] = raw[r] * (total - h) / raw[r].sum()
        hh[r] = h
    return co2, hh


# --------------------------------------------------------------------------------------
# Full scale: the rest of world split into Eora26's other countries
# --------------------------------------------------------------------------------------
def rest_of_world_sizes(full: Layout) -> np.ndarray:
    """Each of ``full.rest_of_world``'s share of XRW (sums to 1; the same every year).

    Lognormal draws (``P.ROW_SIZE_LOG_SD``), sorted: the largest go in order to
    ``P.ROW_LARGEST_ECONOMIES``, the others to the remaining countries in a fixed random order.
    """
    others = full.rest_of_world
    g = rng(40)
    draws = np.sort(g.lognormal(0.0, P.ROW_SIZE_LOG_SD, len(others)))[::-1]
    largest = [c for c in P.ROW_LARGEST_ECONOMIES if c in others]
    rest = [c for c in others if c not in largest]
    order = largest + [rest[k] for k in g.permutation(len(rest))]
    size = dict(zip(order, draws))
    out = np.array([size[c] for c in others])
    return out / out.sum()


def _split_margins(a: np.ndarray, b: np.ndarray, home: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The K x K split of one aggregate flow with supplier shares ``a`` and buyer shares ``b``
    (each sums to 1 over the K countries, along axis 0), as three parts: M[k, l] =
    d_k [k == l] + a'_k b'_l / s with d = home * min(a, b), a' = a - d, b' = b - d and
    s = 1 - sum d. Its rows sum to ``a`` and its columns to ``b`` exactly (so the split table
    stays balanced), and ``home`` (0-1) of the smaller margin stays within one country."""
    d = home * np.minimum(a, b)
    return d, a - d, (b - d) / (1.0 - d.sum(axis=0))


def split_rest_of_world(world: WorldYear, full: Layout | None = None) -> WorldYear:
    """The small world of a year with XRW replaced by ``full.rest_of_world`` (Eora26's other
    countries): the same flows of every other region, exactly.

    Country k gets the share w[k, i] of XRW's output of sector i (its size,
    :func:`rest_of_world_sizes`, times a sector-mix noise, renormalised over k). Every flow
    between XRW and another region is split by the XRW side's shares (w for a selling sector,
    w for a buying sector, the country's share v of XRW's value added for its final demand);
    each flow within XRW by :func:`_split_margins`, home-biased by ``P.ROW_HOME_SHARE`` of
    the product's tradability. So each country-sector keeps XRW's input coefficients and the
    table stays balanced: x = Z 1 + Y 1 = Z' 1 + va. Value added follows w; CO2 follows w
    times lognormal intensity noise, renormalised so the countries' CO2 sums to XRW's, sector
    by sector; households' CO2 follows v with noise, summing to XRW's.
    """
    full = full or layout("full")
    small = world.layout
    if small.countries[-1] != REST_OF_WORLD or full.regions != small.regions[:-1] + full.rest_of_world:
        raise ValueError("split_rest_of_world: expects a small-scale world (XRW last) and the full layout")
    n = small.n_sectors
    R = len(small.regions)
    m, f = (R - 1) * n, (R - 1) * 6              # kept rows, kept final-demand columns
    K = len(full.rest_of_world)
    g_static, g_year = rng(42), rng(43, world.year)
    size = rest_of_world_sizes(full)
    noise = g_static.normal(0.0, P.ROW_SECTOR_MIX_LOG_SD, (K, n)) + g_year.normal(0.0, P.ROW_YEAR_NOISE_SD, (K, n))
    w = size[:, None] * np.exp(noise)
    w /= w.sum(axis=0, keepdims=True)            # K x n
    va_x = world.va[m:]
    v = w @ va_x / va_x.sum()                    # each country's share of XRW's value added
    home = np.array([P.ROW_HOME_SHARE[_tradability(c)] for c in small.sectors])

    Zs, Ys = world.Z, world.Y
    N = m + K * n
    Z = np.empty((N, N))
    Z[:m, :m] = Zs[:m, :m]
    Z[m:, :m] = (w[:, :, None] * Zs[None, m:, :m]).reshape(K * n, m)
    Z[:m, m:] = (Zs[:m, None, m:] * w[None, :, :]).reshape(m, K * n)
    Zx = Zs[m:, m:]
    inner = np.empty((K, n, K, n))
    for i in range(n):   # flows of XRW's product i to its sectors j: supplier w[:, i], buyers w[:, j]
        d, a, b = _split_margins(w[:, [i]], w, home[i])                       # each K x n (over j)
        inner[:, i, :, :] = a[:, None, :] * (b * Zx[i])[None, :, :]
        inner[np.arange(K), i, np.arange(K), :] += d * Zx[i]
    Z[m:, m:] = inner.reshape(K * n, K * n)
    del inner

    Y = np.empty((N, f + K * 6))
    Y[:m, :f] = Ys[:m, :f]
    Y[m:, :f] = (w[:, :, None] * Ys[None, m:, :f]).reshape(K * n, f)
    Y[:m, f:] = (Ys[:m, None, f:] * v[None, :, None]).reshape(m, K * 6)
    Yx = Ys[m:, f:]                                                            # n x 6
    inner = np.empty((K, n, K, 6))
    for i in range(n):
        d, a, b = _split_margins(w[:, i], v, home[i])                          # each K
        inner[:, i, :, :] = a[:, None, None] * (b[:, None] * Yx[i])[None, :, :]
        inner[np.arange(K), i, np.arange(K), :] += d[:, None] * Yx[i]
    Y[m:, f:] = inner.reshape(K * n, K * 6)

    va = np.concatenate([world.va[:m], (w * va_x).reshape(K * n)])
    c = w * np.exp(g_static.normal(0.0, P.ROW_CO2_INTENSITY_LOG_SD, (K, n)))
    c /= c.sum(axis=0, keepdims=True)
    co2 = np.concatenate([world.co2[:m], (c * world.co2[m:]).reshape(K * n)])
    hh = v * np.exp(g_static.normal(0.0, P.ROW_CO2_INTENSITY_LOG_SD, K))
    co2_households = np.concatenate([world.co2_households[:-1], world.co2_households[-1] * hh / hh.sum()])
    return WorldYear(year=world.year, regions=list(full.regions), Z=Z, Y=Y, va=va, co2=co2,
                     co2_households=co2_households, layout=full)
