r"""Shared pieces of the atomistic engines: the result record, the engine base class, unit factors.

Units inside the atomistic engines are those of ASE: energies in eV, lengths in Å,
forces in eV/Å, stresses in eV/Å^3. The stress is the one ASE returns,

.. math:: \sigma_{ab} = \frac{1}{V}\frac{\partial E}{\partial \varepsilon_{ab}},

positive in tension (a stretched cell that wants to shrink has :math:`\sigma > 0`),
the Cauchy (true) stress of the current cell (Tadmor & Miller, *Modeling Materials*,
2011, sec. 8.2; Allen & Tildesley 2017, sec. 2.4 for the virial).

Any object with ``compute(positions, cell, pbc) -> AtomisticResult`` is an engine
(duck typing, like ASE's calculator protocol); :func:`as_engine` also accepts an ASE
calculator (wrapped by :class:`~.ase_adapter.ASECalculatorEngine`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.errors import InputError
from .neighbours import NeighbourList, _kernels, check_configuration

__all__ = ["AtomisticResult", "Potential", "as_engine", "configuration",
           "EV", "EV_PER_A2_TO_J_PER_M2", "EV_PER_A3_TO_PA"]

EV = 1.602176634e-19                       #: J per eV (exact, SI 2019)
EV_PER_A2_TO_J_PER_M2 = EV / 1e-20         #: 16.02176634 J/m^2 per eV/Å^2
EV_PER_A3_TO_PA = EV / 1e-30               #: 1.602176634e11 Pa per eV/Å^3


@dataclass(frozen=True)
class AtomisticResult:
    """Energy (eV), forces (N, 3) (eV/Å), stress (3, 3) (eV/Å^3, ASE sign) and per-atom energies (eV)."""

    energy: float
    forces: np.ndarray
    stress: np.ndarray
    energies: np.ndarray | None = None


def configuration(atoms=None, positions=None, cell=None, pbc=True):
    """(positions, cell, pbc) from an ``ase.Atoms`` or from arrays, validated.

    An ``ase.Atoms`` without a cell (non-periodic molecule) is not accepted: give it
    a box (``atoms.center(vacuum=...)``), whose volume then defines the stress.
    """
    if atoms is not None:
        positions, cell, pbc = atoms.get_positions(), atoms.get_cell()[:], atoms.get_pbc()
    if positions is None or cell is None:
        raise InputError("configuration: got neither atoms= nor positions= and cell=, expected one of them")
    return check_configuration(positions, cell, pbc)


class Potential:
    """Base class of our engines: a cut-off, a reusable neighbour list, ``compute``.

    Subclasses implement ``_compute(i, j, d, r, n_atoms)`` on the pair arrays of the
    full neighbour list and return ``(energy, None, g, energies)`` with the pair weights
    :math:`g_{ij} = (\\partial E/\\partial r_{ij})/r_{ij}` (eV/Å^2; forces and virial are then
    accumulated here, by numba when installed), or ``(energy, forces, dE/d(strain), energies)``.
    """

    cutoff: float
    skin: float = 0.3

    def new_neighbour_list(self) -> NeighbourList:
        """A fresh Verlet list for this cut-off (one per independent configuration, e.g. NEB images)."""
        return NeighbourList(self.cutoff, self.skin)

    def compute(self, positions, cell, pbc=True, neighbours: NeighbourList | None = None) -> AtomisticResult:
        """Energy, forces and stress of one configuration (positions (N, 3) Å, cell rows Å, pbc)."""
        if neighbours is None:
            if getattr(self, "_neighbours", None) is None:
                self._neighbours = self.new_neighbour_list()
            neighbours = self._neighbours
        positions, cell, pbc = check_configuration(positions, cell, pbc)
        i, j, d, r = neighbours.update(positions, cell, pbc)
        volume = abs(np.linalg.det(cell))
        energy, forces, dE_deps, energies = self._compute(i, j, d, r, len(positions))
        if forces is None:                          # subclass returned g: forces and virial here
            forces, dE_deps = _forces_and_virial(i, len(positions), dE_deps, d)
        return AtomisticResult(float(energy), forces, dE_deps / volume, energies)

    def compute_atoms(self, atoms) -> AtomisticResult:
        """:meth:`compute` for an ``ase.Atoms``."""
        return self.compute(*configuration(atoms))

    def _compute(self, i, j, d, r, n):  # pragma: no cover - abstract
        raise NotImplementedError


def _forces_and_virial(i, n, g, d):
    """(forces (n, 3), virial (3, 3)) of the pair weights g over the full list (numba if available)."""
    kernels = _kernels()
    if kernels is not None:
        return kernels.accumulate(i, n, g, d)
    return _accumulate(i, n, g, d), _virial(g, d)


def _accumulate(i, n, g, d):
    """sum over pairs of g * d, grouped by first index i: (n, 3) array (vectorised bincount)."""
    w = g[:, None] * d
    return np.stack([np.bincount(i, weights=w[:, k], minlength=n) for k in range(3)], axis=1)


def _virial(g, d):
    """0.5 * sum over the full list of g d (x) d (eV): dE/d(strain) for pair-like terms."""
    return 0.5 * (d.T * g) @ d


def as_engine(engine, symbols=None):
    """``engine`` itself when it has ``compute``, else an ASE calculator wrapped as an engine.

    Parameters
    ----------
    engine : engine or ase.calculators.calculator.Calculator
        Our potential (``compute(positions, cell, pbc)``) or any ASE calculator.
    symbols : str or sequence, optional
        Chemical symbols for an ASE calculator (e.g. ``"Cu"`` or ``["Cu"] * 4``).
    """
    if hasattr(engine, "compute"):
        return engine
    if hasattr(engine, "get_potential_energy") or hasattr(engine, "get_property"):
        from .ase_adapter import ASECalculatorEngine
        return ASECalculatorEngine(engine, symbols)
    raise InputError(f"engine: got {type(engine).__name__}, expected a scalebridge potential "
                     "(with compute(positions, cell, pbc)) or an ASE calculator")
