r"""Validation of the FE heterogeneous multiscale method (:mod:`scalebridge.coupling.hmm`).

References: E & Engquist (2003), Comm. Math. Sci. 1, 87; Abdulle (2005), Multiscale
Model. Simul. 4, 447 (a priori estimate :math:`\|u^0 - u_H\|_{L^2} \le C(H^2 + (h/\varepsilon)^2 + \varepsilon)`);
Abdulle, E, Engquist & Vanden-Eijnden (2012), Acta Numerica 21, 1; 1-D homogenisation
(harmonic mean): Bensoussan, Lions & Papanicolaou (1978), *Asymptotic Analysis for
Periodic Structures*, ch. 1.

Measured (2 cores, scikit-fem 12; reproduced by the tests below):

1-D, :math:`a(x, y) = 1/(2 + \sin 2\pi y)`, exact :math:`A^0 = 1/2` (harmonic mean):

=========  ==========================
n_micro    :math:`|A^0_{HMM} - 1/2|`
=========  ==========================
8          3.40e-3
16         8.58e-4
32         2.15e-4
64         5.38e-5   (order 2 in h/eps)
=========  ==========================

1-D, :math:`a = (1 + x)/(2 + \sin 2\pi y)`, f = 1, u(0) = u(1) = 0, exact homogenised
:math:`u^0 = 2\ln(1+x)/\ln 2 - 2x` (:math:`a^0 = (1+x)/2`); eps = 1e-4, n_micro = 64:

===  ==================================  ======  =============
N    :math:`\|u_H - u^0\|/\|u^0\|`       rate    micro solves
===  ==================================  ======  =============
4    7.40e-2                                     8
8    1.88e-2                             1.98    16
16   4.78e-3                             1.98    32
32   1.26e-3                             1.92    64
===  ==================================  ======  =============

DNS (64 P1 elements per period) to :math:`u^0`: eps = 1/4: 7.51e-2, 1/8: 3.92e-2,
1/16: 1.99e-2, 1/32: 9.99e-3, 1/64: 5.00e-3 (order 1 in eps).

2-D, unit square, Q1, :math:`a = (1 + \tfrac12\sin 2\pi x_1)/(2 + \cos 2\pi y_1\cos 2\pi y_2)`,
f = 1, u = 0; DNS on a 16/eps x 16/eps Q1 mesh (16 elements per period), HMM n_micro = 16,
2x2 Gauss points per macro element (micro solves = 4 N^2: 64, 256, 1024; HMM 0.1, 0.5,
1.6 s; DNS 0.03, 0.12, 0.65 s). Relative L2 difference :math:`\|I_H u^\varepsilon - u_H\|/\|I_H u^\varepsilon\|`
on the macro mesh:

==========  ==========  ==========  ==========
eps         H = 1/4     H = 1/8     H = 1/16
==========  ==========  ==========  ==========
1/4         5.70e-2     1.77e-2     2.22e-2 (H < eps: no scale separation)
1/8         5.79e-2     1.30e-2     4.52e-3
1/16        5.82e-2     1.28e-2     3.20e-3
==========  ==========  ==========  ==========

At H = 1/4 the macro discretisation error dominates (flat in eps); where
:math:`H \ge \varepsilon` the difference falls with both eps and H (order ~2 in H at eps = 1/16).
Mean of u: DNS 0.07116 / 0.07126 / 0.07128; HMM (H = 1/16) 0.07138 / 0.07097 / 0.07086.
"""

import numpy as np
import pytest
import skfem

from scalebridge.core.errors import InputError
from scalebridge.coupling.hmm import dns_solve, hmm_solve, macro_difference, micro_effective_tensors
from scalebridge.solvers.fem import solve_conductivity_fe


def a_periodic(x, y):
    return 1.0 / (2.0 + np.sin(2 * np.pi * y[:, 0]))


def a_slow(x, y):
    return (1.0 + x[:, 0]) / (2.0 + np.sin(2 * np.pi * y[:, 0]))


def a_2d(x, y):
    return (1.0 + 0.5 * np.sin(2 * np.pi * x[:, 0])) / (2.0 + np.cos(2 * np.pi * y[:, 0]) * np.cos(2 * np.pi * y[:, 1]))


def u0_slow(x):
    """Exact homogenised solution of -((1+x)/2 u')' = 1, u(0) = u(1) = 0."""
    return 2.0 * np.log1p(x) / np.log(2.0) - 2.0 * x


def line(n):
    return skfem.MeshLine(np.linspace(0.0, 1.0, n + 1))


def square(n):
    return skfem.MeshQuad.init_tensor(*[np.linspace(0.0, 1.0, n + 1)] * 2)


def relative_l2_to_u0(basis, u):
    fine = skfem.Basis(basis.mesh, basis.elem, intorder=8)
    x = np.asarray(fine.global_coordinates())[0]
    exact = u0_slow(x)
    return np.sqrt(np.sum(fine.dx * (np.asarray(fine.interpolate(u)) - exact) ** 2) / np.sum(fine.dx * exact**2))


def test_1d_micro_problem_gives_harmonic_mean_to_second_order():
    """A0 = <1/a>^{-1} = 1/2 (Bensoussan, Lions & Papanicolaou 1978), error O((h/eps)^2)."""
    errors = []
    for n in (8, 16, 32, 64):
        A0, info = micro_effective_tensors(a_periodic, np.array([[0.3], [0.7]]), 1e-3, n_micro=n)
        assert A0.shape == (2, 1, 1) and info["micro_dofs"] == n - 1
        errors.append(np.abs(A0[:, 0, 0] - 0.5).max())
    rates = np.log2(np.array(errors[:-1]) / errors[1:])
    assert errors[-1] < 1e-4
    assert np.all(rates > 1.9), rates
    # not the arithmetic mean 1/sqrt(3): the numerical cell problem sees the laminate in series
    assert abs(A0[0, 0, 0] - 1 / np.sqrt(3)) > 0.07


def test_1d_slow_variation_is_sampled_not_frozen():
    """A0(x_q) = (1 + x_q)/2 for a(x, y) = (1+x)/(2 + sin 2 pi y) (Abdulle 2005, sec. 2)."""
    x = np.array([[0.1], [0.5], [0.9]])
    A0, _ = micro_effective_tensors(a_slow, x, 1e-5, n_micro=64)
    np.testing.assert_allclose(A0[:, 0, 0], (1 + x[:, 0]) / 2, rtol=3e-4)


def test_1d_hmm_converges_to_homogenised_solution_at_order_two():
    """||u_H - u0||_L2 = O(H^2) for P1 (Abdulle 2005, Thm. 1.1); numbers in the module docstring."""
    errors = []
    for n in (4, 8, 16, 32):
        sol = hmm_solve(a_slow, 1e-4, line(n), n_micro=64)
        assert sol.micro_solves == 2 * n and sol.A0.shape == (2 * n, 1, 1)
        errors.append(relative_l2_to_u0(sol.basis, sol.u))
    rates = np.log2(np.array(errors[:-1]) / errors[1:])
    assert errors[0] == pytest.approx(7.40e-2, rel=0.02)
    assert np.all(rates > 1.85), (errors, rates)
    assert set(sol.timings) >= {"micro_assembly", "micro_solve", "macro_assembly", "macro_solve", "total"}


def test_1d_dns_converges_to_the_same_limit_as_eps_goes_to_zero():
    """||u_eps - u0|| = O(eps) (homogenisation) and HMM - DNS -> 0 with eps."""
    dns_errors, differences = [], []
    hmm_errors = []
    for eps in (1 / 8, 1 / 16, 1 / 32, 1 / 64):
        dns = dns_solve(a_slow, eps, line(int(round(64 / eps))))
        hmm = hmm_solve(a_slow, eps, line(32), n_micro=32)
        dns_errors.append(relative_l2_to_u0(dns.basis, dns.u))
        hmm_errors.append(relative_l2_to_u0(hmm.basis, hmm.u))
        differences.append(macro_difference(hmm, dns)["l2"])
    rates = np.log2(np.array(dns_errors[:-1]) / dns_errors[1:])
    assert np.all(np.abs(rates - 1) < 0.1), rates
    assert max(hmm_errors) < 2.5e-3            # HMM sits at u0 up to H^2 + (h/eps)^2 + eps-sampling effects
    assert np.all(np.diff(differences) < 0) and differences[-1] < 1e-3, differences


def test_2d_micro_solver_matches_fe_cell_solver_on_a_checkerboard():
    """Same Q1 discretisation and periodic conditions as solvers.fem.cell: identical tensors."""
    def checkerboard(x, y):
        return np.where((np.floor(2 * y[:, 0]) + np.floor(2 * y[:, 1])) % 2 == 0, 1.0, 10.0)

    eps = 0.1
    A0, _ = micro_effective_tensors(checkerboard, np.array([[eps / 2, eps / 2]]), eps, n_micro=16)
    phases = (np.arange(16)[:, None] // 8 + np.arange(16)[None, :] // 8) % 2
    reference = solve_conductivity_fe(phases, [1.0, 10.0]).effective
    np.testing.assert_allclose(A0[0], reference, rtol=1e-10, atol=1e-12)


def test_2d_tensor_coefficient_and_symmetry():
    """Tensor-valued a(x, y): A0 symmetric; a laminate in y1 gives harmonic/arithmetic means."""
    def laminate(x, y):
        k = 1.0 + 9.0 * (np.sin(np.pi * y[:, 0]) ** 2)
        return k[:, None, None] * np.eye(2)

    A0, _ = micro_effective_tensors(laminate, np.array([[0.5, 0.5], [0.2, 0.7]]), 1e-3, n_micro=64)
    harmonic = 1 / np.mean(1 / (1 + 9 * np.sin(np.pi * (np.arange(20000) + 0.5) / 20000) ** 2))
    np.testing.assert_allclose(A0[:, 0, 0], harmonic, rtol=2e-3)        # sqrt(10) analytically
    np.testing.assert_allclose(A0[:, 1, 1], 5.5, rtol=1e-3)             # arithmetic mean 1 + 9/2
    np.testing.assert_allclose(A0, np.swapaxes(A0, 1, 2), atol=1e-10)


def _two_d_table(epss, ns):
    table = {}
    for eps in epss:
        dns = dns_solve(a_2d, eps, square(int(round(16 / eps))))
        for n in ns:
            hmm = hmm_solve(a_2d, eps, square(n), n_micro=16)
            assert hmm.micro_solves == 4 * n * n
            table[eps, n] = macro_difference(hmm, dns)
    return table


def test_2d_hmm_vs_dns_decreases_with_eps_and_macro_mesh():
    """HMM vs fully resolved DNS (Abdulle 2005, Thm. 1.1): table in the module docstring (~8 s)."""
    t = _two_d_table((1 / 4, 1 / 8, 1 / 16), (4, 8, 16))
    l2 = {k: v["l2"] for k, v in t.items()}
    assert l2[1 / 16, 4] > l2[1 / 16, 8] > l2[1 / 16, 16]                # macro refinement, eps = 1/16
    assert np.log2(l2[1 / 16, 8] / l2[1 / 16, 16]) > 1.7
    assert l2[1 / 4, 16] > l2[1 / 8, 16] > l2[1 / 16, 16]                # eps -> 0 at H = 1/16
    assert l2[1 / 8, 8] > l2[1 / 16, 8]
    assert l2[1 / 16, 16] < 4e-3
    assert l2[1 / 16, 16] == pytest.approx(3.20e-3, rel=0.05)
    assert t[1 / 16, 16]["mean"] < 0.01 and t[1 / 16, 4]["mean"] > t[1 / 16, 16]["mean"]


def test_invalid_inputs():
    with pytest.raises(InputError):
        hmm_solve(a_slow, -1.0, line(4))
    with pytest.raises(InputError):
        hmm_solve(a_slow, 0.1, line(4), n_micro=1)
    with pytest.raises(InputError):
        hmm_solve(lambda x, y: -np.ones(len(x)), 0.1, line(4))
    with pytest.raises(InputError):
        hmm_solve(lambda x, y: np.ones((len(x), 3)), 0.1, line(4))
    with pytest.raises(InputError):
        hmm_solve(a_slow, 0.1, skfem.MeshTri2.init_symmetric())
    with pytest.raises(InputError):
        hmm_solve(a_slow, 0.1, line(4), source="one")
    with pytest.raises(InputError):
        dns_solve(a_2d, 0.1, square(4), dirichlet=lambda x: np.ones(3))
    with pytest.raises(InputError):
        micro_effective_tensors(a_2d, np.zeros((3, 4)), 0.1)


def test_patch_test_on_triangles_with_linear_dirichlet_data():
    """Constant a: A0 = a I exactly and a linear u = g is reproduced (P1 patch test), one micro solve per triangle."""
    mesh = skfem.MeshTri.init_tensor(*[np.linspace(0.0, 1.0, 5)] * 2)
    sol = hmm_solve(lambda x, y: np.full(len(x), 2.0), 0.05, mesh, source=0.0,
                    dirichlet=lambda x: 1.0 + x[:, 0] - 2.0 * x[:, 1], n_micro=4)
    assert sol.micro_solves == mesh.nelements
    np.testing.assert_allclose(sol.A0, np.broadcast_to(2.0 * np.eye(2), sol.A0.shape), atol=1e-12)
    x = sol.basis.doflocs
    np.testing.assert_allclose(sol.u, 1.0 + x[0] - 2.0 * x[1], atol=1e-12)
