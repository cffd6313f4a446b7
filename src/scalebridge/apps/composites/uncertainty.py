r"""Uncertainty of a homogenised conductivity: microstructure realisations and phase properties.

* **aleatoric**: a random fibre composite is one realisation of a random process: the
  input ``realisation`` (uniform on [0, 1)) seeds random sequential addition of the
  fibres, so every value is a different microstructure with the same statistics;
* **epistemic**: the fibre conductivity is known only to an interval (supplier
  data, interphase, porosity): ``fibre_conductivity``.

:class:`RealisationModel` solves the periodic cell of each realisation by FFT and
returns the effective conductivity tensor, component by component
(:math:`K_{xx}, K_{yy}, K_{xy}`), and its isotropic part
:math:`\bar k = \tfrac12 \mathrm{tr}\,K^\mathrm{eff}` (2-D). The nested propagation
(:func:`scalebridge.uq.nested`) then separates the realisation scatter (which shrinks
as the window grows: the RVE-size question, Kanit et al. 2003, Int. J. Solids Struct.
40, 3647) from the bias due to the unknown fibre property.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ...core.errors import InputError
from ...core.model import Evaluation, Port, Scale
from ...homogenization.cell import homogenize
from ...homogenization.microstructure import random_inclusions

__all__ = ["RealisationModel"]


class RealisationModel:
    r"""Effective conductivity of one random fibre realisation per batch item.

    Parameters
    ----------
    voxels : int
        Cell resolution (voxels per side, 2-D).
    volume_fraction, radius : float
        Fibre fraction and radius (in cell widths) of random sequential addition.
    matrix_conductivity : float
        W/(m K).
    cell_size : float
        Edge of the cell (m), its characteristic length.

    Notes
    -----
    Inputs ``realisation`` (dimensionless in [0, 1): the seed is
    :math:`\lfloor 2^{31} u\rfloor`) and ``fibre_conductivity`` (W/(m K)); outputs
    ``conductivity`` (isotropic part) and ``conductivity_xx``, ``_yy``, ``_xy`` (W/(m K)).
    """

    def __init__(self, voxels: int = 64, volume_fraction: float = 0.3, radius: float = 0.08,
                 matrix_conductivity: float = 1.0, cell_size: float = 1e-4):
        if not matrix_conductivity > 0:
            raise InputError(f"RealisationModel: matrix_conductivity must be positive, got {matrix_conductivity!r}")
        self.voxels, self.volume_fraction, self.radius = int(voxels), float(volume_fraction), float(radius)
        self.matrix_conductivity = float(matrix_conductivity)
        random_inclusions(self.voxels, self.volume_fraction, self.radius, 2, seed=0)  # validates the geometry
        self.name = f"random fibre cell ({self.voxels}^2, f = {self.volume_fraction:g})"
        self.inputs = {"realisation": Port("", description="quantile indexing the microstructure realisation"),
                       "fibre_conductivity": Port("W/(m*K)", description="fibre conductivity")}
        self.outputs = {"conductivity": Port("W/(m*K)", description="isotropic part of the effective conductivity")}
        self.outputs.update({f"conductivity_{c}": Port("W/(m*K)", description=f"effective conductivity K_{c}")
                             for c in ("xx", "yy", "xy")})
        self.scale = Scale(cell_size, float("inf"), "fibre cell")

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        u = np.asarray(inputs["realisation"], dtype=float)
        k_fibre = np.asarray(inputs["fibre_conductivity"], dtype=float)
        if np.any((u < 0) | (u >= 1)) or np.any(k_fibre <= 0):
            raise InputError(f"{self.name}: realisation must be in [0, 1) and fibre_conductivity positive")
        K = np.empty((len(u), 2, 2))
        for b, (quantile, k) in enumerate(zip(u, k_fibre)):
            phases = random_inclusions(self.voxels, self.volume_fraction, self.radius, 2,
                                       seed=int(quantile * 2**31))
            K[b] = homogenize(phases, [self.matrix_conductivity, k], "conductivity", method="fft").effective
        return Evaluation(outputs={"conductivity": 0.5 * np.trace(K, axis1=1, axis2=2), "conductivity_xx": K[:, 0, 0],
                                   "conductivity_yy": K[:, 1, 1], "conductivity_xy": K[:, 0, 1]})
