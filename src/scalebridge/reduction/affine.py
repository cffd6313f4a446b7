r"""Parameter-separable (affine) linear elliptic problems: the full-order ("truth") model of a ROM.

A parametrised linear problem with :math:`P` parameters :math:`\mu \in \mathcal D =
\prod_p [\mu_p^{lo}, \mu_p^{hi}]`, discretised with :math:`n` free degrees of freedom
(Dirichlet dofs eliminated), is *affine* (parameter separable) when

.. math::
    A(\mu) = \sum_{q=1}^{Q_a} \theta_q(\mu)\,A_q, \qquad
    f(\mu) = \sum_{q=1}^{Q_f} \varphi_q(\mu)\,f_q, \qquad A(\mu)\,u(\mu) = f(\mu),

with parameter-independent sparse matrices :math:`A_q` and vectors :math:`f_q`. Every
online reduced quantity then splits into parameter-independent pieces computed once
(offline) and cheap scalar weights (online) (Patera & Rozza 2007, *Reduced Basis
Approximation and A Posteriori Error Estimation for Parametrized Partial Differential
Equations*, MIT, ch. 3; Haasdonk 2017, "Reduced basis methods for parametrized PDEs — a
tutorial", in Benner et al. (eds.), *Model Reduction and Approximation*, SIAM, ch. 2).

The inner product is the energy product at a reference parameter,
:math:`(u, v)_X = v^T X u` with :math:`X = A(\mu_{ref})`. When every :math:`A_q` is
symmetric positive semidefinite and :math:`\theta_q(\mu_{ref}) > 0`, the *min-theta*
bound is a rigorous lower bound of the coercivity constant (Patera & Rozza 2007, "min-theta"
approach; Haasdonk 2017):

.. math::
    \alpha(\mu) = \inf_v \frac{v^T A(\mu) v}{v^T X v}
    \;\ge\; \alpha_{LB}(\mu) = \min_q \frac{\theta_q(\mu)}{\theta_q(\mu_{ref})}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from ..core.errors import ConvergenceError, InputError

__all__ = ["AffineProblem"]

_ORDERING = "MMD_AT_PLUS_A"  # SuperLU column ordering: minimum degree on the symmetric pattern A + A^T


@dataclass
class AffineProblem:
    r"""A linear problem :math:`\sum_q \theta_q(\mu) A_q\,u = \sum_q \varphi_q(\mu) f_q` on a parameter box.

    Parameters
    ----------
    operators : sequence of sparse matrices, each (n, n)
        The :math:`A_q` on the free dofs, symmetric positive semidefinite for the
        min-theta coercivity bound; their sum weighted by :math:`\theta(\mu_{ref})` must
        be positive definite (it is the inner-product matrix :math:`X`).
    rhs : array_like, shape (Q_f, n)
        The load vectors :math:`f_q` on the free dofs.
    theta, phi : callable
        Vectorised coefficient functions ``theta(mu) -> (B, Q_a)`` and
        ``phi(mu) -> (B, Q_f)`` of a batch ``mu`` of shape (B, P).
    bounds : array_like, shape (P, 2)
        Lower and upper bound of every parameter (the parameter box :math:`\mathcal D`).
    mu_ref : array_like, shape (P,)
        Reference parameter of the energy inner product, inside the box or not, with
        :math:`\theta_q(\mu_{ref}) > 0`.
    parameter_names : sequence of str, optional
        Names used in error messages (default ``mu[0]``, ``mu[1]``, ...).
    free_dofs : ndarray of int, optional
        Indices of the free dofs in the full dof vector (for :meth:`full_field`).
    n_total : int, optional
        Size of the full dof vector, Dirichlet dofs included.
    basis : object, optional
        The finite-element basis the problem was assembled on (e.g. a ``skfem.Basis``),
        kept for post-processing only.

    Attributes
    ----------
    inner_product : scipy.sparse.csr_matrix, shape (n, n)
        :math:`X = A(\mu_{ref})`.
    """

    operators: Sequence[Any]
    rhs: Any
    theta: Callable[[np.ndarray], np.ndarray]
    phi: Callable[[np.ndarray], np.ndarray]
    bounds: Any
    mu_ref: Any
    parameter_names: Sequence[str] | None = None
    free_dofs: np.ndarray | None = None
    n_total: int | None = None
    basis: Any = field(default=None, repr=False)

    def __post_init__(self):
        mats = [sp.csr_matrix(a, dtype=float) for a in self.operators]
        if not mats or any(a.shape != (mats[0].shape[0],) * 2 for a in mats):
            raise InputError(f"operators: expected a non-empty sequence of square matrices of one size, "
                             f"got shapes {[a.shape for a in mats]}")
        n = mats[0].shape[0]
        self.rhs = np.atleast_2d(np.asarray(self.rhs, dtype=float))
        if self.rhs.shape[1:] != (n,):
            raise InputError(f"rhs: expected shape (Q_f, {n}), got {self.rhs.shape}")
        self.bounds = np.asarray(self.bounds, dtype=float)
        if self.bounds.ndim != 2 or self.bounds.shape[1] != 2 or not np.all(self.bounds[:, 0] <= self.bounds[:, 1]):
            raise InputError(f"bounds: expected shape (P, 2) with lower <= upper, got {self.bounds.tolist()}")
        self.mu_ref = np.asarray(self.mu_ref, dtype=float).reshape(-1)
        if self.mu_ref.shape != (self.n_parameters,):
            raise InputError(f"mu_ref: expected shape ({self.n_parameters},), got {self.mu_ref.shape}")
        names = list(self.parameter_names or [f"mu[{p}]" for p in range(self.n_parameters)])
        if len(names) != self.n_parameters:
            raise InputError(f"parameter_names: expected {self.n_parameters} names, got {len(names)}")
        self.parameter_names = tuple(names)
        self.operators = mats
        # one common sparsity pattern: A(mu) is then a dense product theta @ data (one pass, no sparse sums)
        pattern = sum(abs(a) for a in mats).tocsr()
        pattern.sort_indices()
        keys = np.repeat(np.arange(n), np.diff(pattern.indptr)) * n + pattern.indices
        self._pattern = pattern
        self._data = np.zeros((len(mats), pattern.nnz))
        for q, a in enumerate(mats):
            coo = a.tocoo()
            np.add.at(self._data[q], np.searchsorted(keys, coo.row.astype(np.int64) * n + coo.col), coo.data)
        self._theta_ref = self.coefficients(self.mu_ref[None, :], check=False)[0][0]
        if not np.all(self._theta_ref > 0):
            raise InputError(f"mu_ref: theta(mu_ref) must be > 0 for the energy inner product and the min-theta "
                             f"bound, got {self._theta_ref.tolist()}")
        self.inner_product = self._matrix(self._theta_ref).tocsr()

    # ----------------------------------------------------------------------------- sizes
    @property
    def n(self) -> int:
        """Number of free dofs (the full-order dimension)."""
        return self._pattern.shape[0]

    @property
    def n_parameters(self) -> int:
        return self.bounds.shape[0]

    @property
    def n_operators(self) -> int:
        """:math:`Q_a`, the number of affine terms of the operator."""
        return len(self.operators)

    @property
    def n_loads(self) -> int:
        """:math:`Q_f`, the number of affine terms of the load."""
        return self.rhs.shape[0]

    # ----------------------------------------------------------------------------- parameters
    def parameters(self, mu, name: str = "mu") -> np.ndarray:
        """Validate a parameter or a batch of parameters and return it as an array (B, P).

        Raises
        ------
        InputError
            Wrong shape, non-finite entries, or a parameter outside the box; the message
            names the batch index, the parameter and its bounds.
        """
        arr = np.asarray(mu, dtype=float)
        P = self.n_parameters
        if arr.ndim == 1 and arr.shape == (P,):
            arr = arr[None, :]
        if arr.ndim != 2 or arr.shape[1] != P:
            raise InputError(f"{name}: expected shape ({P},) or (B, {P}), got {np.shape(mu)}")
        bad = ~np.isfinite(arr)
        if bad.any():
            b, p = np.argwhere(bad)[0]
            raise InputError(f"{name}[{b}]: {self.parameter_names[p]} = {arr[b, p]!r} is not finite")
        lo, hi = self.bounds[:, 0], self.bounds[:, 1]
        out = (arr < lo) | (arr > hi)
        if out.any():
            b, p = np.argwhere(out)[0]
            raise InputError(f"{name}[{b}]: {self.parameter_names[p]} = {arr[b, p]:g} is outside the parameter box "
                             f"[{lo[p]:g}, {hi[p]:g}] ({int(out.any(axis=1).sum())} of {len(arr)} parameters outside)")
        return arr

    def sample(self, count: int, seed=None) -> np.ndarray:
        """``count`` parameters drawn uniformly from the box, shape (count, P).

        ``seed``: an int or a ``numpy.random.Generator`` (reproducible draws).
        """
        if int(count) != count or count < 1:
            raise InputError(f"count: expected an integer >= 1, got {count!r}")
        rng = np.random.default_rng(seed)
        return rng.uniform(self.bounds[:, 0], self.bounds[:, 1], size=(int(count), self.n_parameters))

    def coefficients(self, mu, check: bool = True) -> tuple[np.ndarray, np.ndarray]:
        r"""The affine weights :math:`\theta(\mu)` (B, Q_a) and :math:`\varphi(\mu)` (B, Q_f) of a batch."""
        mu = self.parameters(mu) if check else mu
        theta = np.asarray(self.theta(mu), dtype=float)
        phi = np.asarray(self.phi(mu), dtype=float)
        for name, val, q in (("theta", theta, self.n_operators), ("phi", phi, self.n_loads)):
            if val.shape != (len(mu), q):
                raise InputError(f"{name}(mu): expected shape ({len(mu)}, {q}), got {val.shape}")
            if not np.all(np.isfinite(val)):
                raise InputError(f"{name}(mu): non-finite values at batch indices "
                                 f"{np.flatnonzero(~np.isfinite(val).all(axis=1)).tolist()}")
        return theta, phi

    def coercivity_lower_bound(self, mu, theta: np.ndarray | None = None) -> np.ndarray:
        r"""Min-theta lower bound :math:`\alpha_{LB}(\mu) = \min_q \theta_q(\mu)/\theta_q(\mu_{ref})`, shape (B,).

        Rigorous for symmetric positive semidefinite :math:`A_q` and the energy inner
        product :math:`X = A(\mu_{ref})`: :math:`v^T A(\mu) v = \sum_q \theta_q(\mu)\,v^T A_q v
        \ge \alpha_{LB}(\mu) \sum_q \theta_q(\mu_{ref})\,v^T A_q v` (the "min-theta" approach
        of Patera & Rozza 2007; Haasdonk 2017). ``theta``: :math:`\theta(\mu)` of the same
        (validated) batch if already evaluated.

        Raises
        ------
        ConvergenceError
            The bound is not positive (the operator may not be coercive there).
        """
        if theta is None:
            theta, _ = self.coefficients(mu)
        alpha = np.min(theta / self._theta_ref, axis=1)
        if not np.all(alpha > 0):
            raise ConvergenceError(f"min-theta coercivity bound is not positive at batch indices "
                                   f"{np.flatnonzero(~(alpha > 0)).tolist()}: no rigorous error bound there")
        return alpha

    # ----------------------------------------------------------------------------- full order
    def _matrix(self, theta_row: np.ndarray) -> sp.csr_matrix:
        p = self._pattern
        return sp.csr_matrix((theta_row @ self._data, p.indices, p.indptr), shape=p.shape)

    def operator(self, mu) -> sp.csr_matrix:
        r""":math:`A(\mu)` of one parameter (shape (P,)), as a sparse (n, n) matrix."""
        mu = self.parameters(mu)
        if len(mu) != 1:
            raise InputError(f"mu: operator() takes one parameter of shape ({self.n_parameters},), "
                             f"got a batch of {len(mu)}")
        return self._matrix(self.coefficients(mu)[0][0])

    def load(self, mu) -> np.ndarray:
        r""":math:`f(\mu)` of a batch, shape (B, n)."""
        return self.coefficients(mu)[1] @ self.rhs

    def solve(self, mu, progress: Callable | None = None) -> np.ndarray:
        r"""Full-order solutions :math:`u(\mu) = A(\mu)^{-1} f(\mu)` of a batch, shape (B, n).

        One sparse direct factorisation per parameter (SuperLU, ``scipy.sparse.linalg.splu``,
        minimum-degree ordering of :math:`A + A^T`, the fastest SuperLU ordering for these
        symmetric matrices). ``progress(info)`` is called after each solve with ``done``, ``total``.

        Raises
        ------
        ConvergenceError
            Singular matrix or non-finite solution.
        """
        mu = self.parameters(mu)
        theta, phi = self.coefficients(mu)
        out = np.empty((len(mu), self.n))
        for b in range(len(mu)):  # one factorisation per parameter is the cost being reduced
            try:
                out[b] = splu(self._matrix(theta[b]).tocsc(), permc_spec=_ORDERING).solve(phi[b] @ self.rhs)
            except RuntimeError as exc:
                raise ConvergenceError(f"full-order solve at mu[{b}] = {mu[b].tolist()}: {exc}") from exc
            if not np.all(np.isfinite(out[b])):
                raise ConvergenceError(f"full-order solve at mu[{b}] = {mu[b].tolist()} is not finite")
            if progress is not None:
                progress({"done": b + 1, "total": len(mu)})
        return out

    # ----------------------------------------------------------------------------- inner product
    @cached_property
    def _inner_product_lu(self):
        return splu(self.inner_product.tocsc(), permc_spec=_ORDERING)

    def riesz(self, functionals: np.ndarray) -> np.ndarray:
        r"""Riesz representers :math:`X^{-1} g` of functionals g, given as columns (n, k) or a vector (n,)."""
        return self._inner_product_lu.solve(np.asarray(functionals, dtype=float))

    def norm(self, vectors) -> np.ndarray:
        r"""X-norms :math:`\sqrt{v^T X v}` of the rows of ``vectors`` (B, n), shape (B,)."""
        v = np.atleast_2d(vectors)
        return np.sqrt(np.maximum(np.einsum("bi,bi->b", v, (self.inner_product @ v.T).T), 0.0))

    def full_field(self, u) -> np.ndarray:
        """Insert the (homogeneous) Dirichlet dofs: free-dof vectors (B, n) -> full vectors (B, n_total)."""
        if self.free_dofs is None or self.n_total is None:
            raise InputError("full_field: this problem was built without free_dofs / n_total")
        u = np.atleast_2d(u)
        out = np.zeros((u.shape[0], self.n_total))
        out[:, self.free_dofs] = u
        return out
