r"""Crystal builders (plain arrays, Å): primitive cells, cubic supercells and low-index fcc slabs.

A :class:`Crystal` is a Bravais lattice (cell rows :math:`\mathbf a_k`) with a basis of
M atoms; M = 1 is a simple lattice, M > 1 a multi-lattice whose sub-lattice shifts
relax under strain (Tadmor & Miller 2011, ch. 3 and sec. 11.2). Slabs of fcc are built
layer by layer along the surface normal (z), with the stacking of the plane
(Kittel, *Introduction to Solid State Physics*, ch. 1; Tadmor & Miller 2011, sec. 6.5):

* (100): square cell a/√2, layer spacing a/2, stacking AB;
* (110): rectangular cell a/√2 × a, spacing a/(2√2), stacking AB;
* (111): hexagonal cell a/√2, spacing a/√3, stacking ABC.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.errors import InputError

__all__ = ["Crystal", "fcc", "bcc", "hcp", "diamond", "cubic_supercell", "fcc_slab", "FCC_SURFACES"]


@dataclass(frozen=True)
class Crystal:
    """A periodic crystal: ``cell`` (3, 3) rows in Å and ``basis`` (M, 3) Cartesian positions in Å."""

    cell: np.ndarray
    basis: np.ndarray

    @property
    def volume(self) -> float:
        """Cell volume in Å^3."""
        return float(abs(np.linalg.det(self.cell)))

    def repeat(self, reps) -> "Crystal":
        """The (n1, n2, n3) supercell."""
        reps = np.broadcast_to(np.asarray(reps, dtype=int), (3,))
        if np.any(reps < 1):
            raise InputError(f"reps: got {reps.tolist()}, expected three integers >= 1")
        grid = np.stack(np.meshgrid(*(np.arange(n) for n in reps), indexing="ij"), -1).reshape(-1, 3)
        pos = (grid @ self.cell)[:, None, :] + self.basis[None, :, :]
        return Crystal(self.cell * reps[:, None], pos.reshape(-1, 3))


def _lattice_constant(a, name="a"):
    if not (np.isfinite(a) and a > 0):
        raise InputError(f"{name}: got {a!r}, expected a lattice constant > 0 Å")
    return float(a)


def fcc(a) -> Crystal:
    """Primitive fcc cell (1 atom), vectors a/2 (0,1,1), (1,0,1), (1,1,0)."""
    a = _lattice_constant(a)
    return Crystal(0.5 * a * np.array([[0.0, 1, 1], [1, 0, 1], [1, 1, 0]]), np.zeros((1, 3)))


def bcc(a) -> Crystal:
    """Primitive bcc cell (1 atom), vectors a/2 (-1,1,1), (1,-1,1), (1,1,-1)."""
    a = _lattice_constant(a)
    return Crystal(0.5 * a * np.array([[-1.0, 1, 1], [1, -1, 1], [1, 1, -1]]), np.zeros((1, 3)))


def hcp(a, c=None) -> Crystal:
    """Hexagonal close-packed (2-atom basis at 0 and (1/3, 2/3, 1/2)); c = sqrt(8/3) a by default."""
    a = _lattice_constant(a)
    c = np.sqrt(8.0 / 3.0) * a if c is None else _lattice_constant(c, "c")
    cell = np.array([[a, 0, 0], [-0.5 * a, 0.5 * np.sqrt(3) * a, 0], [0, 0, c]])
    return Crystal(cell, np.array([[0.0, 0, 0], [1 / 3, 2 / 3, 0.5]]) @ cell)


def diamond(a) -> Crystal:
    """Diamond cubic: the fcc primitive cell with a 2-atom basis at 0 and a/4 (1,1,1)."""
    base = fcc(a)
    return Crystal(base.cell, np.array([[0.0, 0, 0], [0.25 * a] * 3]))


def cubic_supercell(kind: str, a, reps) -> Crystal:
    """Conventional cubic fcc (4 atoms) or bcc (2 atoms) cell of side a, repeated ``reps`` times."""
    a = _lattice_constant(a)
    basis = {"fcc": [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]], "bcc": [[0, 0, 0], [0.5, 0.5, 0.5]]}
    if kind not in basis:
        raise InputError(f"kind: got {kind!r}, expected 'fcc' or 'bcc'")
    return Crystal(a * np.eye(3), a * np.array(basis[kind], dtype=float)).repeat(reps)


#: in-plane cell (units of a), layer spacing (units of a) and in-plane stacking offsets (fractions of the cell)
FCC_SURFACES = {
    "100": (np.array([[1, 0], [0, 1]]) / np.sqrt(2), 0.5, [(0, 0), (0.5, 0.5)]),
    "110": (np.array([[1 / np.sqrt(2), 0], [0, 1]]), 0.5 / np.sqrt(2), [(0, 0), (0.5, 0.5)]),
    "111": (np.array([[1, 0], [0.5, np.sqrt(3) / 2]]) / np.sqrt(2), 1 / np.sqrt(3),
            [(0, 0), (1 / 3, 1 / 3), (2 / 3, 2 / 3)]),
}


def fcc_slab(a, surface: str, layers: int, vacuum: float = 10.0, size=(1, 1)) -> Crystal:
    """An fcc slab of ``layers`` atomic planes normal to z, with ``vacuum`` Å above and below in total.

    Parameters
    ----------
    a : float
        Cubic lattice constant (Å).
    surface : {"100", "110", "111"}
        The plane.
    layers : int
        Number of atomic planes (>= 2).
    vacuum : float
        Total vacuum thickness added to the cell along z (Å); 0 gives the periodic bulk
        stacking when ``layers`` is a multiple of the stacking period.
    size : (int, int)
        In-plane repetitions of the surface cell (one atom per plane per surface cell).

    Returns
    -------
    Crystal
        Cell rows (a1, a2 in-plane, a3 along z); select planes by the z coordinate.
    """
    a = _lattice_constant(a)
    if surface not in FCC_SURFACES:
        raise InputError(f"surface: got {surface!r}, expected one of {sorted(FCC_SURFACES)}")
    if int(layers) != layers or layers < 2:
        raise InputError(f"layers: got {layers!r}, expected an integer >= 2")
    if not (np.isfinite(vacuum) and vacuum >= 0):
        raise InputError(f"vacuum: got {vacuum!r}, expected a thickness >= 0 Å")
    plane, spacing, stacking = FCC_SURFACES[surface]
    layers = int(layers)
    cell = np.zeros((3, 3))
    cell[:2, :2] = a * plane
    cell[2, 2] = layers * spacing * a + vacuum
    k = np.arange(layers)
    frac = np.array(stacking, dtype=float)[k % len(stacking)]
    pos = frac @ cell[:2, :2]
    pos = np.column_stack([pos, k * spacing * a + 0.5 * vacuum])
    return Crystal(cell, pos).repeat((size[0], size[1], 1))
