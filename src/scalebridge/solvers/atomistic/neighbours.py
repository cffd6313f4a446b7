r"""Verlet (skin) neighbour lists in general triclinic periodic cells, built with a SciPy cKDTree.

A pair (i, j) with image shift S (integers, one per cell vector) is a neighbour when

.. math:: \mathbf d_{ij} = \mathbf r_j - \mathbf r_i + \mathbf S^{\mathsf T} \mathbf H,
          \qquad |\mathbf d_{ij}| < r_c + r_s,

where the rows of H are the cell vectors (Å) and r_s is the skin. The list is *full*
(both (i, j) and (j, i) appear) and is kept between steps while no atom has moved
more than r_s / 2 since it was built and the cell is unchanged (Verlet 1967; Allen
& Tildesley, *Computer Simulation of Liquids*, 2nd ed. 2017, sec. 5.3). The shifts
refer to the positions as given (not wrapped), so atoms may leave the cell between
rebuilds. Cells smaller than the cut-off are handled by as many periodic images as
the plane spacings require: the images of a cell vector k needed are
:math:`n_k = \lceil (r_c + r_s)\,|\mathbf b_k| \rceil`, with :math:`\mathbf b_k` the
reciprocal vectors (:math:`1/|\mathbf b_k|` the spacing of the lattice planes).
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.spatial import cKDTree

from ...core.errors import InputError, ShapeError

__all__ = ["NeighbourList", "check_configuration"]


def check_configuration(positions, cell, pbc):
    """Validated (positions (N, 3), cell (3, 3), pbc (3,) bool) as float/bool arrays.

    Positions and cell rows in Å; a non-periodic direction still needs a cell vector
    (it sets the volume used for the stress) but no images are made along it.
    """
    positions = np.asarray(positions, dtype=float)
    if positions.ndim != 2 or positions.shape[1] != 3 or len(positions) == 0:
        raise ShapeError(f"positions: got shape {positions.shape}, expected (N, 3) with N >= 1 (Å)")
    cell = np.asarray(cell, dtype=float)
    if cell.shape != (3, 3):
        raise ShapeError(f"cell: got shape {cell.shape}, expected (3, 3) (rows are the cell vectors, Å)")
    pbc = np.broadcast_to(np.asarray(pbc, dtype=bool), (3,)).copy()
    if not (np.all(np.isfinite(positions)) and np.all(np.isfinite(cell))):
        raise InputError("positions/cell: got non-finite values, expected finite coordinates in Å")
    if abs(np.linalg.det(cell)) < 1e-12:
        raise InputError(f"cell: got a singular cell (det = {np.linalg.det(cell):.3g} Å^3), "
                         "expected three independent cell vectors")
    return positions, cell, pbc


class NeighbourList:
    """Full Verlet neighbour list with a skin, reused while atoms move less than skin/2.

    Parameters
    ----------
    cutoff : float
        Interaction cut-off r_c in Å, > 0.
    skin : float
        Verlet skin r_s in Å, >= 0 (0 rebuilds at every call).

    Notes
    -----
    :meth:`update` returns the pair arrays ``i, j`` (int), the separation vectors
    ``d`` (n_pairs, 3) = r_j - r_i + S H and their lengths ``r``, restricted to
    r < r_c. ``builds`` counts the tree builds (for tests and benchmarks).
    """

    def __init__(self, cutoff: float, skin: float = 0.3):
        if not (np.isfinite(cutoff) and cutoff > 0):
            raise InputError(f"cutoff: got {cutoff!r}, expected a finite cut-off radius > 0 Å")
        if not (np.isfinite(skin) and skin >= 0):
            raise InputError(f"skin: got {skin!r}, expected a Verlet skin >= 0 Å")
        self.cutoff = float(cutoff)
        self.skin = float(skin)
        self.builds = 0
        self._ref = None

    # ------------------------------------------------------------------ building
    def _build(self, positions, cell, pbc):
        rmax = self.cutoff + self.skin
        inv = np.linalg.inv(cell)                      # columns: reciprocal vectors b_k
        frac = positions @ inv
        wrap = np.where(pbc, np.floor(frac), 0.0)
        frac = frac - wrap
        spacing_inv = np.linalg.norm(inv, axis=0)      # |b_k| = 1 / plane spacing
        n_img = np.where(pbc, np.ceil(rmax * spacing_inv), 0).astype(int)
        shifts = np.array(list(itertools.product(*(range(-n, n + 1) for n in n_img))), dtype=float)
        # every image point, kept when it lies in the parallelepiped grown by rmax on each face
        pts = frac[None, :, :] + shifts[:, None, :]
        margin = rmax * spacing_inv
        lo = np.where(pbc, -margin, -np.inf)
        hi = np.where(pbc, 1 + margin, np.inf)
        keep = np.all((pts >= lo) & (pts <= hi), axis=2)
        img_idx, atom_idx = np.nonzero(keep)
        ext = pts[img_idx, atom_idx] @ cell
        centre = frac @ cell
        dmat = cKDTree(centre).sparse_distance_matrix(cKDTree(ext), rmax, output_type="coo_matrix")
        i, k = dmat.row, dmat.col
        j = atom_idx[k]
        s = shifts[img_idx[k]]
        not_self = ~((i == j) & np.all(s == 0, axis=1))
        i, j, s = i[not_self], j[not_self], s[not_self]
        # shifts relative to the unwrapped positions: d = r_j - r_i + (s - w_j + w_i) H
        self._i = i.astype(np.intp)
        self._j = j.astype(np.intp)
        self._s = s - wrap[j] + wrap[i]
        self._shift = np.ascontiguousarray(self._s @ cell)
        self._ref = (positions.copy(), cell.copy(), pbc.copy())
        self.builds += 1

    def needs_rebuild(self, positions, cell, pbc) -> bool:
        """True when the cell, pbc or atom count changed or an atom moved more than skin/2."""
        if self._ref is None:
            return True
        p0, c0, b0 = self._ref
        if p0.shape != positions.shape or not np.array_equal(c0, cell) or not np.array_equal(b0, pbc):
            return True
        if self.skin == 0:
            return not np.array_equal(p0, positions)
        return float(np.max(np.sum((positions - p0) ** 2, axis=1))) > (0.5 * self.skin) ** 2

    def update(self, positions, cell, pbc):
        """Pairs within the cut-off: ``(i, j, d, r)`` (see class notes); rebuilds only when needed."""
        positions, cell, pbc = check_configuration(positions, cell, pbc)
        if self.needs_rebuild(positions, cell, pbc):
            self._build(positions, cell, pbc)
        kernels = _kernels()
        if kernels is not None:
            return kernels.pair_vectors(np.ascontiguousarray(positions), self._i, self._j, self._shift, self.cutoff)
        d = positions[self._j] - positions[self._i] + self._shift
        r = np.sqrt(np.einsum("ij,ij->i", d, d))
        inside = r < self.cutoff
        return self._i[inside], self._j[inside], d[inside], r[inside]


def _kernels():
    """The numba kernels when numba is installed (compiled once, cached), else None (NumPy path)."""
    global _KERNELS
    if _KERNELS is False:
        try:
            from . import _kernels as k
        except ImportError:
            k = None
        _KERNELS = k
    return _KERNELS


_KERNELS = False
