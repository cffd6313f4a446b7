r"""Equation-free computing: coarse time-stepper, projective integration, coarse Newton-Krylov and continuation.

References: Gear & Kevrekidis (2003), SIAM J. Sci. Comput. 24, 1091 (projective forward
Euler and its stability region); Lee & Gear (2007), J. Comput. Appl. Math. 201, 258
(projective Runge-Kutta 2); Kevrekidis et al. (2003), Comm. Math. Sci. 1, 715 (coarse
time-stepper, lifting/restriction, coarse Newton-Krylov); Kelley, Kevrekidis & Qiao (2004)
(Newton-Krylov for time-steppers); Keller (1977) (pseudo-arclength); the 1-D Bratu problem
:math:`u'' + \lambda e^u = 0`, u(0) = u(1) = 0, fold at :math:`\lambda_c = 3.513830719`
(Bratu 1914; Ascher, Mattheij & Russell 1995, sec. 9.2; Mohsen 2014, Comput. Math. Appl. 67, 1).

Projective integration (measured; reproduced by ``test_projective_integration_follows_fine_simulation``):
fine model = D1Q3 lattice Boltzmann, 256 nodes, no-flux walls, Fisher-KPP
:math:`u_t = u_{xx} + 10u(1 - u)` on [0, 1], :math:`u_0 = 0.8e^{-((x - 1/4)/0.15)^2}`,
horizon t = 0.3 (117,965 fine steps of 2.54e-6 s); coarse field = 16 cell averages, lift =
conservative spline interpolation, healing 10 steps, burst 4 steps, projective jump Δ in fine steps.
Error = max over all output times of max|U - U_fine| / max|U_fine|.

=====================  =====  ===========  ============  ===================
method                 Δ      fine steps   fewer by      max error vs fine
=====================  =====  ===========  ============  ===================
projective Euler       150    10,094       11.7x         1.07 %
projective RK2         300    10,542       11.2x         0.63 %
adaptive RK2, tol 1e-3 3000   9,982        11.8x         0.67 %  (first jump rejected, then adapted)
=====================  =====  ===========  ============  ===================

(the 0.6 % floor is the lifting error of 16 coarse cells; Δ = 50 gives 0.76 %.)

Coarse bifurcation (measured): LBM of Bratu, 33 nodes, coarse time-stepper over 100 fine steps,
Newton-Krylov steady state at λ = 1: 3 Newton / 10 GMRES iterations, equal to the LBM
long-time steady state to 1e-9 and to the closed form within 1.0e-4 (the O(h^2) error of the
lattice); pseudo-arclength continuation: fold at λ = 3.51563 (+0.05 % from 3.513830719),
lower branch stable, upper branch unstable (leading multiplier of DΦ crosses 1 at the fold).
"""

import numpy as np
import pytest
from scipy.optimize import brentq

from scalebridge.core.errors import ConvergenceError, InputError
from scalebridge.core.model import Dynamics
from scalebridge.coupling.coarse_fixed_points import (coarse_multipliers, newton_krylov_fixed_point,
                                                      pseudo_arclength_continuation)
from scalebridge.coupling.equation_free import (CoarseTimeStepper, as_dynamics, cell_average,
                                                conservative_interpolation, projective_amplification,
                                                projective_forward_euler, projective_integrate,
                                                projective_runge_kutta2)
from scalebridge.solvers.lattice_boltzmann import LatticeBoltzmann
from scalebridge.solvers.random_walk import RandomWalk

LAMBDA_C = 3.513830719


class Modes:
    """Fine model of independent linear modes du/dt = lam u, advanced exactly."""

    name = "linear modes"

    def __init__(self, lams, time_step):
        self.lams, self.time_step = np.asarray(lams, dtype=float), time_step

    def advance(self, u, dt):
        return u * np.exp(self.lams * dt)


def identity_stepper(dynamics, **options):
    return CoarseTimeStepper(dynamics, lambda u, rng: np.array(u), lambda u: u, dt=dynamics.time_step, **options)


# ----------------------------------------------------------------------------- coarse time-stepper

def test_engines_are_dynamics():
    lb = LatticeBoltzmann(1.0, 16, 1.0)
    wrapped = as_dynamics(lb)
    assert isinstance(wrapped, Dynamics) and wrapped.scale.time_si == pytest.approx(1.0)
    assert isinstance(as_dynamics(RandomWalk(2.0, 4.0, 1e-3)), Dynamics)
    f = lb.equilibrium(np.ones(16))
    np.testing.assert_array_equal(wrapped.advance(f, lb.time_step), lb.advance(f, lb.time_step))


def test_coarse_derivative_of_a_diffusing_mode():
    """The burst slope of a cosine mode is -4 pi^2 D times its amplitude (lattice Boltzmann, closed form)."""
    lb = LatticeBoltzmann(1.0, 64, 1.0)
    stepper = CoarseTimeStepper(lb, lambda U, rng: lb.equilibrium(U), lb.density, dt=lb.time_step,
                                healing_steps=2, burst_steps=6, fit_degree=2)
    u = 1 + 0.5 * np.cos(2 * np.pi * lb.nodes)
    d = stepper.derivative(u)
    exact = -4 * np.pi ** 2 * 0.5 * np.exp(-4 * np.pi ** 2 * d.elapsed) * np.cos(2 * np.pi * lb.nodes)
    assert np.abs(d.slope - exact).max() < 1e-3 * np.abs(exact).max()
    assert d.fine_steps == 8 and stepper.statistics["fine_steps"] == 8 and d.slope_std is None
    np.testing.assert_allclose(stepper.evolve(u, 8 * lb.time_step), d.value, atol=1e-9)


def test_replicas_reduce_variance_and_common_random_numbers():
    """Random-walk decay c_t = -k c: replica averaging shrinks the slope error as 1/sqrt(R);
    the reported standard error matches the observed scatter; paired replicas repeat exactly."""
    rw = RandomWalk(1.0, 1.0, 1e-3, n_bins=4, weight=1e-3, boundary="periodic", decay_rate=5.0)
    u = np.ones(4)

    def make(replicas, seed):
        return CoarseTimeStepper(rw, rw.particles, rw.concentration, dt=rw.time_step, burst_steps=10,
                                 replicas=replicas, seed=seed)

    one = np.array([make(1, s).derivative(u).slope for s in range(40)])
    sixteen = [make(16, 100 + s).derivative(u) for s in range(6)]
    many = np.array([d.slope for d in sixteen])
    exact = -5.0 * np.exp(-5.0 * 10 * rw.time_step)                   # slope at the end of the burst
    ratio = many.std() / one.std()
    assert 0.15 < ratio < 0.4                                           # 1/sqrt(16) = 0.25
    reported = np.mean([d.slope_std for d in sixteen])
    assert 0.6 < reported / many.std() < 1.6
    assert abs(many.mean() - exact) < 4 * many.std() / np.sqrt(many.size)
    crn = CoarseTimeStepper(rw, rw.particles, rw.concentration, dt=rw.time_step, replicas=4, seed=7,
                            common_random_numbers=True)
    np.testing.assert_array_equal(crn.evolve(u, 0.01), crn.evolve(u, 0.01))
    plain = crn.with_(common_random_numbers=False)
    assert not np.array_equal(plain.evolve(u, 0.01), plain.evolve(u, 0.01))
    np.testing.assert_array_equal(make(2, 3).evolve(u, 0.01), make(2, 3).evolve(u, 0.01))   # seeded


def test_conservative_lifting_and_restriction():
    x = (np.arange(256) + 0.5) / 256
    fine = np.exp(-((x - 0.4) / 0.2) ** 2)
    coarse = cell_average(fine, 16)
    lifted = conservative_interpolation(coarse, 256)
    np.testing.assert_allclose(cell_average(lifted, 16), coarse, rtol=1e-12)
    assert np.abs(lifted - fine).max() < 1e-2                        # 0.5 % at the walls (not-a-knot)
    periodic = conservative_interpolation(cell_average(np.cos(2 * np.pi * x), 8), 256, periodic=True)
    assert np.abs(periodic - np.cos(2 * np.pi * x)).max() < 5e-3


# ----------------------------------------------------------------------------- projective integration

def fisher_setup(healing=10, burst=4):
    lb = LatticeBoltzmann(1.0, 256, 1.0, reaction=lambda u: 10.0 * u * (1 - u), boundary="flux")
    u0 = cell_average(0.8 * np.exp(-((lb.nodes - 0.25) / 0.15) ** 2), 16)
    stepper = CoarseTimeStepper(lb, lambda U, rng: lb.equilibrium(conservative_interpolation(U, 256)),
                                lambda f: cell_average(lb.density(f), 16), dt=lb.time_step,
                                healing_steps=healing, burst_steps=burst)
    return lb, u0, stepper


def error_against_fine(lb, u0_fine, result):
    """Max over the output times of max|U - U_fine| / max|U_fine| (full fine simulation)."""
    f, done, worst = lb.equilibrium(u0_fine), 0, 0.0
    for t, u in zip(result.t, result.u):
        n = int(round(t / lb.time_step))
        f, done = lb.run(f, n - done), n
        ref = cell_average(lb.density(f), 16)
        worst = max(worst, np.abs(u - ref).max() / np.abs(ref).max())
    return worst


@pytest.mark.parametrize("method, jump", [("forward_euler", 150), ("rk2", 300)])
def test_projective_integration_follows_fine_simulation(method, jump):
    """Fisher-KPP by lattice Boltzmann: projective integration within 2 % of the full fine run over the
    whole horizon with >= 10x fewer fine steps (table in the module docstring; Gear & Kevrekidis 2003)."""
    lb, u0, stepper = fisher_setup()
    u0_fine = conservative_interpolation(u0, 256)
    horizon = 0.3
    integrate = projective_forward_euler if method == "forward_euler" else projective_runge_kutta2
    result = integrate(stepper, u0, horizon, jump * lb.time_step)
    full_steps = int(round(horizon / lb.time_step))
    assert result.success and result.t[-1] == pytest.approx(horizon)
    assert full_steps / result.fine_steps >= 10
    assert error_against_fine(lb, u0_fine, result) < 0.02


def test_adaptive_projective_step():
    """The error indicator shrinks a too large first jump (rejections) and then grows it; accuracy kept."""
    lb, u0, stepper = fisher_setup()
    result = projective_integrate(stepper, u0, 0.3, projective_step=3000 * lb.time_step, method="rk2", tol=1e-3)
    assert result.success and result.rejected >= 1
    accepted = result.error_estimates[np.isfinite(result.error_estimates)]
    assert np.all(accepted <= 1e-3)
    assert int(round(0.3 / lb.time_step)) / result.fine_steps >= 10
    assert error_against_fine(lb, conservative_interpolation(u0, 256), result) < 0.02


def test_stability_region_of_projective_forward_euler():
    """Measured amplification of a fast mode per projective step equals sigma = e^{lam tau}(1 + lam Delta)
    (Gear & Kevrekidis 2003, sec. 3): stable when the inner steps damp it, unstable otherwise."""
    fine = Modes([-1.0, -1000.0], 1e-5)
    jump = 0.01                                            # |lam_f| Delta = 10: outside the slow disc
    for healing, stable in ((300, True), (0, False)):
        stepper = identity_stepper(fine, healing_steps=healing, burst_steps=2)
        tau = stepper.burst_time
        sigma = abs(projective_amplification([-1.0, -1000.0], tau, jump))
        assert (sigma[1] < 1) == stable
        result = projective_forward_euler(stepper, [1.0, 1e-6], 6 * (tau + jump), jump)
        measured = np.abs(result.u[2:6, 1] / result.u[1:5, 1])
        np.testing.assert_allclose(measured, sigma[1], rtol=0.05)
        np.testing.assert_allclose(result.u[-1, 0], np.exp(-result.t[-1]), rtol=0.05)    # slow mode O(Delta)
    # without a spectral gap every mode is damped iff tau / Delta >= 0.2785 (r e^{1 + r} = 1)
    lam = -np.logspace(-2, 4, 2000)
    assert np.abs(projective_amplification(lam, 0.28, 1.0)).max() <= 1.0
    assert np.abs(projective_amplification(lam, 0.27, 1.0)).max() > 1.0


def test_projective_errors():
    fine = Modes([-1.0], 1e-3)
    stepper = identity_stepper(fine)
    with pytest.raises(InputError, match="method"):
        projective_integrate(stepper, [1.0], 1.0, projective_step=0.1, method="rk4")
    with pytest.raises(InputError, match="t_end"):
        projective_integrate(stepper, [1.0], -1.0, projective_step=0.1)
    with pytest.raises(InputError, match="burst_steps"):
        identity_stepper(fine, burst_steps=0)
    with pytest.raises(InputError, match="whole number"):
        CoarseTimeStepper(fine, lambda u, r: u, lambda u: u, dt=1.5e-3)
    with pytest.raises(InputError, match="whole number"):
        stepper.evolve([1.0], 1.5e-3)
    unstable = identity_stepper(Modes([-1e4], 1e-5), burst_steps=2)
    with pytest.raises(ConvergenceError, match="non-finite"):
        projective_forward_euler(unstable, [1.0], 200.0, 1.0)


# ----------------------------------------------------------------------------- coarse fixed points

def bratu_setup(n_nodes=33, horizon_steps=100):
    lb = LatticeBoltzmann(1.0, n_nodes, 1.0, boundary="dirichlet")
    stepper = CoarseTimeStepper(lb, lambda U, rng: lb.equilibrium(np.concatenate([[0.0], U, [0.0]])),
                                lambda f: lb.density(f)[1:-1], dt=lb.time_step)
    horizon = horizon_steps * lb.time_step

    def phi(U, lam):
        return stepper.with_(dynamics=lb.with_(reaction=lambda u: lam * np.exp(u))).evolve(U, horizon)

    return lb, phi


def bratu_exact(x, lam):
    theta = brentq(lambda th: th - np.sqrt(2 * lam) * np.cosh(th / 4), 1e-6, 4.7987)
    return -2 * np.log(np.cosh((x - 0.5) * theta / 2) / np.cosh(theta / 4))


def test_newton_krylov_finds_coarse_steady_state():
    """Coarse Newton-GMRES on Phi_T(U) - U for the Bratu LBM: the fine model's own steady state (reached by
    long time stepping) to 1e-8, the closed form to the lattice's O(h^2) error (Kelley et al. 2004)."""
    lb, phi = bratu_setup()
    result = newton_krylov_fixed_point(lambda U: phi(U, 1.0), np.zeros(31), tol=1e-10)
    assert result.converged and result.newton_iterations <= 5 and result.gmres_iterations <= 20
    long_run = lb.with_(reaction=np.exp)
    steady = long_run.density(long_run.run(long_run.equilibrium(np.zeros(33)), int(2.0 / lb.time_step)))[1:-1]
    assert np.abs(result.u - steady).max() < 1e-8
    exact = bratu_exact(lb.nodes[1:-1], 1.0)
    assert np.abs(result.u - exact).max() < 1.5e-4 * exact.max()
    mu = coarse_multipliers(lambda U: phi(U, 1.0), result.u)
    assert 0 < abs(mu[0]) < 1                                          # stable lower branch


def test_continuation_traces_bratu_fold():
    """Pseudo-arclength continuation through the Bratu fold: lambda_c within 1 % of 3.513830719,
    stable lower and unstable upper branch (Keller 1977; Theodoropoulos et al. 2000)."""
    _, phi = bratu_setup()
    start = newton_krylov_fixed_point(lambda U: phi(U, 1.0), np.zeros(31), tol=1e-9).u
    result = pseudo_arclength_continuation(phi, start, 1.0, step=0.15, n_points=40, bounds=(0.5, 4.0),
                                           stop_after_folds=1, tol=1e-9)
    assert len(result.folds) == 1
    fold = result.folds[0]
    assert abs(fold["parameter"] / LAMBDA_C - 1) < 0.01
    i = fold["index"]
    assert result.stable[:i - 1].all() and not result.stable[i + 1:].any()
    assert np.all(np.diff(result.states.max(axis=1)) > 0)              # max u grows along the branch
    assert result.gmres_iterations > 0 and result.map_evaluations > 0


def test_fixed_point_errors():
    with pytest.raises(ConvergenceError, match="residual"):
        newton_krylov_fixed_point(lambda u: 2 * u + 1 + u ** 3, np.zeros(3), max_iter=1)
    with pytest.raises(InputError, match="u0"):
        newton_krylov_fixed_point(lambda u: u, np.array([np.nan]))
    with pytest.raises(ConvergenceError, match="non-finite"):
        newton_krylov_fixed_point(lambda u: u * np.nan, np.ones(2))
    result = newton_krylov_fixed_point(lambda u: 0.5 * u + 1.0, np.zeros(2), check=False)
    assert result.converged and np.allclose(result.u, 2.0)
