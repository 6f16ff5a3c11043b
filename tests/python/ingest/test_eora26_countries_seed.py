"""seeds/eora26_countries.csv, Eora26's 189 countries in Eora's order (written from Eora's
documentation), against the real country list and the real labels_T of ../shared/data/real
(skipped where absent; the real files are never copied into the repository)."""

from __future__ import annotations

import pandas as pd
import pytest

from greentrade import reference
from greentrade.demo import params as P
from greentrade.ingest.eora26_labels import read_label_file

from .conftest import REAL_DATA

COUNTRY_LIST = REAL_DATA / "eora26_labels" / "Eora26_countries.csv"
LABELS_T = REAL_DATA / "eora26_labels_other_release" / "labels_T.txt"


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return reference.eora26_countries()


def test_seed_lists_189_countries_once_in_order_with_eoras_own_codes(seed):
    assert len(seed) == 189 and seed["eora_order"].tolist() == list(range(1, 190))
    assert seed["country_code"].is_unique and seed["country_name"].is_unique
    assert seed["country_code"].str.fullmatch(r"[A-Z]{3}").all()
    codes = dict(zip(seed["country_code"], seed["country_name"]))
    # Eora's four codes that are not ISO 3166-1 alpha-3
    assert {codes[c] for c in ("SUD", "SDS", "USR", "ANT")} == {"Sudan", "South Sudan", "Former USSR",
                                                               "Netherlands Antilles"}
    assert "ROW" not in codes  # the discrepancy entry is no country
    # every country the demo calibrates and every partner-group member is an Eora26 country,
    # under the name the Eora26 files give it
    for code, values in P.COUNTRIES.items():
        if code != "XRW":
            assert codes[code] == values[0]
    assert set(reference.seed("partner_groups")["country_code"]) <= set(codes)


def test_seed_equals_the_real_eora26_country_list(seed):
    if not COUNTRY_LIST.is_file():
        pytest.skip(f"real Eora26 country list {COUNTRY_LIST} is absent (it sits beside the repository)")
    real = pd.read_csv(COUNTRY_LIST, header=None, names=["country_name", "country_code"], dtype=str,
                       keep_default_na=False, encoding="utf-8-sig")
    mismatches = [(k + 1, mine, theirs) for k, (mine, theirs) in enumerate(zip(
        seed[["country_name", "country_code"]].itertuples(index=False, name=None),
        real.itertuples(index=False, name=None))) if mine != theirs]
    assert len(real) == len(seed) and not mismatches, mismatches[:5]


def test_seed_equals_the_countries_of_a_real_labels_t(seed):
    if not LABELS_T.is_file():
        pytest.skip(f"real Eora26 labels {LABELS_T} are absent (they sit beside the repository)")
    labels = read_label_file(LABELS_T, "T").iloc[:-1]  # the last row is the ROW entry
    blocks = labels[["country_name", "country_code"]].drop_duplicates()
    assert len(labels) == 26 * len(seed)
    assert blocks["country_code"].tolist() == seed["country_code"].tolist()
    assert blocks["country_name"].tolist() == seed["country_name"].tolist()
