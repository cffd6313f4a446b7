"""J2 radial return and the nonlinear FE cell (Newton on the periodic fluctuation, condensed macro tangent)."""

import copy

import numpy as np
import pytest
from scipy.optimize import brentq

from scalebridge.core.errors import ConvergenceError, InputError
from scalebridge.solvers.fem import solve_elasticity_fe
from scalebridge.solvers.fem.nonlinear_cell import initial_cell_state, discretise_cell, solve_nonlinear_cell
from scalebridge.solvers.plasticity import j2_return_mapping
from scalebridge.solvers.tensors import isotropic_stiffness

# aluminium-like matrix (E = 70 GPa, nu = 0.3) and a stiff elastic (SiC-like) inclusion, Pa
YOUNG, POISSON = 70e9, 0.3
K_AL, G_AL = YOUNG / (3 * (1 - 2 * POISSON)), YOUNG / (2 * (1 + POISSON))
J2 = dict(bulk_modulus=K_AL, shear_modulus=G_AL, yield_stress=100e6, hardening_modulus=2e9)
INCLUSION_2D = dict(stiffness=isotropic_stiffness(220e9, 190e9, 2))


def inclusion_cell(n=16, radius=0.3):
    x = (np.arange(n) + 0.5) / n
    X, Y = np.meshgrid(x, x, indexing="ij")
    return ((X - 0.5) ** 2 + (Y - 0.5) ** 2 < radius ** 2).astype(int)


def central_difference(function, x, h):
    columns = []
    for j in range(x.size):
        dx = np.zeros_like(x)
        dx[j] = h
        columns.append((function(x + dx) - function(x - dx)) / (2 * h))
    return np.stack(columns, axis=-1)


# ---------------------------------------------------------------- pointwise J2 return mapping


@pytest.mark.parametrize("plane_strain", [False, True])
def test_consistent_tangent_matches_finite_differences(plane_strain):
    """Consistent tangent of the radial return (Simo & Hughes 1998, eq. 3.3.10) vs central differences."""
    rng = np.random.default_rng(0)
    m = 3 if plane_strain else 6
    strain = rng.normal(scale=3e-3, size=(5, m))
    plastic = rng.normal(scale=5e-4, size=(5, 6))
    plastic[:, :3] -= plastic[:, :3].mean(axis=1, keepdims=True)  # plastic flow is isochoric
    alpha = np.full(5, 1e-3)
    stress, tangent, _, new_alpha = j2_return_mapping(strain, plastic, alpha, plane_strain=plane_strain, **J2)
    assert np.all(new_alpha > alpha)  # every point is in the plastic regime
    for p in range(5):
        def sigma(e):
            return j2_return_mapping(e[None], plastic[p:p + 1], alpha[p:p + 1], plane_strain=plane_strain, **J2)[0][0]
        fd = central_difference(sigma, strain[p], 1e-8)
        np.testing.assert_allclose(tangent[p], fd, rtol=0, atol=1e-6 * np.abs(fd).max())


def test_uniaxial_stress_strain_matches_the_hand_calculation():
    """Uniaxial stress, linear isotropic hardening: sigma = sigma_y + E H/(E+H) (eps - sigma_y/E)
    (de Souza Neto, Peric & Owen 2008, §6.3.2; Simo & Hughes 1998, §1.4)."""
    for eps11 in (0.5e-3, 2e-3, 6e-3):
        def lateral_stress(e):
            strain = np.array([[eps11, e, e, 0, 0, 0]])
            return j2_return_mapping(strain, np.zeros((1, 6)), np.zeros(1), **J2)[0][0, 1]

        e = brentq(lateral_stress, -eps11, eps11, xtol=1e-16, rtol=1e-15)
        sigma = j2_return_mapping(np.array([[eps11, e, e, 0, 0, 0]]), np.zeros((1, 6)), np.zeros(1), **J2)[0][0, 0]
        sy, H = J2["yield_stress"], J2["hardening_modulus"]
        expected = YOUNG * eps11 if YOUNG * eps11 <= sy else sy + YOUNG * H / (YOUNG + H) * (eps11 - sy / YOUNG)
        assert sigma == pytest.approx(expected, rel=1e-9)


def test_simple_shear_matches_the_hand_calculation():
    """Simple shear: tau = G (gamma - gamma_p), tau = (sigma_y + H gamma_p/sqrt3)/sqrt3 (von Mises)."""
    G, sy, H = J2["shear_modulus"], J2["yield_stress"], J2["hardening_modulus"]
    gamma = np.array([1e-3, 4e-3, 1e-2])
    strain = np.zeros((3, 3))
    strain[:, 2] = np.sqrt(2) * gamma / 2  # Mandel sqrt2 * eps12
    stress = j2_return_mapping(strain, np.zeros((3, 6)), np.zeros(3), plane_strain=True, **J2)[0]
    gamma_p = np.maximum(G * gamma - sy / np.sqrt(3), 0) / (G + H / 3)
    np.testing.assert_allclose(stress[:, 2] / np.sqrt(2), G * (gamma - gamma_p), rtol=1e-12)


def test_unloading_is_elastic_and_keeps_the_plastic_strain():
    """After yielding, a strain decrement unloads with the elastic stiffness (Simo & Hughes 1998, §3.3)."""
    strain = np.array([[4e-3, -1e-3, 0.0, 0.0, 0.0, 2e-3]])
    s1, _, plastic, alpha = j2_return_mapping(strain, np.zeros((1, 6)), np.zeros(1), **J2)
    assert alpha[0] > 0
    decrement = -0.3 * strain
    s2, tangent, plastic2, alpha2 = j2_return_mapping(strain + decrement, plastic, alpha, **J2)
    elastic = isotropic_stiffness(K_AL, G_AL, 3)
    np.testing.assert_allclose(s2 - s1, decrement @ elastic.T, rtol=1e-10)
    np.testing.assert_allclose(tangent[0], elastic, rtol=1e-12)
    np.testing.assert_array_equal(plastic2, plastic)
    np.testing.assert_array_equal(alpha2, alpha)


def test_return_mapping_validates_shapes():
    with pytest.raises(InputError, match="strain must have shape"):
        j2_return_mapping(np.zeros((2, 6)), np.zeros((2, 6)), np.zeros(2), plane_strain=True, **J2)


# ---------------------------------------------------------------- nonlinear FE cell


def test_condensed_macro_tangent_matches_finite_differences_in_the_plastic_regime():
    """dSigma/dE by static condensation (Miehe & Koch 2002, §4; Kouznetsova et al. 2001, eq. 37) vs FD."""
    phases = inclusion_cell(16)
    materials = [J2, INCLUSION_2D]
    E = np.array([4e-3, -1e-3, 2e-3])
    result = solve_nonlinear_cell(phases, materials, E, tol=1e-13)
    assert result.state["alpha"].max() > 1e-3  # the matrix has yielded
    assert result.hill_mandel[0] < 1e-10

    def mean_stress(e):
        return solve_nonlinear_cell(phases, materials, e, tol=1e-13).mean_stress[0]

    fd = central_difference(mean_stress, E, 1e-8)
    np.testing.assert_allclose(result.tangent[0], fd, rtol=0, atol=1e-6 * np.abs(fd).max())


@pytest.mark.parametrize("shape", [(4, 4), (2, 2, 2)])
def test_homogeneous_cell_reproduces_the_return_mapping(shape):
    """A one-phase J2 cell deforms homogeneously: its mean stress and tangent are the point law's."""
    m = 3 if len(shape) == 2 else 6
    E = np.array([[4e-3, -1e-3, 2e-3], [1e-3, 1e-3, -3e-3]]) if m == 3 else \
        np.array([[4e-3, -1e-3, 0.5e-3, 1e-3, 0.0, 2e-3]])
    result = solve_nonlinear_cell(np.zeros(shape, dtype=int), [J2], E)
    stress, tangent, plastic, alpha = j2_return_mapping(E, np.zeros((len(E), 6)), np.zeros(len(E)),
                                                        plane_strain=m == 3, **J2)
    assert np.all(alpha > 0)
    np.testing.assert_allclose(result.mean_stress, stress, rtol=1e-10)
    np.testing.assert_allclose(result.tangent, tangent, rtol=0, atol=1e-10 * np.abs(tangent).max())
    np.testing.assert_allclose(result.state["alpha"], np.broadcast_to(alpha[:, None], result.state["alpha"].shape),
                               rtol=1e-10)


def test_elastic_limit_equals_the_linear_fe_cell():
    """With an unreachable yield stress the Newton cell is the linear periodic FE cell (one Newton step)."""
    phases = inclusion_cell(12)
    elastic = dict(J2, yield_stress=1e30)
    linear = solve_elasticity_fe(phases, np.stack([isotropic_stiffness(K_AL, G_AL, 2), INCLUSION_2D["stiffness"]]))
    E = np.eye(3) * 1e-3
    result = solve_nonlinear_cell(phases, [elastic, INCLUSION_2D], E)
    np.testing.assert_allclose(result.mean_stress, E @ linear.effective.T, rtol=0,
                               atol=1e-10 * np.abs(result.mean_stress).max())
    np.testing.assert_allclose(result.tangent, np.broadcast_to(linear.effective, (3, 3, 3)), rtol=0,
                               atol=1e-10 * np.abs(linear.effective).max())
    assert np.all(result.iterations == 1)


def test_loading_and_unloading_leaves_a_residual_strain_and_never_mutates_the_state():
    """Load into plasticity, commit, unload to zero mean stress: a residual macro strain remains
    (the plastic matrix; Kouznetsova et al. 2001). The committed state passed in is never modified."""
    phases = inclusion_cell(12)
    materials = [J2, INCLUSION_2D]
    state, peak = None, np.array([5e-3, -2e-3, 0.0])
    for factor in np.linspace(0.25, 1.0, 4):  # loading, committing every converged step
        state = solve_nonlinear_cell(phases, materials, factor * peak, state).state
    committed = copy.deepcopy(state)
    # unload from the peak: macro Newton on Sigma(E) = 0 with the condensed tangent, from the committed state
    E = peak.copy()
    for _ in range(10):
        result = solve_nonlinear_cell(phases, materials, E, state)
        if np.linalg.norm(result.mean_stress[0]) < 1e-6 * J2["yield_stress"]:
            break
        E = E - np.linalg.solve(result.tangent[0], result.mean_stress[0])
    assert np.linalg.norm(result.mean_stress[0]) < 1e-6 * J2["yield_stress"]
    assert E[0] > 0.3 * J2["yield_stress"] / YOUNG  # permanent stretch along the loading direction
    for key in committed:
        np.testing.assert_array_equal(state[key], committed[key])
    assert result.state["alpha"] is not state["alpha"]


def _laminate(n, layers_of_phase_one):
    phases = np.zeros((n, n), dtype=int)
    phases[:layers_of_phase_one] = 1  # layers normal to x (axis 0)
    return phases


def test_nonlinear_conduction_laminate_matches_the_series_closed_form():
    """Layers in series: the flux q is uniform and k0_i (1 + a_i g_i^2) g_i = q, sum f_i g_i = G."""
    materials = [dict(conductivity=1.0, nonlinearity=0.5), dict(conductivity=5.0, nonlinearity=2.0)]
    phases = _laminate(10, 4)
    G = 1.5
    result = solve_nonlinear_cell(phases, materials, np.array([G, 0.0]), problem="conduction")

    def layer_gradient(q, mat):
        return brentq(lambda g: mat["conductivity"] * (1 + mat["nonlinearity"] * g * g) * g - q, 0, q + 1, xtol=1e-15)

    q = brentq(lambda q: 0.6 * layer_gradient(q, materials[0]) + 0.4 * layer_gradient(q, materials[1]) - G,
               1e-6, 100.0, xtol=1e-14, rtol=1e-15)
    assert result.mean_flux[0, 0] == pytest.approx(q, rel=1e-10)
    assert abs(result.mean_flux[0, 1]) < 1e-10 * q
    # series tangent: 1 / sum(f_i / k_t,i) with k_t = dq/dg = k0 (1 + 3 a g^2)
    kt = [m["conductivity"] * (1 + 3 * m["nonlinearity"] * layer_gradient(q, m) ** 2) for m in materials]
    assert result.tangent[0, 0, 0] == pytest.approx(1 / (0.6 / kt[0] + 0.4 / kt[1]), rel=1e-9)


def test_nonlinear_conduction_tangent_matches_finite_differences():
    materials = [dict(conductivity=1.0, nonlinearity=0.5), dict(conductivity=5.0, nonlinearity=2.0)]
    phases = inclusion_cell(12)
    G = np.array([1.2, -0.7])
    result = solve_nonlinear_cell(phases, materials, G, problem="conduction", tol=1e-13)

    def flux(g):
        return solve_nonlinear_cell(phases, materials, g, problem="conduction", tol=1e-13).mean_flux[0]

    fd = central_difference(flux, G, 1e-6)
    np.testing.assert_allclose(result.tangent[0], fd, rtol=0, atol=1e-6 * np.abs(fd).max())


def test_failing_micro_newton_names_the_macro_point():
    phases = inclusion_cell(12)
    E = np.array([[1e-5, 0.0, 0.0], [5e-3, -2e-3, 1e-3]])  # point 0 elastic (one step), point 1 plastic
    with pytest.raises(ConvergenceError, match="macro point 1 did not converge in 1 Newton"):
        solve_nonlinear_cell(phases, [J2, INCLUSION_2D], E, max_iter=1)


def test_line_search_and_affine_conditions_and_fields():
    phases = inclusion_cell(8)
    E = np.array([5e-3, -2e-3, 1e-3])
    periodic = solve_nonlinear_cell(phases, [J2, INCLUSION_2D], E, line_search=True, return_fields=True)
    affine = solve_nonlinear_cell(phases, [J2, INCLUSION_2D], E, boundary_condition="affine")
    # affine (KUBC) is stiffer than periodic in the energy sense (Huet 1990)
    assert E @ affine.mean_stress[0] >= E @ periodic.mean_stress[0]
    f = periodic.fields[0]
    np.testing.assert_allclose(f["strain"] @ f["weights"] / f["weights"].sum(), E, atol=1e-14)
    assert f["plastic_strain"].shape == (discretise_cell(phases).n_points, 6)
    with pytest.raises(InputError, match="boundary_condition"):
        solve_nonlinear_cell(phases, [J2, INCLUSION_2D], E, boundary_condition="traction")
    with pytest.raises(InputError, match="state"):
        solve_nonlinear_cell(phases, [J2, INCLUSION_2D], E, {"fluctuation": np.zeros((1, 3))})
    assert set(initial_cell_state(discretise_cell(phases), 2)) == {"fluctuation", "plastic_strain", "alpha"}
