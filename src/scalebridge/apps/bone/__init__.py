"""Bone remodelling, concurrent: macro FE of a bone region with a cell-population material point per quadrature point.

Osteoblasts and osteoclasts respond to the strain energy per mass; density sets the stiffness
(E = E0 rho^gamma); the density pattern follows the load path (Weinans et al. 1992).
See ``docs/bone.md``.
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
