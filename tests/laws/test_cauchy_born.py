"""Cauchy–Born elastic constants and stresses, against closed-form relations and direct periodic cells."""

import numpy as np
import pytest
from scipy.linalg import sqrtm

from scalebridge.core.errors import InputError
from scalebridge.laws.cauchy_born import (cauchy_born, cauchy_stress, elastic_constants,
                                          equilibrium_lattice_constant, voigt_to_strain)
from scalebridge.solvers.atomistic import LennardJones, cubic_supercell, hcp, lbfgs

LJ = LennardJones(1.0, 1.0, 2.5, "shifted-force")


def direct_stress_strain_fit(engine, crystal, strains, relax_ions, reps=2, symbols=None):
    """C_IJ by a direct atomistic calculation: a periodic supercell deformed by the stretch
    F = sqrt(I + 2E) for small Green–Lagrange strains E, ions relaxed or not, the second Piola–Kirchhoff
    stress S = J F^-1 sigma F^-T from the engine's virial, slope of a linear fit (valid for a
    prestressed reference too)."""
    big = crystal.repeat(reps)
    C = np.empty((6, 6))
    for J in range(6):
        sig = []
        for s in strains:
            e = np.zeros(6)
            e[J] = s
            F = np.real(sqrtm(np.eye(3) + 2 * voigt_to_strain(e)))
            pos, cell = big.basis @ F.T, big.cell @ F.T
            if relax_ions:
                res = lbfgs(engine, pos, cell, fmax=1e-9).result
            else:
                res = engine.compute(pos, cell, True)
            S = np.linalg.det(F) * np.linalg.solve(F, np.linalg.solve(F, res.stress).T)
            sig.append([S[a, b] for a, b in ((0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1))])
        C[:, J] = np.polyfit(strains, np.array(sig), 1)[0]
    return C


def test_lennard_jones_fcc_satisfies_the_cauchy_relation():
    """For a central pair potential on a centrosymmetric lattice C12 = C44 (Cauchy relation; Born &
    Huang 1954, sec. 11; Tadmor & Miller 2011, sec. 11.2.4), here at zero pressure (the lattice
    constant of the truncated potential), to round-off of the finite differences: energy route
    (h = 1e-4) within 1e-6, stress route within 1e-7; the two routes agree within 1e-6."""
    a = equilibrium_lattice_constant(LJ, "fcc", 1.55)
    by_energy = elastic_constants(LJ, "fcc", a=a, method="energy")
    by_stress = elastic_constants(LJ, "fcc", a=a, method="stress")
    assert abs(by_stress.pressure) < 1e-6 * by_stress.C11
    assert by_energy.C12 == pytest.approx(by_energy.C44, rel=1e-6)
    assert by_stress.C12 == pytest.approx(by_stress.C44, rel=1e-7)
    np.testing.assert_allclose(by_energy.voigt, by_stress.voigt, rtol=0, atol=1e-6 * by_stress.C11)
    # and a direct atomistic calculation: stress-strain of a 32-atom periodic cell (ions relaxed)
    direct = direct_stress_strain_fit(LJ, cubic_supercell("fcc", a, 1), [-1e-4, -5e-5, 5e-5, 1e-4], True)
    np.testing.assert_allclose(direct, by_stress.voigt_eV_per_A3, rtol=0, atol=1e-5 * by_stress.C11 / 1.602e11)


def test_cu_emt_cauchy_born_matches_ase_periodic_cell_stress():
    """Cu with ASE's EMT: (i) the Cauchy–Born stress at a finite deformation (2 % stretch, 1.5 %
    shear), from W(F) by finite differences (no virial used), equals the stress ASE computes for
    a deformed 32-atom periodic cell; (ii) the Cauchy–Born C_ij equal the slope of ASE's
    stress–strain data of that cell; both within 1 % (task tolerance; Tadmor & Miller 2011, sec. 11.2)."""
    ase = pytest.importorskip("ase")
    from ase.build import bulk
    from ase.calculators.emt import EMT
    a = equilibrium_lattice_constant(EMT(), "fcc", 3.6, symbols="Cu")
    F = np.array([[1.02, 0.015, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.99]])
    sigma_cb = cauchy_stress(EMT(), "fcc", F, a=a, symbols="Cu", method="energy", step=1e-5)
    atoms = bulk("Cu", "fcc", a=a, cubic=True).repeat(2)
    atoms.set_cell(atoms.cell[:] @ F.T, scale_atoms=True)
    atoms.calc = EMT()
    sigma_ase = atoms.get_stress(voigt=False)
    assert np.abs(sigma_cb - sigma_ase).max() < 0.01 * np.abs(sigma_ase).max()
    C = elastic_constants(EMT(), "fcc", a=a, symbols="Cu")
    assert C.C12 != pytest.approx(C.C44, rel=0.05)          # many-body: no Cauchy relation
    strains = np.array([-2e-4, -1e-4, 1e-4, 2e-4])
    slopes = np.empty((6, 6))
    for J in range(6):
        sig = []
        for s in strains:
            e = np.zeros(6)
            e[J] = s
            cell = bulk("Cu", "fcc", a=a, cubic=True).repeat(2)
            cell.set_cell(cell.cell[:] @ (np.eye(3) + voigt_to_strain(e)).T, scale_atoms=True)
            cell.calc = EMT()
            sig.append(cell.get_stress())                   # ASE Voigt order xx yy zz yz xz xy
        slopes[:, J] = np.polyfit(strains, np.array(sig), 1)[0]
    for I, J in [(0, 0), (0, 1), (3, 3)]:
        assert C.voigt_eV_per_A3[I, J] == pytest.approx(slopes[I, J], rel=0.01)
    assert ase


def test_hcp_inner_relaxation_matches_a_relaxed_supercell():
    """Multi-lattice (LJ hcp, 2-atom basis): relaxed-ion Cauchy–Born constants (inner relaxation of
    the shift vector; Tadmor & Miller 2011, sec. 11.2.3) equal the stress–strain slopes of a
    16-atom periodic cell whose ions are relaxed at each strain, within 1e-4 relative; clamped-ion
    constants are stiffer (C11 by the inner-relaxation term) and equal the unrelaxed cell's."""
    crystal = hcp(equilibrium_lattice_constant(LJ, "fcc", 1.55) / np.sqrt(2))   # near zero pressure
    relaxed = elastic_constants(LJ, crystal, method="stress", relaxed_ions=True)
    clamped = elastic_constants(LJ, crystal, method="stress", relaxed_ions=False)
    assert clamped.C11 > relaxed.C11 * (1 + 1e-3)
    strains = [-2e-4, -1e-4, 1e-4, 2e-4]
    scale = relaxed.voigt_eV_per_A3[0, 0]
    for C, relax_ions in ((relaxed, True), (clamped, False)):
        direct = direct_stress_strain_fit(LJ, crystal, strains, relax_ions)
        np.testing.assert_allclose(direct, C.voigt_eV_per_A3, rtol=0, atol=1e-4 * scale)


def test_cauchy_born_state_and_bad_input():
    """W(I) = 0 and P = 0 at the zero-pressure reference (to the 1e-7 Å tolerance of a, i.e. |P| < 1e-7 C11);
    bad F and strain raise."""
    a = equilibrium_lattice_constant(LJ, "fcc", 1.55)
    state = cauchy_born(LJ, "fcc", np.eye(3), a=a)
    assert state.W == 0.0 and np.abs(state.first_piola).max() < 1e-7 * 86.3
    with pytest.raises(InputError, match="F"):
        cauchy_born(LJ, "fcc", -np.eye(3), a=a)
    with pytest.raises(InputError, match="strain"):
        elastic_constants(LJ, "fcc", a=a, strain=0.5)
    with pytest.raises(InputError, match="lattice"):
        elastic_constants(LJ, "sc", a=a)
