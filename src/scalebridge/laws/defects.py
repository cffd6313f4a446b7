r"""Defect energetics from an atomistic engine: surface energy, generalised stacking faults, migration barriers.

These are the bridging laws that hand atomistic answers to continuum and kinetic
models: the surface energy :math:`\gamma_s` (Griffith), the unstable and intrinsic
stacking-fault energies :math:`\gamma_{us}`, :math:`\gamma_{isf}` (Rice's dislocation
nucleation criterion, Peierls–Nabarro), and activation energies for rate laws
(:mod:`scalebridge.laws.kinetics`).

* Surface energy of a slab of :math:`N` atoms with two free faces of area A each,

  .. math:: \gamma_s = \frac{E_{\rm slab} - N\,e_{\rm bulk}}{2A},

  slab relaxed (positions) at the bulk lattice constant (Tadmor & Miller 2011, sec. 6.5).
* Generalised stacking fault (Vítek 1968, Phil. Mag. 18, 773): the upper half of a
  slab is shifted rigidly by **u** in the fault plane; atoms relax only normal to it,

  .. math:: \gamma(\mathbf u) = \frac{E(\mathbf u) - E(\mathbf 0)}{A}.

  For fcc (111) along <112> the partial Burgers vector is :math:`b_p = a/\sqrt6`;
  :math:`\gamma_{isf} = \gamma(b_p)` and :math:`\gamma_{us} = \max_{0<u<b_p}\gamma(u)` (Rice 1992,
  J. Mech. Phys. Solids 40, 239), the maximum refined by a bounded Brent search.
* Activation energy: the climbing-image NEB barrier (Henkelman, Uberuaga & Jónsson
  2000) returned in J per event, the unit of :func:`scalebridge.laws.kinetics.arrhenius`
  and :func:`~scalebridge.laws.kinetics.harmonic_tst`.

Lengths in Å and energies in eV go in; results come out in SI (J/m^2, J) with the eV
values alongside (names ending in ``_eV`` or ``_eV_per_A2``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from ..core.errors import InputError
from ..solvers.atomistic.base import EV, EV_PER_A2_TO_J_PER_M2, as_engine
from ..solvers.atomistic.lattice import cubic_supercell, fcc, fcc_slab
from ..solvers.atomistic.minimise import relax
from ..solvers.atomistic.neb import NEBResult, nudged_elastic_band
from . import kinetics

__all__ = ["SurfaceEnergy", "surface_energy", "StackingFaultCurve", "generalized_stacking_fault",
           "ActivationEnergy", "activation_energy", "vacancy_migration_barrier", "fcc_lattice_constant_of"]


def fcc_lattice_constant_of(lattice) -> float:
    """Cubic lattice constant (Å) from a float or an fcc ``ase.Atoms`` (a = (4 V / N)^(1/3))."""
    if hasattr(lattice, "get_volume"):
        return float((4 * lattice.get_volume() / len(lattice)) ** (1 / 3))
    a = float(lattice)
    if not (np.isfinite(a) and a > 0):
        raise InputError(f"lattice: got {lattice!r}, expected an fcc lattice constant > 0 Å or an ase.Atoms")
    return a


def _bulk_energy_per_atom(engine, a):
    c = fcc(a)
    return engine.compute(c.basis, c.cell, True).energy


def _symbol(lattice, symbols):
    if symbols is None and hasattr(lattice, "get_chemical_symbols"):
        return lattice.get_chemical_symbols()[0]
    return symbols


@dataclass(frozen=True)
class SurfaceEnergy:
    """gamma_s in J/m^2 (``gamma``) and eV/Å^2, of the relaxed (or unrelaxed) slab."""

    gamma: float
    gamma_eV_per_A2: float
    gamma_unrelaxed: float
    surface: str
    layers: int
    relaxed: bool


def surface_energy(engine, lattice, surface="111", *, layers=9, vacuum=12.0, relax_slab=True, symbols=None,
                   fmax=1e-4, method="lbfgs") -> SurfaceEnergy:
    """Free-surface energy of an fcc (100), (110) or (111) face (module equation), in J/m^2.

    Parameters
    ----------
    engine : engine or ASE calculator
        Our potential or an ASE calculator (give ``symbols``, e.g. "Cu", or an ase.Atoms ``lattice``).
    lattice : float or ase.Atoms
        fcc lattice constant a (Å) (use the engine's zero-pressure value), or a bulk fcc Atoms.
    surface : {"100", "110", "111"}
    layers : int
        Atomic planes in the slab (convergence: 9 planes are within 0.1 % for EMT Cu).
    vacuum : float
        Vacuum thickness (Å), larger than the cut-off.
    relax_slab : bool
        Relax the slab positions (``fmax`` eV/Å, ``method`` "lbfgs" or "fire").
    """
    a = fcc_lattice_constant_of(lattice)
    engine = as_engine(engine, _symbol(lattice, symbols))
    slab = fcc_slab(a, surface, layers, vacuum)
    area = float(np.linalg.norm(np.cross(slab.cell[0], slab.cell[1])))
    e_bulk = _bulk_energy_per_atom(engine, a)
    e0 = engine.compute(slab.basis, slab.cell, True).energy
    e = relax(engine, slab.basis, slab.cell, True, method=method, fmax=fmax).energy if relax_slab else e0
    n = len(slab.basis)
    g = (e - n * e_bulk) / (2 * area)
    g0 = (e0 - n * e_bulk) / (2 * area)
    return SurfaceEnergy(g * EV_PER_A2_TO_J_PER_M2, g, g0 * EV_PER_A2_TO_J_PER_M2, surface, int(layers), relax_slab)


@dataclass(frozen=True)
class StackingFaultCurve:
    """gamma(u) along the slip direction: displacements (Å) and energies (J/m^2).

    ``fraction`` = u / b_p; ``gamma_us`` and ``gamma_isf`` in J/m^2 (``*_eV_per_A2`` too);
    ``u_us`` the displacement of the maximum (Å); ``partial_burgers`` b_p (Å).
    """

    displacement: np.ndarray
    fraction: np.ndarray
    energy: np.ndarray
    gamma_us: float
    gamma_isf: float
    u_us: float
    partial_burgers: float

    @property
    def gamma_us_eV_per_A2(self) -> float:
        return self.gamma_us / EV_PER_A2_TO_J_PER_M2

    @property
    def gamma_isf_eV_per_A2(self) -> float:
        return self.gamma_isf / EV_PER_A2_TO_J_PER_M2


def generalized_stacking_fault(engine, lattice, *, fractions=None, layers=12, vacuum=12.0, relax_normal=True,
                               symbols=None, fmax=1e-4, refine=True) -> StackingFaultCurve:
    """Generalised stacking fault curve of fcc (111) along <112> (module equations), J/m^2.

    Parameters
    ----------
    engine, lattice, symbols
        As :func:`surface_energy` (lattice: fcc a in Å or a bulk ase.Atoms).
    fractions : array_like, optional
        Shifts in units of the partial Burgers vector b_p = a/√6 (default 0 ... 1, 11 points);
        values up to 3 (a full <112> period) are allowed.
    layers : int
        (111) planes of the slab (the fault lies between planes layers//2 - 1 and layers//2).
    relax_normal : bool
        Relax the atoms along the plane normal only (``fmax`` eV/Å), as in Vítek's construction.
    refine : bool
        Locate gamma_us by a bounded Brent search on (0, b_p) instead of taking the grid maximum.
    """
    a = fcc_lattice_constant_of(lattice)
    engine = as_engine(engine, _symbol(lattice, symbols))
    fractions = np.linspace(0.0, 1.0, 11) if fractions is None else np.asarray(fractions, dtype=float)
    if fractions.ndim != 1 or not np.all(np.isfinite(fractions)) or np.any((fractions < 0) | (fractions > 3)):
        raise InputError(f"fractions: got {fractions!r}, expected a 1-D array of shifts in [0, 3] (units of b_p)")
    slab = fcc_slab(a, "111", layers, vacuum)
    area = float(np.linalg.norm(np.cross(slab.cell[0], slab.cell[1])))
    b_p = a / np.sqrt(6.0)
    direction = (slab.cell[0] + slab.cell[1]) / 3.0
    direction /= np.linalg.norm(direction)
    z = slab.basis[:, 2]
    upper = z > 0.5 * (z.min() + z.max()) + 1e-9 if layers % 2 else z > np.sort(z)[layers // 2 - 1] + 1e-9
    mask = np.zeros((len(z), 3), dtype=bool)
    mask[:, 2] = True

    def energy(u):
        pos = slab.basis + np.outer(upper, u * direction)
        if relax_normal:
            return relax(engine, pos, slab.cell, True, method="lbfgs", mask=mask, fmax=fmax).energy
        return engine.compute(pos, slab.cell, True).energy

    e0 = energy(0.0)

    def gamma(u):
        return (energy(u) - e0) / area * EV_PER_A2_TO_J_PER_M2

    u = fractions * b_p
    g = np.array([gamma(x) for x in u])
    inside = (fractions > 0) & (fractions < 1)
    if refine:
        sol = minimize_scalar(lambda x: -gamma(x), bounds=(0.2 * b_p, 0.8 * b_p), method="bounded",
                              options=dict(xatol=1e-4 * b_p))
        u_us, g_us = float(sol.x), float(-sol.fun)
    elif np.any(inside):
        k = int(np.argmax(np.where(inside, g, -np.inf)))
        u_us, g_us = float(u[k]), float(g[k])
    else:
        raise InputError("fractions: no shift inside (0, 1) and refine=False, so gamma_us cannot be located")
    g_isf = float(g[np.isclose(fractions, 1.0)][0]) if np.any(np.isclose(fractions, 1.0)) else gamma(b_p)
    return StackingFaultCurve(u, fractions, g, g_us, g_isf, u_us, b_p)


@dataclass(frozen=True)
class ActivationEnergy:
    """A migration/reaction barrier: ``barrier`` in J per event (for laws.kinetics), ``barrier_eV`` in eV."""

    barrier: float
    barrier_eV: float
    reverse_barrier_eV: float
    neb: NEBResult

    def rate_constant(self, prefactor, temperature):
        """Arrhenius rate k = nu exp(-E_a / k_B T) (1/s for nu in 1/s) via :func:`laws.kinetics.arrhenius`."""
        return kinetics.arrhenius(prefactor, self.barrier, temperature)


def activation_energy(engine, initial, final, cell, pbc=True, *, n_images=5, spring=0.1, fmax=0.01,
                      symbols=None, relax_endpoints=True, endpoint_fmax=1e-3, max_steps=3000) -> ActivationEnergy:
    """Climbing-image NEB activation energy between two configurations (Å), in J and eV.

    End points are relaxed first (``relax_endpoints``) to ``endpoint_fmax`` eV/Å; the
    band (``n_images`` intermediate images, spring eV/Å^2) is converged to ``fmax`` eV/Å.
    """
    engine = as_engine(engine, symbols)
    if relax_endpoints:
        initial = relax(engine, initial, cell, pbc, method="lbfgs", fmax=endpoint_fmax).positions
        final = relax(engine, final, cell, pbc, method="lbfgs", fmax=endpoint_fmax).positions
    neb = nudged_elastic_band(engine, initial, final, cell, pbc, n_images=n_images, spring=spring, climb=True,
                              fmax=fmax, max_steps=max_steps)
    return ActivationEnergy(neb.barrier * EV, neb.barrier, neb.reverse_barrier, neb)


def vacancy_migration_barrier(engine, lattice, *, reps=2, symbols=None, **neb_options) -> ActivationEnergy:
    """Nearest-neighbour vacancy hop barrier in fcc (cubic supercell ``reps``^3 x 4 sites, one vacancy).

    The vacancy sits at the origin site; the hopping atom is its neighbour at a/2 (1, 1, 0)
    (the first site of the second conventional cell face), moved into the vacancy.
    """
    a = fcc_lattice_constant_of(lattice)
    engine = as_engine(engine, _symbol(lattice, symbols))
    sc = cubic_supercell("fcc", a, reps)
    target = np.array([0.5 * a, 0.5 * a, 0.0])
    hop = int(np.argmin(np.linalg.norm(sc.basis - target, axis=1)))
    final = sc.basis.copy()
    final[hop] = sc.basis[0]
    return activation_energy(engine, sc.basis[1:], final[1:], sc.cell, True, **neb_options)
