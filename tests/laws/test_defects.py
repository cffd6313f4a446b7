"""Surface energy, generalised stacking fault and NEB activation energy through our pipeline vs ASE directly."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.laws import kinetics
from scalebridge.laws.cauchy_born import equilibrium_lattice_constant
from scalebridge.laws.defects import generalized_stacking_fault, surface_energy, vacancy_migration_barrier
from scalebridge.solvers.atomistic import EV, EV_PER_A2_TO_J_PER_M2, LennardJones

ase = pytest.importorskip("ase")
from ase.build import bulk, fcc100, fcc111  # noqa: E402
from ase.calculators.emt import EMT  # noqa: E402
from ase.constraints import FixCartesian  # noqa: E402
from ase.optimize import BFGS  # noqa: E402
from scipy.optimize import minimize_scalar  # noqa: E402

LAYERS = 9


@pytest.fixture(scope="module")
def a_cu():
    """EMT's zero-pressure Cu lattice constant, found by ASE alone (bulk energy minimised over a)."""
    def e(a):
        atoms = bulk("Cu", "fcc", a=a)
        atoms.calc = EMT()
        return atoms.get_potential_energy()
    return minimize_scalar(e, bounds=(3.4, 3.8), method="bounded", options=dict(xatol=1e-7)).x


def ase_surface_energy(a, builder):
    """Independent route: ase.build slab, ASE BFGS relaxation, (E_slab - N e_bulk) / 2A in J/m^2."""
    slab = builder("Cu", size=(1, 1, LAYERS), a=a, vacuum=6.0)
    slab.pbc = True
    slab.calc = EMT()
    BFGS(slab, logfile=None).run(fmax=1e-4)
    b = bulk("Cu", "fcc", a=a)
    b.calc = EMT()
    area = np.linalg.norm(np.cross(slab.cell[0], slab.cell[1]))
    return (slab.get_potential_energy() - len(slab) * b.get_potential_energy()) / (2 * area) * EV_PER_A2_TO_J_PER_M2


@pytest.mark.parametrize("surface, builder", [("111", fcc111), ("100", fcc100)])
def test_surface_energy_agrees_with_ase(a_cu, surface, builder):
    """gamma_s of Cu(111) and (100) with EMT through our pipeline (own slab builder and L-BFGS)
    vs an independent ASE script (ase.build.fcc111/fcc100, ase.optimize.BFGS), within 1 % (task
    tolerance). The ordering gamma(111) < gamma(100) is that of close-packed faces (Tadmor & Miller
    2011, sec. 6.5; EMT Cu: Jacobsen, Stoltze & Nørskov 1996, Surf. Sci. 366, 394)."""
    ours = surface_energy(EMT(), a_cu, surface, layers=LAYERS, symbols="Cu")
    ref = ase_surface_energy(a_cu, builder)
    assert ours.gamma == pytest.approx(ref, rel=0.01)
    assert ours.gamma <= ours.gamma_unrelaxed + 1e-12       # relaxation lowers the energy
    assert 0.5 < ours.gamma < 2.0


def test_unstable_stacking_fault_energy_agrees_with_ase(a_cu):
    """gamma_us of Cu (111)<112> with EMT (Vítek 1968; Rice 1992): our GSF (rigid shift, relaxation
    normal to the plane, Brent-refined maximum) vs an independent ASE script (ase.build.fcc111 slab,
    FixCartesian on x, y, BFGS, its own scalar maximisation), within 1 % (task tolerance)."""
    layers = 12
    gsf = generalized_stacking_fault(EMT(), a_cu, layers=layers, symbols="Cu", fractions=np.linspace(0, 1, 5))
    base = fcc111("Cu", size=(1, 1, layers), a=a_cu, vacuum=6.0, orthogonal=False)
    base.pbc = True
    z = base.positions[:, 2]
    upper = z > np.sort(z)[layers // 2 - 1] + 1e-6
    partial = (base.cell[0] + base.cell[1]) / 3.0           # a/sqrt(6) along <112> in ASE's cell
    area = np.linalg.norm(np.cross(base.cell[0], base.cell[1]))

    def energy(u):
        slab = base.copy()
        slab.positions[upper] += u * partial
        slab.set_constraint(FixCartesian(range(len(slab)), mask=(True, True, False)))
        slab.calc = EMT()
        BFGS(slab, logfile=None).run(fmax=1e-4)
        return slab.get_potential_energy()

    e0 = energy(0.0)
    best = minimize_scalar(lambda u: -(energy(u) - e0), bounds=(0.2, 0.8), method="bounded",
                           options=dict(xatol=1e-3))
    ref_us = -best.fun / area * EV_PER_A2_TO_J_PER_M2
    assert gsf.gamma_us == pytest.approx(ref_us, rel=0.01)
    assert gsf.u_us / gsf.partial_burgers == pytest.approx(best.x, abs=0.02)
    ref_isf = (energy(1.0) - e0) / area * EV_PER_A2_TO_J_PER_M2
    assert gsf.gamma_isf == pytest.approx(ref_isf, abs=0.01 * ref_us)
    assert gsf.energy[0] == 0.0 and gsf.gamma_us > max(gsf.gamma_isf, 0)


def test_vacancy_barrier_is_a_kinetics_activation_energy(a_cu):
    """The NEB barrier comes out in J per event, so laws.kinetics.arrhenius takes it as is:
    k = nu exp(-E_a / k_B T) with E_a = barrier_eV * 1.602176634e-19 J (CODATA 2018)."""
    act = vacancy_migration_barrier(EMT(), a_cu, symbols="Cu", n_images=3, fmax=0.02)
    assert act.barrier == pytest.approx(act.barrier_eV * EV)
    assert act.barrier_eV == pytest.approx(act.reverse_barrier_eV, abs=0.01)   # symmetric hop
    k = act.rate_constant(1e13, 600.0)
    assert k == pytest.approx(kinetics.arrhenius(1e13, f"{act.barrier_eV} eV", 600.0), rel=1e-9)


def test_bad_input():
    lj = LennardJones()
    with pytest.raises(InputError, match="surface"):
        surface_energy(lj, 1.55, "211")
    with pytest.raises(InputError, match="lattice"):
        surface_energy(lj, -1.0)
    with pytest.raises(InputError, match="fractions"):
        generalized_stacking_fault(lj, 1.55, fractions=[0.5, 4.0])
    assert equilibrium_lattice_constant(lj, "fcc", 1.55) > 1.5
