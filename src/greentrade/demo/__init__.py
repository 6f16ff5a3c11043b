"""Synthetic demo data in the published source layouts (everything it writes is SYNTHETIC).

``generate(root, years=range(2010, 2020), force=False)`` writes the files; the calibration
constants live in :mod:`greentrade.demo.params`.
"""

from greentrade.demo.generate import generate

__all__ = ["generate"]
