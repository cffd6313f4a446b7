r"""1-D advection–diffusion by conservative finite volumes, Crank–Nicolson in time.

.. math:: \partial_t c + \partial_x F = q(x), \qquad F = u\,c - D\,\partial_x c

on :math:`n` equal cells of :math:`[x_0, x_0 + L]` with Dirichlet values at both ends
(boundary faces use the boundary value and a half-cell gradient). Interior face fluxes
are central, :math:`F_{i+1/2} = u\,(c_i + c_{i+1})/2 - D\,(c_{i+1} - c_i)/\Delta x`
(second order; monotone for a cell Péclet number :math:`|u|\Delta x/D \le 2`). The
semi-discrete system :math:`\dot c = A c + b(t)` is advanced by the θ-scheme (θ = 1/2,
Crank–Nicolson) with one banded LU per time step size. Each step also returns the
time-averaged fluxes through the two boundary faces, so the content balance

.. math:: \sum_i c_i^{n+1}\Delta x - \sum_i c_i^{n}\Delta x = \Delta t\,(\bar F_\mathrm{left} - \bar F_\mathrm{right}
          + \textstyle\sum_i q_i\Delta x)

holds to round-off (the scheme is conservative by construction).

Units: SI (m, s, m/s, m^2/s; c in any amount per volume). Reference: LeVeque (2002),
*Finite Volume Methods for Hyperbolic Problems*, ch. 4; Hundsdorfer & Verwer (2003),
*Numerical Solution of Time-Dependent Advection-Diffusion-Reaction Equations*, ch. I.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.linalg import solve_banded

from ..core.errors import ConvergenceError, InputError

__all__ = ["AdvectionDiffusion1D", "TransportHistory"]


@dataclass(frozen=True)
class TransportHistory:
    """Output of :meth:`AdvectionDiffusion1D.run`.

    Attributes
    ----------
    times : ndarray, shape (m,)
        Output times (s), the start included.
    concentrations : ndarray, shape (m, n)
        Cell averages at those times.
    boundary_flux : ndarray, shape (m - 1, 2)
        Flux through the left and right boundary faces (positive in +x), averaged over
        each output interval.
    """

    times: np.ndarray
    concentrations: np.ndarray
    boundary_flux: np.ndarray


class AdvectionDiffusion1D:
    """Finite-volume advection–diffusion on ``cells`` equal cells of ``[origin, origin + length]`` (module docstring)."""

    def __init__(self, cells: int, length: float, velocity: float, diffusivity: float, origin: float = 0.0):
        if int(cells) != cells or cells < 3:
            raise InputError(f"AdvectionDiffusion1D cells: got {cells!r}, expected an integer >= 3")
        if not (np.isfinite(length) and length > 0 and np.isfinite(velocity) and np.isfinite(diffusivity)
                and diffusivity > 0 and np.isfinite(origin)):
            raise InputError(f"AdvectionDiffusion1D: need length > 0, finite velocity and diffusivity > 0, got "
                             f"length={length!r}, velocity={velocity!r}, diffusivity={diffusivity!r}")
        self.n, self.length, self.origin = int(cells), float(length), float(origin)
        self.velocity, self.diffusivity = float(velocity), float(diffusivity)
        self.dx = self.length / self.n
        self.centres = self.origin + (np.arange(self.n) + 0.5) * self.dx
        self.faces = self.origin + np.arange(self.n + 1) * self.dx
        u, D, h = self.velocity, self.diffusivity, self.dx
        # dc_i/dt = (F_{i-1/2} - F_{i+1/2}) / h: tridiagonal A (lower, diagonal, upper) and boundary weights
        self._lower = np.full(self.n, (u / 2 + D / h) / h)
        self._upper = np.full(self.n, (-u / 2 + D / h) / h)
        self._diag = np.full(self.n, -2 * D / h ** 2)
        self._diag[0] = (-u / 2 - D / h - 2 * D / h) / h        # left face: F = u cL - 2D (c0 - cL)/h
        self._diag[-1] = (u / 2 - D / h - 2 * D / h) / h        # right face: F = u cR - 2D (cR - c_{n-1})/h
        self._left_weight = (u + 2 * D / h) / h
        self._right_weight = (-u + 2 * D / h) / h
        self._factor: dict[float, np.ndarray] = {}

    @property
    def cell_peclet(self) -> float:
        """:math:`|u|\\Delta x/D`; central fluxes stay monotone up to 2."""
        return abs(self.velocity) * self.dx / self.diffusivity

    def _apply(self, c: np.ndarray) -> np.ndarray:
        out = self._diag * c
        out[1:] += self._lower[1:] * c[:-1]
        out[:-1] += self._upper[:-1] * c[1:]
        return out

    def _boundary_flux(self, c: np.ndarray, left: float, right: float) -> np.ndarray:
        u, D, h = self.velocity, self.diffusivity, self.dx
        return np.array([u * left - 2 * D * (c[0] - left) / h, u * right - 2 * D * (right - c[-1]) / h])

    def step(self, c: np.ndarray, dt: float, left: tuple[float, float], right: tuple[float, float],
             source: np.ndarray | None = None):
        """One Crank–Nicolson step of ``dt`` s; ``left``/``right`` = boundary values at the start and end of the step.

        ``source``: a steady volumetric source q per cell (amount per volume and s), or None.

        Returns ``(c_new, mean_boundary_flux)`` with the fluxes through the left and right faces
        averaged over the step (θ-weighted, consistent with the update).
        """
        c = np.asarray(c, dtype=float)
        if dt not in self._factor:
            ab = np.zeros((3, self.n))
            ab[0, 1:] = -0.5 * dt * self._upper[:-1]
            ab[1] = 1.0 - 0.5 * dt * self._diag
            ab[2, :-1] = -0.5 * dt * self._lower[1:]
            self._factor[dt] = ab
        rhs = c + 0.5 * dt * self._apply(c)
        rhs[0] += 0.5 * dt * self._left_weight * (left[0] + left[1])
        rhs[-1] += 0.5 * dt * self._right_weight * (right[0] + right[1])
        if source is not None:
            rhs += dt * source
        new = solve_banded((1, 1), self._factor[dt], rhs, check_finite=False)
        flux = 0.5 * (self._boundary_flux(c, left[0], right[0]) + self._boundary_flux(new, left[1], right[1]))
        return new, flux

    def run(self, c0, dt: float, n_steps: int, boundary: Callable[[float], tuple[float, float]],
            every: int = 1, t0: float = 0.0, source=None) -> TransportHistory:
        """Advance ``n_steps`` steps of ``dt`` from ``c0`` at ``t0``; ``boundary(t) -> (left, right)`` values.

        ``source``: steady cell-average source rates (one per cell), or None.

        Records every ``every`` steps. Raises ConvergenceError on a non-finite field.
        """
        if not (np.isfinite(dt) and dt > 0) or int(n_steps) != n_steps or n_steps < 1 or every < 1:
            raise InputError(f"AdvectionDiffusion1D.run: need dt > 0, n_steps >= 1 and every >= 1, got "
                             f"{dt!r}, {n_steps!r}, {every!r}")
        c = np.asarray(c0, dtype=float).copy()
        if c.shape != (self.n,):
            raise InputError(f"AdvectionDiffusion1D.run c0: expected {self.n} cell values, got shape {c.shape}")
        if source is not None:
            source = np.asarray(source, dtype=float)
            if source.shape != (self.n,) or not np.all(np.isfinite(source)):
                raise InputError(f"AdvectionDiffusion1D.run source: expected {self.n} finite cell values, "
                                 f"got shape {source.shape}")
        times, fields, fluxes, acc = [t0], [c.copy()], [], np.zeros(2)
        t, before = t0, boundary(t0)
        for k in range(1, int(n_steps) + 1):
            after = boundary(t0 + k * dt)
            c, f = self.step(c, dt, (before[0], after[0]), (before[1], after[1]), source)
            acc += f * dt
            t, before = t0 + k * dt, after
            if k % every == 0 or k == n_steps:
                span = t - times[-1]
                times.append(t), fields.append(c.copy()), fluxes.append(acc / span)
                acc = np.zeros(2)
        if not np.all(np.isfinite(c)):
            raise ConvergenceError("AdvectionDiffusion1D: non-finite concentrations (time step or data)")
        return TransportHistory(np.array(times), np.array(fields), np.array(fluxes))
