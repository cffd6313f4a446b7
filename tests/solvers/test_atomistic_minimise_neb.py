"""FIRE and L-BFGS minimisers and the climbing-image NEB, checked against ASE's own optimisers and NEB."""

import numpy as np
import pytest

from scalebridge.core.errors import ConvergenceError, InputError
from scalebridge.laws.cauchy_born import equilibrium_lattice_constant
from scalebridge.solvers.atomistic import (ASECalculatorEngine, LennardJones, cubic_supercell, fire, improved_tangents,
                                           lbfgs, nudged_elastic_band, relax)

ase = pytest.importorskip("ase")
from ase.build import bulk  # noqa: E402
from ase.calculators.emt import EMT  # noqa: E402


def rattled_cu_vacancy(seed=2):
    atoms = bulk("Cu", "fcc", a=3.6, cubic=True).repeat(2)
    del atoms[0]
    atoms.rattle(0.08, seed=seed)
    return atoms


@pytest.mark.parametrize("method", ["fire", "lbfgs"])
def test_minimisers_reach_the_minimum_ase_bfgs_finds(method):
    """A rattled Cu cell with a vacancy (EMT): our FIRE (Bitzek et al. 2006, PRL 97, 170201) and
    L-BFGS reach the energy ASE's BFGS reaches (independent optimiser), within 1e-5 eV."""
    from ase.optimize import BFGS
    atoms = rattled_cu_vacancy()
    ours = relax(EMT(), atoms=atoms, method=method, fmax=1e-3)
    assert ours.converged and ours.max_force < 1e-3
    ref = atoms.copy()
    ref.calc = EMT()
    BFGS(ref, logfile=None).run(fmax=1e-3)
    assert ours.energy == pytest.approx(ref.get_potential_energy(), abs=1e-5)
    assert ours.to_atoms("Cu").get_chemical_formula() == ref.get_chemical_formula()


def test_cell_relaxation_finds_the_zero_pressure_lattice_constant():
    """Positions + cell relaxation of a strained LJ fcc crystal ends at the lattice constant that
    minimises E(a) (1-D search, an independent route) and at zero stress."""
    lj = LennardJones(1.0, 1.0, 2.5, "shifted-force")
    a0 = equilibrium_lattice_constant(lj, "fcc", 1.55)
    c = cubic_supercell("fcc", 1.5, 2)
    out = lbfgs(lj, c.basis, c.cell @ np.diag([1.0, 1.03, 0.98]), relax_cell=True, fmax=1e-6)
    lengths = np.linalg.norm(out.cell, axis=1) / 2
    np.testing.assert_allclose(lengths, a0, rtol=1e-6)
    assert np.abs(out.result.stress).max() < 1e-6


def test_masked_components_do_not_move_and_failure_raises():
    lj = LennardJones(1.0, 1.0, 2.5, "shifted-force")
    c = cubic_supercell("fcc", 1.56, 2)
    pos = c.basis + 0.05 * np.random.default_rng(0).standard_normal(c.basis.shape)
    mask = np.zeros_like(pos, dtype=bool)
    mask[:, 2] = True
    out = fire(lj, pos, c.cell, mask=mask, fmax=1e-4)
    np.testing.assert_array_equal(out.positions[:, :2], pos[:, :2])
    with pytest.raises(ConvergenceError, match="max force"):
        fire(lj, pos, c.cell, fmax=1e-8, max_steps=5)
    with pytest.raises(InputError, match="fmax"):
        lbfgs(lj, pos, c.cell, fmax=-1)
    with pytest.raises(InputError, match="method"):
        relax(lj, pos, c.cell, method="bfgs")


def test_improved_tangent_points_uphill_and_bisects_at_the_top():
    """Henkelman & Jónsson (2000), J. Chem. Phys. 113, 9978, eqs. 8–11: on a rising segment the
    tangent is the vector to the higher neighbour; at a symmetric maximum it is the bisector."""
    x = np.linspace(0, 1, 5)
    images = np.zeros((5, 1, 3))
    images[:, 0, 0] = x
    images[:, 0, 1] = [0, 0.1, 0.3, 0.1, 0]
    energies = np.array([0.0, 1.0, 2.0, 1.0, 0.0])
    tau = improved_tangents(images, energies)
    np.testing.assert_allclose(tau[0, 0], (images[2, 0] - images[1, 0]) / np.linalg.norm(images[2, 0] - images[1, 0]))
    np.testing.assert_allclose(tau[1, 0], [1.0, 0.0, 0.0], atol=1e-12)


def test_vacancy_hop_barrier_agrees_with_ase_neb():
    """Cu vacancy hop with EMT (31-atom cell): our climbing-image NEB (Henkelman, Uberuaga &
    Jónsson 2000, J. Chem. Phys. 113, 9901) vs ase.mep.NEB(climb=True, improved tangent) + ASE FIRE:
    barriers within 0.01 eV (the task's tolerance; both converge the climbing image to 0.01 eV/Å)."""
    from ase.mep import NEB
    from ase.optimize import BFGS, FIRE
    a = 3.59
    pristine = bulk("Cu", "fcc", a=a, cubic=True).repeat(2)
    hop = int(np.argsort(np.linalg.norm(pristine.positions - pristine.positions[0], axis=1))[1])
    initial, final = pristine.copy(), pristine.copy()
    final.positions[hop] = pristine.positions[0]
    del initial[0]
    del final[0]
    # ours
    engine = ASECalculatorEngine(EMT(), "Cu")
    ends = [lbfgs(engine, im.positions, im.cell[:], fmax=1e-3).positions for im in (initial, final)]
    ours = nudged_elastic_band(engine, *ends, initial.cell[:], n_images=5, fmax=0.01)
    assert ours.converged and ours.climbing == int(np.argmax(ours.energies))
    # ASE's own route
    for im in (initial, final):
        im.calc = EMT()
        BFGS(im, logfile=None).run(fmax=1e-3)
    band = [initial] + [initial.copy() for _ in range(5)] + [final]
    for im in band[1:-1]:
        im.calc = EMT()
    neb = NEB(band, climb=True, k=0.1, method="improvedtangent")
    neb.interpolate()
    FIRE(neb, logfile=None).run(fmax=0.01)
    energies = [im.get_potential_energy() for im in band]
    ase_barrier = max(energies) - energies[0]
    assert ours.barrier == pytest.approx(ase_barrier, abs=0.01)
    assert 0.5 < ours.barrier < 1.0          # EMT Cu vacancy migration: ~0.8 eV
