r"""Lattice Boltzmann (D1Q3, BGK) engine for 1-D diffusion-reaction.

A plain numerical engine (arrays in, arrays out, SI numbers); :mod:`scalebridge.coupling`
wraps it as fine ``Dynamics`` for equation-free computations. Populations
:math:`f_i(x_j, t)` move with the lattice velocities :math:`c_i \in \{0, +1, -1\}\,\delta x/\delta t`
and relax to the equilibrium :math:`f_i^{eq} = w_i\rho`, :math:`w = (2/3, 1/6, 1/6)`:

.. math::
    f_i(x_j + c_i\delta t, t + \delta t) = f_i - \frac{1}{\tau}\big(f_i - w_i\rho\big)
        + w_i\,\delta t\,R(\rho),\qquad \rho = \sum_i f_i .

The Chapman-Enskog expansion gives the macroscopic equation

.. math:: \partial_t\rho = D\,\partial_{xx}\rho + R(\rho) + O(\delta x^2),\qquad
          D = \Big(\tau - \frac12\Big)\frac{\delta x^2}{3\,\delta t},

so the engine picks :math:`\delta t = (\tau - \tfrac12)\,\delta x^2/(3D)` from the spacing,
the diffusivity and the relaxation time :math:`\tau` (in units of :math:`\delta t`).
With :math:`\tau = 1` the populations are at equilibrium after every collision and the
scheme is, for :math:`\rho`, the explicit finite-difference scheme
:math:`\rho^{n+1}_j = g_j + \tfrac16(g_{j-1} - 2g_j + g_{j+1})`, :math:`g = \rho + \delta t\,R(\rho)`.

Boundaries: ``"periodic"`` (nodes at cell centres, :math:`x_j = (j + \tfrac12)\delta x`);
``"dirichlet"`` (nodes :math:`x_j = j\,\delta x` from 0 to L; the two end nodes keep the
equilibrium populations of their density, which the caller sets in the initial state);
``"flux"`` (nodes at cell centres, half-way bounce-back walls at 0 and L through which a
prescribed diffusive flux :math:`J` enters: :math:`f_+(x_0) = f^*_-(x_0) + J_0\,\delta t/\delta x`,
:math:`f_-(x_{N-1}) = f^*_+(x_{N-1}) - J_L\,\delta t/\delta x`, so the mass balance
:math:`\frac{d}{dt}\int\rho\,dx = J_0 - J_L + \int R\,dx` holds to round-off; zero flux is
the no-flux wall).

The state is the population array of shape ``(..., 3, n_nodes)``: any leading axes are a
batch of independent lattices (e.g. the patches of a gap-tooth scheme), advanced at once.

References
----------
Wolf-Gladrow, D. A. (2000). Lattice-Gas Cellular Automata and Lattice Boltzmann Models,
Lecture Notes in Mathematics 1725, Springer, ch. 5 (lattice Boltzmann for diffusion).
Krüger, T. et al. (2017). The Lattice Boltzmann Method: Principles and Practice, Springer,
sec. 8.6 (advection-diffusion), 5.3 (bounce-back), 8.4 (flux boundaries).
Van Leemput, P., Lust, K. & Kevrekidis, I. G. (2005). Coarse-grained numerical bifurcation
analysis of lattice Boltzmann models. Physica D 210, 58.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from scalebridge.core.errors import ConvergenceError, InputError

__all__ = ["LatticeBoltzmann", "D1Q3_WEIGHTS"]

#: Equilibrium weights of the rest, right- and left-moving populations (D1Q3).
D1Q3_WEIGHTS = np.array([2.0 / 3.0, 1.0 / 6.0, 1.0 / 6.0])
_BOUNDARIES = ("periodic", "dirichlet", "flux")


@dataclass(frozen=True)
class LatticeBoltzmann:
    r"""D1Q3 BGK lattice Boltzmann model of :math:`\rho_t = D\rho_{xx} + R(\rho)` on [0, L].

    Parameters
    ----------
    length : float
        Domain length L (m).
    n_nodes : int
        Number of lattice nodes (>= 3).
    diffusivity : float
        D (m^2/s).
    tau : float
        BGK relaxation time in units of the time step (> 1/2); 1 relaxes to equilibrium in one step.
    reaction : callable, optional
        ``R(rho)`` (density units per s), vectorised over arrays; None for pure diffusion.
    boundary : {"periodic", "dirichlet", "flux"}
        See the module docstring.
    boundary_flux : float or array_like, shape (..., 2)
        Diffusive fluxes :math:`(J_0, J_L)` in the +x direction through the walls at 0 and L
        (density units x m/s) for ``boundary="flux"``; broadcast against the batch axes.
    name : str
        Name of the model.

    Attributes
    ----------
    spacing : float
        :math:`\delta x` (m).
    time_step : float
        :math:`\delta t = (\tau - \tfrac12)\delta x^2/(3D)` (s).
    nodes : ndarray, shape (n_nodes,)
        Node positions (m).
    characteristic_length, characteristic_time : float
        L (m) and the diffusion time :math:`L^2/D` (s).
    """

    length: float
    n_nodes: int
    diffusivity: float
    tau: float = 1.0
    reaction: Optional[Callable[[np.ndarray], np.ndarray]] = None
    boundary: str = "periodic"
    boundary_flux: object = 0.0
    name: str = "lattice Boltzmann D1Q3"

    def __post_init__(self):
        for key in ("length", "diffusivity"):
            value = getattr(self, key)
            if not (np.isscalar(value) and np.isfinite(value) and value > 0):
                raise InputError(f"LatticeBoltzmann {key}: got {value!r}, expected a finite positive number (SI)")
        if int(self.n_nodes) != self.n_nodes or self.n_nodes < 3:
            raise InputError(f"LatticeBoltzmann n_nodes: got {self.n_nodes!r}, expected an integer >= 3")
        if not (np.isscalar(self.tau) and np.isfinite(self.tau) and self.tau > 0.5):
            raise InputError(f"LatticeBoltzmann tau: got {self.tau!r}, expected a number > 1/2 (BGK stability)")
        if self.boundary not in _BOUNDARIES:
            raise InputError(f"LatticeBoltzmann boundary: got {self.boundary!r}, expected one of {_BOUNDARIES}")
        if self.reaction is not None and not callable(self.reaction):
            raise InputError(f"LatticeBoltzmann reaction: got {type(self.reaction).__name__}, expected a callable R(rho)")
        flux = np.asarray(self.boundary_flux, dtype=float)
        if flux.ndim and flux.shape[-1] != 2 or not np.all(np.isfinite(flux)):
            raise InputError(f"LatticeBoltzmann boundary_flux: got shape {flux.shape}, expected finite values "
                             "of shape (..., 2) (J at x = 0 and x = L) or a scalar")
        n = int(self.n_nodes)
        object.__setattr__(self, "n_nodes", n)
        object.__setattr__(self, "boundary_flux", flux if flux.ndim else np.full(2, float(flux)))
        dx = self.length / (n - 1) if self.boundary == "dirichlet" else self.length / n
        object.__setattr__(self, "spacing", dx)
        object.__setattr__(self, "time_step", (self.tau - 0.5) * dx * dx / (3.0 * self.diffusivity))
        nodes = np.arange(n) * dx if self.boundary == "dirichlet" else (np.arange(n) + 0.5) * dx
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "characteristic_length", float(self.length))
        object.__setattr__(self, "characteristic_time", float(self.length) ** 2 / self.diffusivity)

    def with_(self, **changes) -> "LatticeBoltzmann":
        """A copy with some parameters changed (e.g. ``reaction`` or ``boundary_flux``)."""
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ state
    def equilibrium(self, density) -> np.ndarray:
        r"""Populations :math:`f_i = w_i\rho` for densities of shape (..., n_nodes) -> (..., 3, n_nodes)."""
        rho = np.asarray(density, dtype=float)
        if rho.ndim == 0 or rho.shape[-1] != self.n_nodes:
            raise InputError(f"{self.name}: density of shape {rho.shape}, expected (..., {self.n_nodes})")
        return D1Q3_WEIGHTS[:, None] * rho[..., None, :]

    @staticmethod
    def density(populations) -> np.ndarray:
        r"""Density :math:`\rho = \sum_i f_i`, shape (..., n_nodes)."""
        return np.asarray(populations).sum(axis=-2)

    # ------------------------------------------------------------------ time stepping
    def run(self, populations, n_steps: int) -> np.ndarray:
        """Advance the populations (..., 3, n_nodes) by ``n_steps`` lattice time steps (a new array)."""
        f = np.array(populations, dtype=float)
        if f.ndim < 2 or f.shape[-2:] != (3, self.n_nodes):
            raise InputError(f"{self.name}: populations of shape {f.shape}, expected (..., 3, {self.n_nodes})")
        if int(n_steps) != n_steps or n_steps < 0:
            raise InputError(f"{self.name}: n_steps = {n_steps!r}, expected an integer >= 0")
        w = D1Q3_WEIGHTS[:, None]
        omega, dt = 1.0 / self.tau, self.time_step
        q = self.boundary_flux * (dt / self.spacing)
        dirichlet = self.boundary == "dirichlet"
        if dirichlet:
            ends = f[..., [0, -1]].copy()                     # equilibrium populations kept at the end nodes
        post = np.empty_like(f)
        with np.errstate(over="ignore", invalid="ignore"):
            self._loop(f, post, int(n_steps), w, omega, dt, q, ends if dirichlet else None)
        if not np.all(np.isfinite(f)):
            raise ConvergenceError(f"{self.name}: non-finite populations after {n_steps} steps "
                                   f"(reaction blow-up or unstable parameters)")
        return f

    def _loop(self, f, post, n_steps, w, omega, dt, q, ends):
        """The time loop: collide (BGK + source) and stream, in place on ``f``."""
        for _ in range(n_steps):
            rho = f.sum(axis=-2, keepdims=True)
            np.multiply(f, 1.0 - omega, out=post)
            post += (omega * w) * rho
            if self.reaction is not None:
                post += (dt * w) * np.asarray(self.reaction(rho), dtype=float)
            f[..., 0, :] = post[..., 0, :]
            if self.boundary == "periodic":
                f[..., 1, 1:] = post[..., 1, :-1]
                f[..., 1, 0] = post[..., 1, -1]
                f[..., 2, :-1] = post[..., 2, 1:]
                f[..., 2, -1] = post[..., 2, 0]
            else:
                f[..., 1, 1:] = post[..., 1, :-1]
                f[..., 2, :-1] = post[..., 2, 1:]
                if ends is not None:
                    f[..., [0, -1]] = ends
                else:                                         # half-way bounce-back with injected flux
                    f[..., 1, 0] = post[..., 2, 0] + q[..., 0]
                    f[..., 2, -1] = post[..., 1, -1] - q[..., 1]

    def advance(self, populations, dt: float) -> np.ndarray:
        """``Dynamics`` step: advance by ``dt`` seconds, an integer multiple of :attr:`time_step`."""
        n = _steps_in(dt, self.time_step, self.name)
        return self.run(populations, n)


def _steps_in(dt: float, time_step: float, name: str) -> int:
    """``dt / time_step`` as an int, or :class:`InputError` if it is not a whole number of steps."""
    try:
        ratio = float(dt) / time_step
    except (TypeError, ValueError):
        raise InputError(f"{name}: dt = {dt!r}, expected a number of seconds") from None
    n = int(round(ratio))
    if not np.isfinite(ratio) or n < 0 or abs(ratio - n) > 1e-6 * max(1.0, ratio):
        raise InputError(f"{name}: dt = {dt!r} s is not a whole number of time steps of {time_step:.6g} s")
    return n
