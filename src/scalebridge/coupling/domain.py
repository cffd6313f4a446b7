r"""Concurrent atomistic/continuum coupling of a 1-D chain: QCE, QNL, ghost-force correction, QCF, blending.

A chain of atoms at :math:`X_i = i\,a` (i = 0..n−1) interacts through pair
potentials up to the s-th neighbour (:mod:`scalebridge.coupling.pair_potentials`).
Its *atomistic region* ``[lo, hi]`` (site indices) keeps every atom; outside, a
linear finite-element mesh whose nodes are lattice sites carries the Cauchy–Born
energy density of the same chain,

.. math:: W(F) = \frac1a\sum_{s\ge1}\phi_s(s\,F\,a),

so an element of :math:`n_e` lattice cells and stretch :math:`d_e/a` holds
:math:`n_e\sum_s\phi_s(s\,d_e)` (:math:`d_e = (x_{q}-x_p)/n_e`). Near the interface the
mesh is refined to the atoms (nodes coincide with atoms over the interaction range),
and the coarse elements grow away from it. Every coupling below is a weighted sum of
*terms* :math:`w\,\phi_s(\rho\,(x_q-x_p))` (an explicit bond: ρ = 1; a Cauchy–Born
element: ρ = s/n_e, w ∝ n_e), so energies, forces and sparse Hessians are one
vectorised pass over the terms.

=================================  ==========================================================
class                              coupling
=================================  ==========================================================
:class:`AtomisticChain`            the fully atomistic reference
:class:`QCE`                       energy-based QC: nonlocal site energies + local Cauchy–Born
                                   energies (Tadmor, Ortiz & Phillips 1996); ghost forces
:class:`QNL`                       quasi-nonlocal (Shimokawa et al. 2004): bonds reaching into
                                   the continuum are replaced by their Cauchy–Born shares; no
                                   ghost forces, still an energy
:class:`GhostForceCorrectedQC`     QCE plus the ghost forces as dead loads (Shenoy et al. 1999)
:class:`QCF`                       force-based QC (Knap & Ortiz 2001; "cold" QC-FNL of Miller &
                                   Tadmor 2009): atomistic forces on atoms, continuum forces
                                   on nodes; no energy, non-symmetric stiffness
:class:`BlendedQC`                 bridging domain / Arlequin handshake (Xiao & Belytschko 2004):
                                   bond and element energies blended by a linear ramp α(x)
=================================  ==========================================================

Each coupling exposes the duck-typed protocol of
:func:`scalebridge.core.checks.patch_test`: ``reference_positions`` (n_nodes, 1),
``fixed_nodes``, ``forces(u)`` (n_nodes, 1); and ``solve(...)`` for loaded problems.

QCE ghost forces (derived here, cf. Shenoy et al. 1999; Miller & Tadmor 2009, sec. 4.1):
for a chain with nearest and next-nearest bonds under a uniform stretch F, with the
atomistic region on the right of the interface at site ``lo``, the only non-zero
forces are on the four atoms ``lo-2, lo-1, lo, lo+1``:

.. math:: (+\tfrac12,\ -\tfrac12,\ -\tfrac12,\ +\tfrac12)\,\phi_2'(2Fa),

(mirrored at ``hi``): the nonlocal atom ``lo`` counts half of its bond to the local
atom ``lo+2`` whose Cauchy–Born energy does not count it back. For harmonic NNN
springs :math:`\phi_2'(2Fa) = 2k_2 a\,(F-1)`.

References
----------
E. B. Tadmor, M. Ortiz, R. Phillips, Phil. Mag. A 73, 1529 (1996).
V. B. Shenoy, R. Miller, E. B. Tadmor, D. Rodney, R. Phillips, M. Ortiz, J. Mech. Phys.
Solids 47, 611 (1999).
T. Shimokawa, J. J. Mortensen, J. Schiøtz, K. W. Jacobsen, Phys. Rev. B 69, 214104 (2004).
J. Knap, M. Ortiz, J. Mech. Phys. Solids 49, 1899 (2001).
S. P. Xiao, T. Belytschko, Comput. Methods Appl. Mech. Eng. 193, 1645 (2004).
R. E. Miller, E. B. Tadmor, "A unified framework and performance benchmark of fourteen
multiscale atomistic/continuum coupling methods", Modelling Simul. Mater. Sci. Eng. 17,
053001 (2009).
M. Dobson, M. Luskin, ESAIM: M2AN 42, 113 (2008) (ghost-force correction converges to QCF).
Tadmor & Miller, *Modeling Materials*, Cambridge University Press (2011), ch. 12–13.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from ..core.errors import ConvergenceError, InputError

__all__ = ["chain_nodes", "AtomisticChain", "QCE", "QNL", "QCF", "GhostForceCorrectedQC", "BlendedQC",
           "ChainSolution"]


def chain_nodes(n_sites: int, fine: tuple[int, int], element_size: int) -> np.ndarray:
    """Sites carrying a node: every site of ``fine = (first, last)``, every ``element_size``-th outside, both ends."""
    lo, hi = fine
    left = np.arange(lo, -1, -element_size)
    right = np.arange(hi, n_sites, element_size)
    return np.unique(np.concatenate([left, np.arange(lo, hi + 1), right, [0, n_sites - 1]]))


class _Terms:
    """Weighted pair terms w φ_s(ρ (x_q − x_p)) over node pairs, vectorised."""

    def __init__(self, potential, n_nodes, p, q, shell, rho, weight):
        keep = np.asarray(weight, dtype=float) != 0
        self.potential, self.n = potential, n_nodes
        self.p, self.q = np.asarray(p, int)[keep], np.asarray(q, int)[keep]
        self.shell = np.asarray(shell, int)[keep]
        self.rho, self.w = np.asarray(rho, float)[keep], np.asarray(weight, float)[keep]

    def _lengths(self, x):
        return self.rho * (x[self.q] - x[self.p])

    def energy(self, x):
        return float(np.sum(self.w * self.potential.energy(self._lengths(x), self.shell)))

    def gradient(self, x):
        t = self.w * self.rho * self.potential.force(self._lengths(x), self.shell)
        return np.bincount(self.q, t, self.n) - np.bincount(self.p, t, self.n)

    def hessian(self, x):
        k = self.w * self.rho**2 * self.potential.stiffness_of(self._lengths(x), self.shell)
        rows = np.concatenate([self.p, self.q, self.p, self.q])
        cols = np.concatenate([self.p, self.q, self.q, self.p])
        return sp.csr_matrix((np.concatenate([k, k, -k, -k]), (rows, cols)), shape=(self.n, self.n))


class ChainSolution:
    """Equilibrium of a chain coupling: node displacements, iterations, residual."""

    def __init__(self, u, iterations, residual, outer_iterations=0):
        self.u, self.iterations, self.residual = u, iterations, residual
        self.outer_iterations = outer_iterations

    def __repr__(self):
        return f"ChainSolution(iterations={self.iterations}, residual={self.residual:.2e})"


class _Chain:
    """Shared geometry, protocol and Newton solver of the 1-D couplings."""

    conservative = True
    #: extra fine sites on each side of the atomistic region beyond the interaction range
    _extra_fine = 0

    def __init__(self, potential, n_sites: int, atomistic: tuple[int, int] | None = None, element_size: int = 4):
        self.potential = potential
        self.range = int(getattr(potential, "shells", 1))
        n = int(n_sites)
        if n != n_sites or n < 4:
            raise InputError(f"n_sites: got {n_sites!r}, expected an integer >= 4")
        if int(element_size) != element_size or element_size < 1:
            raise InputError(f"element_size: got {element_size!r}, expected an integer >= 1 (lattice cells)")
        if atomistic is None:
            atomistic = (0, n - 1)
        lo, hi = (int(v) for v in atomistic)
        pad = self.range + self._extra_fine
        if not (pad <= lo <= hi <= n - 1 - pad) and atomistic != (0, n - 1):
            raise InputError(f"atomistic: got {atomistic!r}, expected site indices lo <= hi at least {pad} "
                             f"sites inside the chain of {n} sites (interaction range + blending width)")
        self.n_sites, self.atomistic, self.element_size = n, (lo, hi), int(element_size)
        self.sites = chain_nodes(n, (max(lo - pad, 0), min(hi + pad, n - 1)), self.element_size)
        a = potential.spacing
        self.spacing = a
        self.reference_positions = (self.sites * a)[:, None].astype(float)
        self.fixed_nodes = np.array([0, self.sites.size - 1])
        self.is_atom = (self.sites >= lo) & (self.sites <= hi)      # nonlocal (atomistic) nodes
        self._node_of = {int(s): k for k, s in enumerate(self.sites)}

    # ---------------------------------------------------------------- term builders
    @property
    def n_nodes(self) -> int:
        return self.sites.size

    def _explicit(self, weight_of_bond):
        """Explicit bonds (i, i+s) between node sites that are both nodes; weight_of_bond(i, j, s) -> w."""
        p, q, s = [], [], []
        node = np.full(self.n_sites, -1)
        node[self.sites] = np.arange(self.n_nodes)
        for shell in range(1, self.range + 1):   # loop over shells (<= 2), not atoms
            i = self.sites[self.sites + shell < self.n_sites]
            j = i + shell
            ok = node[j] >= 0
            p.append(i[ok]), q.append(j[ok]), s.append(np.full(ok.sum(), shell))
        i, j, s = (np.concatenate(v) for v in (p, q, s))
        w = weight_of_bond(i, j, s)
        node_of = node
        return node_of[i], node_of[j], s, np.ones(i.size), w

    def _elements(self, weight_of_element):
        """Cauchy–Born element terms of every shell; weight_of_element(e, shell) -> multiplier c_e."""
        e = np.arange(self.n_nodes - 1)
        n_e = np.diff(self.sites)
        parts = [(e, e + 1, np.full(e.size, s), s / n_e, weight_of_element(e, s) * n_e)
                 for s in range(1, self.range + 1)]
        return tuple(np.concatenate(v) for v in zip(*parts))

    def _terms(self, *groups):
        return _Terms(self.potential, self.n_nodes, *(np.concatenate(v) for v in zip(*groups)))

    # ---------------------------------------------------------------- protocol
    def _x(self, u):
        u = np.asarray(u, dtype=float).reshape(self.n_nodes)
        return self.reference_positions[:, 0] + u

    def energy(self, u) -> float:
        """Total energy of the coupled chain at node displacements u (energy units)."""
        return self.terms.energy(self._x(u))

    def forces(self, u) -> np.ndarray:
        """Forces −∂E/∂x on every node, shape (n_nodes, 1)."""
        return -self.terms.gradient(self._x(u))[:, None]

    def stiffness(self, u) -> sp.csr_matrix:
        """−∂forces/∂u (sparse, n_nodes x n_nodes)."""
        return self.terms.hessian(self._x(u))

    # ---------------------------------------------------------------- solve
    def solve(self, end_displacements=(0.0, 0.0), external_forces=None, tol: float = 1e-10,
              max_iter: int = 50) -> ChainSolution:
        """Equilibrium with the end nodes displaced and optional external forces on nodes.

        Newton–Raphson with sparse direct solves and step halving on the force norm.

        Parameters
        ----------
        end_displacements : (float, float)
            Displacements of the first and last node (length).
        external_forces : array_like (n_nodes,), optional
            Applied forces on the nodes (force).
        tol : float
            Convergence when max |free-node force| < tol × (force scale of the potential).

        Raises
        ------
        ConvergenceError
            If Newton does not converge in ``max_iter`` iterations.
        """
        f_ext = np.zeros(self.n_nodes) if external_forces is None else np.asarray(external_forces, float)
        if f_ext.shape != (self.n_nodes,) or not np.all(np.isfinite(f_ext)):
            raise InputError(f"external_forces: got shape {f_ext.shape}, expected ({self.n_nodes},) finite forces")
        u = self._affine(end_displacements)
        return _newton(lambda v: self.forces(v)[:, 0] + f_ext, self.stiffness, u,
                       np.setdiff1d(np.arange(self.n_nodes), self.fixed_nodes), tol * self._force_scale(),
                       max_iter, type(self).__name__)

    def _affine(self, end_displacements):
        """Initial guess: the end displacements interpolated linearly (a uniform strain)."""
        uL, uR = (float(v) for v in end_displacements)
        X = self.reference_positions[:, 0]
        return uL + (uR - uL) * (X - X[0]) / (X[-1] - X[0])

    def _force_scale(self):
        k = self.potential.stiffness_of(np.asarray(self.spacing), 1)
        return float(abs(k) * self.spacing)

    def atom_displacements(self, u) -> tuple[np.ndarray, np.ndarray]:
        """(sites, displacements) of the nonlocal atoms."""
        u = np.asarray(u).reshape(self.n_nodes)
        return self.sites[self.is_atom], u[self.is_atom]


def _newton(force, stiffness, u, free, atol, max_iter, name):
    """Newton on the free dofs of force(u) = 0 with stiffness = −dforce/du; step halving on |force|."""
    r = force(u)
    norm = np.max(np.abs(r[free])) if free.size else 0.0
    for it in range(max_iter + 1):
        if norm < atol:
            return ChainSolution(u, it, norm)
        if it == max_iter:
            break
        K = stiffness(u).tocsr()[free][:, free]
        du = spsolve(K.tocsc(), r[free])
        if not np.all(np.isfinite(du)):
            raise ConvergenceError(f"{name}: singular stiffness at Newton iteration {it}")
        step = 1.0
        for _ in range(12):
            trial = u.copy()
            trial[free] += step * du
            with np.errstate(all="ignore"):
                rt = force(trial)
            nt = np.max(np.abs(rt[free]))
            if nt < norm or nt < atol:
                break
            step /= 2
        u, r, norm = trial, rt, nt
    raise ConvergenceError(f"{name}: Newton did not converge in {max_iter} iterations "
                           f"(max |force| = {norm:.3e}, tolerance {atol:.1e})")


class AtomisticChain(_Chain):
    """The fully atomistic chain: every site a node, every bond explicit (the reference solution)."""

    def __init__(self, potential, n_sites: int):
        super().__init__(potential, n_sites, None, 1)
        self.terms = self._terms(self._explicit(lambda i, j, s: np.ones(i.size)))


class QCE(_Chain):
    r"""Energy-based quasicontinuum (QCE; Tadmor, Ortiz & Phillips 1996).

    .. math:: E = \sum_{i\in A} \tfrac12\sum_{j}\phi(x_j-x_i)
              + \sum_{e} \frac{\#\{\text{local end nodes of } e\}}{2}\;n_e\sum_s\phi_s(s\,d_e),

    nonlocal atoms A (the atomistic region) carry their site energies, every local
    node half of the Cauchy–Born energy of each adjacent element. Under uniform
    strain the interface atoms feel *ghost forces* (see the module docstring).

    Parameters
    ----------
    potential : HarmonicBonds or LennardJones
    n_sites : int
        Number of lattice sites of the chain.
    atomistic : (int, int)
        First and last site of the atomistic region.
    element_size : int
        Lattice cells per coarse element outside the refined zone.
    """

    def __init__(self, potential, n_sites, atomistic, element_size=4):
        super().__init__(potential, n_sites, atomistic, element_size)
        lo, hi = self.atomistic
        in_a = lambda i: (i >= lo) & (i <= hi)   # noqa: E731
        bonds = self._explicit(lambda i, j, s: 0.5 * in_a(i) + 0.5 * in_a(j))
        local = ~self.is_atom
        elements = self._elements(lambda e, s: 0.5 * local[e] + 0.5 * local[e + 1])
        self.terms = self._terms(bonds, elements)


class QNL(_Chain):
    r"""Quasi-nonlocal coupling (Shimokawa et al. 2004; 1-D form of E, Lu & Yang 2006).

    A bond of shell s is kept explicit only when both its atoms are nonlocal; any
    other bond is replaced by its Cauchy–Born share, :math:`\phi_s(x_{i+s}-x_i) \to
    \frac1s\sum_{k=i}^{i+s-1}\phi_s(s\,d_k)`. Nearest-neighbour bonds are exact in the
    elements. Under uniform strain the replaced bonds give exactly the atomistic
    forces, so there are no ghost forces, and the coupling is still an energy.
    """

    def __init__(self, potential, n_sites, atomistic, element_size=4):
        super().__init__(potential, n_sites, atomistic, element_size)
        lo, hi = self.atomistic
        in_a = lambda i: (i >= lo) & (i <= hi)   # noqa: E731
        bonds = self._explicit(lambda i, j, s: ((s >= 2) & in_a(i) & in_a(j)).astype(float))
        left = self.sites[:-1]
        fine = np.diff(self.sites) == 1

        def cell_weight(e, s):
            if s == 1:
                return np.ones(e.size)
            starts = left[e][:, None] - np.arange(s)[None, :]          # bonds (i, i+s) covering cell k
            replaced = ~(in_a(starts) & in_a(starts + s))
            return np.where(fine[e], replaced.sum(axis=1) / s, 1.0)
        self.terms = self._terms(bonds, self._elements(cell_weight))


class QCF(_Chain):
    r"""Force-based quasicontinuum ("cold" QC-FNL; Knap & Ortiz 2001, Miller & Tadmor 2009).

    Two energies on the same nodes: the fully atomistic energy of the refined zone
    (every bond explicit) and the pure Cauchy–Born energy of all elements. Nonlocal
    atoms take the atomistic forces, local nodes the continuum forces:

    .. math:: f_i = -\frac{\partial E^{atom}}{\partial x_i}\ (i\in A),\qquad
              f_i = -\frac{\partial E^{CB}}{\partial x_i}\ (i\notin A).

    No ghost forces by construction; the forces have no potential and the
    stiffness is not symmetric.
    """

    conservative = False

    def __init__(self, potential, n_sites, atomistic, element_size=4):
        super().__init__(potential, n_sites, atomistic, element_size)
        self.atom_terms = self._terms(self._explicit(lambda i, j, s: np.ones(i.size)))
        self.continuum_terms = self._terms(self._elements(lambda e, s: np.ones(e.size)))
        self.terms = None

    def energy(self, u):
        raise InputError("QCF: the force-based coupling has no energy (its forces are not conservative)")

    def forces(self, u):
        x = self._x(u)
        return -np.where(self.is_atom, self.atom_terms.gradient(x), self.continuum_terms.gradient(x))[:, None]

    def stiffness(self, u):
        x = self._x(u)
        rows = sp.diags(self.is_atom.astype(float))
        return (rows @ self.atom_terms.hessian(x) + sp.diags((~self.is_atom).astype(float))
                @ self.continuum_terms.hessian(x)).tocsr()


class GhostForceCorrectedQC(QCE):
    r"""QCE with the ghost-force correction of Shenoy et al. (1999) as dead loads.

    The ghost forces :math:`g(u) = f^{QCE}(u) - f^{QCF}(u)` are computed at a
    configuration :math:`u_g` and subtracted as dead loads,
    :math:`f(u) = f^{QCE}(u) - g(u_g)`. :meth:`solve` alternates a relaxation of
    the corrected QCE energy with an update :math:`u_g \leftarrow u` until the
    corrected forces vanish at the current configuration; that fixed point is the QCF
    equilibrium (Dobson & Luskin 2008). :meth:`forces` evaluates the correction at
    the configuration it is given (the converged state of the iteration), which is
    what the patch test probes; :meth:`forces_dead_load` holds it at ``u_g``.
    """

    def __init__(self, potential, n_sites, atomistic, element_size=4):
        super().__init__(potential, n_sites, atomistic, element_size)
        self._qcf = QCF(potential, n_sites, atomistic, element_size)

    def ghost_forces(self, u) -> np.ndarray:
        """g(u) = f_QCE(u) − f_QCF(u), shape (n_nodes, 1)."""
        return QCE.forces(self, u) - self._qcf.forces(u)

    def forces_dead_load(self, u, u_ghost) -> np.ndarray:
        """f_QCE(u) − g(u_ghost)."""
        return QCE.forces(self, u) - self.ghost_forces(u_ghost)

    def forces(self, u) -> np.ndarray:
        return self.forces_dead_load(u, u)

    def solve(self, end_displacements=(0.0, 0.0), external_forces=None, tol=1e-10, max_iter=50,
              max_outer: int = 100) -> ChainSolution:
        """Shenoy's iteration: relax QCE under frozen ghost-force dead loads, refresh them, repeat."""
        f_ext = np.zeros(self.n_nodes) if external_forces is None else np.asarray(external_forces, float)
        u = self._affine(end_displacements)
        free = np.setdiff1d(np.arange(self.n_nodes), self.fixed_nodes)
        atol = tol * self._force_scale()
        inner = 0
        for outer in range(1, max_outer + 1):
            g = self.ghost_forces(u)[:, 0]
            sol = _newton(lambda v: QCE.forces(self, v)[:, 0] - g + f_ext, self.stiffness, u, free, atol,
                          max_iter, "GhostForceCorrectedQC")
            inner += sol.iterations
            u = sol.u
            res = np.max(np.abs(self.forces(u)[free, 0] + f_ext[free]))
            if res < atol:
                return ChainSolution(u, inner, res, outer)
        raise ConvergenceError(f"GhostForceCorrectedQC: dead-load iteration not converged in {max_outer} "
                               f"relaxations (max |force| = {res:.3e})")


class BlendedQC(_Chain):
    r"""Blended (bridging-domain / Arlequin) handshake with a linear blending function.

    In a handshake of ``width`` lattice cells on each side of the atomistic core
    ``[lo, hi]`` the blending function ramps linearly, α = 0 in the core to α = 1 in
    the continuum, and

    .. math:: E = \sum_{\text{bonds } b}\bigl(1-\alpha(\bar X_b)\bigr)\phi_s(x_j-x_i)
              + \sum_e \alpha(\bar X_e)\,n_e\sum_s\phi_s(s\,d_e),

    with α at the bond and element midpoints (Xiao & Belytschko 2004; Badia et al.
    2008). The FE nodes coincide with every atom of the handshake, so the
    displacement constraints atoms = FE interpolation hold exactly and need no
    Lagrange multipliers. With the ramp's kinks on lattice sites the uniform-strain
    forces cancel (see the patch test in the tests).
    """

    def __init__(self, potential, n_sites, atomistic, element_size=4, width: int = 4):
        if int(width) != width or width < 1:
            raise InputError(f"width: got {width!r}, expected an integer number of lattice cells >= 1")
        self.width = int(width)
        self._extra_fine = self.width
        super().__init__(potential, n_sites, atomistic, element_size)
        lo, hi = self.atomistic

        def alpha(x):                          # x in lattice units (site index, may be half-integer)
            return np.clip(np.maximum(lo - x, x - hi) / self.width, 0.0, 1.0)
        bonds = self._explicit(lambda i, j, s: 1.0 - alpha(0.5 * (i + j)))
        mid = 0.5 * (self.sites[:-1] + self.sites[1:])
        self.alpha = alpha
        self.terms = self._terms(bonds, self._elements(lambda e, s: alpha(mid[e])))
