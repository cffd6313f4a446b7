"""FFT cell solver (scalebridge.solvers.fft): validation against closed forms, tables and bounds."""

import numpy as np
import pytest

from scalebridge.core.errors import ConvergenceError, InputError
from scalebridge.solvers.cell import CellSolution
from scalebridge.solvers.fft import solve_conductivity, solve_elasticity
from scalebridge.solvers.fft_green import ProjectionOperator, RotatedGradient
from scalebridge.solvers.tensors import (cubic_stiffness, euler_to_rotation, isotropic_stiffness,
                                         rotate_stiffness)


def checkerboard(n):
    """2 x 2 checkerboard on an n x n grid (phase 1 in two opposite quadrants)."""
    half = np.arange(n) < n // 2
    return (half[:, None] ^ half[None, :]).astype(int)


def random_discs(n, fraction, radius, seed):
    """Periodic map of overlapping random discs (phase 1) covering about ``fraction`` of the cell."""
    rng = np.random.default_rng(seed)
    x = (np.arange(n) + 0.5) / n
    phases = np.zeros((n, n), dtype=int)
    while phases.mean() < fraction:
        c = rng.random(2)
        dx = (x[:, None] - c[0] + 0.5) % 1.0 - 0.5
        dy = (x[None, :] - c[1] + 0.5) % 1.0 - 0.5
        phases[dx**2 + dy**2 < radius**2] = 1
    return phases


def laminate_stiffness(stiffness, fractions, dim):
    """Exact stiffness of a laminate with layer normal e1 (Backus 1962; Milton 2002, ch. 9.2).

    Partition the Mandel components into t (those with an index 1: e11, e12[, e13]),
    continuous traction, and p (in-plane), continuous strain. Then
    C*_tt = <Ctt^-1>^-1, C*_tp = C*_tt <Ctt^-1 Ctp>,
    C*_pp = <Cpp - Cpt Ctt^-1 Ctp> + <Cpt Ctt^-1> C*_tt <Ctt^-1 Ctp>.
    """
    t = [0, 2] if dim == 2 else [0, 4, 5]
    p = [1] if dim == 2 else [1, 2, 3]
    f = np.asarray(fractions)[:, None, None]
    Ctt, Ctp = stiffness[:, t][:, :, t], stiffness[:, t][:, :, p]
    Cpt, Cpp = stiffness[:, p][:, :, t], stiffness[:, p][:, :, p]
    inv = np.linalg.inv(Ctt)
    Stt = np.linalg.inv(np.sum(f * inv, axis=0))
    A = np.sum(f * inv @ Ctp, axis=0)
    B = np.sum(f * Cpt @ inv, axis=0)
    out = np.zeros(stiffness.shape[1:])
    out[np.ix_(t, t)] = Stt
    out[np.ix_(t, p)] = Stt @ A
    out[np.ix_(p, t)] = B @ Stt
    out[np.ix_(p, p)] = np.sum(f * (Cpp - Cpt @ inv @ Ctp), axis=0) + B @ Stt @ A
    return out


def rayleigh_square_array(f, ratio):
    """k_eff / k_matrix of a square array of cylinders (conductivity ratio ``ratio``, area fraction f).

    Rayleigh's (1892) multipole method as truncated by Perrins, McKenzie & McPhedran,
    Proc. R. Soc. Lond. A 369, 207 (1979), their closed form for the square array:
    1 - 2f / (T + f - 0.305827 f^4 T / (T^2 - 1.402958 f^8) - 0.013362 f^8), T = (1+ratio)/(1-ratio);
    the neglected multipoles are O(f^10), far below 1e-4 for f <= 0.4.
    """
    T = (1.0 + ratio) / (1.0 - ratio)
    return 1.0 - 2.0 * f / (T + f - 0.305827 * f**4 * T / (T**2 - 1.402958 * f**8) - 0.013362 * f**8)


# ---------------------------------------------------------------- checkerboard (Keller/Dykhne)

@pytest.mark.parametrize("contrast", [10.0, 100.0])
@pytest.mark.parametrize("operator", ["spectral", "discrete"])
def test_checkerboard_refinement_converges_to_keller(operator, contrast):
    """2-D checkerboard: K = sqrt(s1 s2) exactly (Keller 1964, J. Math. Phys. 5, 548; Dykhne 1971).

    Both operators give an upper estimate (conforming trial fields) whose error decreases
    monotonically with resolution. The corner singularity (exponent ~0.13 at contrast
    100) makes convergence slow, so the 1 % level is reached at contrast 10 only
    (spectral: 0.26 % at 128^2, discrete: 0.06 %); at contrast 100 the error at 256^2 is
    16 % (spectral) / 11 % (discrete), see docs/fft_solver.md.
    """
    exact = np.sqrt(contrast)
    errors = []
    for n in (32, 64, 128, 256):
        sol = solve_conductivity(checkerboard(n), [1.0, contrast], [[1.0, 0.0]], operator=operator, tol=1e-10)
        errors.append(sol.mean_flux[0, 0] / exact - 1.0)
    errors = np.array(errors)
    assert np.all(errors > 0) and np.all(np.diff(errors) < 0), errors
    if contrast == 10.0:
        assert errors[2] < 0.01 and errors[3] < 0.005


def test_checkerboard_discrete_operator_within_1e4():
    """Discrete (rotated) operator, contrast 10: within 1e-4 of sqrt(s1 s2) at 512^2 (Keller 1964).

    Errors: 1.7e-3 (64^2), 5.7e-4 (128^2), 1.9e-4 (256^2), ~7e-5 (512^2): order ~1.5.
    """
    sol = solve_conductivity(checkerboard(512), [1.0, 10.0], [[1.0, 0.0]], operator="discrete", tol=1e-10)
    err = sol.mean_flux[0, 0] / np.sqrt(10.0) - 1.0
    assert 0 < err < 1e-4
    sol64 = solve_conductivity(checkerboard(64), [1.0, 10.0], operator="discrete", tol=1e-10)
    assert sol64.effective[0, 0] / np.sqrt(10.0) - 1.0 == pytest.approx(1.69e-3, rel=0.02)


# ---------------------------------------------------------------- laminates

@pytest.mark.parametrize("operator", ["spectral", "discrete"])
@pytest.mark.parametrize("scheme", ["cg", "basic"])
def test_conductivity_laminate_exact(operator, scheme):
    """Layers normal to x1: K11 = harmonic, K22 = K33 = arithmetic mean (Milton 2002, sec. 9.1)."""
    n = 30  # uneven layer fractions 7/30, 11/30, 12/30 and an even grid (Nyquist modes present)
    phases = np.zeros((n, 4, 6), dtype=int)
    phases[7:18] = 1
    phases[18:] = 2
    k = np.array([1.0, 20.0, 3.5])
    f = np.array([7, 11, 12]) / n
    sol = solve_conductivity(phases, k, operator=operator, scheme=scheme, tol=1e-12)
    expected = np.diag([1.0 / np.sum(f / k), np.sum(f * k), np.sum(f * k)])
    np.testing.assert_allclose(sol.effective, expected, rtol=1e-8, atol=1e-8 * k.max())
    assert sol.converged and np.all(sol.hill_mandel < 1e-8)


@pytest.mark.parametrize("dim", [2, 3])
@pytest.mark.parametrize("operator", ["spectral", "discrete"])
def test_elastic_laminate_exact(dim, operator):
    """Exact laminate stiffness (Backus 1962, J. Geophys. Res. 67, 4427; Milton 2002, ch. 9).

    In particular, in the 1-D strain state E = e1 (x) e1 the stress across the layers is
    the harmonic mean of the P-wave moduli M = lambda + 2 mu (uniform sigma_11).
    """
    n = 24
    shape = (n, 4) if dim == 2 else (n, 4, 4)
    phases = np.zeros(shape, dtype=int)
    phases[5:14] = 1
    phases[14:] = 2
    f = np.array([5, 9, 10]) / n
    C = isotropic_stiffness([10.0, 150.0, 40.0], [4.0, 90.0, 10.0], dim=dim)
    if dim == 3:  # one anisotropic (rotated cubic) layer exercises the general law
        C[2] = rotate_stiffness(cubic_stiffness(168.0, 121.0, 75.0), euler_to_rotation(0.3, 0.7, 1.1))
    sol = solve_elasticity(phases, C, operator=operator, tol=1e-12)
    expected = laminate_stiffness(C, f, dim)
    np.testing.assert_allclose(sol.effective, expected, rtol=1e-8, atol=1e-8 * np.abs(expected).max())
    if dim == 2:
        M = C[:, 0, 0]
        assert sol.effective[0, 0] == pytest.approx(1.0 / np.sum(f / M), rel=1e-10)


# ---------------------------------------------------------------- cylinders and bounds

@pytest.mark.parametrize("fraction", [0.2, 0.4])
def test_square_array_of_cylinders_rayleigh_pmm(fraction):
    """Square array of cylinders, ratio 10: within 0.5 % of Perrins, McKenzie & McPhedran (1979).

    Reference: the Rayleigh (1892) formula with the Perrins–McKenzie–McPhedran higher-order
    corrections (Proc. R. Soc. Lond. A 369, 207, square array), evaluated at the
    voxelised area fraction; the PMM tables themselves could not be retrieved here.
    """
    n = 256
    x = (np.arange(n) + 0.5) / n - 0.5
    radius = np.sqrt(fraction / np.pi)
    phases = ((x[:, None] ** 2 + x[None, :] ** 2) < radius**2).astype(int)
    sol = solve_conductivity(phases, [1.0, 10.0], [[1.0, 0.0]], operator="discrete", tol=1e-10)
    reference = rayleigh_square_array(phases.mean(), 10.0)
    assert sol.mean_flux[0, 0] == pytest.approx(reference, rel=5e-3)


def test_random_discs_inside_hashin_shtrikman():
    """Random overlapping discs lie inside the Hashin–Shtrikman bounds.

    Hashin & Shtrikman (1962, J. Appl. Phys. 33, 3125) in 2-D; for a possibly anisotropic
    K the trace form of Murat–Tartar / Lurie–Cherkaev (Milton 2002, eqs. 23.37-23.38):
    tr[(K - k1 I)^-1] <= d/(f2 (k2-k1)) + f1/(f2 k1),  tr[(k2 I - K)^-1] <= d/(f1 (k2-k1)) - f2/(f1 k2).
    """
    k1, k2, d = 1.0, 20.0, 2
    for seed, fraction in ((1, 0.3), (2, 0.55)):
        phases = random_discs(96, fraction, 0.08, seed)
        f2 = phases.mean()
        f1 = 1.0 - f2
        sol = solve_conductivity(phases, [k1, k2])
        K = sol.effective
        lower = np.trace(np.linalg.inv(K - k1 * np.eye(d)))
        upper = np.trace(np.linalg.inv(k2 * np.eye(d) - K))
        assert lower <= d / (f2 * (k2 - k1)) + f1 / (f2 * k1)
        assert upper <= d / (f1 * (k2 - k1)) - f2 / (f1 * k2)
        hs_low = k1 + f2 / (1 / (k2 - k1) + f1 / (d * k1))
        hs_up = k2 + f1 / (1 / (k1 - k2) + f2 / (d * k2))
        assert np.all((np.linalg.eigvalsh(K) > hs_low * 0.98) & (np.linalg.eigvalsh(K) < hs_up))
        assert np.all(sol.hill_mandel < 1e-8)


# ---------------------------------------------------------------- consistency

def test_homogeneous_material_returns_phase_tensor():
    """A homogeneous (single-phase) cell returns its own tensor exactly, for any scheme."""
    C = isotropic_stiffness(70.0, 26.0, dim=3)
    phases = np.zeros((6, 8, 4), dtype=int)
    for scheme in ("cg", "basic"):
        sol = solve_elasticity(phases, C[None], scheme=scheme)
        np.testing.assert_allclose(sol.effective, C, rtol=1e-13, atol=1e-12)
        assert np.all(sol.iterations == 0)
    K = np.array([[[2.0, 0.5], [0.5, 1.0]]])
    sol = solve_conductivity(np.zeros((8, 8), dtype=int), K, operator="spectral")
    np.testing.assert_allclose(sol.effective, K[0], rtol=1e-13)


def test_symmetry_hill_mandel_and_load_batching():
    """Effective tensor symmetric; Hill–Mandel residual < 1e-8; batched loads == one at a time."""
    rng = np.random.default_rng(3)
    phases = rng.integers(0, 3, (12, 10, 8))
    rot = euler_to_rotation(rng.random(3) * 6, rng.random(3) * 3, rng.random(3) * 6)
    C = rotate_stiffness(np.broadcast_to(cubic_stiffness(168.0, 121.0, 75.0), (3, 6, 6)), rot)
    sol = solve_elasticity(phases, C, tol=1e-10)
    assert isinstance(sol, CellSolution) and sol.boundary_condition == "periodic"
    np.testing.assert_allclose(sol.effective, sol.effective.T, atol=1e-8 * np.abs(sol.effective).max())
    assert np.all(sol.hill_mandel < 1e-8)
    single = np.array([solve_elasticity(phases, C, e[None], tol=1e-10).mean_flux[0] for e in np.eye(6)])
    np.testing.assert_allclose(single, sol.mean_flux, rtol=1e-12, atol=1e-12 * np.abs(single).max())
    np.testing.assert_array_equal(sol.iterations, [solve_elasticity(phases, C, e[None], tol=1e-10).iterations[0]
                                                   for e in np.eye(6)])


def test_cg_and_basic_agree_and_cg_iterations_scale_with_sqrt_contrast():
    """Both schemes solve the same discrete problem; CG needs ~sqrt(contrast) iterations
    independent of resolution (Zeman et al. 2010); the basic scheme (Moulinec & Suquet 1998) needs
    many more (worst case ~contrast)."""
    phases = random_discs(64, 0.4, 0.1, 7)
    its = {}
    for contrast in (10.0, 100.0):
        cg = solve_conductivity(phases, [1.0, contrast], [[1.0, 0.0]], tol=1e-8)
        basic = solve_conductivity(phases, [1.0, contrast], [[1.0, 0.0]], scheme="basic", tol=1e-8, max_iter=5000)
        assert cg.mean_flux[0, 0] == pytest.approx(basic.mean_flux[0, 0], rel=1e-6)
        its[contrast] = (cg.iterations[0], basic.iterations[0])
    # here (cg, basic) = (22, 50) at contrast 10 and (31, 113) at contrast 100
    assert its[100.0][0] < 2 * its[10.0][0] and its[100.0][1] > 3 * its[100.0][0]
    fine = solve_conductivity(np.repeat(np.repeat(phases, 2, 0), 2, 1), [1.0, 100.0], [[1.0, 0.0]], tol=1e-8)
    assert fine.iterations[0] <= 1.3 * its[100.0][0]


def test_fields_returned_with_expected_shapes_and_means():
    phases = random_discs(32, 0.3, 0.15, 0)
    sol = solve_elasticity(phases, isotropic_stiffness([10.0, 50.0], [5.0, 30.0], dim=2), return_fields=True)
    eps, sig = sol.fields["strain"], sol.fields["stress"]
    assert eps.shape == sig.shape == (3, 3, 32, 32)
    np.testing.assert_allclose(eps.mean(axis=(2, 3)), np.eye(3), atol=1e-12)
    np.testing.assert_allclose(sig.mean(axis=(2, 3)), sol.mean_flux)
    sol = solve_conductivity(phases, [1.0, 5.0], return_fields=True, operator="spectral")
    assert set(sol.fields) == {"gradient", "flux"} and sol.fields["flux"].shape == (2, 2, 32, 32)


def test_odd_grid_supported():
    phases = random_discs(33, 0.3, 0.15, 0)
    for operator in ("spectral", "discrete"):
        sol = solve_conductivity(phases, [1.0, 5.0], operator=operator)
        assert sol.converged and sol.hill_mandel.max() < 1e-8


# ---------------------------------------------------------------- potential formulation

@pytest.mark.parametrize("shape", [(6, 5), (8, 4, 6), (5, 7, 3), (4, 1, 6)])
def test_rotated_stencil_is_adjoint_and_reproduces_discrete_projection(shape):
    """Real-space rotated gradient D (Willot 2015, C. R. Mecanique 343, 232): equals the
    np.roll definition, <q, D phi> = <D^T q, phi>, and D (D^T D)^+ D^T is the Fourier
    projection G of the "discrete" operator (odd, even and length-1 axes)."""
    import scipy.fft as sfft
    d, L, N = len(shape), 2, int(np.prod(shape))
    op = RotatedGradient(shape)
    rng = np.random.default_rng(0)
    phi, q = rng.random((L, N)), rng.random((L, d, N))
    grad, scratch, div = np.empty((L, d, N)), np.empty((L, N)), np.empty((L, N))
    op.gradient(phi, grad, scratch)
    ref = []
    for j in range(d):
        t = phi.reshape((L,) + shape)
        for ell in range(d):
            if ell != j:
                t = t + np.roll(t, -1, axis=1 + ell)
        ref.append(np.roll(t, -1, axis=1 + j) - t)
    np.testing.assert_allclose(grad, np.stack(ref, 1).reshape(L, d, N), rtol=0, atol=1e-14)
    op.divergence(q.copy(), div, scratch)
    assert np.sum(q * grad) == pytest.approx(np.sum(div * phi), rel=1e-13)
    axes = tuple(range(1, d + 1))
    spec = sfft.rfftn(div.reshape((L,) + shape), axes=axes)
    spec.view(np.float64)[...] *= op.inverse_laplacian
    z = sfft.irfftn(spec, s=shape, axes=axes).reshape(L, N)
    op.gradient(z, grad, scratch)
    spec = sfft.rfftn(q.reshape((L, d) + shape), axes=tuple(a + 1 for a in axes))
    ProjectionOperator(shape, "discrete", "conductivity").apply(spec)
    Gq = sfft.irfftn(spec, s=shape, axes=tuple(a + 1 for a in axes)).reshape(L, d, N)
    np.testing.assert_allclose(grad, Gq, rtol=0, atol=1e-13)


@pytest.mark.parametrize("shape, anisotropic", [((33, 30), False), ((32, 32), True), ((15, 16, 9), False),
                                                ((12, 10, 14), True)])
def test_potential_formulation_reproduces_gradient_formulation(shape, anisotropic):
    """The potential (displacement-based, cf. Lucarini & Segurado 2019, Int. J. Eng. Sci. 144, 103131;
    Schneider 2021, Acta Mech. 232, 2051) PCG with the reference Laplacian preconditioner has the same iterates as the
    Fourier-Galerkin CG on the discrete projection (Zeman et al. 2010): same effective
    tensor, fields, iteration counts and Hill-Mandel residual, scalar and tensor phases."""
    rng = np.random.default_rng(4)
    d = len(shape)
    phases = rng.integers(0, 3, shape)
    if anisotropic:
        A = rng.random((3, d, d))
        k = A @ A.transpose(0, 2, 1) + 0.3 * np.eye(d)
    else:
        k = np.array([1.0, 10.0, 3.0])
    ref = solve_conductivity(phases, k, tol=1e-10, formulation="gradient", return_fields=True)
    sol = solve_conductivity(phases, k, tol=1e-10, return_fields=True)
    assert sol.info["formulation"] == "potential" and ref.info["formulation"] == "gradient"
    np.testing.assert_allclose(sol.effective, ref.effective, rtol=1e-8, atol=1e-8 * np.abs(ref.effective).max())
    for name in ("gradient", "flux"):
        np.testing.assert_allclose(sol.fields[name], ref.fields[name], rtol=0,
                                   atol=1e-8 * np.abs(ref.fields[name]).max())
    assert np.all(np.abs(sol.iterations - ref.iterations) <= 1) and np.all(sol.hill_mandel < 1e-12)


# ---------------------------------------------------------------- errors

@pytest.mark.parametrize("kwargs, match", [
    (dict(phases=np.zeros(8, int)), "2-D or 3-D"),
    (dict(phases=np.zeros((2, 2, 2, 2), int)), "2-D or 3-D"),
    (dict(phases=np.zeros((4, 4))), "integer"),
    (dict(phases=np.full((4, 4), 2)), "phase map uses ids"),
    (dict(phases=np.full((4, 4), -1)), ">= 0"),
    (dict(conductivity=[1.0, -2.0]), "positive"),
    (dict(conductivity=np.ones((2, 3, 3))), "expected"),
    (dict(conductivity=np.array([[[1.0, 2.0], [2.0, 1.0]]] * 2)), "positive definite"),
    (dict(conductivity=np.array([[[1.0, 0.1], [0.0, 1.0]]] * 2)), "symmetric"),
    (dict(gradients=np.ones((2, 3))), "n_loads, 2"),
    (dict(operator="fourier"), "operator"),
    (dict(scheme="gmres"), "scheme"),
    (dict(tol=0.0), "tol"),
    (dict(max_iter=0), "max_iter"),
    (dict(formulation="displacement"), "formulation"),
    (dict(formulation="potential", operator="spectral"), "formulation"),
    (dict(formulation="potential", scheme="basic"), "formulation"),
])
def test_conductivity_input_errors(kwargs, match):
    args = dict(phases=np.eye(4, dtype=int), conductivity=[1.0, 2.0])
    args.update(kwargs)
    with pytest.raises(InputError, match=match):
        solve_conductivity(**args)


def test_elasticity_input_errors():
    C2 = isotropic_stiffness([1.0, 2.0], [1.0, 1.0], dim=2)
    with pytest.raises(InputError, match=r"\(P, 6, 6\)"):
        solve_elasticity(np.zeros((4, 4, 4), int), C2)
    bad = C2.copy()
    bad[1] = -bad[1]
    with pytest.raises(InputError, match="positive definite"):
        solve_elasticity(np.eye(4, dtype=int), bad)
    with pytest.raises(InputError, match="n_loads, 3"):
        solve_elasticity(np.eye(4, dtype=int), C2, np.ones((1, 2)))


def test_nonconvergence_raises_unless_disabled():
    phases = random_discs(32, 0.4, 0.12, 1)
    with pytest.raises(ConvergenceError, match="raise_on_nonconvergence"):
        solve_conductivity(phases, [1.0, 1e4], scheme="basic", max_iter=5)
    sol = solve_conductivity(phases, [1.0, 1e4], scheme="basic", max_iter=5, raise_on_nonconvergence=False)
    assert not sol.converged and np.all(sol.iterations == 5) and np.all(sol.residual > 1e-8)
