"""One-way nesting: a coarse transport run drives a fine nest through time-varying boundary values.

A plume carried along a 1-D domain by a coarse advection–diffusion model passes through a
nest that resolves a narrow source the coarse grid smears; boundary values are
interpolated in space and time, the nest's content balance closes at its boundary, and
the nest is compared with a fine run over the whole domain. See ``docs/nesting.md``.
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
