"""The demo takes its ASEAN members and manufacturing sectors from the seeds, and refuses a
calibration that does not cover exactly those."""

from __future__ import annotations

import pytest

from greentrade import reference
from greentrade.demo import params as P
from greentrade.demo import world as W


def test_groups_are_the_seeds():
    seeds = reference.seed("partner_groups")
    assert W.ASEAN == tuple(seeds.loc[seeds["partner_group"] == "asean", "country_code"])
    sectors = reference.seed("eora26_sectors")
    assert W.MFG == tuple(sectors.loc[sectors["is_manufacturing"] == "true", "eora_sector_code"])
    small = W.layout("small")
    assert small.asean == W.ASEAN and small.manufacturing == W.MFG
    assert set(small.partners) | set(small.asean) | {W.REST_OF_WORLD} == set(small.countries)


def test_a_manufacturing_sector_without_calibration_is_named(monkeypatch):
    monkeypatch.setattr(P, "MFG_MIX", {k: v for k, v in P.MFG_MIX.items() if k != "REC"})
    with pytest.raises(ValueError, match=r"MFG_MIX must weight exactly .* missing \['REC'\]"):
        W.Layout("small")


def test_an_asean_member_without_calibration_is_named(monkeypatch):
    monkeypatch.setattr(W, "ASEAN", (*W.ASEAN, "NZL"))
    with pytest.raises(ValueError, match=r"asean members \['NZL'\] of seeds/partner_groups.csv have no calibration"):
        W.Layout("small")
