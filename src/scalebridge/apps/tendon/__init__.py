"""Tendon, hierarchical: a crimped collagen-fibril population -> the J-shaped stress-strain law of a fascicle.

Fibrils with distributed recruitment (crimp) strains and a crosslink-dependent modulus,
upscaled by volume-fraction weighted averaging (Shearer 2015; Hansen, Weiss & Barton
2002). See ``docs/tendon.md``.
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
