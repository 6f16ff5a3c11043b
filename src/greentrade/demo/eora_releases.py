"""The satellite block (labels_Q, Q, QY) of the Eora26 releases the demo writes.

Eora26 releases differ in their satellite block: one has 2720 rows in labels_Q, another
2619 (docs/sources.md). The demo writes both, so the pipeline is exercised on each:

- ``"2619"``: the layout of the release whose label files are in
  ``../shared/data/real/eora26_labels_other_release/``: its CO2 rows (EDGAR's total, the 55
  'I-GHG-CO2 emissions (Gg)' rows by IPCC category with the two memo items, the biogenic
  'I-GHG-CO2b' rows, the deprecated CO2 rows, PRIMAP-hist, CDIAC, EDGAR's itemised rows and
  the IEA block) carry their real labels on their real lines, and every other block its
  real name and length; long non-CO2 item lists (crops, raw materials, land, water) are
  numbered placeholders ('item 001', ...), not Eora's names;
- ``"2720"``: a synthetic stand-in for the 2720-row release (no public copy of its label
  file could be had): the same satellites in another order, the CO2 blocks first, and a
  101-row placeholder block, so every CO2 row sits on another line than in ``"2619"``.

Both carry the four CO2 readings of the research setting ``co2_satellite``
(:data:`greentrade.ingest.eora26_labels.CO2_SATELLITES`) with plausible, mutually
consistent values (:func:`satellite_matrices`); the size of the world (countries x sectors)
is whatever the caller's vectors have, so the same code writes a full-size year.
"""

from __future__ import annotations

import numpy as np

from greentrade.demo import params as P

RELEASES = ("2720", "2619")

ENERGY = ["Natural Gas", "Coal", "Petroleum", "Nuclear Electricity", "Hydroelectric Electricity",
          "Geothermal Electricity", "Wind Electricity", "Solar, Tide and Wave Electricity",
          "Biomass and Waste Electricity"]
# EDGAR's source categories (IPCC 1996) of the 'I-GHG-*' and 'I-AIR-*' blocks, in Eora's order
IPCC_CATEGORIES = [
    "Public electricity and heat production", "Other Energy Industries", "Manufacturing Industries and Construction",
    "Domestic aviation", "Road transportation", "Rail transportation", "Inland navigation", "Other transportation",
    "Residential and other sectors", "Fugitive emissions from solid fuels", "Fugitive emissions from oil and gas",
    "Memo: International aviation", "Memo: International navigation", "Production of minerals", "Cement production",
    "Lime production", "Production of chemicals", "Production of metals", "Production of pulp/paper/food/drink",
    "Production of halocarbons and SF6", "Refrigeration and Air Conditioning", "Foam Blowing", "Fire Extinguishers",
    "Aerosols", "F-gas as Solvent", "Semiconductor/Electronics Manufacture", "Electrical Equipment", "Other F-gas use",
    "Non-energy use of lubricants/waxes (CO2)", "Solvent and other product use: paint",
    "Solvent and other product use: degrease", "Solvent and other product use: chemicals",
    "Solvent and other product use: other", "Enteric fermentation", "Manure management", "Rice cultivation",
    "Direct soil emissions", "Manure in pasture/range/paddock", "Indirect N2O from agriculture",
    "Other direct soil emissions", "Savanna burning", "Agricultural waste burning", "Forest fires", "Grassland fires",
    "Decay of wetlands/peatlands", "Other vegetation fires", "Forest Fires-Post burn decay",
    "Solid waste disposal on land", "Wastewater handling", "Waste incineration", "Other waste handling",
    "Fossil fuel fires", "Indirect N2O from non-agricultural NOx", "Indirect N2O from non-agricultural NH3",
    "Other sources",
]
MEMO_ITEMS = ("Memo: International aviation", "Memo: International navigation")
I_GHG = ["CO2", "CO2b", "CH4", "N2O", "HFC125", "HFC134a", "HFC143a", "HFC152a", "HFC227ea", "HFC23", "HFC236fa",
         "HFC245fa", "HFC32", "HFC365mfc", "HFC4310mee", "C2F6", "C3F8", "C4F10", "C5F12", "C6F14", "C7F16", "CF4",
         "cC4F8", "SF6", "NF3"]
I_AIR = ["CO", "NOx", "NMVOC", "NH3", "SO2", "PM10", "HCFC141b", "HCFC142b"]
_PRIMAP_SECTORS = {
    "full": ["IPC1", "IPC1A", "IPC1B", "IPC1B1", "IPC1B2", "IPC1B3", "IPC2", "IPC2B", "IPC2C", "IPC2D", "IPC2G",
             "IPC2H", "IPC3A", "IPC4", "IPC5", "TOTALexcludingLULUCF", "IPCMAG", "IPCMAGELV"],
    "co2": ["IPC1", "IPC1A", "IPC1B", "IPC1B1", "IPC1B2", "IPC1B3", "IPC2", "IPC2A", "IPC2B", "IPC2C", "IPC2D",
            "IPC2G", "IPC2H", "IPC4", "IPC5", "TOTALexcludingLULUCF", "IPCMAG", "IPCMAGELV"],
    "kyoto": ["IPC1", "IPC1A", "IPC1B", "IPC1B1", "IPC1B2", "IPC1B3", "IPC2", "IPC3A", "IPC4", "IPC5",
              "TOTALexcludingLULUCF", "IPCMAG", "IPCMAGELV"],
    "fgas": ["IPC2", "TOTALexcludingLULUCF"],
}
_PRIMAP_GASES = [("CH4", "full", "Gg"), ("CO2", "co2", "Gg"), ("FGASES", "fgas", "GgCO2eq"),
                 ("FGASESAR4", "fgas", "GgCO2eq"), ("HFCS", "fgas", "GgCO2eq"), ("HFCSAR4", "fgas", "GgCO2eq"),
                 ("KYOTOGHG", "kyoto", "GgCO2eq"), ("KYOTOGHGAR4", "kyoto", "GgCO2eq"), ("N2O", "full", "Gg"),
                 ("NF3", "fgas", "Gg"), ("PFCS", "fgas", "GgCO2eq"), ("PFCSAR4", "fgas", "GgCO2eq"),
                 ("SF6", "fgas", "Gg")]
PRIMAP_NAME = "GHG emissions (Gg) from PRIMAPHIST"
EDGAR_TOTAL = ("Total CO2 emissions (Gg) from EDGAR", "Total")
IEA_NAME = "IEA GHG emissions (Gg) and energy use"
IEA_ITEMS = ["CO2 emissions from international aviation bunkers", "CO2 emissions from fuel combustion - Coal",
             "CO2 emissions from fuel combustion - Gas", "CO2 emissions from fuel combustion - Oil",
             "CO2 emissions from fuel combustion", "CO2 emissions from international marine bunkers",
             "GDP using purchasing power parities", "GDP using exchange rates", "Population",
             "Total primary energy supply (Mtoe)", "Total primary energy supply (PJ)"]
EDGAR_ITEMISED = ["Buildings", "Other industrial combustion", "Other sectors", "Power Industry", "Transport"]
_DEPRECATED_CO2 = ["Fossil Fuel Combusion (Gg)", "Minerals", "Solvents", "Ag Burning", "Decay", "Waste", "Fires, Etc"]


def _total(*names: str) -> list[tuple[str, str]]:
    return [(name, "Total") for name in names]


def _items(name: str, n: int) -> list[tuple[str, str]]:
    return [(name, f"item {k:03d}") for k in range(1, n + 1)]


def _blocks() -> dict[str, list[tuple[str, str]]]:
    """Every satellite block, keyed by a short name, as (name, source) rows."""
    edgar_gas = {gas: [(f"I-GHG-{gas} emissions (Gg)", c) for c in IPCC_CATEGORIES] for gas in I_GHG}
    air = [(f"I-AIR-{gas} emissions (Gg)", c) for gas in I_AIR for c in IPCC_CATEGORIES]
    deprecated = [(f"DEPRECATED CO2 Emissions from {what}, {mode} Biomass Burning", "Total")
                  for mode in ("excluding", "including") for what in _DEPRECATED_CO2]
    deprecated += _total("DEPRECATED Total emissions of CO2-e (Gg)", "DEPRECATED Total emissions of CO2-e (Gg), excluding LULUCF",
                         "DEPRECATED Total emissions of CO2-e (Gg), excluding LULUCF and biomass burning",
                         "DEPRECATED Total emissions of CO2 (Gg), excluding LULUCF")
    primap = [(PRIMAP_NAME, f"PRIMAP|{gas}|{sector}|{unit}") for gas, kind, unit in _PRIMAP_GASES
              for sector in _PRIMAP_SECTORS[kind]]
    other = (_total(*(f"EF{k} emissions (Gg)" for k in ("BUILT", "CROPLAND", "FISH", "FOREST", "GRAZING")))
             + _items("WF emissions (Gg) -Deprecated", 5) + [("Employment emissions (Gg)", "Male"),
                                                             ("Employment emissions (Gg)", "Female")])
    accounts = (_total(*(f"Value added{k} (000 USD)" for k in (", Total", ", from wages", ", from taxes",
                                                               ", from subsidies", " from NOS", " from NMI",
                                                               " from depreciation")))
                + _total(" DEPRECATED - Total energy use (TJ)", "Dummy stressor, all 1s")
                + _items("Raw material inputs, itemized (t)", 36)
                + _total(*(f"Raw material inputs, total {k} (t)" for k in ("biomass", "ores", "construction material",
                                                                           "fossil fuel")))
                + _items("Crop production, production by crop (t)", 172)
                + _items("Crop production, area per crop (ha)", 172)
                + _items("Crop production, average yield per crop (hg/ha)", 172)
                + _total("Total cropland area (ha)") + _items("Total pasture area, per animal (ha)", 6)
                + _total(*(f"{k} emissions (kg)" for k in ("NFertilizer", "PFertilizer", "NManure", "PManure")))
                + _total("N emissions from fertilizer and manure (kg)", "P emissions from fertilizer and manure (kg)")
                + _items("Crop and pasture land, from FAO (1000 ha)", 33) + _items("Nitrogen emissions, itemzed (Gg)", 5)
                + _items("DEPRECATED Water use (m3)", 10) + _items("WFN: Water footprint (Mm3/yr)", 18))
    co2_totals = _total("Total emissions of Kyoto GHGs excluding LULUCF CO2-e (Gg)",
                        "Total emissions of CO2 excluding LULUCF (Gg)",
                        "CO2 emissions (Gg) CDIACGgCO2FFuelCement from CDIAC",
                        "CO2 emissions (Gg) CDIACGgCO2Bunkers from CDIAC")
    return {
        "energy": [("Energy Usage (TJ)", e) for e in ENERGY],
        "i_ghg": [row for gas in I_GHG for row in edgar_gas[gas]],
        "hanpp": [("I-HANPP emissions (Gg)", s) for s in ("Harvested primary crops", "Harvested crop residues",
                                                          "Grazed biomass", "Wood removals (fao)")],
        "i_air": air, "other": other, "deprecated_co2": deprecated, "accounts": accounts, "primap": primap,
        "co2_totals": co2_totals,
        "edgar": [("Itemized CO2 emissions (Gg) from EDGAR", f"EDGAR|{k}|GgFossilCO2") for k in EDGAR_ITEMISED]
        + [EDGAR_TOTAL],
        "iea": [(IEA_NAME, f"IEA - DEPRECATED - {item}") for item in IEA_ITEMS],
        "placeholder": _items("Demo placeholder satellite (synthetic)", 101),
    }


ORDER = {
    "2619": ["energy", "i_ghg", "hanpp", "i_air", "other", "deprecated_co2", "accounts", "primap", "co2_totals",
             "edgar", "iea"],
    "2720": ["energy", "edgar", "iea", "co2_totals", "primap", "placeholder", "i_ghg", "hanpp", "i_air", "other",
             "deprecated_co2", "accounts"],
}


def q_labels(release: str) -> list[tuple[str, str]]:
    """labels_Q of ``release`` ('2720' or '2619') as (name, source) rows in file order."""
    if release not in ORDER:
        raise ValueError(f"Eora26 release: expected one of {', '.join(sorted(ORDER))}, found {release!r}")
    blocks = _blocks()
    return [row for key in ORDER[release] for row in blocks[key]]


# --- values ----------------------------------------------------------------------------------

def _row(labels: list[tuple[str, str]], name: str, source: str) -> int:
    return labels.index((name, source))


def satellite_matrices(labels: list[tuple[str, str]], sectors: list[str], co2: np.ndarray, x: np.ndarray,
                       co2_households: np.ndarray, n_fd_columns: int, g: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Q (satellites x country-sectors) and QY (satellites x final-demand columns) of one year.

    ``co2`` is EDGAR's total CO2 of every country-sector (Gg), ``x`` its output (thousand
    USD), both in T's column order; ``sectors`` the Eora26 sector code of each column;
    ``co2_households`` the households' own CO2 per country (Gg, booked in its first
    final-demand column, household consumption). The ROW column (T's last) stays zero.
    The four CO2 readings differ as the real ones do: EDGAR by IPCC category sums to within
    a percent of EDGAR's total (the memo items, international bunkers, come on top);
    IEA's fuel combustion leaves out process emissions (most in cement and chemicals, metals
    and mining); PRIMAP-hist is within a few percent of EDGAR. Other satellites are zero,
    except energy use and a few totals.
    """
    n = len(co2)
    sectors = np.asarray(sectors)
    Q = np.zeros((len(labels), n + 1))
    QY = np.zeros((len(labels), n_fd_columns))
    hh_cols = np.arange(len(co2_households)) * 6

    def put(name, source, values, households=None):
        k = _row(labels, name, source)
        Q[k, :n] = values
        if households is not None:
            QY[k, hh_cols] = households

    put(*EDGAR_TOTAL, co2, co2_households)
    # EDGAR by IPCC category: where each sector's CO2 is booked
    kind = np.select([sectors == "EGW", np.isin(sectors, ["MIN", "PCM"]), sectors == "TRA",
                      np.isin(sectors, ["AGR", "FIS"])], ["power", "process", "transport", "farm"], "industry")
    weights = {
        "power": {"Public electricity and heat production": 0.97, "Other Energy Industries": 0.03},
        "process": {"Manufacturing Industries and Construction": 0.55, "Cement production": 0.25,
                    "Production of chemicals": 0.08, "Fugitive emissions from oil and gas": 0.07,
                    "Other Energy Industries": 0.05},
        "transport": {"Road transportation": 0.80, "Domestic aviation": 0.08, "Rail transportation": 0.04,
                      "Inland navigation": 0.05, "Other transportation": 0.03},
        "farm": {"Residential and other sectors": 0.85, "Agricultural waste burning": 0.15},
        "industry": {"Manufacturing Industries and Construction": 0.86, "Production of metals": 0.08,
                     "Non-energy use of lubricants/waxes (CO2)": 0.03, "Production of pulp/paper/food/drink": 0.03},
    }
    ipcc_total = co2 * (1.0 + g.normal(0.0, P.CO2_SATELLITE_SPREAD["edgar_ipcc"], n))
    for category in IPCC_CATEGORIES:
        if category in MEMO_ITEMS:
            continue
        share = np.array([weights[k].get(category, 0.0) for k in kind])
        if share.any():
            hh = co2_households * {"Residential and other sectors": 0.75, "Road transportation": 0.25}.get(category, 0.0)
            put("I-GHG-CO2 emissions (Gg)", category, ipcc_total * share, hh)
    bunkers = np.where(kind == "transport", co2 * 0.12, 0.0)    # international bunkers: memo items only
    put("I-GHG-CO2 emissions (Gg)", "Memo: International aviation", bunkers * 0.6)
    put("I-GHG-CO2 emissions (Gg)", "Memo: International navigation", bunkers * 0.4)
    put("I-GHG-CO2b emissions (Gg)", "Residential and other sectors", np.where(kind == "farm", co2 * 0.3, 0.0))
    # IEA: fuel combustion only (process emissions left out), split by fuel
    combustion = np.select([sectors == "PCM", sectors == "MIN", sectors == "MET"], [0.72, 0.88, 0.93], 0.98)
    iea = co2 * combustion * (1.0 + g.normal(0.0, P.CO2_SATELLITE_SPREAD["iea_fuel_combustion"], n))
    put(IEA_NAME, "IEA - DEPRECATED - CO2 emissions from fuel combustion", iea, co2_households * 0.97)
    fuels = {"Coal": np.where(kind == "power", 0.80, 0.55), "Gas": np.full(n, 0.12)}
    fuels["Oil"] = 1.0 - fuels["Coal"] - fuels["Gas"]
    for fuel, share in fuels.items():
        put(IEA_NAME, f"IEA - DEPRECATED - CO2 emissions from fuel combustion - {fuel}", iea * share)
    put(IEA_NAME, "IEA - DEPRECATED - CO2 emissions from international aviation bunkers", bunkers * 0.6)
    put(IEA_NAME, "IEA - DEPRECATED - CO2 emissions from international marine bunkers", bunkers * 0.4)
    # PRIMAP-hist: its own estimate of the total, energy (IPC1) and industrial processes (IPC2)
    primap = co2 * (1.0 + g.normal(0.0, P.CO2_SATELLITE_SPREAD["primap_co2"], n))
    put(PRIMAP_NAME, "PRIMAP|CO2|TOTALexcludingLULUCF|Gg", primap, co2_households)
    put(PRIMAP_NAME, "PRIMAP|CO2|IPC1|Gg", primap * combustion)
    put(PRIMAP_NAME, "PRIMAP|CO2|IPC2|Gg", primap * (1.0 - combustion))
    put("Total emissions of CO2 excluding LULUCF (Gg)", "Total", primap, co2_households)
    put("CO2 emissions (Gg) CDIACGgCO2FFuelCement from CDIAC", "Total", co2 * 0.98)
    # energy use (TJ) by fuel family, as before
    energy_per_gg = {"Coal": 9.5, "Petroleum": 13.5, "Natural Gas": 17.8}
    family_share = {"Coal": 0.62, "Petroleum": 0.28, "Natural Gas": 0.10}
    for fuel, tj_per_gg in energy_per_gg.items():
        put("Energy Usage (TJ)", fuel, co2 * family_share[fuel] * tj_per_gg * np.exp(g.normal(0, 0.1, n)))
    return Q, QY
