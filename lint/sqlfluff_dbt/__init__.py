"""What sqlfluff's jinja templater needs beyond its dbt builtins to render this project's SQL.

sqlfluff's ``apply_dbt_builtins`` gives ``ref``, ``source`` and ``config``, but its ``var()``
returns the placeholder ``'item'`` whatever the name, so every model that checks a var
(``carbon_price``, ``robit_shares``, ...) would render its error branch. Here ``var()`` returns
the value ``dbt_project.yml`` sets (or the call's default), so sqlfluff lints the SQL a plain
``dbt build`` compiles. The names of this module are the jinja context (``library_path`` in
``.sqlfluff``); they override the builtins of the same name.
"""

from pathlib import Path

import yaml

_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project.yml"
_VARS = yaml.safe_load(_PROJECT.read_text(encoding="utf-8")).get("vars", {})
_NO_DEFAULT = object()

invocation_id = "invocation-id"
run_started_at = "2000-01-01 00:00:00"


def var(name, default=_NO_DEFAULT):
    """The var's value in dbt_project.yml, else the call's default, as dbt's ``var()``."""
    if name in _VARS:
        return _VARS[name]
    if default is _NO_DEFAULT:
        raise KeyError(f"var {name!r} is not set in {_PROJECT} and the call gives no default")
    return default


class exceptions:  # noqa: N801 - dbt's name for this namespace
    """dbt's ``exceptions`` namespace: a model that raises does not render."""

    @staticmethod
    def raise_compiler_error(message):
        raise RuntimeError(message)
