"""Fixtures shared by the MRIO tests."""

from __future__ import annotations

import numpy as np
import pytest

from .helpers import random_balanced


@pytest.fixture
def three_region():
    return random_balanced(np.random.default_rng(7), ["AAA", "BBB", "CCC"], ["agri", "manu", "serv"],
                           ["hh", "inv"])
