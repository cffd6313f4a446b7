"""Multicomponent diffusion: kinetic theory (binary diffusivities) -> Maxwell–Stefan
diffusion in a two-bulb cell, against Fick and the Duncan & Toor (1962) experiment.

See ``docs/multicomponent.md``. The shipped scenario is the H2/N2/CO2 experiment of Duncan & Toor.
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
