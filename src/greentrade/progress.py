"""Progress bars for long steps (big-file ingest, per-year solves), used by the CLI and by the
dbt Python models (which run in dbt's child process and inherit GREENTRADE_PROGRESS)."""

from __future__ import annotations

import os
import sys


def progress_enabled() -> bool:
    """Progress bars are on unless ``--no-progress`` or GREENTRADE_PROGRESS=0 (inherited by
    dbt's child process, where the per-year solves run)."""
    return os.environ.get("GREENTRADE_PROGRESS", "1") not in ("0", "false", "no")


class ProgressBar:
    """A tqdm bar usable as greentrade.dbt_models.embedded_mrio's ``progress`` callback: each call advances
    one step and shows the message (e.g. one year solved). Bars go to stderr, so piped stdout
    stays clean; tqdm turns itself off when stderr is not a terminal.

        with ProgressBar(total=len(years), desc="embed and solve", unit="year") as progress:
            dbt_models.embedded_mrio(con, ..., progress=progress)
    """

    def __init__(self, total: int | None, desc: str, unit: str = "step"):
        from tqdm import tqdm

        self._bar = tqdm(total=total, desc=f"[greentrade] {desc}", unit=unit, file=sys.stderr,
                         disable=None if progress_enabled() else True, dynamic_ncols=True, leave=True)

    def __call__(self, message: str = "", steps: int = 1) -> None:
        if message:
            self._bar.set_postfix_str(message[:80], refresh=False)
        self._bar.update(steps)
        if self._bar.disable:  # no terminal: keep the one-line-per-step log
            print(f"[greentrade] {message}", file=sys.stderr, flush=True)

    def close(self) -> None:
        self._bar.close()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
