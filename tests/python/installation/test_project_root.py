"""The project folder comes from the working directory (or GREENTRADE_PROJECT_DIR), never
from where the package lies."""

from __future__ import annotations

from pathlib import Path

import pytest

from greentrade import reference
from greentrade.ingest.config import load_config

PROJECT = Path(__file__).resolve().parents[3]


def test_the_project_is_found_from_the_working_directory_upwards(tmp_path, monkeypatch):
    monkeypatch.delenv(reference.PROJECT_ENV, raising=False)
    monkeypatch.delenv("GREENTRADE_CONFIG", raising=False)
    monkeypatch.chdir(PROJECT / "models" / "marts")
    assert reference.project_root() == PROJECT
    assert load_config().file == PROJECT / "greentrade.toml"
    # another project: a folder with only a greentrade.toml
    other = tmp_path / "study"
    (other / "sub").mkdir(parents=True)
    (other / "greentrade.toml").write_text('[warehouse]\npath = "w/work.duckdb"\n', encoding="utf-8")
    monkeypatch.chdir(other / "sub")
    assert reference.project_root() == other
    assert load_config(env={}).warehouse == other / "w" / "work.duckdb"


def test_the_environment_names_a_project_elsewhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(reference.PROJECT_ENV, str(PROJECT))
    assert reference.project_root() == PROJECT
    assert reference.seeds_dir() == PROJECT / "seeds"
    monkeypatch.setenv(reference.PROJECT_ENV, str(tmp_path))
    with pytest.raises(reference.ProjectNotFoundError, match=f"GREENTRADE_PROJECT_DIR={tmp_path}: no greentrade.toml"):
        reference.project_root()


def test_no_project_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv(reference.PROJECT_ENV, raising=False)
    monkeypatch.delenv("GREENTRADE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert reference.find_project() is None
    with pytest.raises(reference.ProjectNotFoundError, match=f"no greentrade project in {tmp_path} or any folder"):
        load_config()
