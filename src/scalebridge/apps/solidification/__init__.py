"""Solidification, hierarchical: dendrite tip selection (Ivantsov + marginal stability) -> melt sample.

Tip velocity and radius vs undercooling from heat diffusion (Ivantsov), capillarity
(Gibbs–Thomson) and attachment kinetics (LGK 1984), as a tabulated bridging law for an
undercooled sample. See ``docs/solidification.md``.
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
