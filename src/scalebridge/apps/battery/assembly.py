r"""Fast assembly of sparse Jacobians with a fixed pattern, ``J = sum_k L_k diag(v_k) R_k``.

Every block of a finite-volume cell model's Jacobian is a constant sparse matrix, or a
constant matrix scaled by a state-dependent vector between two constant operators
(``Div diag(kappa_face) Grad``, ``diag(dj/deta) Select``, ...). Each nonzero of such a
term is linear in the entries of ``v``:
``J_ij = sum_k sum_m L_k[i, m] v_k[m] R_k[m, j]``. :class:`JacobianPattern` precomputes
the union sparsity pattern and the sparse map ``T`` from the stacked vectors ``v`` to the
nonzeros once, so that evaluating the Jacobian is one sparse mat-vec ``data = T v``
and no sparse-matrix products, index searches or Python loops at run time.
The pattern always holds the diagonal, so ``M - c J`` shares it (``M`` diagonal).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["JacobianPattern"]


def _triples(L, R):
    """All (i, j, m, w = L[i, m] R[m, j]) of L diag(v) R, vectorised over m."""
    L = sparse.csc_matrix(L)
    R = sparse.csr_matrix(R)
    nl = np.diff(L.indptr)
    nr = np.diff(R.indptr)
    counts = nl * nr
    total = int(counts.sum())
    m = np.repeat(np.arange(L.shape[1]), counts)
    start = np.repeat(np.cumsum(counts) - counts, counts)
    local = np.arange(total) - start
    nr_m = nr[m]
    li = L.indptr[m] + local // np.maximum(nr_m, 1)
    rj = R.indptr[m] + local % np.maximum(nr_m, 1)
    return L.indices[li], R.indices[rj], m, L.data[li] * R.data[rj]


class JacobianPattern:
    """A fixed-pattern sparse Jacobian ``sum_k L_k diag(v_k) R_k``, assembled by one mat-vec.

    Parameters
    ----------
    n : int
        Size of the square Jacobian.
    terms : list of (L, R)
        Constant operators, ``L`` of shape (n, m_k) and ``R`` of shape (m_k, n).
        A constant block ``C`` is the term ``(C, I)`` with ``v = 1``.

    Attributes
    ----------
    indptr, indices : numpy.ndarray
        CSC pattern (diagonal included).
    diagonal_positions : numpy.ndarray
        Position of each diagonal entry in the data array.
    """

    def __init__(self, n, terms):
        self.n = n
        rows, cols, vidx, weights = [], [], [], []
        offset = 0
        self.sizes = []
        for L, R in terms:
            i, j, m, w = _triples(L, R)
            rows.append(i)
            cols.append(j)
            vidx.append(m + offset)
            weights.append(w)
            offset += L.shape[1]
            self.sizes.append(L.shape[1])
        diag = np.arange(n)
        rows.append(diag)
        cols.append(diag)
        vidx.append(np.zeros(n, dtype=int))
        weights.append(np.zeros(n))
        rows, cols = np.concatenate(rows), np.concatenate(cols)
        key = cols.astype(np.int64) * n + rows          # CSC order: by column, then row
        unique, position = np.unique(key, return_inverse=True)
        self.indices = (unique % n).astype(np.int32)
        ucols = unique // n
        self.indptr = np.searchsorted(ucols, np.arange(n + 1)).astype(np.int32)
        self.nnz = unique.size
        self.n_values = max(offset, 1)
        self.map = sparse.csr_matrix((np.concatenate(weights), (position, np.concatenate(vidx))),
                                     shape=(self.nnz, self.n_values))
        self.diagonal_positions = np.searchsorted(unique, diag.astype(np.int64) * n + diag)

    def matrix(self, values):
        """The Jacobian (CSC) for the stacked vectors ``values = concat(v_k)``."""
        data = self.map @ values
        return sparse.csc_matrix((data, self.indices, self.indptr), shape=(self.n, self.n))
