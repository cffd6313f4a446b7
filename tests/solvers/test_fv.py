"""Finite-volume spherical pellet solver: validation against closed forms and scipy."""

import numpy as np
import pytest
from scipy.integrate import solve_bvp
from scipy.optimize import brentq

from scalebridge.core.errors import ConvergenceError, InputError
from scalebridge.solvers.fv import PelletSolution, graded_sphere_mesh, solve_spherical_pellet

RADIUS, DIFFUSIVITY, C_SURFACE = 2e-3, 1e-6, 5.0   # m, m^2/s, mol/m^3


def sphere_eta(phi):
    """Thiele (1939): eta = 3/phi^2 (phi coth phi - 1), written independently here."""
    return 3.0 / phi**2 * (phi / np.tanh(phi) - 1.0)


def first_order(phi, radius=RADIUS, diffusivity=DIFFUSIVITY):
    k = phi**2 * diffusivity / radius**2
    return lambda c: (k * c, np.full_like(c, k))


@pytest.mark.parametrize("phi", [0.1, 1.0, 10.0, 100.0, 1000.0])
def test_first_order_effectiveness_factor_matches_thiele(phi):
    """eta of the numerical sphere within 1e-4 absolute and 1e-4 relative of
    3/phi^2 (phi coth phi - 1) for phi = 0.1 ... 1000 on 400 graded cells
    (Thiele 1939, Ind. Eng. Chem. 31, 916; Aris 1975, vol. 1, eq. 3.2.13;
    Fogler, Elements of Chemical Reaction Engineering, ch. 15)."""
    sol = solve_spherical_pellet(first_order(phi), RADIUS, DIFFUSIVITY, C_SURFACE, n_cells=400)
    exact = sphere_eta(phi)
    assert sol.converged
    assert abs(sol.effectiveness_factor - exact) < 1e-4
    assert abs(sol.effectiveness_factor / exact - 1.0) < 1e-4


@pytest.mark.parametrize("phi", [1.0, 10.0, 100.0])
def test_first_order_profile_matches_closed_form(phi):
    """c/c_s = (R/r) sinh(phi r/R) / sinh(phi) within 1e-5 of c_s at every node
    (Thiele 1939; Aris 1975, vol. 1, sec. 3.2)."""
    sol = solve_spherical_pellet(first_order(phi), RADIUS, DIFFUSIVITY, C_SURFACE, n_cells=400)
    x = sol.radii / RADIUS
    exact = np.sinh(phi * x) / (x * np.sinh(phi))
    assert np.max(np.abs(sol.concentrations / C_SURFACE - exact)) < 1e-5


# Measured (phi = 10, grading 50, N = 20 ... 640): observed order 2.00 for eta
# and for the max-norm profile error; expected second order (cell-centred FV).
EXPECTED_ORDER = 2.0


def test_observed_order_of_convergence_is_two():
    """Mesh refinement at fixed grading, phi = 10: errors in eta and in the max-norm
    profile against Thiele's (1939) closed form fall as N^-2 (observed order within
    0.1 of 2, from successive halvings of the mesh size)."""
    phi, grading = 10.0, 50.0
    n_cells = np.array([20, 40, 80, 160, 320, 640])
    err_eta, err_profile = [], []
    for n in n_cells:
        sol = solve_spherical_pellet(first_order(phi), RADIUS, DIFFUSIVITY, C_SURFACE,
                                     n_cells=int(n), grading=grading)
        x = sol.radii / RADIUS
        exact = C_SURFACE * np.sinh(phi * x) / (x * np.sinh(phi))
        err_eta.append(abs(sol.effectiveness_factor - sphere_eta(phi)))
        err_profile.append(np.max(np.abs(sol.concentrations - exact)))
    for err in (np.array(err_eta), np.array(err_profile)):
        orders = np.log2(err[:-1] / err[1:])
        assert np.all(np.abs(orders[1:] - EXPECTED_ORDER) < 0.1), orders
        fitted = -np.polyfit(np.log(n_cells), np.log(err), 1)[0]
        assert abs(fitted - EXPECTED_ORDER) < 0.05


def test_zero_order_without_dead_zone_matches_closed_form():
    """Zero order, 6 D c_s/(k R^2) = 2 (no dead zone): c = c_s - k (R^2 - r^2)/(6 D)
    within 2e-5 c_s, eta = 1 and surface flux k R/3 to round-off (Aris 1975, vol. 1,
    sec. 3.4; Fogler, ch. 15)."""
    k = 6 * DIFFUSIVITY * C_SURFACE / (2 * RADIUS**2)
    sol = solve_spherical_pellet(lambda c: (np.full_like(c, k), np.zeros_like(c)),
                                 RADIUS, DIFFUSIVITY, C_SURFACE, n_cells=200)
    exact = C_SURFACE - k * (RADIUS**2 - sol.radii**2) / (6 * DIFFUSIVITY)
    assert np.min(exact) == pytest.approx(C_SURFACE / 2, rel=1e-2)
    assert np.max(np.abs(sol.concentrations - exact)) < 2e-5 * C_SURFACE
    assert sol.effectiveness_factor == pytest.approx(1.0, abs=1e-14)
    assert sol.surface_flux == pytest.approx(k * RADIUS / 3, rel=1e-12)


def test_zero_order_dead_zone_with_regularised_rate():
    """Zero order with a dead zone, 6 D c_s/(k R^2) = 0.2: the closed form has c = 0 for
    r < r_c with 1 - 3 x^2 + 2 x^3 = 6 D c_s/(k R^2), x = r_c/R, and
    c = k/(6D) (r^2 + 2 r_c^3/r) - k r_c^2/(2D) outside, eta = 1 - x^3 (Aris 1975,
    vol. 1, sec. 3.4). The rate k c/(c + delta), delta = 1e-4 c_s, regularises the
    step; its O(delta) error bounds the tolerance (1e-3 c_s, 5e-4 on eta)."""
    k = 6 * DIFFUSIVITY * C_SURFACE / (0.2 * RADIUS**2)
    delta = 1e-4 * C_SURFACE
    rate = lambda c: (k * c / (c + delta), k * delta / (c + delta) ** 2)  # noqa: E731
    sol = solve_spherical_pellet(rate, RADIUS, DIFFUSIVITY, C_SURFACE, n_cells=400)
    x_c = brentq(lambda x: 1 - 3 * x**2 + 2 * x**3 - 0.2, 0.0, 1.0)
    r, r_c = sol.radii, x_c * RADIUS
    exact = np.where(r > r_c, k / (6 * DIFFUSIVITY) * (r**2 + 2 * r_c**3 / r)
                     - k * r_c**2 / (2 * DIFFUSIVITY), 0.0)
    assert np.max(np.abs(sol.concentrations - exact)) < 1e-3 * C_SURFACE
    assert abs(sol.effectiveness_factor - (1 - x_c**3)) < 5e-4
    assert np.all(sol.concentrations >= 0.0)


def test_langmuir_hinshelwood_matches_scipy_solve_bvp():
    """Langmuir-Hinshelwood r = k c/(1 + K c)^2 against an independent solution of the
    same boundary-value problem by scipy.integrate.solve_bvp (collocation, Kierzenka &
    Shampine 2001, with the singular term -2/r c'): eta within 1e-5 relative and the
    profile within 1e-5 c_s on 400 cells."""
    K = 1.0 / C_SURFACE
    k = 36.0 * DIFFUSIVITY / RADIUS**2

    def rate(c):
        return k * c / (1 + K * c) ** 2, k * (1 - K * c) / (1 + K * c) ** 3

    def rhs(r, y):
        return np.vstack([y[1], rate(np.maximum(y[0], 0.0))[0] / DIFFUSIVITY])

    def bc(ya, yb):
        return np.array([ya[1], yb[0] - C_SURFACE])

    mesh = np.linspace(0.0, RADIUS, 200)
    guess = np.vstack([np.full_like(mesh, C_SURFACE), np.zeros_like(mesh)])
    ref = solve_bvp(rhs, bc, mesh, guess, S=np.array([[0.0, 0.0], [0.0, -2.0]]),
                    tol=1e-8, max_nodes=100000)
    assert ref.status == 0
    eta_ref = 3 * DIFFUSIVITY * ref.sol(RADIUS)[1] / (RADIUS * rate(C_SURFACE)[0])

    sol = solve_spherical_pellet(rate, RADIUS, DIFFUSIVITY, C_SURFACE, n_cells=400)
    assert 0.5 < eta_ref < 0.95
    assert sol.effectiveness_factor == pytest.approx(eta_ref, rel=1e-5)
    assert np.max(np.abs(sol.concentrations - ref.sol(sol.radii)[0])) < 1e-5 * C_SURFACE
    assert sol.iterations >= 1


def test_surface_flux_equals_volume_integrated_rate():
    """Discrete conservation: D dc/dr(R) = eta r(c_s) R/3 to round-off (divergence
    theorem; Patankar 1980, ch. 4)."""
    K = 2.0 / C_SURFACE
    k = 400.0 * DIFFUSIVITY / RADIUS**2
    rate = lambda c: (k * c / (1 + K * c), k / (1 + K * c) ** 2)  # noqa: E731
    sol = solve_spherical_pellet(rate, RADIUS, DIFFUSIVITY, C_SURFACE)
    expected = sol.effectiveness_factor * rate(C_SURFACE)[0] * RADIUS / 3
    assert sol.surface_flux == pytest.approx(expected, rel=1e-9)


def test_batch_equals_single_solves_and_derivative_is_optional():
    """A batch of surface concentrations gives the single-solve answers; a rate without
    derivative (forward differences) gives the same converged answer."""
    K, k = 1.0, 1e4 * DIFFUSIVITY / RADIUS**2
    rate = lambda c: (k * c / (1 + K * c) ** 2, k * (1 - K * c) / (1 + K * c) ** 3)  # noqa: E731
    cs = np.array([0.0, 0.3, 1.0, 3.0, 8.0])
    batch = solve_spherical_pellet(rate, RADIUS, DIFFUSIVITY, cs, n_cells=150, grading=300.0)
    assert batch.concentrations.shape == (5, 150)
    assert batch.effectiveness_factor[0] == 1.0
    for i, c in enumerate(cs):
        one = solve_spherical_pellet(rate, RADIUS, DIFFUSIVITY, c, n_cells=150, grading=300.0)
        assert one.effectiveness_factor == pytest.approx(batch.effectiveness_factor[i], rel=1e-9)
    no_derivative = solve_spherical_pellet(lambda c: rate(c)[0], RADIUS, DIFFUSIVITY, cs,
                                           n_cells=150, grading=300.0)
    assert np.allclose(no_derivative.effectiveness_factor, batch.effectiveness_factor, rtol=1e-8)


def test_graded_mesh_is_finer_at_the_surface():
    faces = graded_sphere_mesh(RADIUS, 100, 50.0)
    widths = np.diff(faces)
    assert faces[0] == 0.0 and faces[-1] == RADIUS
    assert widths[0] / widths[-1] == pytest.approx(50.0, rel=1e-12)
    assert np.allclose(widths[:-1] / widths[1:], 50.0 ** (1 / 99), rtol=1e-12)
    sol = solve_spherical_pellet(first_order(100.0), RADIUS, DIFFUSIVITY, C_SURFACE)
    assert np.diff(sol.faces)[0] / np.diff(sol.faces)[-1] == pytest.approx(500.0)
    assert isinstance(sol, PelletSolution)


def test_non_convergence_raises_with_iterations_and_residual():
    K, k = 1.0, 1e4 * DIFFUSIVITY / RADIUS**2
    rate = lambda c: (k * c / (1 + K * c) ** 2, k * (1 - K * c) / (1 + K * c) ** 3)  # noqa: E731
    with pytest.raises(ConvergenceError, match=r"1 iterations.*residual"):
        solve_spherical_pellet(rate, RADIUS, DIFFUSIVITY, 3.0, max_iter=1)
    sol = solve_spherical_pellet(rate, RADIUS, DIFFUSIVITY, 3.0, max_iter=1, raise_on_failure=False)
    assert not sol.converged and sol.residual_norm > 1e-10


def test_non_finite_rate_raises_convergence_error():
    with pytest.raises(ConvergenceError, match="non-finite"):
        solve_spherical_pellet(lambda c: (np.full_like(c, np.inf), c), RADIUS,
                               DIFFUSIVITY, C_SURFACE)
    with pytest.raises(ConvergenceError, match="non-finite"):
        solve_spherical_pellet(lambda c: (np.where(c < 4.0, np.nan, c), np.ones_like(c)),
                               RADIUS, DIFFUSIVITY, C_SURFACE)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"radius": 0.0},
        {"radius": -1e-3},
        {"diffusivity": 0.0},
        {"surface_concentration": -1.0},
        {"surface_concentration": np.nan},
        {"n_cells": 1},
        {"grading": 0.5},
        {"rate": 3.0},
    ],
)
def test_bad_inputs_raise_input_error(kwargs):
    args = {"rate": first_order(1.0), "radius": RADIUS, "diffusivity": DIFFUSIVITY,
            "surface_concentration": C_SURFACE}
    args.update(kwargs)
    with pytest.raises(InputError):
        solve_spherical_pellet(**args)
