"""Build the pharmacology chain: PBPK of each drug -> QSP target binding, effect and tumour (one way).

``build`` wires the models without solving (the PBPK solution is computed on first
evaluation), so ``scalebridge check`` verifies the units of every connection for free.
"""

from __future__ import annotations

import math

import numpy as np

from ...core.combinators import Chain, chain
from ...laws.pharmacodynamics import BindingParameters
from ...laws.pharmacokinetics import Dose, DrugDisposition, Physiology
from .models import PBPKModel, QSPModel
from .scenario import Scenario

__all__ = ["build", "times", "binding"]


def times(s: Scenario) -> np.ndarray:
    """The output grid, 0 .. duration every output_interval (s)."""
    n = int(math.floor(s.duration / s.output_interval + 1e-9))
    return s.output_interval * np.arange(n + 1)


def binding(s: Scenario) -> list[BindingParameters]:
    return [BindingParameters(d.binding.kon, d.binding.koff, d.binding.occupancy_50, d.binding.hill) for d in s.drugs]


def pbpk_models(s: Scenario, grid: np.ndarray | None = None) -> list[PBPKModel]:
    grid = times(s) if grid is None else grid
    physiology = Physiology.reference_man()
    out = []
    for d in s.drugs:
        disposition = DrugDisposition(dict(d.partition), {k: v for k, v in d.intrinsic_clearance.items() if v > 0},
                                      d.absorption_rate, d.bioavailability)
        doses = [Dose(x.route, x.start, x.amount or 0.0, x.rate or 0.0, x.duration or 0.0, x.interval or 0.0, x.count)
                 for x in d.doses]
        out.append(PBPKModel(d.name, physiology, disposition, doses, grid, s.qsp.target_tissue, d.molar_mass))
    return out


def build(s: Scenario) -> Chain:
    """PBPK (one per drug) -> QSP, wired by the ``concentration_<drug>`` ports."""
    grid = times(s)
    qsp = QSPModel([d.name for d in s.drugs], binding(s), s.qsp.mechanism, grid,
                   math.log(2) / s.qsp.tumour.doubling_time, s.qsp.tumour.max_kill_rate)
    return chain(*pbpk_models(s, grid), qsp, name="PBPK -> QSP")
