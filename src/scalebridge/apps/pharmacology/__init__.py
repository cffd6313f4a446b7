"""Pharmacology, one way: whole-body PBPK -> target binding, effect and tumour kill (QSP).

Minimal PBPK of the reference man with IV bolus, infusion and oral dosing, driving a
target-binding and tumour model; two-drug combinations with Loewe and Bliss measures.
See ``docs/pharmacology.md``.
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
