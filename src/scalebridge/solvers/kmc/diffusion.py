r"""Tracer and centre-of-mass diffusion measured from the hop displacements of a kMC run.

For particles that only hop (no adsorption or desorption), over windows of
length :math:`\Delta t` (Gomer 1990, Rep. Prog. Phys. 53, 917, sec. 2):

.. math:: D^* = \frac{\langle |\Delta\mathbf r_i|^2\rangle}{2 d\,\Delta t}, \qquad
          D_\mathrm{cm} = \frac{\langle |\sum_i \Delta\mathbf r_i|^2\rangle}{2 d\,N_p\,\Delta t},

(d the dimension, :math:`N_p` the particles) and the chemical (collective)
coefficient :math:`D_c = D_\mathrm{cm}\,\Phi` with the thermodynamic factor
:math:`\Phi = \partial(\beta\mu)/\partial\ln\theta` (Green–Kubo; Reed & Ehrlich 1981,
Surf. Sci. 102, 588). Lengths in lattice constants, times in s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.errors import InputError
from .engine import LatticeKMC

__all__ = ["DiffusionSample", "measure_diffusion"]


@dataclass(frozen=True)
class DiffusionSample:
    """Tracer and centre-of-mass diffusion coefficients (lattice constants^2 / s) and standard errors."""

    tracer: float
    tracer_error: float
    centre_of_mass: float
    centre_of_mass_error: float
    n_particles: int


def measure_diffusion(sim: LatticeKMC, window: float, n_windows: int) -> DiffusionSample:
    """Run ``n_windows`` windows of ``window`` s and average the squared displacements.

    The errors are the standard errors over windows (independent increments of a
    stationary run). Particles must be conserved (hops only).
    """
    if not (np.isfinite(window) and window > 0) or n_windows < 2:
        raise InputError(f"measure_diffusion: need window > 0 s and n_windows >= 2, got {window!r}, {n_windows!r}")
    n_p = sim.displacement.shape[0]
    if n_p == 0:
        raise InputError("measure_diffusion: the lattice holds no particles to follow")
    d = sim.lattice.dimension
    tracer, cm = np.empty(n_windows), np.empty(n_windows)
    for w in range(n_windows):
        start = sim.lattice.cartesian(sim.displacement)
        count = sim.counts[1:].sum()
        sim.run(until=sim.time + window)
        if sim.counts[1:].sum() != count or np.any(sim.particle_id[sim.occupancy > 0] < 0):
            raise InputError("measure_diffusion: particles were created or removed; use hops only")
        dr = sim.lattice.cartesian(sim.displacement) - start
        tracer[w] = np.mean(np.sum(dr ** 2, axis=1)) / (2 * d * window)
        cm[w] = np.sum(dr.sum(axis=0) ** 2) / (2 * d * n_p * window)
    se = lambda x: float(x.std(ddof=1) / np.sqrt(n_windows))  # noqa: E731
    return DiffusionSample(float(tracer.mean()), se(tracer), float(cm.mean()), se(cm), n_p)
