r"""Gap-tooth scheme: a 1-D coarse field from fine simulations in small patches ("teeth").

The coarse unknowns are averages :math:`U_i` of the field over patches of width h centred
at the coarse points :math:`x_i` (spacing :math:`\Delta x`, :math:`h \ll \Delta x`). One
gap-tooth step of length :math:`\Delta t` (Gear, Li & Kevrekidis 2003; Samaey, Roose &
Kevrekidis 2005):

1. *interpolate*: a local quadratic :math:`p_i(\xi) = a_i + b_i\xi + c_i\xi^2`,
   :math:`\xi = x - x_i`, whose averages over the boxes of the patches i-1, i, i+1 are
   :math:`U_{i-1}, U_i, U_{i+1}`:
   :math:`c_i = (U_{i+1} - 2U_i + U_{i-1})/(2\Delta x^2)`,
   :math:`b_i = (U_{i+1} - U_{i-1})/(2\Delta x)`, :math:`a_i = U_i - c_i h^2/12`;
2. *lift*: each patch gets :math:`p_i` as its initial condition and, as boundary
   conditions, the slope of :math:`p_i` at its edges :math:`\xi = \pm h/2` (the gradient,
   hence the diffusive flux :math:`-D\,p_i'(\pm h/2)`, of the coarse interpolant);
3. *evolve* every patch with the fine model for :math:`\Delta t` (all patches at once);
4. *restrict*: :math:`U_i \leftarrow` the patch average.

For :math:`u_t = D u_{xx} + R(u)` the patch average then changes at the rate
:math:`D\,(p_i'(h/2) - p_i'(-h/2))/h + \langle R\rangle = D\,\delta^2 U_i/\Delta x^2 + \langle R\rangle`:
the scheme is consistent with the macroscopic equation and, for diffusion, stable for
:math:`\Delta t \le \Delta x^2/(2D)` (Gear, Li & Kevrekidis 2003, sec. 3). The fine model
is only simulated on the fraction :math:`h/\Delta x` of the domain. Combined with
:func:`~scalebridge.coupling.equation_free.projective_integrate` over the gap-tooth step
(wrap :class:`GapToothDynamics` in a coarse time-stepper) it becomes *patch dynamics*.

Outer boundaries: ``"periodic"``, or ``"dirichlet"`` with coarse points
:math:`x_i = i\,\Delta x`, i = 1..n, :math:`\Delta x = L/(n + 1)`, and the boundary values
used as the averages of ghost patches at 0 and L (an :math:`O(h^2)` approximation).

References
----------
Gear, C. W., Li, J. & Kevrekidis, I. G. (2003). The gap-tooth method in particle simulations.
Phys. Lett. A 316, 190.
Samaey, G., Roose, D. & Kevrekidis, I. G. (2005). The gap-tooth scheme for homogenization
problems. Multiscale Model. Simul. 4, 278.
Samaey, G., Kevrekidis, I. G. & Roose, D. (2006). Patch dynamics with buffers for homogenization
problems. J. Comput. Phys. 213, 264.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..core.errors import ConvergenceError, InputError
from ..solvers.lattice_boltzmann import LatticeBoltzmann

__all__ = ["GapToothResult", "GapToothDynamics", "gap_tooth", "local_quadratics", "lattice_boltzmann_patches"]


def local_quadratics(u, spacing: float, patch_width: float, boundary: str = "periodic",
                     boundary_values=(0.0, 0.0)) -> np.ndarray:
    """Coefficients (n, 3) of the box-average-consistent quadratics :math:`a + b\\xi + c\\xi^2` (module docstring)."""
    u = np.asarray(u, dtype=float)
    if boundary == "periodic":
        left, right = np.roll(u, 1), np.roll(u, -1)
    elif boundary == "dirichlet":
        g0, gL = (float(v) for v in boundary_values)
        left, right = np.concatenate([[g0], u[:-1]]), np.concatenate([u[1:], [gL]])
    else:
        raise InputError(f"boundary: got {boundary!r}, expected 'periodic' or 'dirichlet'")
    c = (right - 2 * u + left) / (2 * spacing ** 2)
    b = (right - left) / (2 * spacing)
    return np.stack([u - c * patch_width ** 2 / 12, b, c], axis=-1)


def lattice_boltzmann_patches(diffusivity: float, patch_width: float, n_nodes: int = 8, *,
                              reaction: Callable | None = None, tau: float = 1.0):
    r"""``lift`` and ``restrict`` of a gap-tooth scheme whose patches are D1Q3 lattice Boltzmann models.

    Each patch has ``n_nodes`` nodes at cell centres; the lift sets the populations to the
    equilibrium of the cell averages of :math:`p_i` and imposes the fluxes
    :math:`J = -D\,p_i'(\pm h/2)` through half-way bounce-back walls
    (:class:`~scalebridge.solvers.lattice_boltzmann.LatticeBoltzmann`, ``boundary="flux"``).

    Returns
    -------
    lift : callable
        ``lift(quadratics (n, 3)) -> (engine, populations (n, 3, n_nodes))``.
    restrict : callable
        ``restrict(populations) -> patch averages (n,)``.
    """
    base = LatticeBoltzmann(patch_width, n_nodes, diffusivity, tau=tau, reaction=reaction, boundary="flux",
                            name="lattice Boltzmann patches")
    xi = base.nodes - patch_width / 2
    dx = base.spacing

    def lift(q):
        a, b, c = q[:, :1], q[:, 1:2], q[:, 2:3]
        rho = a + b * xi + c * (xi ** 2 + dx ** 2 / 12)               # cell averages of p_i
        slope = b + 2 * c * np.array([-patch_width / 2, patch_width / 2])
        return base.with_(boundary_flux=-diffusivity * slope), base.equilibrium(rho)

    def restrict(f):
        return base.density(f).mean(axis=-1)

    return lift, restrict


@dataclass
class GapToothResult:
    """Result of :func:`gap_tooth`: ``t`` (s), ``u`` (n_times, n_patches) patch averages, ``x`` (patch centres),
    ``patch_width``, ``coverage`` (h/Δx), ``fine_steps`` (per patch), ``steps``, ``success``."""

    t: np.ndarray
    u: np.ndarray
    x: np.ndarray
    patch_width: float
    coverage: float
    fine_steps: int
    steps: int
    success: bool = True


@dataclass(frozen=True)
class GapToothDynamics:
    """One gap-tooth step as ``Dynamics`` on the coarse patch averages (for patch dynamics).

    ``lift(quadratics) -> (fine dynamics, fine state)``, ``restrict(fine state) -> averages``;
    ``advance(u, dt)`` interpolates, lifts, runs the patches for ``dt`` and restricts.
    """

    lift: Callable[[np.ndarray], tuple[Any, Any]]
    restrict: Callable[[Any], np.ndarray]
    spacing: float
    patch_width: float
    boundary: str = "periodic"
    boundary_values: tuple = (0.0, 0.0)
    name: str = "gap-tooth"

    def advance(self, u, dt):
        q = local_quadratics(u, self.spacing, self.patch_width, self.boundary, self.boundary_values)
        dynamics, state = self.lift(q)
        out = np.asarray(self.restrict(dynamics.advance(state, dt)), dtype=float)
        if out.shape != np.shape(u) or not np.all(np.isfinite(out)):
            raise ConvergenceError(f"gap-tooth step: restrict returned shape {out.shape} or non-finite values "
                                   f"for {np.size(u)} patches")
        return out


def gap_tooth(lift: Callable, restrict: Callable, u0, *, length: float, patch_width: float, coarse_step: float,
              t_end: float, boundary: str = "periodic", boundary_values=(0.0, 0.0),
              fine_time_step: float | None = None) -> GapToothResult:
    r"""Integrate a 1-D coarse field by the gap-tooth scheme (module docstring).

    Parameters
    ----------
    lift : callable
        ``lift(quadratics) -> (dynamics, state)``: the fine problems of all patches for the
        local quadratics (n, 3) (initial condition and boundary conditions), e.g. from
        :func:`lattice_boltzmann_patches`.
    restrict : callable
        ``restrict(state) -> (n,)`` patch averages.
    u0 : array_like, shape (n,)
        Initial patch averages at the coarse points (``x`` of the result).
    length : float
        Domain length L (m).
    patch_width : float
        h (m), smaller than the coarse spacing.
    coarse_step : float
        Gap-tooth step :math:`\Delta t` (s); stability for diffusion :math:`\Delta t \le \Delta x^2/(2D)`.
    t_end : float
        Final time (s), a whole number of coarse steps.
    boundary : {"periodic", "dirichlet"}
    boundary_values : (float, float)
        Field values at 0 and L for ``"dirichlet"``.
    fine_time_step : float, optional
        Fine time step, to count ``fine_steps``.

    Returns
    -------
    GapToothResult
    """
    u = np.array(u0, dtype=float)
    if u.ndim != 1 or u.size < 3 or not np.all(np.isfinite(u)):
        raise InputError(f"u0: expected >= 3 finite patch averages, got shape {u.shape}")
    n = u.size
    if boundary not in ("periodic", "dirichlet"):
        raise InputError(f"boundary: got {boundary!r}, expected 'periodic' or 'dirichlet'")
    if not (np.isfinite(length) and length > 0):
        raise InputError(f"length: got {length!r}, expected a positive length (m)")
    spacing = length / n if boundary == "periodic" else length / (n + 1)
    x = (np.arange(n) + 0.5) * spacing if boundary == "periodic" else (np.arange(n) + 1) * spacing
    if not (0 < patch_width < spacing):
        raise InputError(f"patch_width: got {patch_width!r}, expected 0 < h < the coarse spacing {spacing:g} m")
    if not (np.isfinite(coarse_step) and coarse_step > 0):
        raise InputError(f"coarse_step: got {coarse_step!r}, expected a positive time (s)")
    steps = int(round(t_end / coarse_step))
    if steps < 1 or abs(t_end / coarse_step - steps) > 1e-6 * steps:
        raise InputError(f"t_end: {t_end!r} s is not a whole number (>= 1) of coarse steps of {coarse_step:g} s")
    dynamics = GapToothDynamics(lift, restrict, spacing, patch_width, boundary, tuple(boundary_values))
    us = [u]
    for _ in range(steps):
        u = dynamics.advance(u, coarse_step)
        us.append(u)
    fine = 0 if fine_time_step is None else steps * int(round(coarse_step / fine_time_step))
    return GapToothResult(t=np.arange(steps + 1) * coarse_step, u=np.array(us), x=x, patch_width=float(patch_width),
                          coverage=float(patch_width / spacing), fine_steps=fine, steps=steps)
