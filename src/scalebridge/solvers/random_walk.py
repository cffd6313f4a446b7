r"""Random-walk particle simulator of 1-D diffusion-reaction (a stochastic fine model).

A plain numerical engine (arrays in, arrays out, SI numbers), vectorised over particles.
Each particle carries the same amount ``weight`` of substance; the concentration is
:math:`c = w\,n_{bin}/\Delta x_{bin}` on ``n_bins`` equal bins of [0, L]. In one time step
:math:`\delta t`:

1. **diffusion**: :math:`x \leftarrow x + \sqrt{2D\delta t}\,\xi`, :math:`\xi \sim N(0, 1)`
   (exact for free Brownian motion, any :math:`\delta t`);
2. **boundaries**: ``"reflecting"`` (mirror at 0 and L: no flux), ``"periodic"``, or
   ``"absorbing"`` (:math:`c = 0` at both ends). Absorption uses the Brownian-bridge
   correction: a particle still inside after the step is removed with the probability
   :math:`\exp(-x_0 x_1/(D\delta t))` (and likewise from L) that its path crossed the wall
   during the step, which removes the :math:`O(\sqrt{\delta t})` boundary error of the
   plain scheme (Gobet 2000);
3. **reactions** (each particle independently): decay at rate :math:`k`, branching at rate
   :math:`r`, crowding death at rate :math:`r\,c_{bin}/K` (c of the particle's bin),
   and a uniform source :math:`s` (Poisson number of new particles, uniform in [0, L]).

The mean-field (macroscopic) equation is

.. math:: \partial_t c = D\,\partial_{xx} c + r\,c\,(1 - c/K) - k\,c + s ,

with the boundary conditions above; the bin concentrations fluctuate around it with a
relative standard deviation :math:`\approx (w/(c\,\Delta x_{bin}))^{1/2}` (Poisson).

The state is a :class:`Particles` object: the positions and the ``numpy.random.Generator``
that drives them, so that independent or common-random-number replicas are reproducible.

References
----------
Gardiner, C. W. (2009). Stochastic Methods, 4th ed., Springer, sec. 3.8 (Wiener process), 7.
Gobet, E. (2000). Weak approximation of killed diffusion using Euler schemes. Stochastic
Process. Appl. 87, 167 (Brownian-bridge correction for absorbing boundaries).
Erban, R., Chapman, S. J. & Maini, P. K. (2007). A practical guide to stochastic simulations
of reaction-diffusion processes, arXiv:0704.1908, sec. 4 (compartment-free particle methods).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from scalebridge.core.errors import ConvergenceError, InputError

__all__ = ["Particles", "RandomWalk"]

_BOUNDARIES = ("reflecting", "periodic", "absorbing")


@dataclass(frozen=True)
class Particles:
    """State of :class:`RandomWalk`: particle ``positions`` (m) and the ``rng`` that moves them."""

    positions: np.ndarray
    rng: np.random.Generator

    def __len__(self) -> int:
        return int(self.positions.size)


@dataclass(frozen=True)
class RandomWalk:
    r"""Random-walk particle model of :math:`c_t = Dc_{xx} + rc(1 - c/K) - kc + s` on [0, L].

    Parameters
    ----------
    length : float
        Domain length L (m).
    diffusivity : float
        D (m^2/s).
    time_step : float
        :math:`\delta t` (s).
    n_bins : int
        Bins on which concentrations are measured (restriction) and given (lifting),
        and on which the crowding term sees the local concentration.
    weight : float
        Substance carried by one particle (concentration units x m).
    boundary : {"reflecting", "periodic", "absorbing"}
        Wall condition at 0 and L (see the module docstring).
    decay_rate : float
        k (1/s).
    growth_rate : float
        r (1/s), per-particle branching rate.
    carrying_capacity : float
        K (concentration units); ``inf`` switches crowding off.
    source : float
        s (concentration units per s), uniform injection.
    name : str
        Name of the model.
    """

    length: float
    diffusivity: float
    time_step: float
    n_bins: int = 50
    weight: float = 1.0
    boundary: str = "reflecting"
    decay_rate: float = 0.0
    growth_rate: float = 0.0
    carrying_capacity: float = np.inf
    source: float = 0.0
    name: str = "random walk"

    def __post_init__(self):
        for key in ("length", "diffusivity", "time_step", "weight"):
            value = getattr(self, key)
            if not (np.isscalar(value) and np.isfinite(value) and value > 0):
                raise InputError(f"RandomWalk {key}: got {value!r}, expected a finite positive number (SI)")
        for key in ("decay_rate", "growth_rate", "source"):
            value = getattr(self, key)
            if not (np.isscalar(value) and np.isfinite(value) and value >= 0):
                raise InputError(f"RandomWalk {key}: got {value!r}, expected a finite number >= 0 (SI)")
        if not (np.isscalar(self.carrying_capacity) and self.carrying_capacity > 0):
            raise InputError(f"RandomWalk carrying_capacity: got {self.carrying_capacity!r}, expected > 0 (inf: none)")
        if int(self.n_bins) != self.n_bins or self.n_bins < 1:
            raise InputError(f"RandomWalk n_bins: got {self.n_bins!r}, expected an integer >= 1")
        if self.boundary not in _BOUNDARIES:
            raise InputError(f"RandomWalk boundary: got {self.boundary!r}, expected one of {_BOUNDARIES}")
        object.__setattr__(self, "n_bins", int(self.n_bins))
        object.__setattr__(self, "bin_width", self.length / self.n_bins)
        object.__setattr__(self, "bin_centres", (np.arange(self.n_bins) + 0.5) * self.length / self.n_bins)
        object.__setattr__(self, "characteristic_length", float(self.length))
        object.__setattr__(self, "characteristic_time", float(self.length) ** 2 / self.diffusivity)

    def with_(self, **changes) -> "RandomWalk":
        """A copy with some parameters changed."""
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ lifting and restriction
    def particles(self, concentration, rng) -> Particles:
        """Lift: particles whose expected bin concentrations are ``concentration`` (n_bins,).

        The number in each bin is :math:`\\lfloor m\\rfloor` plus one with probability
        :math:`m - \\lfloor m\\rfloor` (:math:`m = c\\,\\Delta x/w`, unbiased stochastic
        rounding), placed uniformly in the bin.
        """
        c = np.asarray(concentration, dtype=float)
        if c.shape != (self.n_bins,) or not np.all(np.isfinite(c)) or np.any(c < 0):
            raise InputError(f"{self.name}: concentration of shape {c.shape}, expected ({self.n_bins},) "
                             "finite values >= 0")
        rng = _generator(rng)
        mean = c * self.bin_width / self.weight
        counts = np.floor(mean).astype(np.int64)
        counts += rng.random(self.n_bins) < (mean - counts)
        left = np.repeat(np.arange(self.n_bins) * self.bin_width, counts)
        return Particles(left + self.bin_width * rng.random(left.size), rng)

    def concentration(self, state: Particles) -> np.ndarray:
        """Restriction: bin concentrations :math:`w\\,n_{bin}/\\Delta x_{bin}`, shape (n_bins,)."""
        index = np.minimum((state.positions / self.bin_width).astype(np.int64), self.n_bins - 1)
        return np.bincount(index, minlength=self.n_bins) * (self.weight / self.bin_width)

    # ------------------------------------------------------------------ time stepping
    def run(self, state: Particles, n_steps: int) -> Particles:
        """Advance ``state`` by ``n_steps`` time steps (returns a new :class:`Particles`, same generator)."""
        if not isinstance(state, Particles):
            raise InputError(f"{self.name}: state is a {type(state).__name__}, expected Particles (see .particles)")
        if int(n_steps) != n_steps or n_steps < 0:
            raise InputError(f"{self.name}: n_steps = {n_steps!r}, expected an integer >= 0")
        x, rng = np.array(state.positions, dtype=float), state.rng
        L, D, dt = self.length, self.diffusivity, self.time_step
        sigma = np.sqrt(2.0 * D * dt)
        p_decay = -np.expm1(-self.decay_rate * dt)
        p_branch = -np.expm1(-self.growth_rate * dt)
        crowding = self.growth_rate > 0 and np.isfinite(self.carrying_capacity)
        injected = self.source * L * dt / self.weight
        for _ in range(int(n_steps)):
            x_new = x + sigma * rng.standard_normal(x.size)
            if self.boundary == "reflecting":
                x_new = np.abs(x_new)
                x_new = L - np.abs(L - x_new)
            elif self.boundary == "periodic":
                x_new = np.mod(x_new, L)
            else:
                inside = (x_new > 0) & (x_new < L)
                crossed = np.exp(-x * x_new / (D * dt)) + np.exp(-(L - x) * (L - x_new) / (D * dt))
                x_new = x_new[inside & (rng.random(x.size) >= crossed)]
            x = x_new
            if p_decay > 0 or crowding:
                p_death = np.full(x.size, p_decay)
                if crowding:
                    c = self.concentration(Particles(x, rng))
                    index = np.minimum((x / self.bin_width).astype(np.int64), self.n_bins - 1)
                    p_death = 1.0 - (1.0 - p_death) * np.exp(-self.growth_rate * dt * c[index] / self.carrying_capacity)
                x = x[rng.random(x.size) >= p_death]
            if p_branch > 0:
                x = np.concatenate([x, x[rng.random(x.size) < p_branch]])
            if injected > 0:
                x = np.concatenate([x, L * rng.random(rng.poisson(injected))])
        if not np.all(np.isfinite(x)):
            raise ConvergenceError(f"{self.name}: non-finite particle positions after {n_steps} steps")
        return Particles(x, rng)

    def advance(self, state: Particles, dt: float) -> Particles:
        """``Dynamics`` step: advance by ``dt`` seconds, an integer multiple of :attr:`time_step`."""
        try:
            ratio = float(dt) / self.time_step
        except (TypeError, ValueError):
            raise InputError(f"{self.name}: dt = {dt!r}, expected a number of seconds") from None
        n = int(round(ratio))
        if not np.isfinite(ratio) or n < 0 or abs(ratio - n) > 1e-6 * max(1.0, ratio):
            raise InputError(f"{self.name}: dt = {dt!r} s is not a whole number of time steps of {self.time_step:g} s")
        return self.run(state, n)


def _generator(rng) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (int, np.integer, np.random.SeedSequence)):
        return np.random.default_rng(rng)
    raise InputError(f"rng: got {type(rng).__name__}, expected a numpy Generator, a seed or None")
