"""The package installed without ``-e`` works from the project folder (issue 14, item 7).

``pip install --no-deps --target`` builds and installs a copy of the package (the C tokenizer
compiled) into a temporary folder, away from the source tree; Python then runs with only
that copy of greentrade on its path and the working directory inside the project. Nothing
may derive the project from the module's location: the project (greentrade.toml, seeds/) is
found from the working directory upwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[3]

SCRIPT = r"""
import json, sys
import duckdb
import greentrade
from greentrade import reference
from greentrade.ingest import eora26, warehouse
from greentrade.ingest.config import load_config
from greentrade.lineage import code_version

config = load_config()
warehouse.load(sys.argv[1], "eua", path=sys.argv[2], config=config)
with duckdb.connect(sys.argv[1], read_only=True) as con:
    logged = con.execute("select distinct code_version from raw.load_log").fetchall()
print(json.dumps({"package": greentrade.__file__, "version": greentrade.__version__,
                  "project": str(reference.project_root()), "config": str(config.file),
                  "provinces": len(reference.provinces()), "logged": [r[0] for r in logged],
                  "code_version": code_version(), "tokenizer": eora26.parse._tokenizer is not None}))
"""

EUA = ("datetime,open,high,low,settle,change,wave,volume,prev_day_open_interest,efp_volume,efs_volume,"
       "block_volume,close\n"
       "2015-01-05,7.2,7.3,7.1,7.25,0.05,7.2,100,5000,,,,7.25\n"
       "2015-01-06,7.25,7.4,7.2,7.35,0.1,7.3,120,5010,,,,7.35\n")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A non-editable install of the package (built from a copy of pyproject.toml, README.md
    and src/) in a folder of its own."""
    tmp = tmp_path_factory.mktemp("installed")
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT / name, source / name)
    shutil.copytree(PROJECT / "src", source / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.egg-info"))
    site = tmp / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                           str(source)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return site


def _env(site: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENTRADE_")}
    env["PYTHONPATH"] = str(site)  # ahead of the venv's (editable) greentrade
    return env


def test_installed_package_finds_the_project_from_the_working_directory(installed, tmp_path):
    eua = tmp_path / "market_prices.csv"
    eua.write_text(EUA, encoding="utf-8")
    work = tmp_path / "w.duckdb"
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(work), str(eua)], cwd=PROJECT / "models",
                          env=_env(installed), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(got["package"]).is_relative_to(installed)  # the installed copy ran, not the source tree
    assert got["tokenizer"], "the C tokenizer was not built by the install"
    assert got["project"] == str(PROJECT)  # found from models/ upwards
    assert got["config"] == str(PROJECT / "greentrade.toml")
    assert got["provinces"] == 31  # seeds/provinces.csv of the project
    version = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert got["version"] == version
    assert got["logged"] == [got["code_version"]] and got["code_version"].startswith(version)


def test_installed_command_runs_and_names_a_missing_project(installed, tmp_path):
    command = installed / "bin" / "greentrade"
    done = subprocess.run([sys.executable, str(command), "--help"], cwd=PROJECT, env=_env(installed),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "greentrade" in done.stdout, done.stderr
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    done = subprocess.run([sys.executable, str(command), "ingest"], cwd=outside, env=_env(installed),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert f"no greentrade project in {outside}" in done.stderr and "GREENTRADE_PROJECT_DIR" in done.stderr
