r"""Random-walk particle engine (:mod:`scalebridge.solvers.random_walk`) against closed forms.

References: diffusion of a cosine mode between reflecting walls and the survival of a uniform
initial condition between absorbing walls,
:math:`S(t) = \sum_{m\,odd} 8/(m\pi)^2\,e^{-m^2\pi^2Dt/L^2}` (Crank 1975, *The Mathematics of
Diffusion*, eqs. 4.17-4.18); Brownian-bridge correction of absorbed diffusions (Gobet 2000,
Stoch. Proc. Appl. 87, 167); logistic growth :math:`c = K/(1 + (K/c_0 - 1)e^{-rt})` (Verhulst
1838); source between absorbing walls :math:`c = s\,x(L - x)/(2D)`. Tolerances are a few
standard deviations of the particle noise, computed from the particle numbers.
"""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.solvers.random_walk import Particles, RandomWalk


def test_lift_restrict_unbiased_and_reproducible():
    rw = RandomWalk(1.0, 1.0, 1e-4, n_bins=10, weight=1e-3)
    c = np.linspace(0.5, 2.0, 10)
    a = rw.particles(c, 3)
    b = rw.particles(c, np.random.default_rng(3))
    np.testing.assert_array_equal(a.positions, b.positions)
    # stochastic rounding only: every bin within one particle of its mean
    assert np.abs(rw.concentration(a) - c).max() <= rw.weight / rw.bin_width + 1e-12
    assert np.all((a.positions >= 0) & (a.positions < 1))


def test_cosine_mode_between_reflecting_walls():
    """c = 1 + 0.5 cos(pi x) decays as exp(-pi^2 D t) with reflecting walls (Crank 1975, sec. 4.3)."""
    rw = RandomWalk(1.0, 1.0, 1e-3, n_bins=20, weight=2e-6, boundary="reflecting")
    x = rw.bin_centres
    state = rw.particles(1 + 0.5 * np.cos(np.pi * x), 0)
    state = rw.advance(state, 0.05)
    c = rw.concentration(state)
    exact = 1 + 0.5 * np.exp(-np.pi ** 2 * 0.05) * np.cos(np.pi * x) * np.sinc(rw.bin_width)
    sigma = np.sqrt(exact * rw.weight / rw.bin_width)
    assert np.abs((c - exact) / sigma).max() < 4.5
    assert abs(c.sum() * rw.bin_width - 1.0) < 1e-12 + rw.weight      # mass conserved to one particle


def test_absorbing_walls_with_brownian_bridge():
    """Survival of a uniform start between absorbing walls at a coarse step (sqrt(2 D dt) = 0.063 L)."""
    rw = RandomWalk(1.0, 1.0, 2e-3, n_bins=10, weight=1e-5, boundary="absorbing")
    state = rw.advance(rw.particles(np.ones(10), 1), 0.05)
    t = 0.05
    m = np.arange(1, 400, 2)
    survival = np.sum(8 / (m * np.pi) ** 2 * np.exp(-(m * np.pi) ** 2 * t))
    n0 = 1.0 / rw.weight
    sigma = np.sqrt(survival * (1 - survival) / n0)
    assert abs(len(state) / n0 - survival) < 4 * sigma


def test_decay_and_logistic_growth():
    rw = RandomWalk(1.0, 1.0, 1e-3, n_bins=5, weight=1e-5, boundary="periodic", growth_rate=5.0,
                    carrying_capacity=2.0)
    c0, t = 0.2, 0.5
    c = rw.concentration(rw.advance(rw.particles(np.full(5, c0), 2), t)).mean()
    exact = 2.0 / (1 + (2.0 / c0 - 1) * np.exp(-5.0 * t))
    # branching noise ~ 1/sqrt(N0) (Yule process); operator splitting with r dt = 5e-3 biases by -0.7 %
    assert abs(c / exact - 1) < 0.01 + 4 / np.sqrt(c0 / rw.weight)
    decay = RandomWalk(1.0, 1.0, 1e-3, n_bins=5, weight=1e-5, decay_rate=3.0)
    n = len(decay.advance(decay.particles(np.ones(5), 4), 0.2)) * decay.weight
    expected = np.exp(-0.6)
    assert abs(n - expected) < 4 * np.sqrt(expected * (1 - expected) * decay.weight)


def test_source_between_absorbing_walls_reaches_parabola():
    rw = RandomWalk(1.0, 1.0, 1e-3, n_bins=10, weight=2e-5, boundary="absorbing", source=8.0)
    c = rw.concentration(rw.advance(rw.particles(np.zeros(10), 5), 0.6))
    x, h = rw.bin_centres, rw.bin_width
    exact = 4.0 * (x * (1 - x) - h ** 2 / 12)                          # bin averages of s x (L - x) / 2D
    sigma = np.sqrt(exact * rw.weight / h)
    assert np.abs((c - exact) / sigma).max() < 4.5


def test_errors():
    with pytest.raises(InputError, match="diffusivity"):
        RandomWalk(1.0, -1.0, 1e-3)
    with pytest.raises(InputError, match="boundary"):
        RandomWalk(1.0, 1.0, 1e-3, boundary="sticky")
    rw = RandomWalk(1.0, 1.0, 1e-3, n_bins=4)
    with pytest.raises(InputError, match="concentration"):
        rw.particles(np.ones(3), 0)
    with pytest.raises(InputError, match="whole number"):
        rw.advance(rw.particles(np.ones(4), 0), 1.5e-3)
    with pytest.raises(InputError, match="Particles"):
        rw.run(np.zeros(3), 1)
    assert isinstance(rw.particles(np.ones(4), 0), Particles)
