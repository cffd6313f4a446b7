"""Atomistic engines: neighbour lists, LJ/Morse/Finnis–Sinclair energies, forces and virial stress, ASE adapter."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError, ShapeError
from scalebridge.laws.cauchy_born import elastic_constants, equilibrium_lattice_constant
from scalebridge.solvers.atomistic import (FINNIS_SINCLAIR_1984, ASECalculatorEngine, FinnisSinclair, LennardJones,
                                           Morse, NeighbourList, as_ase_calculator, bcc, cubic_supercell, fcc)

ase = pytest.importorskip("ase")


def triclinic_config(a=1.6, reps=2, noise=0.04, seed=0):
    rng = np.random.default_rng(seed)
    c = cubic_supercell("fcc", a, reps)
    G = np.eye(3) + 0.06 * rng.standard_normal((3, 3))
    return c.basis @ G.T + noise * rng.standard_normal(c.basis.shape), c.cell @ G.T


def test_neighbour_list_matches_brute_force_in_a_small_triclinic_cell():
    """Every pair within r_c, counting periodic images, as by an explicit image sum
    (Allen & Tildesley 2017, sec. 5.3): cut-off larger than the cell."""
    pos, cell = triclinic_config(a=1.6, reps=1)
    rc = 2.9  # > the cell size: several images per direction
    i, j, d, r = NeighbourList(rc, skin=0.0).update(pos, cell, True)
    n = np.arange(-4, 5)
    shifts = np.stack(np.meshgrid(n, n, n, indexing="ij"), -1).reshape(-1, 3) @ cell
    dd = pos[None, :, None, :] - pos[:, None, None, :] + shifts[None, None, :, :]
    rr = np.linalg.norm(dd, axis=-1)
    brute = np.sort(rr[(rr < rc) & (rr > 1e-9)])
    assert len(r) == len(brute)
    np.testing.assert_allclose(np.sort(r), brute, rtol=0, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(d, axis=1), r)


def test_verlet_list_is_reused_within_half_the_skin():
    pos, cell = triclinic_config()
    nl = NeighbourList(2.5, skin=0.4)
    nl.update(pos, cell, True)
    nl.update(pos + 0.1, cell, True)                   # every atom moved 0.17 Å < skin / 2 = 0.2 Å
    assert nl.builds == 1
    moved = pos.copy()
    moved[3] += [0.25, 0.0, 0.0]                       # one atom beyond skin/2
    nl.update(moved, cell, True)
    assert nl.builds == 2
    # the reused list gives the same pairs as a fresh one
    small = pos + 0.05 * np.random.default_rng(1).standard_normal(pos.shape)
    nl2 = NeighbourList(2.5, skin=0.4)
    nl2.update(pos, cell, True)
    r_reused = np.sort(nl2.update(small, cell, True)[3])
    r_fresh = np.sort(NeighbourList(2.5, skin=0.0).update(small, cell, True)[3])
    np.testing.assert_allclose(r_reused, r_fresh, atol=1e-12)


def test_lennard_jones_matches_ase_in_a_triclinic_cell():
    """Energy, forces and stress equal those of ase.calculators.lj.LennardJones (an independent
    implementation) for the shifted cut-off, to round-off."""
    from ase.calculators.lj import LennardJones as AseLJ
    pos, cell = triclinic_config()
    ours = LennardJones(1.0, 1.0, 2.5, "shifted").compute(pos, cell, True)
    atoms = ase.Atoms("Ar" * len(pos), positions=pos, cell=cell, pbc=True)
    atoms.calc = AseLJ(epsilon=1.0, sigma=1.0, rc=2.5, smooth=False)
    assert ours.energy == pytest.approx(atoms.get_potential_energy(), abs=1e-10)
    np.testing.assert_allclose(ours.forces, atoms.get_forces(), atol=1e-10)
    np.testing.assert_allclose(ours.stress, atoms.get_stress(voigt=False), atol=1e-10)


POTENTIALS = {
    "lj-shifted-force": (LennardJones(1.0, 1.0, 2.5, "shifted-force"), 1.6),
    "morse-cu": (Morse(0.3429, 1.3588, 2.866, cutoff=6.0), 3.6),   # Girifalco & Weizer 1959
    "finnis-sinclair-fe-like": (FinnisSinclair.published("Cr"), 2.88),
}


@pytest.mark.parametrize("name", POTENTIALS)
def test_forces_and_stress_are_derivatives_of_the_energy(name):
    """F = -dE/dr and sigma = (1/V) dE/d(strain) by central differences (Tadmor & Miller 2011, sec. 8.2)."""
    pot, a = POTENTIALS[name]
    pos, cell = triclinic_config(a=a, noise=0.02 * a)
    res = pot.compute(pos, cell, True)
    h = 1e-6 * a
    for atom, k in [(0, 0), (5, 1), (17, 2)]:
        p1, p2 = pos.copy(), pos.copy()
        p1[atom, k] += h
        p2[atom, k] -= h
        fd = -(pot.compute(p1, cell).energy - pot.compute(p2, cell).energy) / (2 * h)
        assert res.forces[atom, k] == pytest.approx(fd, abs=1e-6 * max(1, abs(fd)))
    assert np.abs(res.forces.sum(0)).max() < 1e-10              # Newton's third law
    volume = abs(np.linalg.det(cell))
    for a_, b_ in [(0, 0), (1, 2), (0, 1)]:
        eps = np.zeros((3, 3))
        eps[a_, b_] = eps[b_, a_] = 1e-6
        E = [pot.compute(pos @ (np.eye(3) + s * eps).T, cell @ (np.eye(3) + s * eps).T).energy for s in (1, -1)]
        fd = (E[0] - E[1]) / (2e-6 * volume) / (1 if a_ == b_ else 2)
        assert res.stress[a_, b_] == pytest.approx(fd, rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("element", ["Mo", "W"])
def test_finnis_sinclair_reproduces_its_fitted_bulk_properties(element):
    """Finnis & Sinclair (1984), Phil. Mag. A 50, 45, Table 1: the parameters were fitted to the
    lattice constant (zero pressure), the cohesive energy and C11, C12, C44 of the bcc metal
    (Mo: a = 3.1472 Å, E_c = 6.82 eV, C = 464.7, 161.5, 108.9 GPa; W: 3.1652 Å, 8.90 eV,
    522.4, 204.4, 160.6 GPa). Checks the transcribed parameters and the EAM engine, within 0.2 %."""
    data = {"Mo": (3.1472, 6.82, 464.7, 161.5, 108.9), "W": (3.1652, 8.90, 522.4, 204.4, 160.6)}[element]
    fs = FinnisSinclair.published(element)
    a = equilibrium_lattice_constant(fs, "bcc", FINNIS_SINCLAIR_1984[element]["a"] * 1.02)
    assert a == pytest.approx(data[0], rel=2e-4)
    c = bcc(data[0])
    assert -fs.compute(c.basis, c.cell).energy == pytest.approx(data[1], rel=2e-3)
    C = elastic_constants(fs, "bcc", a=data[0])
    np.testing.assert_allclose([C.C11 / 1e9, C.C12 / 1e9, C.C44 / 1e9], data[2:], rtol=2e-3)


def test_ase_adapter_round_trip():
    """Our LJ behind an ASE calculator, and ASE's EMT behind our engine protocol, give the same numbers
    as calling each directly."""
    from ase.build import bulk
    from ase.calculators.emt import EMT
    atoms = bulk("Cu", "fcc", a=3.6, cubic=True).repeat(2)
    atoms.rattle(0.05, seed=3)
    lj = LennardJones(0.4, 2.3, 5.0)
    atoms.calc = as_ase_calculator(lj)
    assert atoms.get_potential_energy() == pytest.approx(lj.compute_atoms(atoms).energy, abs=1e-12)
    atoms.calc = EMT()
    engine = ASECalculatorEngine(EMT(), "Cu")
    res = engine.compute_atoms(atoms)
    assert res.energy == pytest.approx(atoms.get_potential_energy(), abs=1e-12)
    np.testing.assert_allclose(res.stress, atoms.get_stress(voigt=False), atol=1e-12)


def test_bad_input_names_the_argument():
    lj = LennardJones()
    c = fcc(1.6)
    with pytest.raises(ShapeError, match="positions"):
        lj.compute(np.zeros((3, 2)), c.cell)
    with pytest.raises(InputError, match="cell"):
        lj.compute(c.basis, np.zeros((3, 3)))
    with pytest.raises(InputError, match="truncation"):
        LennardJones(truncation="smooth")
    with pytest.raises(InputError, match="element"):
        FinnisSinclair.published("Cu")
    with pytest.raises(InputError, match="symbols"):
        ASECalculatorEngine(object(), None)


def test_numpy_fallback_equals_the_numba_kernels(monkeypatch):
    """Without numba the NumPy path gives the same energy, forces and stress (EAM and LJ)."""
    from scalebridge.solvers.atomistic import neighbours
    pos, cell = triclinic_config(a=2.88, noise=0.05)
    fs = FinnisSinclair.published("Cr")
    fast = fs.compute(pos, cell)
    monkeypatch.setattr(neighbours, "_KERNELS", None)
    slow = FinnisSinclair.published("Cr").compute(pos, cell)
    assert slow.energy == pytest.approx(fast.energy, abs=1e-10)
    np.testing.assert_allclose(slow.forces, fast.forces, atol=1e-10)
    np.testing.assert_allclose(slow.stress, fast.stress, atol=1e-12)
