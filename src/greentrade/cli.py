"""``greentrade``: one command for the whole job and for each step.

    greentrade run                 demo data (if no real source is configured), ingest, build, outputs
    greentrade demo                write the synthetic demo sources
    greentrade ingest [SOURCE [PATH]]   load sources into the working warehouse
    greentrade build               dbt build on the working warehouse, then publish it
    greentrade outputs             write the publication tables under outputs/

Exit codes: 0 success; 1 a step failed (dbt error, failed test); 2 usage or configuration
error; 3 a source file was rejected (bad input: the message names file and place).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tomllib
from pathlib import Path

from greentrade.reference import PROJECT_ROOT

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BAD_INPUT = 0, 1, 2, 3

PUBLISHED_NAME = "greentrade.duckdb"


def published_warehouse(config) -> Path:
    """The read-only snapshot users query: ``greentrade.duckdb`` beside the working warehouse."""
    return config.warehouse.parent / PUBLISHED_NAME


def outputs_dir() -> Path:
    return Path(os.environ.get("GREENTRADE_OUTPUTS", PROJECT_ROOT / "outputs"))


class StepFailed(RuntimeError):
    """A pipeline step failed; the message says which and why."""


def _config():
    from greentrade.ingest.config import load_config

    return load_config()


def settings() -> dict:
    """The research settings of greentrade.toml's [settings] table (dbt vars)."""
    path = Path(os.environ.get("GREENTRADE_CONFIG", PROJECT_ROOT / "greentrade.toml"))
    if not path.exists():
        return {}
    with open(path, "rb") as handle:
        return dict(tomllib.load(handle).get("settings", {}))


def _say(message: str) -> None:
    print(f"[greentrade] {message}", flush=True)


def cmd_demo(args) -> int:
    from greentrade.demo import generate

    root = Path(args.root) if args.root else PROJECT_ROOT / "data" / "demo"
    start = time.perf_counter()
    generate(root, force=args.force)
    _say(f"synthetic demo sources ready in {root} ({time.perf_counter() - start:.1f} s)")
    return EXIT_OK


def cmd_ingest(args) -> int:
    from greentrade.ingest import warehouse

    config = _config()
    keys = [args.source] if args.source else list(config.sources)
    for key in keys:
        path = Path(args.path) if args.path else None
        report = warehouse.load(config.warehouse, key, path=path, config=config)
        _say(str(report))
    return EXIT_OK


def run_dbt(arguments: list[str]) -> None:
    """Run dbt in a child process from the project folder; raise StepFailed when it fails.

    A child process (rather than dbtRunner in-process) releases the warehouse file when
    dbt ends, so this process can publish it and readers can open it.
    """
    import json
    import subprocess

    config = _config()
    config.warehouse.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GREENTRADE_WAREHOUSE": str(config.warehouse)}
    dbt_vars = settings()
    command = [str(Path(sys.executable).with_name("dbt")), *arguments,
               "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    completed = subprocess.run(command, cwd=PROJECT_ROOT, env=env)
    if completed.returncode != 0:
        raise StepFailed(f"dbt {' '.join(arguments)} failed (exit code {completed.returncode}); "
                         f"the published warehouse is unchanged")


def cmd_build(args) -> int:
    from greentrade.publish import publish

    run_dbt(["build", *(["--select", args.select] if args.select else [])])
    config = _config()
    published = publish(config.warehouse, published_warehouse(config))
    _say(f"published {published} (read-only snapshot for SQL users)")
    return EXIT_OK


def cmd_outputs(args) -> int:
    from greentrade.outputs import write_outputs

    written = write_outputs(published_warehouse(_config()), outputs_dir())
    for path in written:
        _say(f"wrote {path}")
    return EXIT_OK


def cmd_run(args) -> int:
    config = _config()
    demo_root = (PROJECT_ROOT / "data" / "demo").resolve()
    if any(Path(s.path).resolve().is_relative_to(demo_root) for s in config.sources.values()):
        cmd_demo(argparse.Namespace(root=None, force=False))
    for step in (cmd_ingest, cmd_build, cmd_outputs):
        step(argparse.Namespace(source=None, path=None, select=None))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="greentrade",
        description="Industrial robots and the green trade benefit of Chinese provinces: "
        "embedded MRIO accounts and the paper's panel regressions, from raw sources to tables.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Exit codes: 0 ok, 1 a step failed, 2 usage/configuration error, 3 a source file was rejected.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="the whole job: demo sources (when configured), ingest, dbt build, outputs")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("demo", help="write the deterministic SYNTHETIC demo sources in the real file layouts")
    p.add_argument("--root", help="target folder (default data/demo)")
    p.add_argument("--force", action="store_true", help="rewrite even if a matching cached copy exists")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("ingest", help="load sources (all, or SOURCE, optionally from PATH) into the working warehouse")
    p.add_argument("source", nargs="?", help="source key: eora26, ceads_io, ceads_emissions, ifr, yearbook, eua, fx")
    p.add_argument("path", nargs="?", help="file or folder to load instead of the configured one")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("build", help="dbt build (models and data tests) on the working warehouse, then publish it")
    p.add_argument("--select", help="dbt selection, e.g. 'marts'")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("outputs", help="write the publication tables (Markdown, LaTeX, CSV) under outputs/")
    p.set_defaults(func=cmd_outputs)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except StepFailed as error:
        print(f"greentrade: {error}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:  # classify by type without importing every module eagerly
        if type(error).__name__ == "SourceFormatError":
            print(f"greentrade: rejected: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if isinstance(error, (KeyError, ValueError, FileNotFoundError)):
            print(f"greentrade: {error}", file=sys.stderr)
            return EXIT_USAGE
        raise


if __name__ == "__main__":
    sys.exit(main())
