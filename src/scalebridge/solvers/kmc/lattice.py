r"""Periodic lattices for kinetic Monte Carlo: neighbour tables and hop vectors.

A *chain* (periodic ring of L sites, z = 2) serves exact one-dimensional
references. Sites of an ``L x L`` lattice are numbered ``i = x + L y`` (``x, y`` in ``0..L-1``,
periodic in both directions). The *square* lattice has z = 4 nearest neighbours
at (±1, 0), (0, ±1); the *hexagonal* (triangular) lattice of close-packed
surfaces such as fcc(111) has z = 6, written in skew coordinates as (±1, 0),
(0, ±1), ±(1, -1), with Cartesian hop vectors of unit length at 60° steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.errors import InputError

__all__ = ["Lattice", "chain_lattice", "square_lattice", "hexagonal_lattice"]

_STEPS = {
    "chain": np.array([[1, 0], [-1, 0]]),
    "square": np.array([[1, 0], [-1, 0], [0, 1], [0, -1]]),
    "hexagonal": np.array([[1, 0], [-1, 0], [0, 1], [0, -1], [1, -1], [-1, 1]]),
}
# skew (a1, a2) -> Cartesian, lattice constant 1
_BASIS = {"chain": np.eye(2), "square": np.eye(2), "hexagonal": np.array([[1.0, 0.0], [0.5, np.sqrt(3) / 2]])}


@dataclass(frozen=True)
class Lattice:
    """A periodic two-dimensional lattice.

    Attributes
    ----------
    kind : str
        ``"chain"``, ``"square"`` or ``"hexagonal"``.
    shape : tuple of int
        ``(L,)`` for a chain, ``(L, L)`` otherwise.
    neighbours : ndarray, shape (N, z), int32
        Nearest neighbours of every site, in the order of ``steps``.
    steps : ndarray, shape (z, 2), int64
        Neighbour offsets in lattice (skew) coordinates.
    basis : ndarray, shape (2, 2)
        Rows are the Cartesian lattice vectors (lattice constant 1).
    """

    kind: str
    shape: tuple
    neighbours: np.ndarray
    steps: np.ndarray
    basis: np.ndarray

    @property
    def size(self) -> int:
        """Linear size L."""
        return self.shape[0]

    @property
    def n_sites(self) -> int:
        return int(np.prod(self.shape))

    @property
    def coordination(self) -> int:
        return self.neighbours.shape[1]

    @property
    def dimension(self) -> int:
        return len(self.shape)

    def cartesian(self, skew) -> np.ndarray:
        """Cartesian vectors (units of the lattice constant) of skew-coordinate vectors (..., 2)."""
        return np.asarray(skew, dtype=float) @ self.basis


def _make(kind: str, size) -> Lattice:
    if kind not in _STEPS:
        raise InputError(f"lattice: unknown kind {kind!r}; expected one of {sorted(_STEPS)}")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 3:
        raise InputError(f"{kind} lattice: size must be an integer >= 3 (periodic, distinct neighbours), "
                         f"got {size!r}")
    L = int(size)
    rows = 1 if kind == "chain" else L
    x, y = np.meshgrid(np.arange(L), np.arange(rows), indexing="xy")
    x, y = x.ravel(), y.ravel()
    steps = _STEPS[kind]
    nbr = np.stack([(x + dx) % L + L * ((y + dy) % rows) for dx, dy in steps], axis=1).astype(np.int32)
    return Lattice(kind, (L,) if kind == "chain" else (L, L), nbr, steps.copy(), _BASIS[kind].copy())


def chain_lattice(size: int) -> Lattice:
    """Periodic ring of ``size`` sites, z = 2."""
    return _make("chain", size)


def square_lattice(size: int) -> Lattice:
    """Periodic square lattice of size x size sites, z = 4."""
    return _make("square", size)


def hexagonal_lattice(size: int) -> Lattice:
    """Periodic hexagonal (triangular, close-packed) lattice of size x size sites, z = 6."""
    return _make("hexagonal", size)

