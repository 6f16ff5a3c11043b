"""seeds/concordance_ceads_io_to_eora26.csv after the review against the CEADs/NBS 42-sector
list and Eora26's sectors: post (in CEADs 30) goes to Post and Telecommunications, every split
and every non-obvious choice carries a note."""

import pandas as pd

from greentrade import reference


def test_post_is_post_and_telecommunications_not_transport():
    conc = reference.concordance("concordance_ceads_io_to_eora26")
    sector30 = conc[conc["ceads_io_sector_code"] == "30"].set_index("eora_sector_code")["weight"]
    assert set(sector30.index) == {"TRA", "PTE"} and sector30.sum() == 1.0
    assert 0 < sector30["PTE"] < sector30["TRA"]
    assert "Post and Telecommunications" in conc.loc[(conc["ceads_io_sector_code"] == "30")
                                                     & (conc["eora_sector_code"] == "TRA"), "note"].item()


def test_every_split_and_cross_sector_choice_is_explained():
    conc = reference.seed("concordance_ceads_io_to_eora26")
    assert list(conc.columns) == ["ceads_io_sector_code", "eora_sector_code", "weight", "note"]
    split = conc.groupby("ceads_io_sector_code")["eora_sector_code"].transform("size") > 1
    assert (conc.loc[split, "note"].str.len() > 0).all()
    # parts that ISIC puts elsewhere but stay whole say so (furniture, software, social organisations)
    notes = conc.set_index("ceads_io_sector_code")["note"]
    for code, word in [("09", "furniture"), ("32", "software"), ("42", "social organisations")]:
        assert word in notes[code]
    sums = conc.assign(weight=conc["weight"].astype(float)).groupby("ceads_io_sector_code")["weight"].sum()
    assert ((sums - 1).abs() < 1e-12).all() and len(sums) == 42
    assert not conc["eora_sector_code"].isin(pd.Series(["", None])).any()
