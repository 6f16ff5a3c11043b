from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from .builders import write_config, write_source_root

# ../shared/data/real relative to the repository root
REAL_DATA = Path(__file__).resolve().parents[3].parent / "shared/data/real"


@pytest.fixture(scope="session")
def source_root(tmp_path_factory) -> Path:
    return write_source_root(tmp_path_factory.mktemp("sources"))


@pytest.fixture
def config(tmp_path, source_root):
    from greentrade.ingest.config import load_config

    return load_config(write_config(tmp_path / "greentrade.toml", source_root, tmp_path / "work.duckdb"), env={})


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "test.duckdb"))
    yield connection
    connection.close()


@pytest.fixture
def real_data() -> Path:
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data folder {REAL_DATA} is absent (it sits beside the repository, see README)")
    return REAL_DATA


def raw_checksums(con) -> dict[str, tuple]:
    """Row count and an order-independent hash of every row of every raw table."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' ORDER BY 1").fetchall()]
    return {t: con.execute(f"SELECT count(*), sum(hash(t)::HUGEINT) FROM raw.{t} AS t").fetchall()[0] for t in tables}
