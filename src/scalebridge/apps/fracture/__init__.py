"""Fracture, hierarchical: interatomic potential -> elastic constants, surface and stacking-fault
energies -> Griffith cleavage vs Rice emission at a crack tip -> ductile or brittle.

Nothing is hand-entered: the lattice constant, C_ij, γ_s and γ_us all come from the
potential (ASE's EMT or a Lennard-Jones pair potential). See ``docs/fracture.md``.
The shipped scenarios are Cu with EMT and Cu with the Halicioglu–Pound Lennard-Jones pair.
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
