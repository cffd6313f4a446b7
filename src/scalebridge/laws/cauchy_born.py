r"""Cauchy–Born rule: continuum strain energy, stress and elastic constants from a lattice and a potential.

The Cauchy–Born rule deforms the lattice vectors with the continuum deformation
gradient F, :math:`\mathbf a_k \to \mathbf F\mathbf a_k`; in a multi-lattice the basis
atoms also move by shifts :math:`\boldsymbol\xi` that minimise the energy at fixed F
(inner relaxation). The strain energy density per reference volume :math:`V_0` of the
primitive cell is

.. math:: W(\mathbf F) = \min_{\boldsymbol\xi}\,\frac{E(\mathbf F, \boldsymbol\xi) - E_0}{V_0},\qquad
          \mathbf P = \frac{\partial W}{\partial \mathbf F} = J\,\boldsymbol\sigma\,\mathbf F^{-\mathsf T},\qquad
          \mathbf S = \mathbf F^{-1}\mathbf P,

with :math:`\boldsymbol\sigma` the Cauchy stress of the deformed cell (the virial of the engine,
valid at the relaxed shifts because :math:`\partial E/\partial\boldsymbol\xi = 0`). The elastic constants are
the second derivatives with respect to the Green–Lagrange strain
:math:`\mathbf E = (\mathbf F^{\mathsf T}\mathbf F - \mathbf I)/2` (F the symmetric stretch
:math:`\sqrt{\mathbf I + 2\mathbf E}`), in Voigt notation with engineering shears,

.. math:: C_{IJ} = \frac{\partial^2 W}{\partial e_I\,\partial e_J} = \frac{\partial S_I}{\partial e_J}.

"Relaxed-ion" constants include the inner relaxation, "clamped-ion" ones keep the basis
affine (they coincide for simple lattices and for centrosymmetric sites). At a
non-zero pressure p these Lagrangian constants differ from the stress–strain
(Birch) coefficients by terms of order p; :class:`ElasticConstants` reports p.

Units: engines work in eV and Å, so W, P, S, sigma are in eV/Å^3 here; the elastic
constants are returned in Pa (``.voigt``; ``.voigt_eV_per_A3`` in the engine's units).

References
----------
Tadmor & Miller, *Modeling Materials* (2011), sec. 11.2 (Cauchy–Born rule, multi-lattices),
sec. 2.5 and 8.1 (stress measures, elastic constants); Born & Huang, *Dynamical Theory
of Crystal Lattices* (1954), ch. III; Ericksen, in *Phase Transformations and Material
Instabilities in Solids* (1984).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import sqrtm
from scipy.optimize import minimize_scalar

from ..core.errors import ConvergenceError, InputError
from ..solvers.atomistic.base import EV_PER_A3_TO_PA, as_engine
from ..solvers.atomistic.lattice import Crystal, bcc, fcc, hcp
from ..solvers.atomistic.minimise import lbfgs

__all__ = ["CauchyBornState", "ElasticConstants", "cauchy_born", "strain_energy_density", "first_piola_stress",
           "cauchy_stress", "elastic_constants", "equilibrium_lattice_constant", "crystal_from",
           "voigt_to_strain", "VOIGT"]

#: Voigt index pairs (xx, yy, zz, yz, xz, xy)
VOIGT = ((0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1))
_BUILDERS = {"fcc": fcc, "bcc": bcc, "hcp": hcp}


def crystal_from(lattice, a=None) -> Crystal:
    """A :class:`Crystal` from a Crystal, an ``ase.Atoms`` (its cell and positions), or a name
    ("fcc", "bcc", "hcp") with the lattice constant ``a`` in Å."""
    if isinstance(lattice, Crystal):
        return lattice
    if isinstance(lattice, str):
        if lattice not in _BUILDERS:
            raise InputError(f"lattice: got {lattice!r}, expected one of {sorted(_BUILDERS)}, a Crystal or ase.Atoms")
        if a is None:
            raise InputError(f"a: got None for lattice {lattice!r}, expected the lattice constant in Å")
        return _BUILDERS[lattice](a)
    if hasattr(lattice, "get_positions") and hasattr(lattice, "get_cell"):
        return Crystal(np.array(lattice.get_cell()[:], dtype=float), lattice.get_positions())
    raise InputError(f"lattice: got {type(lattice).__name__}, expected a Crystal, ase.Atoms or a lattice name")


def _symbols_of(lattice, symbols):
    if symbols is None and hasattr(lattice, "get_chemical_symbols"):
        return lattice.get_chemical_symbols()
    return symbols


def voigt_to_strain(e) -> np.ndarray:
    """Symmetric 3x3 strain from a Voigt 6-vector with engineering shears (e4 = 2 E_yz, ...)."""
    e = np.asarray(e, dtype=float)
    E = np.zeros((3, 3))
    for k, (a, b) in enumerate(VOIGT):
        E[a, b] = E[b, a] = e[k] if a == b else 0.5 * e[k]
    return E


def _stretch(E):
    """The symmetric right stretch U = sqrt(I + 2E) (so that U^T U - I = 2E)."""
    return np.real(sqrtm(np.eye(3) + 2 * E))


@dataclass(frozen=True)
class CauchyBornState:
    """The Cauchy–Born answer at one F (eV/Å^3 for W and the stresses; basis in Å, deformed)."""

    F: np.ndarray
    W: float
    cauchy: np.ndarray
    first_piola: np.ndarray
    second_piola: np.ndarray
    basis: np.ndarray
    energy: float


class _CauchyBorn:
    """Evaluates W(F) and the stresses for one crystal and engine (reference energy cached)."""

    def __init__(self, engine, crystal, relaxed_ions, fmax):
        self.engine, self.crystal, self.relaxed_ions, self.fmax = engine, crystal, relaxed_ions, fmax
        self.e0 = None
        self.e0 = self.state(np.eye(3)).energy

    def state(self, F):
        F = np.asarray(F, dtype=float)
        if F.shape != (3, 3) or not np.all(np.isfinite(F)) or np.linalg.det(F) <= 0:
            raise InputError(f"F: got {np.array2string(np.asarray(F), precision=4)}, expected a finite 3x3 "
                             "deformation gradient with det F > 0")
        cell = self.crystal.cell @ F.T
        basis = self.crystal.basis @ F.T
        if self.relaxed_ions and len(basis) > 1:
            mask = np.ones((len(basis), 3), dtype=bool)
            mask[0] = False                          # fix the rigid translation
            rel = lbfgs(self.engine, basis, cell, True, mask=mask, fmax=self.fmax, max_steps=2000)
            basis, res = rel.positions, rel.result
        else:
            res = self.engine.compute(basis, cell, True)
        if not np.all(np.isfinite(res.stress)):
            raise ConvergenceError("Cauchy–Born: the engine returned no stress for the periodic cell")
        v0 = self.crystal.volume
        J = np.linalg.det(F)
        P = J * res.stress @ np.linalg.inv(F).T
        W = np.nan if self.e0 is None else (res.energy - self.e0) / v0
        return CauchyBornState(F, W, res.stress, P, np.linalg.solve(F, P), basis, res.energy)


def cauchy_born(engine, lattice, F, *, a=None, relaxed_ions=True, symbols=None, fmax=1e-6) -> CauchyBornState:
    """W(F), Cauchy, first and second Piola–Kirchhoff stresses (eV/Å^3) of a crystal under F.

    Parameters
    ----------
    engine : engine or ASE calculator
        Our potential or an ASE calculator (``symbols`` from an ``ase.Atoms`` lattice, or given).
    lattice : Crystal, ase.Atoms or {"fcc", "bcc", "hcp"}
        The undeformed primitive (or any periodic) cell, stress free or not; ``a`` (Å) with a name.
    F : array_like (3, 3)
        Deformation gradient (dimensionless, det F > 0).
    relaxed_ions : bool
        Inner relaxation of the basis (multi-lattices) to ``fmax`` eV/Å.
    """
    crystal = crystal_from(lattice, a)
    cb = _CauchyBorn(as_engine(engine, _symbols_of(lattice, symbols)), crystal, relaxed_ions, fmax)
    return cb.state(F)


def strain_energy_density(engine, lattice, F, **kwargs) -> float:
    """W(F) in eV/Å^3 (times 1.602176634e11 for J/m^3); arguments as :func:`cauchy_born`."""
    return cauchy_born(engine, lattice, F, **kwargs).W


def first_piola_stress(engine, lattice, F, *, method="virial", step=1e-5, **kwargs) -> np.ndarray:
    """First Piola–Kirchhoff stress P = dW/dF (eV/Å^3).

    ``method="virial"``: :math:`J\\sigma F^{-T}` from the engine's stress;
    ``method="energy"``: central differences of W(F) in each component of F (step ``step``),
    a route independent of the engine's stress.
    """
    if method == "virial":
        return cauchy_born(engine, lattice, F, **kwargs).first_piola
    if method != "energy":
        raise InputError(f"method: got {method!r}, expected 'virial' or 'energy'")
    crystal = crystal_from(lattice, kwargs.pop("a", None))
    symbols = _symbols_of(lattice, kwargs.pop("symbols", None))
    cb = _CauchyBorn(as_engine(engine, symbols), crystal, kwargs.pop("relaxed_ions", True), kwargs.pop("fmax", 1e-6))
    F = np.asarray(F, dtype=float)
    P = np.empty((3, 3))
    for a in range(3):
        for b in range(3):
            dF = np.zeros((3, 3))
            dF[a, b] = step
            P[a, b] = (cb.state(F + dF).W - cb.state(F - dF).W) / (2 * step)
    return P


def cauchy_stress(engine, lattice, F, *, method="virial", **kwargs) -> np.ndarray:
    """Cauchy stress sigma = P F^T / J (eV/Å^3, tension positive); ``method`` as :func:`first_piola_stress`."""
    F = np.asarray(F, dtype=float)
    return first_piola_stress(engine, lattice, F, method=method, **kwargs) @ F.T / np.linalg.det(F)


@dataclass(frozen=True)
class ElasticConstants:
    """Voigt 6x6 elastic constants C_IJ = d^2W/de_I de_J at the reference state.

    ``voigt`` in Pa, ``voigt_eV_per_A3`` in eV/Å^3; ``pressure`` of the reference state
    in Pa (-tr(sigma)/3); ``relaxed_ions``: inner relaxation included; ``method``:
    "energy" (finite differences of W) or "stress" (least-squares fit of S against e).
    """

    voigt_eV_per_A3: np.ndarray
    pressure: float
    relaxed_ions: bool
    method: str
    strain: float

    @property
    def voigt(self) -> np.ndarray:
        return self.voigt_eV_per_A3 * EV_PER_A3_TO_PA

    @property
    def C11(self) -> float:
        """C11 in Pa."""
        return float(self.voigt[0, 0])

    @property
    def C12(self) -> float:
        """C12 in Pa."""
        return float(self.voigt[0, 1])

    @property
    def C44(self) -> float:
        """C44 in Pa."""
        return float(self.voigt[3, 3])

    @property
    def bulk_modulus(self) -> float:
        """Voigt average bulk modulus (C11 + C22 + C33 + 2(C12 + C13 + C23))/9 in Pa."""
        c = self.voigt
        return float((np.trace(c[:3, :3]) + 2 * (c[0, 1] + c[0, 2] + c[1, 2])) / 9)


def elastic_constants(engine, lattice, *, a=None, method="energy", relaxed_ions=True, strain=1e-4,
                      symbols=None, fmax=1e-8) -> ElasticConstants:
    """Cauchy–Born elastic constants C_IJ (module equations) by finite differences or a stress fit.

    Parameters
    ----------
    engine, lattice, a, symbols
        As :func:`cauchy_born`.
    method : {"energy", "stress"}
        "energy": central second differences of W(e) with step ``strain``;
        "stress": least-squares slope of the second Piola–Kirchhoff stress S_I against
        e_J at e_J = ±strain, ±2 strain (0 included).
    relaxed_ions : bool
        Relaxed-ion (inner relaxation of the basis) or clamped-ion constants.
    strain : float
        Strain step (dimensionless, in [1e-6, 0.05]); the default 1e-4 balances the O(h^2)
        truncation against round-off (C12 - C44 of LJ fcc ~ 3e-7 C44 by energy, 7e-9 by stress).
    fmax : float
        Force tolerance of the inner relaxation (eV/Å); tight, since the stress error is
        linear in it.

    Returns
    -------
    ElasticConstants
        C in Pa and eV/Å^3, the reference pressure, the method and the ion treatment.
    """
    if not (np.isfinite(strain) and 1e-6 <= strain <= 5e-2):
        raise InputError(f"strain: got {strain!r}, expected a finite-difference strain in [1e-6, 0.05]")
    crystal = crystal_from(lattice, a)
    cb = _CauchyBorn(as_engine(engine, _symbols_of(lattice, symbols)), crystal, relaxed_ions, fmax)
    h = float(strain)

    def state(e):
        return cb.state(_stretch(voigt_to_strain(e)))

    ref = state(np.zeros(6))
    C = np.empty((6, 6))
    unit = np.eye(6)
    if method == "energy":
        w = {}

        def W(e):
            key = tuple(np.round(np.asarray(e) / h).astype(int))
            if key not in w:
                w[key] = state(e).W
            return w[key]

        for I in range(6):
            C[I, I] = (W(h * unit[I]) - 2 * ref.W + W(-h * unit[I])) / h ** 2
            for J in range(I):
                C[I, J] = C[J, I] = (W(h * (unit[I] + unit[J])) - W(h * (unit[I] - unit[J]))
                                     - W(h * (unit[J] - unit[I])) + W(-h * (unit[I] + unit[J]))) / (4 * h * h)
    elif method == "stress":
        steps = h * np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
        for J in range(6):
            S = np.array([[state(s * unit[J]).second_piola[p] for p in VOIGT] if s else
                          [ref.second_piola[p] for p in VOIGT] for s in steps])
            C[:, J] = np.polyfit(steps, S, 1)[0]
        C = 0.5 * (C + C.T)
    else:
        raise InputError(f"method: got {method!r}, expected 'energy' or 'stress'")
    pressure = -np.trace(ref.cauchy) / 3 * EV_PER_A3_TO_PA
    return ElasticConstants(C, float(pressure), bool(relaxed_ions), method, h)


def equilibrium_lattice_constant(engine, lattice="fcc", guess=None, *, symbols=None, bracket=0.1,
                                 tolerance=1e-7) -> float:
    """Zero-pressure cubic lattice constant (Å): minimum of the energy per atom of the primitive cell.

    Parameters
    ----------
    lattice : {"fcc", "bcc"}
        The cubic lattice.
    guess : float
        Starting lattice constant (Å); the search is bounded to guess (1 ± bracket).
    """
    if lattice not in ("fcc", "bcc"):
        raise InputError(f"lattice: got {lattice!r}, expected 'fcc' or 'bcc'")
    if guess is None or not (np.isfinite(guess) and guess > 0):
        raise InputError(f"guess: got {guess!r}, expected a starting lattice constant > 0 Å")
    engine = as_engine(engine, symbols)
    build = _BUILDERS[lattice]

    def energy(a):
        c = build(a)
        return engine.compute(c.basis, c.cell, True).energy

    lo, hi = guess * (1 - bracket), guess * (1 + bracket)
    sol = minimize_scalar(energy, bounds=(lo, hi), method="bounded", options=dict(xatol=tolerance))
    if not sol.success or min(sol.x - lo, hi - sol.x) < 10 * tolerance:
        raise ConvergenceError(f"equilibrium_lattice_constant: no minimum of E(a) inside [{lo:.4g}, {hi:.4g}] Å "
                               f"(got a = {sol.x:.6g}); give a better guess or a wider bracket")
    return float(sol.x)
