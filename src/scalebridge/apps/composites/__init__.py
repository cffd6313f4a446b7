"""Composites, hierarchical: a voxel microstructure -> effective tensor of a material point.

Bounds, effective-medium estimates, the FFT cell solver and the FE cell solver under
affine, periodic and traction conditions, side by side; the RVE is checked against the
component size. See ``docs/composites.md``.
"""

from importlib import resources
from pathlib import Path

from .chain import build, run
from .report import summary_table
from .scenario import Scenario

__all__ = ["Scenario", "build", "run", "summary_table", "SCENARIOS"]

#: Shipped scenario files by name.
SCENARIOS = {p.stem: Path(str(p)) for p in resources.files(__package__).joinpath("scenarios").iterdir()
             if p.name.endswith(".yaml")}
