"""Gas flow in tight rock, hierarchical HMM: Stokes pore cells -> permeability table -> gas slip
(Klinkenberg, Beskok–Karniadakis) -> compressible Darcy flow through a heterogeneous rock (FE).

See ``docs/porous_flow.md``. The shipped scenario is methane through a tight-gas core.
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
