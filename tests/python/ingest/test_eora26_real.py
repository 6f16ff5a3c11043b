"""Eora26 labels checked against Eora's own documentation (../shared/data/real/eora26_labels).

The real country list (189 countries in Eora order, with Eora's non-ISO codes SUD, SDS, USR,
ANT) and the structure workbook's 26 sectors and 6 final-demand / 6 value-added categories
are written into full-size label files in the published layout; the reader must give back
exactly Eora's lists, and the synthetic worlds of test_eora26 must use the same names.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greentrade.ingest import eora26
from greentrade.ingest.eora26_labels import read_labels

from .test_eora26 import FD_CATEGORIES, SECTORS, VA_ITEMS, label_lines, write_eora_year

pytestmark = pytest.mark.real_data

REAL = Path(__file__).resolve().parents[3].parent / "shared/data/real/eora26_labels"


@pytest.fixture(scope="module")
def real() -> dict:
    if not REAL.is_dir():
        pytest.skip(f"real Eora26 label files absent: {REAL} (the shared data folder sits beside the repository)")
    countries = pd.read_csv(REAL / "Eora26_countries.csv", header=None, names=["name", "code"], dtype=str,
                            encoding="utf-8-sig", keep_default_na=False)
    sheet = pd.read_excel(REAL / "Eora26Structure-1.xlsx", sheet_name="Sector classifications", header=None,
                          engine="calamine")

    def block(title: str, label_col: int) -> list[str]:
        start = sheet.index[sheet[1].astype(str).str.startswith(title)][0] + 1
        items = []
        for value in sheet.loc[start:, label_col]:
            if pd.isna(value):
                break
            items.append(str(value).strip())
        return items

    sector_start = sheet.index[sheet[4].astype(str).str.startswith("Sector classificaton in Eora26")][0] + 1
    sectors = [str(v).strip() for v in sheet.loc[sector_start:, 5].dropna()]
    return {"countries": list(countries.itertuples(index=False, name=None)), "sectors": sectors,
            "fd": block("Eora Final Demand classification", 2), "va": block("Eora Primary Inputs classification", 2)}


def test_the_documentation_lists_are_what_eora_publishes(real):
    codes = [code for _, code in real["countries"]]
    assert len(codes) == 189 and len(set(codes)) == 189
    assert {"SUD", "SDS", "USR", "ANT"} <= set(codes)
    assert len(real["sectors"]) == 26 and len(real["fd"]) == 6 and len(real["va"]) == 6
    industries = pd.read_csv(REAL / "Eora_industries.csv", header=None, encoding="utf-8-sig")[0].str.strip()
    assert industries.tolist() == real["sectors"]


def test_synthetic_worlds_use_eora_spellings(real):
    # Eora's own typos ('Restraurants', 'Finacial') are kept: labels are matched verbatim
    assert SECTORS == real["sectors"]
    assert FD_CATEGORIES == real["fd"]
    assert VA_ITEMS == real["va"]


def test_full_size_real_labels_read_back_exactly(real, tmp_path):
    lines = label_lines(real["countries"], sectors=real["sectors"], fd=real["fd"], va=real["va"])
    for kind, body in lines.items():
        (tmp_path / f"labels_{kind}.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
    labels = read_labels(tmp_path)
    assert {k: len(v) for k, v in labels.items()} == {"T": 4915, "FD": 1140, "VA": 6, "Q": 3}
    t = labels["T"]
    assert t["country_code"].iloc[:-1].unique().tolist() == [code for _, code in real["countries"]]
    assert t.iloc[-1].tolist() == ["ROW", "ROW", "TOTAL", "TOTAL"]
    sudan = t[t["country_code"] == "SUD"]
    assert sudan["country_name"].unique().tolist() == ["Sudan"] and sudan["item"].tolist() == real["sectors"]
    assert labels["FD"]["item"].iloc[-6:].tolist() == real["fd"]
    assert labels["VA"]["item"].tolist() == real["va"]


def test_a_world_of_real_countries_loads_with_eora_codes(real, tmp_path):
    countries = [c for c in real["countries"] if c[1] in ("SUD", "SDS", "USR", "ANT")]
    world = write_eora_year(tmp_path, countries=countries)
    result = eora26.read_year(world.folder)
    rows = result.labels[(result.labels["matrix"] == "T") & (result.labels["axis"] == "row")]
    assert rows["country_code"].unique().tolist() == ["ANT", "SDS", "SUD", "USR", "ROW"]
    assert result.cells.num_rows == sum(int(np.count_nonzero(a)) for a in world.arrays.values())


OTHER_RELEASE = REAL.parent / "eora26_labels_other_release"


def test_the_other_release_labels_read_and_give_each_co2_satellite_on_its_documented_lines():
    if not OTHER_RELEASE.is_dir():
        pytest.skip(f"real label files of the 2619-row release absent: {OTHER_RELEASE}")
    from greentrade.ingest.eora26_labels import CO2_SATELLITES, co2_rows

    labels = read_labels(OTHER_RELEASE)
    assert {k: len(v) for k, v in labels.items()} == {"T": 4915, "FD": 1140, "VA": 6, "Q": 2619}
    q = labels["Q"]
    lines = {key: (co2_rows(q, key) + 1).tolist() for key in CO2_SATELLITES}
    # ../shared/data/real/README.md: EDGAR's total on line 2608, IEA fuel combustion on 2613
    assert lines["edgar_total"] == [2608] and lines["iea_fuel_combustion"] == [2613]
    assert lines["primap_co2"] == [2536]
    assert lines["edgar_ipcc"] == [n for n in range(10, 65) if n not in (21, 22)]  # 55 rows less the two memo items
    assert q["country_name"].iloc[[20, 21]].tolist() == ["Memo: International aviation", "Memo: International navigation"]
