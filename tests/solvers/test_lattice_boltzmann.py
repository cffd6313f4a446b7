r"""D1Q3 BGK lattice Boltzmann engine (:mod:`scalebridge.solvers.lattice_boltzmann`).

References: Wolf-Gladrow (2000), *Lattice-Gas Cellular Automata and Lattice Boltzmann Models*,
ch. 5 (diffusion: :math:`D = (\tau - 1/2)\delta x^2/(3\delta t)`); closed forms: decay of a
Fourier mode :math:`e^{-Dk^2t}` (Crank 1975, *The Mathematics of Diffusion*, eq. 2.43) and the
1-D Bratu solution :math:`u = -2\ln[\cosh((x - 1/2)\theta/2)/\cosh(\theta/4)]`,
:math:`\theta = \sqrt{2\lambda}\cosh(\theta/4)` (Bratu 1914; Ascher, Mattheij & Russell 1995, sec. 9.2).

Measured (reproduced below): periodic cosine mode, D = 1, t = 0.01, tau = 1: max error
3.6e-7 (32 nodes), 2.3e-8 (64), 1.4e-9 (128); Bratu lambda = 1 steady state by time
stepping, relative max error 4.0e-4 (17 nodes), 1.0e-4 (33), 2.7e-5 (65): order 2.
"""

import numpy as np
import pytest
from scipy.optimize import brentq

from scalebridge.core.errors import ConvergenceError, InputError
from scalebridge.solvers.lattice_boltzmann import LatticeBoltzmann


def bratu_exact(x, lam):
    theta = brentq(lambda th: th - np.sqrt(2 * lam) * np.cosh(th / 4), 1e-6, 4.7987)   # lower branch
    return -2 * np.log(np.cosh((x - 0.5) * theta / 2) / np.cosh(theta / 4))


@pytest.mark.parametrize("tau", [1.0, 0.8, 2.0])
def test_diffusivity_from_relaxation_time(tau):
    """A cosine mode decays as exp(-4 pi^2 D t) with D = (tau - 1/2) dx^2 / (3 dt) (Wolf-Gladrow 2000, ch. 5)."""
    lb = LatticeBoltzmann(2.0, 128, 0.5, tau=tau)
    assert np.isclose(lb.diffusivity, (tau - 0.5) * lb.spacing ** 2 / (3 * lb.time_step))
    x = lb.nodes
    n = int(round(0.05 / lb.time_step))
    rho = lb.density(lb.run(lb.equilibrium(1 + 0.5 * np.cos(np.pi * x)), n))
    exact = 1 + 0.5 * np.exp(-np.pi ** 2 * 0.5 * n * lb.time_step) * np.cos(np.pi * x)
    amplitude = exact.max() - 1
    assert np.abs(rho - exact).max() < 5e-3 * amplitude       # decay rate within 0.5 %


def test_periodic_diffusion_converges():
    errors = []
    for n_nodes in (32, 64, 128):
        lb = LatticeBoltzmann(1.0, n_nodes, 1.0)
        n = int(round(0.01 / lb.time_step))
        rho = lb.density(lb.run(lb.equilibrium(1 + 0.5 * np.cos(2 * np.pi * lb.nodes)), n))
        exact = 1 + 0.5 * np.exp(-4 * np.pi ** 2 * n * lb.time_step) * np.cos(2 * np.pi * lb.nodes)
        errors.append(np.abs(rho - exact).max())
    assert errors[0] < 1e-6 and np.all(np.log2(np.array(errors[:-1]) / errors[1:]) > 1.9)


def test_bratu_steady_state_second_order():
    """Dirichlet u = 0, R = lambda e^u: the long-time state converges to the closed form at order 2."""
    errors = []
    for n_nodes in (17, 33):
        lb = LatticeBoltzmann(1.0, n_nodes, 1.0, reaction=lambda u: np.exp(u), boundary="dirichlet")
        rho = lb.density(lb.run(lb.equilibrium(np.zeros(n_nodes)), int(1.5 / lb.time_step)))
        exact = bratu_exact(lb.nodes, 1.0)
        errors.append(np.abs(rho - exact).max() / exact.max())
    assert errors[1] < 1.5e-4 and errors[0] / errors[1] > 3.5


def test_dirichlet_end_nodes_hold_their_value():
    lb = LatticeBoltzmann(1.0, 11, 1.0, boundary="dirichlet")
    rho = lb.density(lb.run(lb.equilibrium(np.r_[1.0, np.zeros(9), 3.0]), 4000))
    assert rho[0] == pytest.approx(1.0) and rho[-1] == pytest.approx(3.0)
    np.testing.assert_allclose(rho, 1 + 2 * lb.nodes, atol=1e-6)           # linear steady profile


def test_flux_walls_conserve_mass_exactly():
    """Bounce-back walls with injected flux: d/dt int rho = J_0 - J_L + int R, to round-off."""
    flux = np.array([[1.0, 0.5], [0.0, 0.0], [-0.2, 0.3]])
    lb = LatticeBoltzmann(1.0, 10, 1.0, boundary="flux", boundary_flux=flux, reaction=lambda u: 0 * u + 2.0)
    n = 100
    mass = lb.density(lb.run(lb.equilibrium(np.ones((3, 10))), n)).sum(axis=-1) * lb.spacing
    t = n * lb.time_step
    np.testing.assert_allclose(mass - 1.0, (flux[:, 0] - flux[:, 1] + 2.0) * t, rtol=1e-12)


def test_batch_equals_single_runs():
    lb = LatticeBoltzmann(1.0, 20, 1.0, reaction=lambda u: u * (1 - u), boundary="flux")
    rng = np.random.default_rng(0)
    rho = rng.random((2, 3, 20))
    batch = lb.run(lb.equilibrium(rho), 50)
    single = lb.run(lb.equilibrium(rho[1, 2]), 50)
    np.testing.assert_array_equal(batch[1, 2], single)


def test_advance_is_whole_steps_and_errors():
    lb = LatticeBoltzmann(1.0, 16, 1.0)
    f = lb.equilibrium(np.ones(16))
    np.testing.assert_allclose(lb.advance(f, 3 * lb.time_step), lb.run(f, 3))
    with pytest.raises(InputError, match="whole number"):
        lb.advance(f, 1.5 * lb.time_step)
    with pytest.raises(InputError, match="tau"):
        LatticeBoltzmann(1.0, 16, 1.0, tau=0.5)
    with pytest.raises(InputError, match="boundary"):
        LatticeBoltzmann(1.0, 16, 1.0, boundary="open")
    with pytest.raises(InputError, match="n_nodes"):
        LatticeBoltzmann(1.0, 2, 1.0)
    with pytest.raises(InputError, match="populations"):
        lb.run(np.ones((2, 16)), 1)
    with pytest.raises(InputError, match="density"):
        lb.equilibrium(np.ones(5))
    blow_up = LatticeBoltzmann(1.0, 16, 1.0, reaction=lambda u: 1e3 * u ** 2)
    with pytest.raises(ConvergenceError, match="non-finite"):
        blow_up.run(blow_up.equilibrium(np.full(16, 10.0)), 200)
