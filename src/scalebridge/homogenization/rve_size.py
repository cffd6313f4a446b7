r"""How big must a representative volume element be? Apparent properties vs window size.

For a random microstructure, apparent properties of a finite window depend on the
boundary conditions and scatter between realisations. Two criteria are computed for
every window size :math:`L` (in units of the microstructure's characteristic length):

* **boundary-condition gap** (Huet 1990, J. Mech. Phys. Solids 38, 813): the
  apparent properties under uniform traction and affine conditions bound the
  effective one; when :math:`(\bar Z_\mathrm{affine} - \bar Z_\mathrm{traction}) /
  \bar Z_\mathrm{periodic} \le \epsilon` the window is representative;
* **statistical error** (Kanit et al. 2003, Int. J. Solids Struct. 40, 3647, eq. 20):
  with :math:`n` realisations the mean is known to a relative error
  :math:`\epsilon_\mathrm{rel} = 2 D_Z(L) / (\bar Z \sqrt n)` (95 %); realisations are
  added until it is below the tolerance, up to a maximum.

The study also fits Kanit's variance law :math:`D_Z^2(L) \propto L^{-d\alpha}` to the
periodic results and extrapolates the window size at which one realisation suffices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ..core.errors import InputError
from .cell import homogenize

__all__ = ["WindowStatistics", "RVESizeStudy", "rve_size_study", "isotropic_part"]


def isotropic_part(effective: np.ndarray) -> float:
    """Mean of the diagonal of an effective tensor (trace / size): a scalar summary."""
    return float(np.trace(effective) / effective.shape[0])


@dataclass(frozen=True)
class WindowStatistics:
    """Apparent property of one window size and boundary condition over realisations."""

    size: float
    boundary_condition: str
    values: np.ndarray

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    @property
    def std(self) -> float:
        return float(np.std(self.values, ddof=1)) if self.values.size > 1 else 0.0

    @property
    def relative_error(self) -> float:
        """Kanit's 95 % relative error of the mean, 2 D / (Z sqrt(n))."""
        return 2.0 * self.std / (abs(self.mean) * np.sqrt(self.values.size))


@dataclass(frozen=True)
class RVESizeStudy:
    """Result of :func:`rve_size_study`.

    Attributes
    ----------
    windows : list of dict
        Per window size, ``{bc: WindowStatistics}``.
    rve_size : float or None
        Smallest window size meeting both criteria (None if none did).
    converged : bool
    tolerance : float
    variance_exponent : float or None
        Fitted :math:`\\alpha` of :math:`D^2 \\propto L^{-d\\alpha}` (periodic BC).
    single_realisation_size : float or None
        Extrapolated window size where one realisation has 2D/Z <= tolerance.
    """

    windows: list[dict[str, WindowStatistics]]
    rve_size: float | None
    converged: bool
    tolerance: float
    dim: int
    variance_exponent: float | None = None
    single_realisation_size: float | None = None
    messages: list[str] = field(default_factory=list)

    def gap(self, i: int) -> float:
        """Relative boundary-condition gap (affine - traction) / periodic of window ``i``."""
        w = self.windows[i]
        return (w["affine"].mean - w["traction"].mean) / abs(w["periodic"].mean)


def rve_size_study(generator: Callable[[float, np.random.Generator], np.ndarray], properties, *,
                   sizes: Sequence[float], problem: str = "conductivity", tolerance: float = 0.01,
                   realisations: tuple[int, int] = (3, 20), summary: Callable[[np.ndarray], float] = isotropic_part,
                   seed: int | None = None, progress: Callable[[str, int, int], None] | None = None,
                   **options) -> RVESizeStudy:
    """Apparent properties vs window size under affine, periodic and traction conditions.

    Parameters
    ----------
    generator : callable
        ``generator(size, rng) -> phases``: a periodic voxel phase map of a window of
        ``size`` characteristic lengths (e.g. inclusion diameters), drawn with ``rng``.
    properties : ndarray
        Phase properties as for :func:`~scalebridge.homogenization.cell.homogenize`.
    sizes : sequence of float
        Increasing window sizes to try; the study stops at the first representative one.
    problem : {"conductivity", "elasticity"}
    tolerance : float
        Relative tolerance of both criteria.
    realisations : (int, int)
        Minimum and maximum number of realisations per size.
    summary : callable
        Scalar extracted from the apparent tensor (default: trace / size).
    seed : int, optional
        Seed of the realisations (reproducible study).
    progress : callable, optional
        ``progress(stage, done, total)``.
    **options
        Passed to the finite-element cell solver.
    """
    sizes = [float(s) for s in sizes]
    if not sizes or np.any(np.diff(sizes) <= 0) or sizes[0] <= 0:
        raise InputError(f"sizes: expected increasing positive window sizes, got {sizes}")
    n_min, n_max = realisations
    if not 2 <= n_min <= n_max:
        raise InputError(f"realisations: expected 2 <= min <= max, got {realisations}")
    if not 0 < tolerance < 1:
        raise InputError(f"tolerance: expected a value in (0, 1), got {tolerance}")
    rng = np.random.default_rng(seed)
    conditions = ("affine", "periodic", "traction")
    windows, messages, rve, dim = [], [], None, None
    for k, size in enumerate(sizes):
        values = {bc: [] for bc in conditions}
        while True:
            phases = generator(size, rng)
            dim = phases.ndim
            for bc in conditions:
                sol = homogenize(phases, properties, problem, method="fe", boundary_condition=bc, **options)
                values[bc].append(summary(sol.effective))
            stats = {bc: WindowStatistics(size, bc, np.array(v)) for bc, v in values.items()}
            n = len(values["periodic"])
            if progress:
                progress(f"window {size:g}: realisation {n}", k, len(sizes))
            if n >= n_min and (stats["periodic"].relative_error <= tolerance or n >= n_max):
                break
        windows.append(stats)
        gap = (stats["affine"].mean - stats["traction"].mean) / abs(stats["periodic"].mean)
        err = stats["periodic"].relative_error
        messages.append(f"size {size:g}: {n} realisations, BC gap {gap:.3%}, statistical error {err:.3%}")
        if gap <= tolerance and err <= tolerance:
            rve = size
            break
    alpha, single = _variance_law(windows, dim, tolerance)
    if rve is None:
        messages.append(f"no window up to size {sizes[-1]:g} met the tolerance {tolerance:g}; try larger sizes")
    return RVESizeStudy(windows, rve, rve is not None, tolerance, dim, alpha, single, messages)


def _variance_law(windows, dim, tolerance):
    """Fit D^2 = A L^(-d alpha) to the periodic variances; size with 2D/Z = tolerance at n = 1."""
    pts = [(w["periodic"].size, w["periodic"].std ** 2, w["periodic"].mean) for w in windows if w["periodic"].std > 0]
    if len(pts) < 2:
        return None, None
    L, var, mean = (np.array(v) for v in zip(*pts))
    slope, intercept = np.polyfit(np.log(L), np.log(var), 1)
    alpha = -slope / dim
    if slope >= 0:
        return float(alpha), None
    target = (tolerance * abs(mean[-1]) / 2.0) ** 2
    return float(alpha), float(np.exp((np.log(target) - intercept) / slope))
