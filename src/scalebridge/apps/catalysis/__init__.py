"""Heterogeneous catalysis, hierarchical: atomistic energies -> rate constants ->
surface kinetics -> catalyst pellet -> packed-bed reactor.

See ``docs/catalysis.md``. The shipped scenario is CO oxidation on Pt.
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
