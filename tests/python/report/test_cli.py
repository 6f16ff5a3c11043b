"""The command line: help with examples, and the documented exit codes a script can trust
(0 ok, 1 a step failed, 2 usage/configuration error, 3 a source file was rejected)."""

from __future__ import annotations

import pytest

from greentrade import cli
from greentrade.progress import ProgressBar
from greentrade.reference import PROJECT_ROOT

BAD_EUA = PROJECT_ROOT / "tests/python/ingest/bad_inputs/eua_bad_date/market_prices.csv"


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """A throwaway working warehouse and output folder; dbt writes its target/ and logs there too."""
    monkeypatch.setenv("GREENTRADE_WAREHOUSE", str(tmp_path / "work.duckdb"))
    monkeypatch.setenv("GREENTRADE_OUTPUTS", str(tmp_path / "outputs"))
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    monkeypatch.setenv("GREENTRADE_PROGRESS", "0")
    return tmp_path


def test_help_lists_every_step_and_exit_codes(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for command in ("run", "demo", "ingest", "build", "outputs", "report", "docs"):
        assert f"    {command} " in text
    assert "exit codes" in text and "examples" in text


@pytest.mark.parametrize("command", ["run", "demo", "ingest", "build", "outputs", "report", "docs"])
def test_every_subcommand_help_has_an_example(command, capsys):
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    assert "example" in capsys.readouterr().out


def test_unknown_command_is_a_usage_error():
    with pytest.raises(SystemExit) as done:
        cli.main(["frobnicate"])
    assert done.value.code == cli.EXIT_USAGE == 2


def test_bad_source_path_exits_2(isolated, capsys):
    assert cli.main(["ingest", "eua", str(isolated / "absent" / "market_prices.csv")]) == 2
    assert "not found" in capsys.readouterr().err


def test_unknown_source_exits_2(isolated, capsys):
    assert cli.main(["ingest", "no_such_source"]) == 2
    assert "unknown source" in capsys.readouterr().err


def test_rejected_file_exits_3_and_names_the_place(isolated, capsys):
    assert cli.main(["ingest", "eua", str(BAD_EUA)]) == cli.EXIT_BAD_INPUT == 3
    error = capsys.readouterr().err
    assert "rejected" in error and "market_prices.csv" in error and "line" in error


def test_step_failure_exits_1(isolated, monkeypatch, capsys):
    def failing(arguments, **options):
        raise cli.StepFailed("dbt build failed (exit code 1); the published warehouse is unchanged")
    monkeypatch.setattr(cli, "run_dbt", failing)
    assert cli.main(["docs"]) == cli.EXIT_FAILED == 1
    assert "dbt build failed" in capsys.readouterr().err


@pytest.mark.slow
def test_real_dbt_failure_exits_1(isolated, capsys):
    # an empty warehouse: the staging model's source table does not exist, so dbt fails
    assert cli.main(["build", "--select", "stg_prices__fx_rates"]) == 1
    assert "failed" in capsys.readouterr().err
    assert not (isolated / "greentrade.duckdb").exists(), "a failed build must not publish"


def test_report_without_warehouse_exits_2(isolated, capsys):
    assert cli.main(["report"]) == 2
    assert "greentrade build" in capsys.readouterr().err


def test_report_writes_the_file(isolated, synthetic_warehouse):
    assert cli.main(["report", "--warehouse", str(synthetic_warehouse)]) == 0
    assert (isolated / "outputs" / "report.html").exists()
    assert len(list((isolated / "outputs" / "figures").glob("*.png"))) == 5


def test_progress_bar_is_a_pipeline_progress_callback(capsys):
    with ProgressBar(total=2, desc="embed and solve", unit="year") as progress:
        progress("2010: solved")
        progress("2011: solved")
    assert "2011: solved" in capsys.readouterr().err  # stderr: stdout stays clean for pipes


def test_run_prints_each_steps_duration(monkeypatch, capsys):
    """greentrade run times every step it runs and sums them up (steps stubbed: the real ones
    are exercised by the end-to-end tests)."""
    import time as time_module

    from greentrade import cli

    ran = []

    def stub(name, seconds):
        def step(namespace):
            ran.append(name)
            time_module.sleep(seconds)
        step.__name__ = f"cmd_{name}"
        return step

    for name in ("demo", "ingest", "build", "outputs", "report"):
        monkeypatch.setattr(cli, f"cmd_{name}", stub(name, 0.25 if name == "build" else 0.0))
    assert cli.cmd_run(None) == cli.EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert ran == ["demo", "ingest", "build", "outputs", "report"]
    took = [line for line in out if " took " in line]
    assert [line.split()[1] for line in took] == ran
    assert float(took[2].split(" took ")[1].split()[0]) >= 0.2   # printed to 0.1 s
    assert out[-1].startswith("[greentrade] run finished in ")
    assert [part.split()[0] for part in out[-1].split(": ", 1)[1].split(", ")] == ran
def test_demo_scale_comes_from_the_option_or_the_config_and_picks_its_folder(tmp_path, monkeypatch, capsys):
    """`greentrade demo [--scale small|full]`: the option, else greentrade.toml's [demo] scale;
    each scale writes its own folder beside the config file (data/demo, data/demo_full);
    `greentrade run` writes the demo of the scale whose folder a source points into."""
    import greentrade.demo

    calls = []

    def fake_generate(root, force=False, scale="small"):
        calls.append((root, scale))
        return {"root": root, "files": {}, "cached": True, "seconds": 0.0, "cpu_seconds": 0.0}

    monkeypatch.setattr(greentrade.demo, "generate", fake_generate)
    (tmp_path / "g.toml").write_text('[sources.ifr]\n[demo]\nscale = "full"\n')
    monkeypatch.setenv("GREENTRADE_CONFIG", str(tmp_path / "g.toml"))
    assert cli.main(["demo"]) == cli.EXIT_OK
    assert cli.main(["demo", "--scale", "small"]) == cli.EXIT_OK
    assert cli.main(["demo", "--scale", "full", "--root", str(tmp_path / "x")]) == cli.EXIT_OK
    assert calls == [(tmp_path / "data/demo_full", "full"), (tmp_path / "data/demo", "small"),
                     (tmp_path / "x", "full")]
    assert "(full scale) ready in" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        cli.main(["demo", "--scale", "medium"])
    assert done.value.code == cli.EXIT_USAGE

    calls.clear()
    monkeypatch.setattr(cli, "cmd_ingest", lambda args: (_ for _ in ()).throw(cli.StepFailed("stop here")))
    assert cli.main(["run"]) == cli.EXIT_FAILED
    assert calls == [(tmp_path / "data/demo_full", "full")]
