r"""A lattice kMC simulation as the fine ``Dynamics`` of an equation-free coarse time-stepper.

The coarse variables are the coverages :math:`\theta_s` of the adsorbates. ``lift``
places exactly :math:`\mathrm{round}(\theta_s N)` particles of each species on randomly
chosen sites (a new random configuration and a new kMC seed from the replica's
generator: the mean-field-like state with no correlations, which the healing period
then relaxes); ``advance`` runs the lattice for a span of simulated time; ``restrict``
reads the coverages back. The engine's clock is continuous, so a "fine step" here is a
span of simulated time, and :attr:`LatticeDynamics.events` counts the kMC events spent.

Reference: Makeev, Maroudas & Kevrekidis (2002), "'Coarse' stability and bifurcation
analysis using stochastic simulators: kinetic Monte Carlo examples", J. Chem. Phys. 116,
10083 (coarse time-steppers over lattice kMC of surface reactions).
"""

from __future__ import annotations

import numpy as np

from ...core.errors import InputError
from .engine import LatticeKMC

__all__ = ["LatticeDynamics"]


class LatticeDynamics:
    """Fine dynamics over ``simulation`` (a :class:`LatticeKMC`, reset at every lift).

    Parameters
    ----------
    simulation : LatticeKMC
    characteristic_length : float
        m (e.g. the lattice's side); ``characteristic_time``: s (e.g. the inverse of the
        fastest rate), for :func:`scalebridge.coupling.coarse_stepper.as_dynamics`.
    """

    name = "lattice kMC"

    def __init__(self, simulation: LatticeKMC, characteristic_length: float, characteristic_time: float):
        if not isinstance(simulation, LatticeKMC):
            raise InputError(f"LatticeDynamics: expected a LatticeKMC, got {type(simulation).__name__}")
        self.simulation = simulation
        self.characteristic_length, self.characteristic_time = float(characteristic_length), float(characteristic_time)
        self.adsorbates = simulation.species[1:]
        self.events = 0

    def lift(self, coverages, rng: np.random.Generator) -> LatticeKMC:
        """Reset the lattice to a random configuration with the given adsorbate coverages (one per adsorbate)."""
        theta = np.atleast_1d(np.asarray(coverages, dtype=float))
        n = self.simulation.lattice.n_sites
        if theta.shape != (len(self.adsorbates),) or np.any(theta < 0) or theta.sum() > 1 + 1e-12:
            raise InputError(f"LatticeDynamics.lift: expected {len(self.adsorbates)} coverages >= 0 summing to <= 1, "
                             f"got {theta.tolist()}")
        counts = np.round(theta * n).astype(int)
        occupancy = np.zeros(n, dtype=np.int8)
        sites = rng.permutation(n)
        start = 0
        for species, count in enumerate(counts, start=1):
            occupancy[sites[start:start + count]] = species
            start += count
        self.simulation.reset(occupancy, seed=int(rng.integers(2 ** 63)))
        return self.simulation

    def advance(self, simulation: LatticeKMC, dt: float) -> LatticeKMC:
        """Run ``dt`` s of simulated time."""
        before = simulation.events
        simulation.run(until=simulation.time + dt)
        self.events += simulation.events - before
        return simulation

    def restrict(self, simulation: LatticeKMC) -> np.ndarray:
        """Adsorbate coverages (species order of the simulation, ``"*"`` excluded)."""
        return simulation.counts[1:] / simulation.lattice.n_sites
