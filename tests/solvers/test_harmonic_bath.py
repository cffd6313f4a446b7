"""Harmonic-chain engine: normal modes against the dispersion relation, Verlet against the modal solution."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.solvers.harmonic_bath import chain_normal_modes, velocity_verlet


def test_wall_free_chain_modes_follow_the_dispersion_relation():
    """Wall-free chain of N sites: w_j = 2 sqrt(k/m) sin(q_j/2), q_j = (2j - 1) pi / (2N + 1) (Ashcroft & Mermin
    1976, ch. 22, with a fixed and a free end); modes orthonormal."""
    n, k, m = 50, 3.0, 2.0
    w, modes = chain_normal_modes(n, k, m, left="wall", right="free")
    q = (2 * np.arange(1, n + 1) - 1) * np.pi / (2 * n + 1)
    np.testing.assert_allclose(w, 2 * np.sqrt(k / m) * np.sin(q / 2), rtol=1e-12)
    np.testing.assert_allclose(modes.T @ modes, np.eye(n), atol=1e-12)
    w_ff, _ = chain_normal_modes(n, k, m, left="free", right="free")
    assert w_ff[0] == pytest.approx(0.0, abs=1e-6)             # translation mode


def test_velocity_verlet_matches_the_modal_solution_and_conserves_energy():
    """A batch of 3 random wall-wall chains: Verlet positions agree with x(t) = sum phi cos(w t) phi^T x0 to
    O((w dt)^2), and the energy error stays bounded (symplectic; Hairer, Lubich & Wanner 2006, ch. IX)."""
    n, k, m, dt, steps = 20, 1.0, 1.0, 0.01, 2000
    rng = np.random.default_rng(3)
    x0 = rng.standard_normal((3, n))
    xs, vs = velocity_verlet(x0, np.zeros_like(x0), k, m, dt, steps, left="wall", right="wall",
                             record=range(n))
    w, phi = chain_normal_modes(n, k, m, left="wall", right="wall")
    t = steps * dt
    exact = (x0 @ phi) * np.cos(w * t) @ phi.T
    assert np.max(np.abs(xs[-1] - exact)) < 1e-3 * np.max(np.abs(x0))
    kin = 0.5 * m * (vs ** 2).sum(-1)
    pot = 0.5 * k * ((np.diff(xs, axis=-1) ** 2).sum(-1) + xs[..., 0] ** 2 + xs[..., -1] ** 2)
    energy = kin + pot
    assert np.max(np.abs(energy / energy[0] - 1)) < 1e-3


def test_unstable_step_is_refused():
    with pytest.raises(InputError, match="time_step"):
        velocity_verlet(np.zeros(3), np.zeros(3), 1.0, 1.0, 1.5, 10)
    with pytest.raises(InputError, match="left"):
        chain_normal_modes(3, 1.0, 1.0, left="clamped")
