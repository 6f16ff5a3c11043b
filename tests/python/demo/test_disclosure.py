"""The demo says what it builds in: the robot effect on exports and its elasticity, in the
README the generator writes (rewritten alone when only its text changed)."""

import importlib
import json

from greentrade.demo import params as P
from greentrade.demo.disclosure import built_in_effects

G = importlib.import_module("greentrade.demo.generate")  # the module (the package exports the function)


def test_built_in_effect_names_the_elasticities():
    text = built_in_effects()
    assert "positive effect of robots on exports" in text
    assert f"** {P.ROBOT_EXPORT_ELASTICITY:g}" in text and "ROBOT_EXPORT_ELASTICITY" in text
    assert "not a finding" in text
    assert "## Built into the synthetic world" in G._readme([2010, 2019]) and text in G._readme([2010, 2019])


def test_cached_demo_gets_the_current_readme_without_regenerating(tmp_path):
    """A cache whose data are current but whose README is older: only the README (and its
    sha256 in the manifest) is rewritten."""
    years = [2010]
    data = tmp_path / "ifr" / "IFR.csv"
    data.parent.mkdir()
    data.write_text("x\n", encoding="utf-8")
    (tmp_path / G.README).write_text("# SYNTHETIC DATA (old text)\n", encoding="utf-8")
    header = {"generator": "greentrade.demo", "generator_version": P.GENERATOR_VERSION, "seed": P.SEED,
              "params_sha256": G.params_fingerprint(), "seeds_sha256": G.seeds_fingerprint(), "scale": "small",
              "years": years, "eora26_years": years}
    files = {"ifr/IFR.csv": G._sha256(data), G.README: G._sha256(tmp_path / G.README)}
    (tmp_path / G.MANIFEST).write_text(json.dumps({**header, "files": files}), encoding="utf-8")
    out = G.generate(tmp_path, years=years)
    assert out["cached"]
    assert (tmp_path / G.README).read_text(encoding="utf-8") == G._readme(years)
    manifest = json.loads((tmp_path / G.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["files"][G.README] == G._sha256(tmp_path / G.README)
    assert manifest["files"]["ifr/IFR.csv"] == files["ifr/IFR.csv"] and data.read_text() == "x\n"


def test_seed_fingerprint_ignores_notes_but_not_weights(monkeypatch, tmp_path):
    from greentrade import reference
    base = G.seeds_fingerprint()
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in G.GENERATOR_SEEDS:
        frame = reference.seed(name)
        if "note" in frame:
            frame = frame.assign(note="changed")
        frame.to_csv(seeds / f"{name}.csv", index=False)
    monkeypatch.setenv("GREENTRADE_SEEDS_DIR", str(seeds))
    reference.seed.cache_clear()
    try:
        assert G.seeds_fingerprint() == base
        conc = reference.seed("concordance_ceads_io_to_eora26")
        conc.loc[0, "weight"] = "0.8"
        conc.to_csv(seeds / "concordance_ceads_io_to_eora26.csv", index=False)
        reference.seed.cache_clear()
        assert G.seeds_fingerprint() != base
    finally:
        reference.seed.cache_clear()
