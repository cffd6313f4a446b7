"""Climate parameterisation, hierarchical: a melt-pond process model learned as a grid-cell albedo.

The pond process model (energy and water balance of ponds on sea ice, albedo feedback)
is run over a design of conditions, learned by a cross-validated surrogate and used in a
coarse column energy balance, compared with the resolved process model through a melt
season. See ``docs/climate.md``.
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
