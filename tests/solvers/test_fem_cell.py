"""Finite-element cell solver: patch tests, laminates, ordering of the three boundary conditions,
Hill–Mandel consistency, conforming vs voxel inclusion meshes, and the constraint matrices."""

import numpy as np
import pytest
import skfem

from scalebridge.core.errors import InputError
from scalebridge.solvers.fem import (BOUNDARY_CONDITIONS, affine_lift, circular_inclusion_mesh, condensation_matrix,
                                     element_volumes, mean_gradient_constraint, periodic_condensation,
                                     periodic_node_map, solve_conductivity_fe, solve_elasticity_fe, voxel_mesh)
from scalebridge.solvers.tensors import isotropic_stiffness, mandel_size

K_ANISO = {2: np.array([[2.0, 0.5], [0.5, 1.0]]), 3: np.array([[2.0, 0.5, 0.1], [0.5, 1.0, 0.2], [0.1, 0.2, 1.5]])}


def _random_map(shape, seed=0, fraction=0.4):
    return (np.random.default_rng(seed).random(shape) < fraction).astype(int)


def _stiffness(dim, contrast=10.0):
    return isotropic_stiffness([1.0, contrast], [0.5, 0.5 * contrast], dim=dim)


@pytest.mark.parametrize("bc", BOUNDARY_CONDITIONS)
@pytest.mark.parametrize("shape", [(5, 4), (3, 3, 2)], ids=["2d", "3d"])
def test_patch_test_homogeneous_cell_returns_the_phase_tensor(bc, shape):
    """Patch test (Irons & Razzaque 1972; Zienkiewicz & Taylor, The FEM vol. 1, ch. 10): a homogeneous
    cell under any of the three conditions carries the affine field exactly, so the apparent tensor
    is the phase tensor and the fields are uniform."""
    d = len(shape)
    phases = np.zeros(shape, dtype=int)
    sol = solve_conductivity_fe(phases, K_ANISO[d][None], boundary_condition=bc, return_fields=True)
    assert sol.boundary_condition == bc and sol.problem == "conductivity"
    assert np.max(np.abs(sol.effective - K_ANISO[d])) < 1e-10
    assert np.max(np.ptp(sol.fields["gradient"], axis=-1)) < 1e-10
    assert np.max(np.ptp(sol.fields["flux"], axis=-1)) < 1e-10
    C = _stiffness(d)[:1]
    sol = solve_elasticity_fe(phases, C, boundary_condition=bc, return_fields=True)
    assert np.max(np.abs(sol.effective - C[0])) < 1e-10 * np.max(C)
    assert np.max(np.ptp(sol.fields["strain"], axis=-1)) < 1e-10
    assert np.all(sol.iterations == 0) and sol.converged


def test_laminate_periodic_gives_arithmetic_and_harmonic_means():
    """Layers normal to x (Voigt 1889 / Reuss 1929 for laminates; e.g. Milton, The Theory of Composites,
    2002, sec. 9.1): K_xx is the harmonic and K_yy the arithmetic mean, exact for elements aligned
    with the layers."""
    k = np.array([1.0, 7.0, 0.3])
    layers = np.array([0, 1, 1, 2, 0, 2, 1, 0])
    phases = np.repeat(layers[:, None], 5, axis=1)
    frac = np.bincount(layers, minlength=3) / layers.size
    sol = solve_conductivity_fe(phases, k)
    assert sol.effective[0, 0] == pytest.approx(1.0 / np.sum(frac / k), rel=1e-8)
    assert sol.effective[1, 1] == pytest.approx(np.sum(frac * k), rel=1e-8)
    assert abs(sol.effective[0, 1]) < 1e-10


def _assert_ordered(lower, upper, scale):
    gap = np.linalg.eigvalsh(0.5 * (upper - lower + (upper - lower).T))
    assert gap.min() > -1e-10 * scale, gap
    return gap


@pytest.mark.parametrize("shape", [(16, 16), (5, 5, 5)], ids=["2d", "3d"])
def test_ordering_traction_periodic_affine(shape):
    """Huet 1990 (J. Mech. Phys. Solids 38, 813) and Hazanov & Huet 1994 (J. Mech. Phys. Solids 42,
    1995): K_traction <= K_periodic <= K_affine as quadratic forms; in the discrete setting the
    admissible spaces are nested, so the inequalities hold to round-off, with a visible gap for a
    random two-phase map of contrast 10."""
    phases = _random_map(shape, seed=3)
    d = len(shape)
    cond = {bc: solve_conductivity_fe(phases, [1.0, 10.0], boundary_condition=bc).effective
            for bc in BOUNDARY_CONDITIONS}
    assert _assert_ordered(cond["traction"], cond["periodic"], 10.0).min() > 1e-3
    assert _assert_ordered(cond["periodic"], cond["affine"], 10.0).min() > 1e-3
    C = _stiffness(d)
    stiff = {bc: solve_elasticity_fe(phases, C, boundary_condition=bc).effective for bc in BOUNDARY_CONDITIONS}
    assert _assert_ordered(stiff["traction"], stiff["periodic"], C.max()).min() > 1e-3
    assert _assert_ordered(stiff["periodic"], stiff["affine"], C.max()).min() > 1e-3
    for tensor in (*cond.values(), *stiff.values()):
        np.testing.assert_allclose(tensor, tensor.T, atol=1e-10 * np.abs(tensor).max())


@pytest.mark.parametrize("bc", BOUNDARY_CONDITIONS)
@pytest.mark.parametrize("shape", [(12, 10), (4, 4, 4)], ids=["2d", "3d"])
def test_hill_mandel_and_mean_gradient(bc, shape):
    """Hill 1963 (J. Mech. Phys. Solids 11, 357): <q.g> = <q>.<g> for periodic, affine and uniform
    traction conditions; computed from quadrature-point fields; the mean gradient is the imposed one."""
    d = len(shape)
    phases = _random_map(shape, seed=1)
    rng = np.random.default_rng(2)
    gradients = rng.normal(size=(2, d))
    strains = rng.normal(size=(2, mandel_size(d)))
    for solve, props, loads in ((solve_conductivity_fe, [1.0, 20.0], gradients),
                                (solve_elasticity_fe, _stiffness(d, 20.0), strains)):
        sol = solve(phases, props, loads, boundary_condition=bc, return_fields=True)
        assert np.max(sol.hill_mandel) < 1e-8
        assert np.max(sol.residual) < 1e-10
        np.testing.assert_allclose(sol.info["mean_gradient"], loads, atol=1e-12)
        w = sol.fields["weights"]
        assert w.sum() == pytest.approx(1.0, rel=1e-12)
        np.testing.assert_allclose(sol.fields["flux"] @ w, sol.mean_flux, atol=1e-12)


def _rayleigh_square_array(f, contrast):
    """Rayleigh 1892 (Phil. Mag. 34, 481) for a square array of cylinders, with the f^4 coefficient
    0.305827 of Perrins, McKenzie & McPhedran 1979 (Proc. R. Soc. A 369, 207)."""
    beta = (contrast - 1.0) / (contrast + 1.0)
    return 1.0 + 2.0 * f * beta / (1.0 - f * beta - 0.305827 * beta ** 2 * f ** 4)


def test_circular_inclusion_conforming_and_voxel_meshes_converge_to_rayleigh():
    """A centred cylinder (R = 0.15, f ~ 0.07, contrast 10) in a periodic square cell. The conforming
    triangle mesh converges at second order to the Rayleigh/Maxwell value evaluated at the mesh's own
    volume fraction (within 0.05 % at n = 64); the voxel mesh of the same inclusion (staircase
    boundary, first-order in h) agrees with it within 0.3 % at n = 128."""
    k = np.array([1.0, 10.0])
    errors = []
    for n in (32, 64):
        mesh, phases = circular_inclusion_mesh(n, 0.15)
        assert isinstance(mesh, skfem.MeshTri1)
        f = element_volumes(mesh)[phases == 1].sum()
        sol = solve_conductivity_fe(None, k, mesh=(mesh, phases))
        errors.append(abs(sol.effective[0, 0] / _rayleigh_square_array(f, 10.0) - 1.0))
        assert abs(sol.effective[0, 0] / sol.effective[1, 1] - 1.0) < 1e-3   # square symmetry
    assert errors[1] < 5e-4 and errors[1] < errors[0] / 2.5
    n = 128
    x = (np.arange(n) + 0.5) / n
    voxels = ((x[:, None] - 0.5) ** 2 + (x[None, :] - 0.5) ** 2 < 0.15 ** 2).astype(int)
    k_voxel = solve_conductivity_fe(voxels, k).effective[0, 0]
    assert k_voxel == pytest.approx(sol.effective[0, 0], rel=3e-3)
    assert k_voxel == pytest.approx(_rayleigh_square_array(np.pi * 0.15 ** 2, 10.0), rel=3e-3)


def test_periodic_condensation_reproduces_periodic_fields():
    """The periodic condensation makes paired boundary nodes share one unknown: the fluctuation of
    the solved cell is equal on every node and its periodic image (corners included)."""
    phases = _random_map((6, 5), seed=4)
    mesh, _ = voxel_mesh(phases)
    image = periodic_node_map(mesh.p)
    on_upper_face = np.any(np.isclose(mesh.p, 1.0), axis=0)
    assert np.all(image[~on_upper_face] == np.flatnonzero(~on_upper_face))
    assert np.all(image[on_upper_face] != np.flatnonzero(on_upper_face))
    assert image[np.argmax(mesh.p.sum(axis=0))] == np.argmin(mesh.p.sum(axis=0))   # corner (1,1) -> (0,0)
    sol = solve_elasticity_fe(phases, _stiffness(2), return_fields=True)
    w = sol.fields["fluctuation"].reshape(3, -1, 2)            # interleaved (u_x, u_y) per node
    np.testing.assert_allclose(w[:, image], w, atol=1e-14)
    basis = skfem.Basis(mesh, skfem.ElementQuad1())
    P = periodic_condensation(basis, fixed_node=0)
    assert P.shape == (basis.N, 6 * 5 - 1)
    z = np.random.default_rng(0).normal(size=P.shape[1])
    np.testing.assert_array_equal((P @ z)[image], P @ z)
    with pytest.raises(InputError, match="periodic partner"):
        periodic_node_map(np.hstack([mesh.p, [[1.0], [0.55]]]))   # a node on x = 1 without an image on x = 0


def test_periodic_node_map_on_a_triangle_mesh():
    """The mapped inclusion mesh keeps its boundary nodes, so opposite faces match node for node."""
    mesh, _ = circular_inclusion_mesh(8, 0.2)
    image = periodic_node_map(mesh.p)
    shift = mesh.p[:, image] - mesh.p
    assert set(np.unique(np.round(shift, 12))) <= {-1.0, 0.0}
    assert np.count_nonzero(np.any(shift != 0, axis=0)) == 2 * 8 + 1


def test_traction_multipliers_enforce_the_mean_gradient_exactly():
    """Minimal kinematic condition (Mesarovic & Padbidri 2005, Phil. Mag. 85, 65): G u = E holds to
    round-off, and the multiplier is the uniform boundary traction, equal to the mean flux (stress)."""
    phases = _random_map((10, 8), seed=5)
    mesh, _ = voxel_mesh(phases)
    for element in (skfem.ElementQuad1(), skfem.ElementVector(skfem.ElementQuad1())):
        basis = skfem.Basis(mesh, element)
        G = mean_gradient_constraint(basis)
        E = np.random.default_rng(1).normal(size=(3,) + ((2, 2) if G.shape[0] == 4 else (2,)))
        np.testing.assert_allclose(G @ affine_lift(basis, E), E.reshape(3, -1).T, atol=1e-14)
    for solve, props in ((solve_conductivity_fe, [1.0, 10.0]), (solve_elasticity_fe, _stiffness(2))):
        sol = solve(phases, props, boundary_condition="traction", return_fields=True)
        np.testing.assert_allclose(sol.info["mean_gradient"], sol.loads, atol=1e-13)
        np.testing.assert_allclose(sol.info["multiplier_flux"], sol.mean_flux, atol=1e-10)
    # traction is softer than periodic: the boundary fluctuation is not periodic
    w = sol.fields["fluctuation"].reshape(3, -1, 2)
    assert np.max(np.abs(w[:, periodic_node_map(mesh.p)] - w)) > 1e-3


def test_condensation_matrix_and_affine_lift():
    P = condensation_matrix(5, np.array([0, 1, 0, 3, 1]), fixed=[3])
    np.testing.assert_array_equal(P.toarray(), [[1, 0], [0, 1], [1, 0], [0, 0], [0, 1]])
    with pytest.raises(InputError):
        condensation_matrix(3, np.array([1, 2, 0]))
    mesh, _ = voxel_mesh(np.zeros((2, 2), dtype=int))
    basis = skfem.Basis(mesh, skfem.ElementQuad1())
    lift = affine_lift(basis, [[2.0, -1.0]])
    np.testing.assert_allclose(lift[:, 0], 2.0 * mesh.p[0] - mesh.p[1])
    with pytest.raises(InputError):
        affine_lift(basis, np.ones((1, 3)))


def test_inputs_are_validated():
    phases = np.zeros((3, 3), dtype=int)
    with pytest.raises(InputError, match="boundary_condition"):
        solve_conductivity_fe(phases, [1.0], boundary_condition="mixed")
    with pytest.raises(InputError, match="phase id"):
        solve_conductivity_fe(phases + 1, [1.0])
    with pytest.raises(InputError, match="positive definite"):
        solve_conductivity_fe(phases, [-1.0])
    with pytest.raises(InputError, match="integer"):
        solve_conductivity_fe(phases + 0.5, [1.0])
    with pytest.raises(InputError, match="shape"):
        solve_elasticity_fe(phases, _stiffness(3))
    with pytest.raises(InputError, match="strains"):
        solve_elasticity_fe(phases, _stiffness(2), np.ones((2, 6)))
    with pytest.raises(InputError, match="mesh"):
        solve_conductivity_fe(None, [1.0], mesh=skfem.MeshTri())
    with pytest.raises(InputError, match="elements"):
        solve_conductivity_fe(None, [1.0], mesh=(skfem.MeshTri(), np.zeros(5, dtype=int)))
    with pytest.raises(InputError, match="MeshTri2|linear"):
        solve_conductivity_fe(None, [1.0], mesh=(skfem.MeshTri2(), np.zeros(2, dtype=int)))
