"""Plasma-facing wall: the scale-separation check chooses hierarchical or concurrent coupling.

A tungsten armour under a steady divertor heat flux (tabulated steady law, hierarchical)
and under a millisecond ELM pulse (fine near-surface conduction on the fly, concurrent),
each against its closed form. See ``docs/plasma_wall.md``.
"""

from importlib import resources
from pathlib import Path

from .chain import build
from .report import summary_table
from .run import run
from .scenario import Scenario

__all__ = ["Scenario", "build", "run", "summary_table", "SCENARIOS"]

#: Shipped scenario files by name.
SCENARIOS = {p.stem: Path(str(p)) for p in resources.files(__package__).joinpath("scenarios").iterdir()
             if p.name.endswith(".yaml")}
