"""Thermodynamic factor and chemical diffusion of a lattice gas; kMC measurement at x = 0 and x = +-1."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.laws.surface_diffusion import (chemical_diffusion_coefficient, critical_coupling,
                                                thermodynamic_factor)


@pytest.mark.parametrize("approximation", ["bragg_williams", "quasi_chemical"])
def test_non_interacting_gives_langmuir_factor_and_d0(approximation):
    """x = 0: Phi = 1/(1 - theta) (Langmuir gas), so D_c = D_0 (Reed & Ehrlich 1981)."""
    th = np.linspace(0.05, 0.95, 19)
    np.testing.assert_allclose(thermodynamic_factor(th, 0.0, 4, approximation), 1 / (1 - th), rtol=1e-12)
    np.testing.assert_allclose(chemical_diffusion_coefficient(th, 2e-9, 0.0, 4, approximation), 2e-9, rtol=1e-12)


def test_quasi_chemical_factor_matches_derivative_of_its_chemical_potential():
    """Phi = theta d(beta mu)/d theta with the Fowler-Guggenheim (1939) beta mu, by central differences."""
    x, z, h = -1.0, 6, 1e-6
    def bmu(t):
        b = np.sqrt(1 - 4 * t * (1 - t) * (1 - np.exp(-x)))
        return np.log(t / (1 - t)) + z / 2 * np.log((b - 1 + 2 * t) * (1 - t) / ((b + 1 - 2 * t) * t))
    th = np.linspace(0.1, 0.9, 9)
    fd = th * (bmu(th + h) - bmu(th - h)) / (2 * h)
    np.testing.assert_allclose(thermodynamic_factor(th, x, z), fd, rtol=1e-6)


@pytest.mark.parametrize("approximation, expected", [("bragg_williams", -1.0), ("quasi_chemical", 2 * np.log(0.5))])
def test_factor_turns_negative_below_the_critical_temperature(approximation, expected):
    """Square lattice: x_c = -4/z (Bragg-Williams), 2 ln(1 - 2/z) (quasi-chemical; Fowler & Guggenheim
    1939), both weaker than Onsager's exact 2 ln(sqrt 2 - 1) = -1.763: Phi(1/2) = 0 at x_c, < 0 beyond."""
    xc = critical_coupling(4, approximation)
    assert xc == pytest.approx(expected, rel=1e-12) and xc > 2 * np.log(np.sqrt(2) - 1)
    assert thermodynamic_factor(0.5, xc, 4, approximation) == pytest.approx(0.0, abs=1e-9)
    assert thermodynamic_factor(0.5, 1.2 * xc, 4, approximation) < 0 < thermodynamic_factor(0.5, 0.8 * xc, 4, approximation)
    # repulsion raises Phi (faster collective diffusion), attraction lowers it
    assert thermodynamic_factor(0.3, 1.0, 4, approximation) > 1 / 0.7 > thermodynamic_factor(0.3, -0.5, 4, approximation)


def test_bad_input():
    with pytest.raises(InputError, match="coverage"):
        thermodynamic_factor(1.0, 0.0)
    with pytest.raises(InputError, match="approximation"):
        thermodynamic_factor(0.5, 0.0, 4, "exact")


def test_kmc_collective_diffusion_of_non_interacting_particles_equals_d0():
    """Hops only, x = 0, theta = 1/2 on a 32^2 square lattice: D_c = D_cm Phi = D_cm/(1 - theta) equals
    D_0 = Gamma a^2 / 4 (Kutner 1981, Phys. Lett. A 81, 239), within 3 standard errors; the tracer
    coefficient is smaller, D* = D_0 (1 - theta) f with f < 1 (Kehr & Binder 1987)."""
    pytest.importorskip("numba")
    from scalebridge.solvers.kmc import LatticeKMC, PairProcess, square_lattice
    from scalebridge.solvers.kmc.diffusion import measure_diffusion
    gamma, L = 1.0, 32
    rng = np.random.default_rng(4)
    occ = np.zeros(L * L, dtype=np.int64)
    occ[rng.permutation(L * L)[: L * L // 2]] = 1
    sim = LatticeKMC(square_lattice(L), ["A"], [PairProcess("hop", ("A", "*"), ("*", "A"), gamma)],
                     seed=4, occupancy=occ)
    s = measure_diffusion(sim, window=2.0, n_windows=400)
    d0, theta = gamma / 4, 0.5
    dc, err = s.centre_of_mass * thermodynamic_factor(theta, 0.0), s.centre_of_mass_error / (1 - theta)
    print(f"D_c = {dc:.4f} +- {err:.4f}, D0 = {d0}; D* = {s.tracer:.4f} +- {s.tracer_error:.4f}")
    assert err < 0.05 * d0
    assert abs(dc - d0) < 3 * err
    assert s.tracer < d0 * (1 - theta)


def _kmc_thermodynamic_factor(x, L=32, n_samples=800, seed=5):
    """Phi = <N>/<dN^2> at theta = 1/2 from a grand-canonical kMC run (adsorption, desorption and hops
    obeying detailed balance; half filling at beta mu = z x / 2 by particle-hole symmetry), with a
    10-block error of the variance."""
    from scalebridge.solvers.kmc import LatticeKMC, PairProcess, SiteProcess, square_lattice
    procs = [SiteProcess("ads", "*", "A", np.exp(2.0 * x)), SiteProcess("des", "A", "*", 1.0, interacting=True),
             PairProcess("hop", ("A", "*"), ("*", "A"), 1.0, interacting=True)]
    sim = LatticeKMC(square_lattice(L), ["A"], procs, interactions={("A", "A"): x}, seed=seed)
    sim.run(until=20.0)
    n = np.empty(n_samples)
    for k in range(n_samples):
        sim.run(until=sim.time + 0.5)
        n[k] = sim.counts[1]
    blocks = np.array([b.var(ddof=1) for b in np.array_split(n, 10)])
    phi = n.mean() / n.var(ddof=1)
    return phi, phi * blocks.std(ddof=1) / (np.sqrt(10) * blocks.mean()), n.mean() / L ** 2


@pytest.mark.parametrize("x", [1.0, -1.0])
def test_kmc_collective_diffusion_with_interactions_follows_the_predicted_trend(x):
    """Nearest-neighbour interactions at theta = 1/2 on a 32^2 square lattice, hops slowed by the binding
    of the hopping particle (k = Gamma exp(E_i), detailed balance). Reed & Ehrlich (1981, Surf. Sci.
    102, 588): D_c = D_cm Phi, the centre-of-mass (jump) coefficient times the thermodynamic factor
    Phi = d(beta mu)/d ln theta = <N>/<dN^2>. Both are measured by kMC: D_cm from a canonical hop run,
    Phi from the number fluctuations of a grand-canonical run. Checks:

    * the kMC Phi agrees with the quasi-chemical closed form (Fowler & Guggenheim 1939) within 3
      standard errors plus 10 % (the approximation's own error at |x| = 1);
    * the law predicts D_c > D_0 for repulsion (x = +1) and D_c < D_0 for attraction (x = -1), in both
      the Bragg-Williams and quasi-chemical forms, and the kMC D_c lies on the same side of
      D_0 = Gamma/4 by more than 3 standard errors.

    The kMC jump mobility is not the non-interacting D_0 (1 - theta) of the law (here the hop rate itself
    grows with repulsion and shrinks with attraction), so the size of the effect is larger than the
    law's; its direction is the prediction tested."""
    pytest.importorskip("numba")
    from scalebridge.solvers.kmc import LatticeKMC, PairProcess, square_lattice
    from scalebridge.solvers.kmc.diffusion import measure_diffusion
    gamma, L, theta = 1.0, 32, 0.5
    d0 = gamma / 4
    phi, phi_err, theta_gc = _kmc_thermodynamic_factor(x, L)
    phi_qc = thermodynamic_factor(theta, x, 4, "quasi_chemical")
    rng = np.random.default_rng(4)
    occ = np.zeros(L * L, dtype=np.int64)
    occ[rng.permutation(L * L)[: L * L // 2]] = 1
    sim = LatticeKMC(square_lattice(L), ["A"], [PairProcess("hop", ("A", "*"), ("*", "A"), gamma, interacting=True)],
                     interactions={("A", "A"): x}, seed=4, occupancy=occ)
    sim.run(until=20.0)
    s = measure_diffusion(sim, window=2.0, n_windows=200)
    dc = s.centre_of_mass * phi
    dc_err = dc * np.hypot(s.centre_of_mass_error / s.centre_of_mass, phi_err / phi)
    print(f"x={x}: theta_GC={theta_gc:.3f}, Phi kMC {phi:.3f} +- {phi_err:.3f}, quasi-chemical {phi_qc:.3f}; "
          f"D_cm={s.centre_of_mass:.4f} +- {s.centre_of_mass_error:.4f}, D_c={dc:.4f} +- {dc_err:.4f}, "
          f"D_0={d0}, law D_c={chemical_diffusion_coefficient(theta, d0, x):.4f}")
    assert abs(theta_gc - 0.5) < 0.03
    assert abs(phi - phi_qc) < 3 * phi_err + 0.1 * phi_qc
    sign = np.sign(x)
    for approximation in ("bragg_williams", "quasi_chemical"):
        assert sign * (chemical_diffusion_coefficient(theta, d0, x, 4, approximation) - d0) > 0
    assert sign * (dc - d0) > 3 * dc_err
