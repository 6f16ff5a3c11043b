"""What the synthetic world builds in, in words: one place for the README, the outputs' notes
and the report's banner, so the demo never presents a built-in effect as a finding."""

from __future__ import annotations

from greentrade.demo import params as P
from greentrade.demo.world import AI_PATENT_ROBOT_ELASTICITY


def built_in_effects() -> str:
    """One paragraph: the robot effect on exports (and on AI patents) that the generator puts
    into the synthetic world, with the elasticities it uses."""
    return (
        "The synthetic world builds in a positive effect of robots on exports: each province's "
        "weight as a supplier of manufactured goods to every foreign buyer (ASEAN included) is "
        "multiplied by (its robot-exposure growth since 2010 relative to the panel mean) ** "
        f"{P.ROBOT_EXPORT_ELASTICITY:g} (elasticity {P.ROBOT_EXPORT_ELASTICITY:g}, "
        "ROBOT_EXPORT_ELASTICITY in greentrade/demo/params.py), and AI patent applications grow "
        f"with that relative growth ** {AI_PATENT_ROBOT_ELASTICITY:g}. A positive logrobit "
        "coefficient on demo data therefore recovers what the generator put in; it is not a finding."
    )
