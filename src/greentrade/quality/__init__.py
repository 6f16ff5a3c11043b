"""Data quality on source updates: a Great Expectations checkpoint per source.

The ingest loader (:func:`greentrade.ingest.warehouse.load` with ``quality=True``) calls
:func:`check_load` inside its transaction, after the new rows are written and before COMMIT:
a failed expectation raises :class:`DataQualityError` and the load rolls back. The
``validate`` command calls :func:`validate` on what raw currently holds. Expectations run on
small per-file summary frames (:mod:`.frames`), never on millions of cells; the suites are
code (:mod:`.suites`) materialised as JSON under ``gx/`` (:func:`sync_config`). See
docs/data_quality.md.

Great Expectations is imported only when a check runs (its import costs seconds).
"""

from __future__ import annotations

from .errors import DataQualityError, Failure

__all__ = ["DataQualityError", "Failure", "check_load", "validate", "data_docs_index", "gx_root", "sync_config"]


def __getattr__(name: str):
    if name in ("check_load", "validate", "data_docs_index", "gx_root", "sync_config", "QualityReport"):
        from . import runner

        return getattr(runner, name)
    raise AttributeError(name)
