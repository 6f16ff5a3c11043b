"""One writer at a time on the working warehouse: an advisory lock taken by ingest and build.

DuckDB itself allows one writing process per file, but it says so with an opaque "Could not
set lock" error in the middle of a step. ``greentrade ingest`` and ``greentrade build`` take
this lock first, so a second command either waits for the first or refuses at once with a
message naming the holder.

The lock is ``fcntl.flock`` on ``.greentrade.lock`` beside the working warehouse. The kernel
releases it when the last process holding the open file ends, however it ends (kill -9
included), so a crash never leaves a stale lock: the file may stay, its content (holder pid,
command, start time) is informational. ``build`` hands the descriptor to its dbt child
(``inherit_fds``), so the lock is held until dbt has also ended.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".greentrade.lock"
WAIT_ENV = "GREENTRADE_LOCK_WAIT"  # seconds to wait for a busy warehouse; 0 (default) refuses at once
_POLL_SECONDS = 0.2


class WarehouseBusyError(RuntimeError):
    """Another greentrade process holds the working warehouse."""


def lock_path(warehouse: Path) -> Path:
    """The lock file of a working warehouse: ``.greentrade.lock`` in its folder."""
    return Path(warehouse).parent / LOCK_NAME


def wait_seconds() -> float:
    value = os.environ.get(WAIT_ENV, "0")
    try:
        return max(0.0, float(value))
    except ValueError:
        raise ValueError(f"{WAIT_ENV} must be a number of seconds; found {value!r}") from None


def holder(path: Path) -> str:
    """What the lock file says about its holder (best effort: the file is informational)."""
    try:
        text = Path(path).read_text().strip()
    except OSError:
        return "unknown holder"
    return text or "unknown holder"


@contextmanager
def warehouse_lock(warehouse: Path, command: str, *, wait: float | None = None) -> Iterator[int]:
    """Hold the exclusive lock of ``warehouse`` for the block; yield the lock's descriptor.

    ``wait``: seconds to wait for a busy lock (default: ``GREENTRADE_LOCK_WAIT``, 0). Raises
    :class:`WarehouseBusyError` naming the holder when the lock is still busy after that.
    """
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    wait = wait_seconds() if wait is None else wait
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise WarehouseBusyError(
                        f"the warehouse {warehouse} is busy: {holder(path)} holds {path}. "
                        f"Wait for it to finish (or set {WAIT_ENV}=SECONDS to wait); "
                        "the published warehouse stays readable meanwhile.") from None
                time.sleep(_POLL_SECONDS)
        os.ftruncate(fd, 0)
        started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        os.pwrite(fd, f"greentrade {command} (pid {os.getpid()}, since {started})\n".encode(), 0)
        yield fd
    finally:
        os.close(fd)  # releases the flock unless a child still holds the descriptor
