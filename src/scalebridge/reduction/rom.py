r"""POD–Galerkin reduced basis model with a rigorous, numerically stable a-posteriori error bound.

For an affine problem (:class:`~scalebridge.reduction.affine.AffineProblem`),
:math:`A(\mu) = \sum_q \theta_q(\mu) A_q`, :math:`f(\mu) = \sum_q \varphi_q(\mu) f_q`, and a
reduced basis :math:`V = [v_1, \dots, v_N]` orthonormal in the X inner product, the
Galerkin reduced model is

.. math::
    \Big(\sum_q \theta_q(\mu) A^N_q\Big)\,c(\mu) = \sum_q \varphi_q(\mu) f^N_q, \qquad
    A^N_q = V^T A_q V,\ f^N_q = V^T f_q,\qquad u_N(\mu) = V c(\mu),

with every :math:`A^N_q, f^N_q` computed once offline; online, a batch of B parameters
costs :math:`O(B Q_a N^2 + B N^3)`, independent of the full dimension n.

**Error bound.** The residual :math:`r(\mu) = f(\mu) - A(\mu) u_N(\mu)` is a linear
combination of the :math:`M = Q_f + Q_a N` vectors :math:`f_q` and :math:`A_q v_n` with
weights :math:`w(\mu) = [\varphi(\mu),\ -\theta_q(\mu) c_n(\mu)]`. Their Riesz
representers :math:`R = X^{-1}[f_q, A_q v_n]` are computed offline and
orthonormalised in X, :math:`R = Q\,T` (:math:`Q^T X Q = I`, T upper trapezoidal), so

.. math::
    \|r(\mu)\|_{X'} = \|R\,w(\mu)\|_X = \|T\,w(\mu)\|_2, \qquad
    \Delta(\mu) = \frac{\|r(\mu)\|_{X'}}{\alpha_{LB}(\mu)} \;\ge\; \|u(\mu) - u_N(\mu)\|_X,

with the min-theta coercivity bound :math:`\alpha_{LB}` (Patera & Rozza 2007;
Haasdonk 2017). The usual Gram form
:math:`w^T (R^T X R)\,w` subtracts squares of size :math:`\|f\|^2` and loses all digits
once :math:`\|r\|/\|f\| \lesssim \sqrt{\epsilon} \approx 10^{-8}`; the vector
:math:`T w` instead carries an absolute error :math:`\epsilon\|T\|\|w\|`, so the bound
stays accurate down to :math:`\|r\|/\|f\| \approx 10^{-14}` (Buhr, Engwer, Ohlberger &
Rave 2014, "A numerically stable a posteriori error estimator for reduced basis
approximations of elliptic equations", WCCM XI). Q is built incrementally by block
classical Gram–Schmidt with reorthogonalisation (BCGS2) in the X product; a
representer whose X-norm drops below ``rtol`` (default :math:`10^{-10}`) of its own
when orthogonalised is linearly dependent on the others and adds no direction (its
coefficients in Q are kept, so only that :math:`10^{-10}` relative part is dropped).

**Bases.** :func:`pod` (method of snapshots in the X product with the energy criterion)
or :func:`weak_greedy` (Veroy, Prud'homme, Rovas & Patera 2003; Haasdonk 2017:
add the truth solution where :math:`\Delta` is largest over a training set).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import scipy.sparse as sp
from scipy.linalg.lapack import dposv as _dposv

from ..core.errors import ConvergenceError, InputError
from .affine import AffineProblem

__all__ = ["pod", "ReducedModel", "ReducedSolution", "GreedyResult", "weak_greedy"]

_RANK_RTOL = 1e-10  # fraction of its X-norm below which an orthogonalised vector adds no new direction


class _Rows:
    """Growable stack of row vectors (k, n), capacity doubled on demand."""

    def __init__(self, n: int):
        self._data = np.empty((8, n))
        self.size = 0

    @property
    def array(self) -> np.ndarray:
        return self._data[: self.size]

    def append(self, row: np.ndarray) -> None:
        if self.size == len(self._data):
            self._data = np.concatenate([self._data, np.empty_like(self._data)])
        self._data[self.size] = row
        self.size += 1


def _x_orthonormalise(store: _Rows, vectors: np.ndarray, X, rtol: float) -> np.ndarray:
    r"""Append the new X-orthonormal directions of the rows of ``vectors`` (k, n) to ``store``.

    Block classical Gram–Schmidt, twice against the stored rows, then twice against the
    rows appended from this block ("twice is enough": Giraud, Langou & Rozložník 2005,
    Comput. Math. Appl. 50, 1069). Returns the coefficients C (m, k), m the new store
    size, with ``vectors[j] = sum_i C[i, j] store[i]`` up to the dropped parts (rows whose
    remaining X-norm is below ``rtol`` times their own).
    """
    Z = np.array(vectors, dtype=float)
    m0, k = store.size, len(Z)
    own = np.sqrt(np.maximum(np.einsum("ij,ij->i", Z, (X @ Z.T).T), 0.0))
    C = np.zeros((m0 + k, k))
    for _ in range(2):
        if m0:
            h = store.array @ (X @ Z.T)
            Z -= h.T @ store.array
            C[:m0] += h
    for j in range(k):
        z = Z[j]
        for _ in range(2):
            if store.size > m0:
                new = store.array[m0:]
                h = new @ (X @ z)
                z = z - h @ new
                C[m0:store.size, j] += h
        norm = np.sqrt(max(z @ (X @ z), 0.0))
        if norm > rtol * own[j]:
            C[store.size, j] = norm
            store.append(z / norm)
    return C[: store.size]


def pod(snapshots, inner_product=None, tol: float = 1e-10, max_modes: int | None = None):
    r"""Proper orthogonal decomposition of snapshots in the X inner product (method of snapshots).

    With snapshots :math:`S = [s_1..s_m]` the correlation matrix
    :math:`C = S^T X S = W \Lambda W^T` gives the modes :math:`v_i = S w_i/\sqrt{\lambda_i}`
    (Sirovich 1987, Q. Appl. Math. 45, 561; Volkwein, *Proper orthogonal decomposition:
    theory and reduced-order modelling*, lecture notes, Univ. Konstanz 2013); the number of
    modes k is the smallest with the energy criterion

    .. math:: 1 - \frac{\sum_{i \le k}\lambda_i}{\sum_{i \le m}\lambda_i} \le \mathrm{tol}.

    Eigenvalues below :math:`m\,\epsilon\,\lambda_1` are round-off (the method of snapshots
    resolves singular values only down to :math:`\sqrt{m\epsilon}\,\sigma_1 \approx 10^{-8}\sigma_1`)
    and never give a mode. The modes are X-orthonormalised once more (BCGS2).

    Parameters
    ----------
    snapshots : array_like, shape (m, n)
        One snapshot per row (e.g. :meth:`AffineProblem.solve` output).
    inner_product : sparse or dense (n, n), optional
        Symmetric positive definite X (e.g. ``problem.inner_product``); Euclidean if omitted.
    tol : float
        Relative energy left out, 0 < tol < 1.
    max_modes : int, optional
        Upper limit on the number of modes.

    Returns
    -------
    modes : ndarray, shape (k, n)
        X-orthonormal POD modes, by decreasing energy.
    singular_values : ndarray, shape (m,)
        :math:`\sigma_i = \sqrt{\lambda_i}` of all snapshots (X-weighted), decreasing.
    """
    S = np.atleast_2d(np.asarray(snapshots, dtype=float))
    if S.ndim != 2 or not np.all(np.isfinite(S)):
        raise InputError(f"snapshots: expected a finite array (m, n), got shape {np.shape(snapshots)}")
    m, n = S.shape
    X = sp.identity(n, format="csr") if inner_product is None else inner_product
    if X.shape != (n, n):
        raise InputError(f"inner_product: expected shape ({n}, {n}) for snapshots of length {n}, got {X.shape}")
    if not 0 < tol < 1:
        raise InputError(f"tol: expected 0 < tol < 1 (relative energy left out), got {tol!r}")
    if max_modes is not None and (int(max_modes) != max_modes or max_modes < 0):
        raise InputError(f"max_modes: expected an integer >= 0, got {max_modes!r}")
    XS = np.asarray(X @ S.T).T
    corr = S @ XS.T
    lam, W = np.linalg.eigh(0.5 * (corr + corr.T))
    lam, W = np.maximum(lam[::-1], 0.0), W[:, ::-1]
    if lam[0] == 0.0:
        return np.empty((0, n)), lam
    tail = np.cumsum(lam[::-1])[::-1] / lam.sum()  # tail[k] = energy left out by keeping k modes
    k = int(np.argmax(np.append(tail[1:], 0.0) <= tol)) + 1
    k = min(k, int(np.sum(lam > m * np.finfo(float).eps * lam[0])), m if max_modes is None else int(max_modes))
    store = _Rows(n)
    _x_orthonormalise(store, (W[:, :k] / np.sqrt(lam[:k])).T @ S, X, _RANK_RTOL)
    return store.array.copy(), np.sqrt(lam)


@dataclass
class ReducedSolution:
    r"""Online output of :meth:`ReducedModel.solve` for a batch of B parameters.

    Attributes
    ----------
    mu : ndarray, shape (B, P)
    coefficients : ndarray, shape (B, N)
        :math:`c(\mu)`, with :math:`u_N = V c` (:meth:`ReducedModel.reconstruct`).
    residual_norm : ndarray, shape (B,)
        :math:`\|r(\mu)\|_{X'}`, same units as the load.
    coercivity : ndarray, shape (B,)
        :math:`\alpha_{LB}(\mu)` (dimensionless relative to X).
    error_bound : ndarray, shape (B,)
        :math:`\Delta(\mu) = \|r\|_{X'}/\alpha_{LB} \ge \|u - u_N\|_X`, units of u in the X norm.
    """

    mu: np.ndarray
    coefficients: np.ndarray
    residual_norm: np.ndarray
    coercivity: np.ndarray
    error_bound: np.ndarray

    @property
    def norm(self) -> np.ndarray:
        r""":math:`\|u_N(\mu)\|_X = \|c(\mu)\|_2` (the basis is X-orthonormal), shape (B,)."""
        return np.linalg.norm(self.coefficients, axis=1)

    @property
    def relative_error_bound(self) -> np.ndarray:
        r""":math:`\Delta(\mu)/\|u_N(\mu)\|_X` (inf where :math:`u_N = 0`), shape (B,)."""
        norm = self.norm
        return np.divide(self.error_bound, norm, out=np.full_like(norm, np.inf), where=norm > 0)


class ReducedModel:
    r"""Galerkin reduced model of an :class:`AffineProblem` on an X-orthonormal basis, with its error bound.

    Parameters
    ----------
    problem : AffineProblem
    basis : array_like, shape (k, n), optional
        Initial basis vectors (rows; e.g. :func:`pod` modes or snapshots); X-orthonormalised.
    rtol : float
        A vector (basis or Riesz representer) whose X-norm falls below ``rtol`` of its own
        when orthogonalised against the previous ones is taken as linearly dependent.

    Attributes
    ----------
    reduced_operators : ndarray, shape (Q_a, N, N)
        :math:`A^N_q = V^T A_q V`.
    reduced_loads : ndarray, shape (Q_f, N)
        :math:`f^N_q = V^T f_q`.
    """

    def __init__(self, problem: AffineProblem, basis=None, rtol: float = _RANK_RTOL):
        if not isinstance(problem, AffineProblem):
            raise InputError(f"problem: expected an AffineProblem, got {type(problem).__name__}")
        if not 0 < rtol < 1:
            raise InputError(f"rtol: expected 0 < rtol < 1, got {rtol!r}")
        self.problem, self.rtol = problem, rtol
        self._basis, self._riesz_basis = _Rows(problem.n), _Rows(problem.n)
        self.reduced_operators = np.zeros((problem.n_operators, 0, 0))
        self.reduced_loads = np.zeros((problem.n_loads, 0))
        self._T = np.zeros((0, 0))
        self._cache: dict = {}
        self._add_representers(problem.riesz(problem.rhs.T).T)
        if basis is not None:
            self.extend(basis)

    @property
    def size(self) -> int:
        """N, the number of basis vectors."""
        return self._basis.size

    @property
    def basis(self) -> np.ndarray:
        """The X-orthonormal basis V as rows, shape (N, n)."""
        return self._basis.array

    @property
    def riesz_rank(self) -> int:
        """Number of X-orthonormal directions Q spanned by the Riesz representers (rows of T)."""
        return self._riesz_basis.size

    def _add_representers(self, Z: np.ndarray) -> None:
        C = _x_orthonormalise(self._riesz_basis, Z, self.problem.inner_product, self.rtol)
        T = np.zeros((len(C), self._T.shape[1] + Z.shape[0]))
        T[: self._T.shape[0], : self._T.shape[1]] = self._T
        T[:, self._T.shape[1]:] = C
        self._T = T
        self._cache.clear()

    def extend(self, vectors) -> int:
        r"""Add the new X-orthonormal directions of ``vectors`` (k, n) (or one vector (n,)) to the basis.

        Offline, cost :math:`O(n\,(N + Q_a M))` per vector: the new rows and columns of
        every :math:`A^N_q`, the new :math:`f^N_q` entries, the :math:`Q_a` new Riesz
        representers :math:`X^{-1} A_q v` (one sparse triangular solve each) and their
        orthonormalisation. Returns the number of vectors added (0 if all were in the span).
        """
        p = self.problem
        Z = np.atleast_2d(np.asarray(vectors, dtype=float))
        if Z.ndim != 2 or Z.shape[1] != p.n or not np.all(np.isfinite(Z)):
            raise InputError(f"vectors: expected finite rows of length n = {p.n}, got shape {np.shape(vectors)}")
        N0 = self.size
        _x_orthonormalise(self._basis, Z, p.inner_product, self.rtol)
        new, V, N = self.basis[N0:], self.basis, self.size
        if N == N0:
            return 0
        A_N = np.zeros((p.n_operators, N, N))
        A_N[:, :N0, :N0] = self.reduced_operators
        applied = np.empty((len(new), p.n_operators, p.n))  # A_q v for every new v, in representer order
        for q, A_q in enumerate(p.operators):
            Av = (A_q @ new.T).T
            applied[:, q] = Av
            A_N[q, :, N0:] = V @ Av.T
            A_N[q, N0:, :N0] = (A_q.T @ new.T).T @ V[:N0].T
        self.reduced_operators = A_N
        self.reduced_loads = np.concatenate([self.reduced_loads, p.rhs @ new.T], axis=1)
        applied = applied.reshape(-1, p.n)
        self._add_representers(p.riesz(applied.T).T)
        return N - N0

    def _operators(self, N: int) -> np.ndarray:
        """:math:`A^N_q` as one (Q_a, N*N) matrix, cached per N (one matrix product assembles a batch)."""
        if self._cache.get("operators", (None,))[0] != N:
            self._cache["operators"] = (N, np.ascontiguousarray(self.reduced_operators[:, :N, :N]).reshape(
                len(self.reduced_operators), N * N))
        return self._cache["operators"][1]

    def _residual_norm(self, w: np.ndarray, N: int) -> np.ndarray:
        r""":math:`\|T w\|_2` per row of w, skipping the zero lower part of the staircase T.

        Column j of T has nonzeros only in the rows of the directions that existed when its
        representer was orthonormalised, so the columns are taken in 8 blocks, each with the
        rows its last column needs (about half the flops of the full product).
        """
        if self._cache.get("blocks", (None,))[0] != N:
            T = self._T[:, : w.shape[1]]
            nonzero = T != 0
            rows = np.where(nonzero.any(axis=0), T.shape[0] - np.argmax(nonzero[::-1], axis=0), 0)
            rows = np.maximum.accumulate(rows)
            edges = np.linspace(0, T.shape[1], 9).astype(int)
            blocks = [(slice(a, b), np.ascontiguousarray(T[: rows[b - 1], a:b].T))
                      for a, b in zip(edges[:-1], edges[1:]) if b > a]
            self._cache["blocks"] = (N, blocks, T.shape[0])
        _, blocks, rank = self._cache["blocks"]
        out = np.zeros((len(w), rank))
        for columns, block in blocks:
            out[:, : block.shape[1]] += w[:, columns] @ block
        return np.linalg.norm(out, axis=1)

    def _reduced_solve(self, A: np.ndarray, f: np.ndarray) -> np.ndarray:
        """Solve the (B, N, N) reduced systems (A is overwritten); ConvergenceError if one is singular."""
        if A.shape[1] == 0:
            return np.zeros(f.shape)
        if self._cache.get("symmetric") is None:
            R = self.reduced_operators
            self._cache["symmetric"] = bool(np.allclose(R, R.transpose(0, 2, 1), rtol=0,
                                                        atol=1e-12 * max(np.abs(R).max(initial=0.0), 1e-300)))
        if not self._cache["symmetric"]:
            try:
                return np.linalg.solve(A, f[:, :, None])[:, :, 0]
            except np.linalg.LinAlgError as exc:
                raise ConvergenceError(f"reduced solve (N = {A.shape[1]}): singular reduced matrix in the batch "
                                       f"of {len(A)} parameters: {exc}") from exc
        c = np.empty_like(f)
        for b in range(len(A)):  # Cholesky: half the flops of LU
            _, c[b], info = _dposv(A[b], f[b], lower=1, overwrite_a=1)
            if info != 0:
                raise ConvergenceError(f"reduced solve (N = {A.shape[1]}): reduced matrix not positive definite "
                                       f"at batch index {b} (LAPACK dposv info {info})")
        return c

    def solve(self, mu, size: int | None = None) -> ReducedSolution:
        r"""Online: reduced solutions and error bounds for a batch of parameters (B, P) or one (P,).

        Assembles :math:`\sum_q \theta_q(\mu_b) A^N_q` for all b at once (one matrix product
        with the cached :math:`(Q_a, N^2)` operator matrix), solves each N x N system by
        LAPACK Cholesky (``dposv``) when every :math:`A^N_q` is symmetric (else
        ``numpy.linalg.solve`` on the stack), and evaluates :math:`\|T w(\mu_b)\|_2` by one
        matrix product; nothing of size n is touched. ``size``: use only the first
        ``size`` basis vectors (the basis is hierarchical).

        Raises
        ------
        InputError
            Bad parameters (shape, box) or ``size``.
        ConvergenceError
            A singular (or, symmetric case, not positive definite) reduced matrix, or a
            non-finite solution or error bound.
        """
        p = self.problem
        mu = p.parameters(mu)
        N = self.size if size is None else size
        if int(N) != N or not 0 <= N <= self.size:
            raise InputError(f"size: expected an integer in [0, {self.size}], got {size!r}")
        N = int(N)
        theta, phi = p.coefficients(mu, check=False)
        alpha = p.coercivity_lower_bound(mu, theta=theta)
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is caught below as a non-finite result
            A = (theta @ self._operators(N)).reshape(len(mu), N, N)
            f = phi @ self.reduced_loads[:, :N]
            c = self._reduced_solve(A, f)
            w = np.concatenate([phi, -(c[:, :, None] * theta[:, None, :]).reshape(len(mu), -1)], axis=1)
            residual = self._residual_norm(w, N)
            bound = residual / alpha
        bad = ~(np.isfinite(c).all(axis=1) & np.isfinite(bound))
        if bad.any():
            raise ConvergenceError(f"reduced solve (N = {N}): non-finite solution or error bound at batch indices "
                                   f"{np.flatnonzero(bad).tolist()[:10]} (e.g. mu = {mu[bad][0].tolist()})")
        return ReducedSolution(mu, c, residual, alpha, bound)

    def reconstruct(self, coefficients) -> np.ndarray:
        r"""Full-order vectors :math:`u_N = V c` of reduced coefficients (B, N') with N' <= N, shape (B, n)."""
        c = np.atleast_2d(np.asarray(coefficients, dtype=float))
        if c.ndim != 2 or c.shape[1] > self.size:
            raise InputError(f"coefficients: expected shape (B, N') with N' <= {self.size}, "
                             f"got {np.shape(coefficients)}")
        return c @ self.basis[: c.shape[1]]


@dataclass
class GreedyResult:
    """Output of :func:`weak_greedy`.

    Attributes
    ----------
    model : ReducedModel
        The reduced model on the greedy basis.
    parameters : ndarray, shape (N, P)
        The selected training parameters, in order.
    max_estimates : ndarray, shape (N + 1,)
        Largest (relative) error bound over the training set with 0, 1, ..., N basis vectors.
    converged : bool
        True if the last estimate is <= tol.
    """

    model: ReducedModel
    parameters: np.ndarray
    max_estimates: np.ndarray
    converged: bool


def weak_greedy(problem: AffineProblem, training_set, tol: float = 1e-5, max_size: int = 100,
                relative: bool = True, progress: Callable | None = None) -> GreedyResult:
    r"""Weak greedy reduced basis: add the truth solution where the error bound is largest.

    .. math::
        \mu_{N+1} = \arg\max_{\mu \in \Xi_{train}} \eta_N(\mu),\qquad
        V_{N+1} = \mathrm{GS}_X(V_N, u(\mu_{N+1})),

    with :math:`\eta_N = \Delta_N(\mu)/\|u_N(\mu)\|_X` (``relative=True``; infinite for the
    empty basis) or :math:`\Delta_N(\mu)`, until :math:`\max \eta_N \le` ``tol`` or N =
    ``max_size`` (Veroy et al. 2003, "A posteriori error estimation for reduced-basis
    approximation of parametrized elliptic coercive partial differential equations",
    AIAA 2003-3847; Haasdonk 2017). Each step costs one online sweep over
    the training set and one full solve.

    Parameters
    ----------
    problem : AffineProblem
    training_set : array_like, shape (B, P)
        Training parameters :math:`\Xi_{train}` (e.g. ``problem.sample(1000, seed=0)``).
    tol : float
        Target of the largest (relative) error bound, > 0.
    max_size : int
        Largest basis size.
    relative : bool
        Relative (default) or absolute error bound.
    progress : callable, optional
        ``progress(info)`` after each sweep, info a dict with ``size``, ``max_estimate``,
        ``parameter`` (the argmax) and ``training_index``.

    Returns
    -------
    GreedyResult
    """
    train = problem.parameters(training_set, name="training_set")
    if not tol > 0:
        raise InputError(f"tol: expected > 0, got {tol!r}")
    if int(max_size) != max_size or max_size < 0:
        raise InputError(f"max_size: expected an integer >= 0, got {max_size!r}")
    model, selected, estimates = ReducedModel(problem), [], []
    while True:
        sol = model.solve(train)
        eta = sol.relative_error_bound if relative else sol.error_bound
        i = int(np.argmax(eta))
        estimates.append(float(eta[i]))
        if progress is not None:
            progress({"size": model.size, "max_estimate": estimates[-1], "parameter": train[i], "training_index": i})
        if eta[i] <= tol or model.size >= max_size or model.extend(problem.solve(train[i])) == 0:
            break
        selected.append(train[i])
    return GreedyResult(model, np.array(selected).reshape(-1, problem.n_parameters), np.array(estimates),
                        bool(estimates[-1] <= tol))
