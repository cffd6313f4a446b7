r"""Voxel phase maps of periodic unit cells: generators, volume fractions, loading.

A phase map is a plain integer array of shape ``(n,) * dim`` (``dim`` 2 or 3) with
phase ids ``0 .. P-1``; voxel ``i`` along an axis covers ``[i/n, (i+1)/n)`` of the
periodic unit cell :math:`[0, 1)^{dim}` and has its centre at :math:`x_i = (i + 1/2)/n`.
Every generator voxelises at voxel centres, so a phase map is what the FFT and
finite-element cell solvers of :mod:`scalebridge.solvers` take as input.

Geometric queries (nearest inclusion centre, nearest Voronoi seed) use a periodic
k-d tree (:class:`scipy.spatial.cKDTree` with ``boxsize=1``), so no Python loop runs
over voxels.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

from ..core.errors import InputError
from ..solvers.validation import count_at_least

__all__ = ["laminate", "checkerboard", "periodic_inclusion", "random_inclusions", "voronoi_polycrystal",
           "volume_fractions", "load_phase_map", "voxel_centres"]


def _dimension(dim) -> int:
    if dim not in (2, 3):
        raise InputError(f"dim: got {dim!r}, expected 2 or 3")
    return int(dim)


def _fraction(volume_fraction, upper: float = 1.0) -> float:
    f = float(volume_fraction)
    if not (0.0 < f < upper):
        raise InputError(f"volume_fraction: got {volume_fraction!r}, expected a number in (0, {upper:.4g})")
    return f


def voxel_centres(n: int, dim: int = 2) -> np.ndarray:
    """Centres ``(i + 1/2)/n`` of the ``n**dim`` voxels, shape ``(n**dim, dim)``, C order."""
    x = (np.arange(n) + 0.5) / n
    return np.stack(np.meshgrid(*([x] * _dimension(dim)), indexing="ij"), axis=-1).reshape(-1, dim)


def laminate(n: int, volume_fraction: float, dim: int = 2, axis: int = 0) -> np.ndarray:
    """Periodic laminate: one centred layer of phase 1 normal to ``axis`` in phase 0.

    The layer is ``round(volume_fraction * n)`` voxels thick, so the voxel volume
    fraction is that thickness over ``n``; it must be between 1 and ``n - 1``.

    Parameters
    ----------
    n : int
        Voxels per side (>= 2).
    volume_fraction : float
        Target fraction of phase 1, in (0, 1).
    dim : {2, 3}
    axis : int
        Axis normal to the layers (0 .. dim-1).
    """
    n, dim, f = count_at_least("n", n, 2), _dimension(dim), _fraction(volume_fraction)
    if axis not in range(dim):
        raise InputError(f"axis: got {axis!r}, expected an integer in 0..{dim - 1}")
    thickness = int(round(f * n))
    if not 1 <= thickness <= n - 1:
        raise InputError(f"volume_fraction: {f} gives a layer of {thickness} of n = {n} voxels; "
                         f"expected 1..{n - 1} voxels (refine n)")
    start = (n - thickness) // 2
    profile = ((np.arange(n) >= start) & (np.arange(n) < start + thickness)).astype(int)
    shape = [1] * dim
    shape[axis] = n
    return np.broadcast_to(profile.reshape(shape), (n,) * dim).copy()


def checkerboard(n: int, dim: int = 2) -> np.ndarray:
    """Periodic 2x2 (2x2x2) checkerboard: phase = parity of the quadrant (octant) index.

    Parameters
    ----------
    n : int
        Voxels per side, even and >= 2.
    dim : {2, 3}
    """
    n, dim = count_at_least("n", n, 2), _dimension(dim)
    if n % 2:
        raise InputError(f"n: got {n}, expected an even number of voxels for a checkerboard")
    half = (np.arange(n) >= n // 2).astype(int)
    grids = np.meshgrid(*([half] * dim), indexing="ij")
    return sum(grids) % 2


def periodic_inclusion(n: int, volume_fraction: float, dim: int = 2) -> np.ndarray:
    r"""One centred disc (``dim=2``) or sphere (``dim=3``) of phase 1 in phase 0.

    The radius follows from the target fraction, :math:`\pi r^2 = f` or
    :math:`\tfrac43\pi r^3 = f`, and must not exceed 1/2 (the inclusion must not touch
    its periodic images): :math:`f \le \pi/4` in 2-D, :math:`f \le \pi/6` in 3-D.
    A voxel is phase 1 if its centre lies within the radius; the voxel fraction
    approaches ``volume_fraction`` as ``n`` grows.
    """
    n, dim = count_at_least("n", n, 2), _dimension(dim)
    f = _fraction(volume_fraction, np.pi / 4 if dim == 2 else np.pi / 6)
    radius = np.sqrt(f / np.pi) if dim == 2 else np.cbrt(3.0 * f / (4.0 * np.pi))
    distance = np.linalg.norm(voxel_centres(n, dim) - 0.5, axis=-1)
    phases = (distance <= radius).astype(int).reshape((n,) * dim)
    if not phases.any():
        raise InputError(f"n: got {n}, too coarse to resolve an inclusion of radius {radius:.3g}")
    return phases


def _periodic_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Minimum-image distances between points ``a (..., dim)`` and ``b (..., dim)`` in the unit cell."""
    d = np.abs(a - b)
    return np.linalg.norm(np.minimum(d, 1.0 - d), axis=-1)


def random_inclusions(n: int, volume_fraction: float, radius: float, dim: int = 2, seed=None,
                      min_gap: float = 0.0, max_attempts: int = 100_000, return_centres: bool = False):
    r"""Non-overlapping equal discs/spheres placed by periodic random sequential addition.

    Centres are drawn uniformly in the cell and accepted when their minimum-image
    distance to every accepted centre is at least :math:`2r + \text{gap}`, until
    :math:`N = \max(1, \mathrm{round}(f / v))` inclusions are placed, :math:`v` the
    volume of one (:math:`\pi r^2` or :math:`\tfrac43 \pi r^3`). Random sequential
    addition jams near :math:`f \approx 0.547` (2-D) and :math:`0.38` (3-D) for small
    inclusions (Feder 1980, J. Theor. Biol. 87, 237; Torquato, *Random Heterogeneous
    Materials*, 2002, sec. 3.4); higher targets raise :class:`InputError`.

    Parameters
    ----------
    n : int
        Voxels per side; the radius must span at least one voxel (``radius * n >= 1``).
    volume_fraction : float
        Target (continuum) fraction of phase 1, in (0, 1).
    radius : float
        Inclusion radius as a fraction of the cell side, with ``2 r + min_gap < 1``.
    dim : {2, 3}
    seed : int, numpy.random.Generator or None
        Randomness (``numpy.random.default_rng(seed)``); the same seed gives the same map.
    min_gap : float
        Extra clearance between inclusion surfaces (fraction of the cell side, >= 0).
    max_attempts : int
        Candidate centres drawn before giving up.
    return_centres : bool
        Also return the accepted centres, shape ``(N, dim)``.

    Returns
    -------
    phases : ndarray of int, shape ``(n,) * dim``
        1 inside an inclusion (voxel centre within ``radius`` of a centre), else 0.

    Raises
    ------
    InputError
        For bad arguments, or when the target is unreachable (jamming): the message
        names the number placed and the fraction reached.
    """
    n, dim, f = count_at_least("n", n, 2), _dimension(dim), _fraction(volume_fraction)
    max_attempts = count_at_least("max_attempts", max_attempts, 1)
    r, gap = float(radius), float(min_gap)
    if not (r > 0 and gap >= 0 and 2 * r + gap < 1):
        raise InputError(f"radius, min_gap: got {radius!r}, {min_gap!r}; expected radius > 0, "
                         "min_gap >= 0 and 2 radius + min_gap < 1 (cell side 1)")
    if r * n < 1:
        raise InputError(f"n: got {n}, expected at least {int(np.ceil(1 / r))} voxels per side to "
                         f"resolve inclusions of radius {r}")
    volume = np.pi * r**2 if dim == 2 else 4.0 / 3.0 * np.pi * r**3
    target = max(1, int(round(f / volume)))
    rng = np.random.default_rng(seed)
    centres = np.empty((0, dim))
    attempts, clearance, batch = 0, 2 * r + gap, 1024
    while len(centres) < target and attempts < max_attempts:
        candidates = rng.random((min(batch, max_attempts - attempts), dim))
        attempts += len(candidates)
        free = np.all(_periodic_distance(candidates[:, None], centres[None]) >= clearance, axis=1)
        while free.any() and len(centres) < target:  # loop over accepted inclusions only
            j = int(np.argmax(free))
            centres = np.vstack([centres, candidates[j]])
            free &= _periodic_distance(candidates, candidates[j]) >= clearance
    if len(centres) < target:
        raise InputError(
            f"volume_fraction: target {f} unreachable with radius {r} and min_gap {gap} (jamming): "
            f"placed {len(centres)} of {target} inclusions, fraction reached {len(centres) * volume:.4f} "
            f"after {attempts} attempts; lower the fraction or the radius, or raise max_attempts")
    nearest, _ = cKDTree(centres, boxsize=1.0).query(voxel_centres(n, dim))
    phases = (nearest <= r).astype(int).reshape((n,) * dim)
    return (phases, centres) if return_centres else phases


def voronoi_polycrystal(n: int, n_grains: int, dim: int = 2, seed=None) -> np.ndarray:
    """Periodic Voronoi tessellation of ``n_grains`` uniformly random seeds.

    Each voxel takes the id (0 .. n_grains-1) of the seed nearest to its centre in the
    minimum-image metric of the unit cell. A grain smaller than a voxel may own no voxel.

    Parameters
    ----------
    n : int
        Voxels per side (>= 2).
    n_grains : int
        Number of grains (>= 1).
    dim : {2, 3}
    seed : int, numpy.random.Generator or None
    """
    n, dim = count_at_least("n", n, 2), _dimension(dim)
    n_grains = count_at_least("n_grains", n_grains, 1)
    seeds = np.random.default_rng(seed).random((n_grains, dim))
    _, grain = cKDTree(seeds, boxsize=1.0).query(voxel_centres(n, dim))
    return grain.astype(int).reshape((n,) * dim)


def volume_fractions(phases, n_phases: int | None = None) -> np.ndarray:
    """Fraction of voxels of each phase id ``0 .. n_phases-1`` (default ``max + 1``)."""
    p = np.asarray(phases)
    if p.size == 0 or not np.issubdtype(p.dtype, np.integer) or p.min() < 0:
        raise InputError(f"phases: got dtype {p.dtype}, size {p.size}; expected a non-empty array of "
                         "non-negative integer phase ids")
    count = int(p.max()) + 1 if n_phases is None else count_at_least("n_phases", n_phases, 1)
    if p.max() >= count:
        raise InputError(f"n_phases: got {n_phases}, but the map holds phase id {p.max()}")
    return np.bincount(p.ravel(), minlength=count) / p.size


def _grey(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image, dtype=float)
    if image.ndim == 3:  # RGB(A): luminance of ITU-R BT.601, alpha dropped
        image = image[..., :3] @ np.array([0.299, 0.587, 0.114]) if image.shape[-1] >= 3 else image[..., 0]
    return image


def load_phase_map(path, levels: int | None = None) -> np.ndarray:
    """Read a phase map from a ``.npy`` integer array or an image (e.g. png).

    An image is converted to grey (luminance) and quantised: with ``levels=None``
    each distinct grey value becomes a phase, numbered ``0 .. P-1`` by increasing
    grey; with ``levels=L`` the grey range is cut into ``L`` equal bins. Axis 0 of
    the map is the image rows (top to bottom).

    Raises
    ------
    InputError
        For an unreadable file, a non-square/cubic map, non-integer or negative
        ``.npy`` phase ids, or ``levels < 1``.
    """
    path = Path(path)
    try:
        if path.suffix.lower() == ".npy":
            data = np.load(path, allow_pickle=False)
            if not np.issubdtype(data.dtype, np.integer) or data.size == 0 or data.min() < 0:
                raise InputError(f"path: {path} holds dtype {data.dtype}; expected non-negative integer phase ids")
            phases = data.astype(int)
        else:
            import matplotlib.image as mpimg

            grey = _grey(mpimg.imread(path))
            if levels is None:
                _, phases = np.unique(grey, return_inverse=True)
            else:
                levels = count_at_least("levels", levels, 1)
                span = max(grey.max() - grey.min(), np.finfo(float).tiny)
                phases = np.minimum(((grey - grey.min()) / span * levels).astype(int), levels - 1)
            phases = phases.reshape(grey.shape)
    except (OSError, ValueError, SyntaxError) as error:
        if isinstance(error, InputError):
            raise
        raise InputError(f"path: cannot read a phase map from {path} ({error})") from error
    if phases.ndim not in (2, 3) or len(set(phases.shape)) != 1:
        raise InputError(f"path: {path} holds shape {phases.shape}; expected (n, n) or (n, n, n)")
    return phases
