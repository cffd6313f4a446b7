r"""Harmonic chains as heat baths: normal modes and velocity-Verlet trajectories.

A plain engine (arrays in, arrays out). A chain of ``n`` equal masses ``m`` (kg) and
nearest-neighbour springs ``k`` (N/m), displacements :math:`x_1..x_n` (m), obeys

.. math:: m\ddot x_j = k(x_{j+1} - 2x_j + x_{j-1}),

with the end conditions ``left``/``right`` = ``"wall"`` (a spring to a fixed wall,
:math:`x_0 = 0` or :math:`x_{n+1} = 0`) or ``"free"`` (no spring beyond the end).
The stiffness matrix :math:`K` is tridiagonal; :math:`K\phi = m\omega^2\phi` gives the
normal modes (orthonormal columns). Ashcroft & Mermin 1976, *Solid State Physics*,
ch. 22 (the harmonic chain); Verlet 1967, Phys. Rev. 159, 98; Swope, Andersen,
Berens & Wilson 1982, J. Chem. Phys. 76, 637 (velocity Verlet).
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import eigh_tridiagonal

from scalebridge.core.errors import ConvergenceError, InputError, ShapeError

__all__ = ["ENDS", "chain_stiffness_bands", "chain_normal_modes", "chain_forces", "velocity_verlet"]

ENDS = ("wall", "free")


def _check(n_sites, spring, mass, left, right):
    if int(n_sites) != n_sites or n_sites < 1:
        raise InputError(f"harmonic_bath: n_sites={n_sites!r}, expected an integer >= 1")
    for name, v in (("spring", spring), ("mass", mass)):
        if not (np.isfinite(v) and v > 0):
            raise InputError(f"harmonic_bath: {name}={v!r}, expected a finite value > 0 (SI)")
    for name, v in (("left", left), ("right", right)):
        if v not in ENDS:
            raise InputError(f"harmonic_bath: {name}={v!r}, expected one of {ENDS}")


def chain_stiffness_bands(n_sites: int, spring: float, left: str = "wall", right: str = "free"):
    """Diagonal and off-diagonal of the chain stiffness matrix K (N/m)."""
    n = int(n_sites)
    diag = np.full(n, 2.0 * spring)
    diag[0] -= spring * (left == "free")
    diag[-1] -= spring * (right == "free")
    return diag, np.full(n - 1, -spring)


def chain_normal_modes(n_sites: int, spring: float, mass: float, *, left: str = "wall", right: str = "free"):
    r"""Angular frequencies :math:`\omega_q` (rad/s, ascending) and orthonormal modes :math:`\phi_{jq}`.

    Returns
    -------
    (ndarray (n,), ndarray (n, n))
        ``omega`` and ``modes`` with ``K @ modes = m * modes * omega**2``; a free-free
        chain has one zero (translation) mode.
    """
    _check(n_sites, spring, mass, left, right)
    if n_sites == 1:
        k11 = spring * ((left == "wall") + (right == "wall"))
        return np.array([np.sqrt(k11 / mass)]), np.ones((1, 1))
    d, e = chain_stiffness_bands(n_sites, spring, left, right)
    w2, modes = eigh_tridiagonal(d / mass, e / mass)
    return np.sqrt(np.clip(w2, 0.0, None)), modes


def chain_forces(x: np.ndarray, spring: float, left: str, right: str) -> np.ndarray:
    """Spring forces -K x on every site of a batch of chains x (..., n), N."""
    f = np.empty_like(x)
    f[..., 1:-1] = spring * (x[..., 2:] - 2.0 * x[..., 1:-1] + x[..., :-2])
    if x.shape[-1] == 1:
        f[..., 0] = -spring * x[..., 0] * ((left == "wall") + (right == "wall"))
        return f
    f[..., 0] = spring * (x[..., 1] - x[..., 0]) - spring * x[..., 0] * (left == "wall")
    f[..., -1] = spring * (x[..., -2] - x[..., -1]) - spring * x[..., -1] * (right == "wall")
    return f


def velocity_verlet(positions, velocities, spring: float, mass: float, time_step: float, n_steps: int, *,
                    left: str = "wall", right: str = "free", record=(0,), external_force=None):
    r"""Velocity-Verlet trajectories of a batch of harmonic chains, recording chosen sites.

    .. math:: v^{n+1/2} = v^n + \tfrac{\Delta t}{2m}F(x^n), \quad
              x^{n+1} = x^n + \Delta t\,v^{n+1/2}, \quad
              v^{n+1} = v^{n+1/2} + \tfrac{\Delta t}{2m}F(x^{n+1})

    Symplectic, second order; stable for :math:`\omega_\max\Delta t < 2` with
    :math:`\omega_\max \le 2\sqrt{k/m}`.

    Parameters
    ----------
    positions, velocities : array_like, shape (..., n_sites)
        Initial displacements (m) and velocities (m/s); leading axes are a batch.
    spring, mass : float
        k (N/m) and m (kg).
    time_step : float
        :math:`\Delta t` (s), with :math:`2\sqrt{k/m}\,\Delta t < 2`.
    n_steps : int
    record : sequence of int
        Sites whose positions and velocities are returned.
    external_force : callable, optional
        ``f(t) -> array (..., n_sites)`` added to the spring forces (N).

    Returns
    -------
    (ndarray, ndarray)
        Positions and velocities of the ``record`` sites, shape ``(n_steps + 1, ..., len(record))``.
    """
    x = np.array(positions, dtype=float)
    v = np.array(velocities, dtype=float)
    if x.shape != v.shape or x.ndim < 1:
        raise ShapeError(f"velocity_verlet: positions {x.shape} and velocities {v.shape} must match (..., n_sites)")
    _check(x.shape[-1], spring, mass, left, right)
    if not (np.isfinite(time_step) and 0 < time_step * np.sqrt(spring / mass) < 1.0):
        raise InputError(f"velocity_verlet: time_step={time_step!r} s, expected 0 < dt < sqrt(m/k) = "
                         f"{np.sqrt(mass / spring):.3g} s (stability: omega_max dt < 2)")
    rec = np.asarray(record, dtype=int)
    if np.any(rec < -x.shape[-1]) or np.any(rec >= x.shape[-1]):
        raise InputError(f"velocity_verlet: record {rec.tolist()} outside the {x.shape[-1]} sites")
    ext = (lambda t: 0.0) if external_force is None else external_force
    xs = np.empty((int(n_steps) + 1,) + x.shape[:-1] + (rec.size,))
    vs = np.empty_like(xs)
    xs[0], vs[0] = x[..., rec], v[..., rec]
    h = 0.5 * time_step / mass
    a = chain_forces(x, spring, left, right) + ext(0.0)
    for n in range(1, int(n_steps) + 1):
        v += h * a
        x += time_step * v
        a = chain_forces(x, spring, left, right) + ext(n * time_step)
        v += h * a
        xs[n], vs[n] = x[..., rec], v[..., rec]
    if not (np.all(np.isfinite(xs)) and np.all(np.isfinite(vs))):
        raise ConvergenceError("velocity_verlet: non-finite positions or velocities")
    return xs, vs
