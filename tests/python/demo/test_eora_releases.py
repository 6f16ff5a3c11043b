"""The demo's two Eora26 satellite layouts (greentrade.demo.eora_releases): the 2619-row one
against the real label file of that release (../shared/data/real/eora26_labels_other_release),
the 2720-row stand-in against the rules the pipeline relies on."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from greentrade.demo import eora_releases
from greentrade.ingest.eora26_labels import CO2_SATELLITES, co2_rows

from .conftest import REAL


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame({"item": [r[0] for r in rows], "country_name": [r[1] for r in rows]})


@pytest.fixture(scope="module")
def real_q() -> list[tuple[str, str]]:
    path = REAL / "eora26_labels_other_release" / "labels_Q.txt"
    if not path.is_file():
        pytest.skip(f"real Eora26 label files of the 2619-row release absent: {path}")
    with open(path, encoding="utf-8", newline="") as handle:
        return [(row[0], row[1]) for row in csv.reader(handle, delimiter="\t")]


def test_the_2619_layout_has_the_real_release_co2_rows_on_their_lines(real_q):
    demo = eora_releases.q_labels("2619")
    assert len(demo) == len(real_q) == 2619
    co2_lines = [i for i, (name, source) in enumerate(real_q) if "CO2" in name or "CO2" in source
                 or name in (eora_releases.IEA_NAME, eora_releases.PRIMAP_NAME)]
    assert len(co2_lines) > 200
    for i in co2_lines:
        assert demo[i] == real_q[i], f"line {i + 1}"
    # every block (name) starts where the real one does; only long non-CO2 item lists differ
    starts = lambda rows: {name: rows.index(next(r for r in rows if r[0] == name)) for name, _ in rows}  # noqa: E731
    real_starts, demo_starts = starts(real_q), starts(demo)
    for name in set(real_starts) & set(demo_starts):
        assert demo_starts[name] == real_starts[name], name
    for satellite in CO2_SATELLITES:
        np.testing.assert_array_equal(co2_rows(_frame(demo), satellite), co2_rows(_frame(real_q), satellite))


def test_the_2720_stand_in_moves_every_co2_row_and_keeps_its_labels():
    old, new = eora_releases.q_labels("2619"), eora_releases.q_labels("2720")
    assert len(new) == 2720 and len(set(new)) == 2720 and set(old) < set(new)
    for satellite in CO2_SATELLITES:
        a, b = co2_rows(_frame(old), satellite), co2_rows(_frame(new), satellite)
        assert len(a) == len(b) and not set(a) & set(b)
        assert [old[i] for i in a] == [new[i] for i in b]


def test_unknown_release():
    with pytest.raises(ValueError, match="expected one of 2619, 2720"):
        eora_releases.q_labels("2700")
