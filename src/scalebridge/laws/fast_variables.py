r"""Fast-variable elimination in stiff mass-action networks: QSSA and partial equilibrium.

A homogeneous mass-action network :math:`\dot c = S^\mathsf{T} r(c)`, with
:math:`r_j = k^f_j\prod_i c_i^{a_{ji}} - k^r_j\prod_i c_i^{b_{ji}}` (concentrations
in mol/m³, rate constants in the matching SI units, rates in mol/(m³ s)) often
relaxes on two scales: a few intermediates (enzyme complexes, radicals) or fast
reversible steps equilibrate in :math:`\tau_\mathrm{fast}`, and the rest of the
network moves on :math:`\tau_\mathrm{slow} \gg \tau_\mathrm{fast}`. Eliminating the
fast variables gives a smaller, non-stiff model that is accurate to
:math:`O(\tau_\mathrm{fast}/\tau_\mathrm{slow})` after an initial layer
(Tikhonov's theorem; Segel & Slemrod 1989, SIAM Rev. 31, 446):

* **quasi-steady state** (QSSA) of species :math:`F`: :math:`\dot c_F = 0` replaces
  their rate equations (Bodenstein 1913; Briggs & Haldane 1925);
* **partial equilibrium** (PEA) of reversible steps :math:`R`: :math:`r_R(c) = 0`
  replaces the extents of those steps, the slow variables are the combinations
  :math:`Qc` they leave unchanged (:math:`QS_R^\mathsf{T} = 0`; Michaelis & Menten
  1913; Goussis 2012, Combust. Theory Model. 16, 869).

Conservation laws :math:`Lc = \mathrm{const}` (:math:`LS^\mathsf{T} = 0`) are imposed
exactly. The candidates are selected from time-scale estimates at a reference state
(:func:`time_scale_analysis`): the Jacobian restricted to independent species gives
each species' *lifetime* :math:`\tau_i = 1/|J_{ii}|` (the usual QSS-species
indicator; Lam & Goussis 1994, Int. J. Chem. Kinet. 26, 461; Lu & Law 2006,
J. Phys. Chem. A 110, 13202), its spectrum gives the gap and :math:`\varepsilon`, and species below the
gap, with Damköhler numbers :math:`\mathrm{Da}_i = \tau_\mathrm{slow}/\tau_i \gg 1`, are
quasi-steady. For Michaelis–Menten kinetics
:math:`E + S \rightleftharpoons C \to E + P` this picks the complex :math:`C`, with
:math:`\tau_C = 1/(k_1(S_0+K_M))` and :math:`\varepsilon = E_0/(S_0+K_M)` at the
initial state, Segel & Slemrod's parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy.integrate import solve_ivp
from scipy.linalg import null_space

from ..core.checks import CheckResult
from ..core.errors import ConvergenceError, InputError, ScaleSeparationError
from ..core.timescales import TimeScales, spectral_time_scales
from .mechanism import parse_reaction

__all__ = ["MassActionSystem", "TimeScaleAnalysis", "time_scale_analysis", "ReducedModel",
           "quasi_steady_state_reduction", "partial_equilibrium_reduction", "reduce_stiff_network",
           "check_reduction", "michaelis_menten_epsilon"]

class MassActionSystem:
    r"""A homogeneous mass-action reaction network :math:`\dot c = S^\mathsf{T} r(c)`.

    Parameters
    ----------
    equations : sequence of str
        E.g. ``["E + S <-> C", "C -> E + P"]``; ``<->`` reversible, ``->``
        irreversible, ``0`` for an empty side (inflow/outflow).
    rate_constants : sequence
        One entry per equation: ``k`` for ``->``, ``(k_forward, k_reverse)`` for
        ``<->``; SI units of the order (1/s, m³/(mol s), ...), all >= 0.
    name : str

    Attributes
    ----------
    species : list of str
        In order of first appearance.
    reactant_orders, product_orders : ndarray, shape (n_reactions, n_species)
    stoichiometry : ndarray, shape (n_reactions, n_species)
        ``product_orders - reactant_orders``.
    kf, kr : ndarray, shape (n_reactions,)
    """

    def __init__(self, equations: Sequence[str], rate_constants: Sequence, name: str = "network"):
        equations = list(equations)
        if not equations or len(rate_constants) != len(equations):
            raise InputError(f"{name}: need one rate-constant entry per equation, got {len(rate_constants)} "
                             f"for {len(equations)} equations")
        parsed = [parse_reaction(e, "MassActionSystem", allow_empty=True) for e in equations]
        self.name, self.equations = name, equations
        self.species = list(dict.fromkeys(s for r, p, _ in parsed for s in (*r, *p)))
        idx = {s: i for i, s in enumerate(self.species)}
        n_r, n_s = len(parsed), len(self.species)
        self.reactant_orders, self.product_orders = np.zeros((n_r, n_s)), np.zeros((n_r, n_s))
        self.kf, self.kr = np.zeros(n_r), np.zeros(n_r)
        self.reversible = np.zeros(n_r, dtype=bool)
        for j, ((r, p, rev), k) in enumerate(zip(parsed, rate_constants)):
            for s, v in r.items():
                self.reactant_orders[j, idx[s]] = v
            for s, v in p.items():
                self.product_orders[j, idx[s]] = v
            ks = np.atleast_1d(np.asarray(k, dtype=float))
            if ks.shape != ((2,) if rev else (1,)) or not np.all(np.isfinite(ks)) or np.any(ks < 0):
                raise InputError(f"{name}: rate constants of {equations[j]!r}: got {k!r}, expected "
                                 + ("(k_forward, k_reverse) >= 0" if rev else "one k >= 0"))
            self.kf[j] = ks[0]
            self.kr[j] = ks[1] if rev else 0.0
            self.reversible[j] = rev
        self.stoichiometry = self.product_orders - self.reactant_orders
        eye = np.eye(n_s)
        self._ea = self.reactant_orders[:, None, :] - eye[None] * (self.reactant_orders[:, :, None] > 0)
        self._eb = self.product_orders[:, None, :] - eye[None] * (self.product_orders[:, :, None] > 0)

    # ---------------------------------------------------------------- kinetics (batched)
    def index(self, names) -> np.ndarray:
        """Column indices of species ``names`` (InputError for an unknown name)."""
        unknown = [n for n in names if n not in self.species]
        if unknown:
            raise InputError(f"{self.name}: unknown species {unknown}; species are {self.species}")
        return np.array([self.species.index(n) for n in names], dtype=int)

    def concentrations(self, values) -> np.ndarray:
        """A concentration vector (mol/m³) from a mapping species -> value (others 0) or an array."""
        if isinstance(values, dict):
            self.index(list(values))
            c = np.array([float(values.get(s, 0.0)) for s in self.species])
        else:
            c = np.asarray(values, dtype=float)
        if c.shape[-1:] != (len(self.species),) or not np.all(np.isfinite(c)) or np.any(c < 0):
            raise InputError(f"{self.name}: concentrations must be finite, >= 0, with {len(self.species)} "
                             f"species {self.species} on the last axis; got shape {c.shape}")
        return c

    def gross_rates(self, c):
        """Forward and reverse rates ``kf prod c^a``, ``kr prod c^b`` (..., n_reactions)."""
        c = np.asarray(c, dtype=float)[..., None, :]
        return (self.kf * np.prod(c ** self.reactant_orders, axis=-1),
                self.kr * np.prod(c ** self.product_orders, axis=-1))

    def rates(self, c) -> np.ndarray:
        """Net rates r_j (..., n_reactions), mol/(m³ s)."""
        f, r = self.gross_rates(c)
        return f - r

    def rhs(self, c) -> np.ndarray:
        """dc/dt = S^T r (..., n_species)."""
        return self.rates(c) @ self.stoichiometry

    def rate_jacobian(self, c) -> np.ndarray:
        """d r_j / d c_i (..., n_reactions, n_species)."""
        c = np.asarray(c, dtype=float)[..., None, None, :]
        dmf = self.reactant_orders * np.prod(c ** self._ea, axis=-1)
        dmr = self.product_orders * np.prod(c ** self._eb, axis=-1)
        return self.kf[:, None] * dmf - self.kr[:, None] * dmr

    def jacobian(self, c) -> np.ndarray:
        """d(dc_i/dt)/dc_k (..., n_species, n_species), 1/s."""
        return np.einsum("ji,...jk->...ik", self.stoichiometry, self.rate_jacobian(c))

    def conservation_laws(self) -> np.ndarray:
        """Orthonormal basis L (n_conserved, n_species) with L S^T = 0: L c is constant."""
        return null_space(self.stoichiometry).T

    def integrate(self, initial, times, *, rtol: float = 1e-10, atol: float | None = None) -> np.ndarray:
        """Full (stiff) solution c(t) at ``times`` (n_t, n_species), BDF with the analytic Jacobian."""
        c0 = self.concentrations(initial)
        t = np.asarray(times, dtype=float)
        atol = 1e-12 * max(float(c0.max()), 1e-300) if atol is None else atol
        sol = solve_ivp(lambda _t, y: self.rhs(y), (0.0, float(t[-1])), c0, method="BDF", t_eval=t,
                        jac=lambda _t, y: self.jacobian(y), rtol=rtol, atol=atol)
        if not sol.success or not np.all(np.isfinite(sol.y)):
            raise ConvergenceError(f"{self.name}: full integration failed ({sol.message})")
        return sol.y.T


# ------------------------------------------------------------------------ time scales
def _dependent_species(system: MassActionSystem, L: np.ndarray, c_ref: np.ndarray, exclude=()) -> np.ndarray:
    """One species per conservation law to eliminate: pure products first, then the most abundant."""
    never_reactant = ~(system.reactant_orders > 0).any(axis=0)
    order = sorted(set(range(len(system.species))) - set(exclude),
                   key=lambda i: (not never_reactant[i], -c_ref[i], i))
    chosen: list[int] = []
    for i in order:
        if len(chosen) == L.shape[0]:
            break
        if np.linalg.matrix_rank(L[:, chosen + [i]], tol=1e-10) == len(chosen) + 1:
            chosen.append(i)
    if len(chosen) < L.shape[0]:
        raise InputError(f"{system.name}: cannot eliminate {L.shape[0]} conservation law(s) without the species "
                         f"{[system.species[i] for i in exclude]}; choose other fast variables")
    return np.array(sorted(chosen), dtype=int)


@dataclass(frozen=True)
class TimeScaleAnalysis:
    """Time scales of a mass-action network at a reference state and the fast variables they select.

    Attributes
    ----------
    independent : list of str
        Species left after eliminating one per conservation law (``dependent``).
    dependent : list of str
    lifetimes : dict
        Species -> :math:`\\tau_i = 1/|J_{ii}|` of the reduced Jacobian, s (inf if 0).
    damkohler : dict
        Species -> :math:`\\mathrm{Da}_i = \\tau_\\mathrm{slow}/\\tau_i`.
    spectrum : TimeScales
        Eigen time scales of the reduced Jacobian (gap, epsilon).
    fast_species : list of str
        Quasi-steady-state candidates: the ``spectrum.n_fast`` species of shortest
        lifetime, if below the gap (its geometric middle) and :math:`\\varepsilon <`
        the threshold (a lifetime alone can be short for a species whose total is
        slow, e.g. a substrate in rapid binding equilibrium).
    reaction_times : dict
        Equation -> :math:`1/|\\sum_i S_{ji}\\,\\partial r_j/\\partial c_i|`, s.
    equilibrium_reactions : list of str
        Partial-equilibrium candidates: reversible, faster than the gap, and
        consuming a fast species for at least ``1 - threshold`` of its lifetime.
    epsilon : float
    """

    independent: list
    dependent: list
    lifetimes: dict
    damkohler: dict
    spectrum: TimeScales
    fast_species: list
    reaction_times: dict
    equilibrium_reactions: list
    epsilon: float


def time_scale_analysis(system: MassActionSystem, reference, threshold: float = 0.1) -> TimeScaleAnalysis:
    r"""Per-species lifetimes, Damköhler numbers and the spectral gap of a network at a state.

    With the conservation laws eliminated (:math:`c_D = c_D(c_I)`), the reduced
    Jacobian :math:`J_r = \partial\dot c_I/\partial c_I` gives lifetimes
    :math:`\tau_i = 1/|J_{r,ii}|` (Lam & Goussis 1994; Lu & Law 2006), and its spectrum the fast and slow
    time scales across the largest gap (:func:`scalebridge.core.timescales.spectral_time_scales`).
    When :math:`\varepsilon <` ``threshold``, the :math:`n_\mathrm{fast}` species of
    shortest lifetime (one per mode below the gap) with
    :math:`\tau_i \le \sqrt{\tau_\mathrm{fast}\tau_\mathrm{slow}}` are quasi-steady candidates.

    Parameters
    ----------
    system : MassActionSystem
    reference : mapping or array_like
        Reference concentrations (mol/m³), e.g. the initial state.
    threshold : float
        Largest :math:`\varepsilon` for which fast variables are eliminated.
    """
    if not 0 < threshold < 1:
        raise InputError(f"time_scale_analysis: threshold={threshold!r}, expected 0 < threshold < 1")
    c = system.concentrations(reference)
    L = system.conservation_laws()
    dep = _dependent_species(system, L, c)
    ind = np.setdiff1d(np.arange(len(system.species)), dep)
    Jr = _reduced_jacobian(system, c, L, ind, dep)
    diag = np.abs(np.diag(Jr))
    with np.errstate(divide="ignore"):
        life = np.where(diag > 0, 1.0 / diag, np.inf)
    spectrum = spectral_time_scales(Jr)
    mid = np.sqrt(spectrum.fast_time * spectrum.slow_time)
    shortest = np.argsort(life, kind="stable")[:spectrum.n_fast]
    fast = [system.species[ind[i]] for i in sorted(shortest) if spectrum.epsilon < threshold and life[i] <= mid]
    dr = system.rate_jacobian(c)                                   # (n_r, n_s)
    lam = np.abs(np.einsum("ji,ji->j", system.stoichiometry, dr))
    with np.errstate(divide="ignore"):
        rtimes = np.where(lam > 0, 1.0 / lam, np.inf)
    # consumption of species p by step j (either direction): a_jp d(forward)/dc_p + b_jp d(reverse)/dc_p
    f_part = system.kf[:, None] * system.reactant_orders * np.prod(c[None, None] ** system._ea, -1)
    r_part = system.kr[:, None] * system.product_orders * np.prod(c[None, None] ** system._eb, -1)
    consumption = system.reactant_orders * f_part + system.product_orders * r_part    # (n_r, n_s)
    share = consumption / np.maximum(consumption.sum(axis=0), np.finfo(float).tiny)
    fast_idx = system.index(fast) if fast else np.array([], dtype=int)
    pe = [system.equations[j] for j in range(len(system.equations))
          if system.reversible[j] and rtimes[j] <= mid and fast_idx.size
          and np.any(share[j, fast_idx] >= 1.0 - threshold)]
    return TimeScaleAnalysis([system.species[i] for i in ind], [system.species[i] for i in dep],
                             {system.species[i]: float(t) for i, t in zip(ind, life)},
                             {system.species[i]: float(spectrum.slow_time / t) for i, t in zip(ind, life)},
                             spectrum, fast, dict(zip(system.equations, map(float, rtimes))), pe,
                             spectrum.epsilon)


def _elimination_map(L, ind, dep, n):
    """dc/dc_I (n, n_I) with c_D = L_D^-1 (T - L_I c_I)."""
    E = np.zeros((n, ind.size))
    E[ind, np.arange(ind.size)] = 1.0
    if dep.size:
        E[dep] = -np.linalg.solve(L[:, dep], L[:, ind])
    return E


def _reduced_jacobian(system, c, L, ind, dep):
    return system.jacobian(c)[ind] @ _elimination_map(L, ind, dep, len(system.species))


# ------------------------------------------------------------------------ reduced models
class ReducedModel:
    r"""A reduced network: slow variables :math:`z = Pc` and algebraic constraints :math:`A(c) = 0`.

    :math:`\dot z = P\,S^\mathsf{T} r(c)`, with :math:`c` recovered from :math:`z` at
    every evaluation by Newton's method on :math:`[Pc - z;\ A(c)] = 0`. Built by
    :func:`quasi_steady_state_reduction` or :func:`partial_equilibrium_reduction`.

    Attributes
    ----------
    method : str
        ``"QSSA"`` or ``"partial equilibrium"``.
    eliminated : list of str
        The quasi-steady species or the equilibrated equations.
    """

    def __init__(self, system, projection, constraint, constraint_jacobian, initial, method, eliminated,
                 newton_tol=1e-12, max_newton=50):
        self.system, self.P, self.method, self.eliminated = system, projection, method, list(eliminated)
        self._A, self._dA = constraint, constraint_jacobian
        self.initial = system.concentrations(initial)
        self.newton_tol, self.max_newton = newton_tol, max_newton
        self._scale = max(float(self.initial.max()), np.finfo(float).tiny)
        self._last = self.initial.copy()

    def concentrations_on_manifold(self, z) -> np.ndarray:
        """All concentrations c with Pc = z on the slow manifold A(c) = 0 (Newton from the last solution)."""
        c = self._last.copy()
        for it in range(self.max_newton):
            g = np.concatenate([self.P @ c - z, self._A(c)])
            jac = np.vstack([self.P, self._dA(c)])
            try:
                dc = np.linalg.solve(jac, -g)
            except np.linalg.LinAlgError:
                raise ConvergenceError(f"{self.system.name} {self.method}: singular constraint Jacobian at "
                                       f"c = {c}") from None
            c = c + dc
            if np.max(np.abs(dc)) <= self.newton_tol * self._scale:
                break
        else:
            raise ConvergenceError(f"{self.system.name} {self.method}: Newton did not converge in "
                                   f"{self.max_newton} iterations (last step {np.max(np.abs(dc)):.3g})")
        if not np.all(np.isfinite(c)):
            raise ConvergenceError(f"{self.system.name} {self.method}: non-finite concentrations")
        self._last = c
        return c

    def integrate(self, times, *, rtol: float = 1e-10, atol: float | None = None) -> np.ndarray:
        """Reduced solution c(t) at ``times`` (n_t, n_species), starting on the manifold at P c0."""
        t = np.asarray(times, dtype=float)
        self._last = self.initial.copy()
        z0 = self.P @ self.initial
        self.concentrations_on_manifold(z0)
        atol = 1e-12 * self._scale if atol is None else atol
        sol = solve_ivp(lambda _t, z: self.P @ self.system.rhs(self.concentrations_on_manifold(z)),
                        (0.0, float(t[-1])), z0, method="LSODA", t_eval=t, rtol=rtol, atol=atol)
        if not sol.success:
            raise ConvergenceError(f"{self.system.name} {self.method}: integration failed ({sol.message})")
        self._last = self.initial.copy()
        return np.array([self.concentrations_on_manifold(z) for z in sol.y.T])


def quasi_steady_state_reduction(system: MassActionSystem, fast_species: Sequence[str], initial) -> ReducedModel:
    r"""QSSA: :math:`\dot c_F = 0` for the fast species, conservation laws exact.

    Slow variables: the species neither quasi-steady nor eliminated by a
    conservation law; algebraic: :math:`Lc = Lc_0` and :math:`(S^\mathsf{T}r(c))_F = 0`.
    For Michaelis–Menten with :math:`F = \{C\}` this is the standard QSSA,
    :math:`\dot S = -k_2E_0S/(K_M + S)` (Briggs & Haldane 1925; Segel & Slemrod 1989).

    Parameters
    ----------
    system : MassActionSystem
    fast_species : sequence of str
    initial : mapping or array_like
        c(0), mol/m³; the reduced model starts at the slow variables of c(0).
    """
    fast = system.index(list(fast_species))
    if fast.size == 0:
        raise InputError(f"{system.name}: quasi_steady_state_reduction needs at least one fast species")
    c0 = system.concentrations(initial)
    L = system.conservation_laws()
    dep = _dependent_species(system, L, c0, exclude=set(fast.tolist()))
    slow = np.setdiff1d(np.arange(len(system.species)), np.concatenate([dep, fast]))
    P = np.eye(len(system.species))[slow]
    T = L @ c0

    def constraint(c):
        return np.concatenate([L @ c - T, system.rhs(c)[fast]])

    def constraint_jacobian(c):
        return np.vstack([L, system.jacobian(c)[fast]])

    return ReducedModel(system, P, constraint, constraint_jacobian, c0, "QSSA",
                        [system.species[i] for i in fast])


def partial_equilibrium_reduction(system: MassActionSystem, equations: Sequence[str], initial) -> ReducedModel:
    r"""Partial equilibrium: :math:`r_j(c) = 0` for the given reversible steps.

    Slow variables :math:`z = Qc` with :math:`Q S_R^\mathsf{T} = 0` (the combinations the
    fast steps leave unchanged; conservation laws are among them), algebraic
    :math:`k^f_j\prod c^{a_j} = k^r_j\prod c^{b_j}`, each row scaled by its gross rate
    at :math:`c_0`. For :math:`E+S \rightleftharpoons C` fast this is Michaelis &
    Menten's rapid equilibrium, :math:`C = E\,S/K_d`, :math:`K_d = k_{-1}/k_1`.
    """
    missing = [e for e in equations if e not in system.equations]
    if missing or not equations:
        raise InputError(f"{system.name}: partial_equilibrium_reduction needs equations of the network, got "
                         f"{list(equations)}; equations are {system.equations}")
    R = np.array([system.equations.index(e) for e in equations])
    if not np.all(system.reversible[R]):
        raise InputError(f"{system.name}: partial equilibrium needs reversible ('<->') steps, got "
                         f"{[system.equations[j] for j in R if not system.reversible[j]]}")
    c0 = system.concentrations(initial)
    Q = null_space(system.stoichiometry[R]).T
    if Q.shape[0] + R.size != len(system.species):
        raise InputError(f"{system.name}: the equilibrated steps {list(equations)} are linearly dependent")
    f0, r0 = system.gross_rates(c0)
    scale = 1.0 / np.maximum(f0[R] + r0[R], np.finfo(float).tiny * 1e10)
    scale = np.where(np.isfinite(scale) & (f0[R] + r0[R] > 0), scale, 1.0)
    return ReducedModel(system, Q, lambda c: scale * system.rates(c)[R],
                        lambda c: scale[:, None] * system.rate_jacobian(c)[R], c0, "partial equilibrium",
                        list(equations))


def reduce_stiff_network(system: MassActionSystem, initial, *, method: str = "auto", reference=None,
                         threshold: float = 0.1):
    """Select the fast variables from time scales at ``reference`` (default ``initial``) and reduce.

    ``method="auto"`` or ``"QSSA"``: quasi-steady state of the selected fast species;
    ``"partial equilibrium"``: equilibrium of the selected reversible steps.

    Returns
    -------
    (ReducedModel, TimeScaleAnalysis)

    Raises
    ------
    ScaleSeparationError
        If the spectrum has no gap below ``threshold`` (nothing can be eliminated).
    """
    analysis = time_scale_analysis(system, initial if reference is None else reference, threshold)
    if method not in ("auto", "QSSA", "partial equilibrium"):
        raise InputError(f"reduce_stiff_network: method={method!r}, expected 'auto', 'QSSA' or "
                         "'partial equilibrium'")
    if not analysis.fast_species:
        raise ScaleSeparationError(f"{system.name}: no fast species (eps = {analysis.epsilon:.3g} >= "
                                   f"{threshold:g}); keep the full model")
    if method == "partial equilibrium":
        if not analysis.equilibrium_reactions:
            raise ScaleSeparationError(f"{system.name}: no reversible step dominates the consumption of the fast "
                                       f"species {analysis.fast_species}; use QSSA")
        return partial_equilibrium_reduction(system, analysis.equilibrium_reactions, initial), analysis
    return quasi_steady_state_reduction(system, analysis.fast_species, initial), analysis


def check_reduction(reduced: ReducedModel, times, *, tolerance: float = 0.01, skip_layer: float = 0.0
                    ) -> CheckResult:
    """Compare a reduced model with the full network; passes when the max error <= ``tolerance``.

    The error of species i is max_t |c_red - c_full| / max_t |c_full| over
    ``times >= skip_layer`` (s; skip the initial layer, O(tau_fast), if desired).
    ``data`` holds the error per species and both solutions.
    """
    t = np.asarray(times, dtype=float)
    full = reduced.system.integrate(reduced.initial, t)
    red = reduced.integrate(t)
    keep = t >= skip_layer
    scale = np.maximum(np.abs(full).max(axis=0), np.finfo(float).tiny)
    err = (np.abs(red - full)[keep]).max(axis=0) / scale
    errors = dict(zip(reduced.system.species, map(float, err)))
    worst = max(errors, key=errors.get)
    ok = errors[worst] <= tolerance
    return CheckResult(f"{reduced.method} reduction of {reduced.system.name}", ok,
                       f"largest error {errors[worst]:.3g} ({worst}) {'<=' if ok else '>'} {tolerance:g} after "
                       f"eliminating {reduced.eliminated}",
                       {"errors": errors, "times": t, "full": full, "reduced": red, "tolerance": tolerance})


def michaelis_menten_epsilon(enzyme_total, substrate_total, k1, k_minus1, k2) -> float:
    r"""Segel & Slemrod's parameter :math:`\varepsilon = E_0/(S_0 + K_M)`, :math:`K_M = (k_{-1}+k_2)/k_1`.

    The QSSA of the complex holds when the substrate changes little during the
    complex's build-up time :math:`t_C = 1/(k_1(S_0+K_M))`, i.e.
    :math:`\varepsilon \ll 1`; it bounds the time-scale ratio
    :math:`t_C/t_S = \varepsilon\,k_2/(k_1(S_0+K_M)) \le \varepsilon` with the substrate
    time :math:`t_S = (S_0+K_M)/(k_2E_0)` (Segel & Slemrod 1989, SIAM Rev. 31, 446, §3).
    """
    vals = np.array([enzyme_total, substrate_total, k1, k_minus1, k2], dtype=float)
    if not np.all(np.isfinite(vals)) or np.any(vals < 0) or vals[2] <= 0:
        raise InputError(f"michaelis_menten_epsilon: got E0, S0, k1, k-1, k2 = {vals.tolist()}, expected >= 0 "
                         "with k1 > 0")
    e0, s0, a, b, c = vals
    return float(e0 / (s0 + (b + c) / a))
