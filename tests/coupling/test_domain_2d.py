"""2-D triangular lattice coupled to Cauchy-Born P1 elements (scalebridge.coupling.handshake_2d).

References: Miller & Tadmor 2009, Modelling Simul. Mater. Sci. Eng. 17, 053001 (patch test, benchmark
of couplings against the fully atomistic solution); Kelchner, Plimpton & Hamilton 1998, Phys. Rev. B 58,
11085 (indenter); Tadmor & Miller 2011, Modeling Materials, sec. 11.3 (Cauchy-Born moduli).
"""

import numpy as np
import pytest

from scalebridge.core.checks import patch_test
from scalebridge.core.errors import InputError
from scalebridge.coupling.handshake_2d import (AtomisticSlab, CoupledSlab, Indenter, cauchy_born_lame, indent,
                                               triangular_lattice)
from scalebridge.coupling.pair_potentials import HarmonicBonds, LennardJones

LJ = LennardJones()
A = LJ.spacing
MID = (30 * A, 20 * A * np.sqrt(3) / 2)


def _box(method, linearized, **kw):
    return CoupledSlab(LJ, 61, 40, MID, 6 * A, method=method, linearized=linearized, clamped_top=True,
                       max_level=2, **kw)


def test_cauchy_born_moduli_of_triangular_lattice():
    """lambda = mu = sqrt(3)/4 k (NN springs; Tadmor & Miller 2011, sec. 11.3): a uniform stretch of the
    lattice stores the continuum energy density."""
    k = 3.0
    lam = cauchy_born_lame(HarmonicBonds((k,), 1.0))
    assert lam == pytest.approx(np.sqrt(3) / 4 * k)
    X, _ = triangular_lattice(5, 5, 1.0)
    e = 1e-3
    W = 0.5 * (lam + 2 * lam) * e**2                  # uniaxial strain: (lambda + 2 mu) e^2 / 2
    bond_x = [1, 0.5, -0.5]                            # the three bond directions' x components
    per_atom = sum(0.5 * k * (c**2 * e) ** 2 for c in bond_x)
    assert per_atom / (np.sqrt(3) / 2) == pytest.approx(W, rel=1e-12)


SHEAR = np.array([[0.0, 0.01], [0.0, 0.0]])


@pytest.mark.parametrize("method", ["consistent", "qcf"])
def test_linearized_couplings_pass_the_patch_test(method):
    """With the atoms linearised like the continuum, the bond/element partition and QCF reproduce uniform
    tension, compression and simple shear exactly (Miller & Tadmor 2009, sec. 3)."""
    r = patch_test(_box(method, True), strains=(0.01, -0.01, SHEAR), rtol=1e-10)
    assert r.passed, r.message


def test_qce_has_ghost_forces_in_shear():
    """QCE (site energies + 1/3 of each element to its local nodes, Tadmor et al. 1996): ghost forces
    under simple shear even with nearest neighbours only (Shenoy et al. 1999); uniform dilatation is
    spared by the symmetry of the triangular lattice."""
    qce = _box("qce", True)
    assert patch_test(qce, strains=(0.01, -0.01), rtol=1e-10).passed
    shear = patch_test(qce, strains=(SHEAR,), rtol=1e-10)
    assert not shear.passed and shear.data["max_ghost_force"] > 1e-3 * shear.data["force_scale"][0]


def test_nonlinear_ghost_forces_are_second_order_and_blending_leaves_small_ones():
    """Nonlinear atoms next to a linear continuum: the residual is the O(e^2) nonlinearity (halving the
    strain quarters it), not a coupling error; QCF (atoms see only atoms) passes. The radial blending ramp
    is not linear in x, so blending keeps small ghost forces (van Koten & Luskin 2011, SIAM J. Numer.
    Anal. 49, 2182)."""
    c = _box("consistent", False)
    g1 = patch_test(c, strains=(0.01,)).data["max_ghost_force"]
    g2 = patch_test(c, strains=(0.005,)).data["max_ghost_force"]
    assert g1 / g2 == pytest.approx(4.0, rel=0.1)
    assert patch_test(_box("qcf", False), strains=(0.01, -0.01), rtol=1e-10).passed
    blended = patch_test(_box("blended", True), strains=(0.01, -0.01), rtol=1e-10)
    assert not blended.passed
    assert blended.data["max_ghost_force"] < 0.01 * max(blended.data["force_scale"])


def test_coupled_indentation_matches_full_atomistic_with_ten_times_fewer_dofs():
    """Cylindrical indenter (R = 10 a, depth a) on an LJ triangular slab of 121 x 70 sites; atomistic disc
    of radius 8 a: coupled displacements within 2 % (relative L2 over the disc) of the fully atomistic
    solution, indentation load within 2 %, with at least 10x fewer degrees of freedom."""
    nx, ny = 121, 70
    top = (ny - 1) * A * np.sqrt(3) / 2
    coupled = CoupledSlab(LJ, nx, ny, (60 * A, top), 8 * A)
    full = AtomisticSlab(LJ, nx, ny)
    indenter = Indenter(radius=10 * A, stiffness=10.0, center_x=60 * A, surface_y=top)
    res = indent(coupled, full, indenter, np.array([0.5, 1.0]) * A)
    assert res.relative_l2_error < 0.02
    assert res.dofs_atomistic >= 10 * res.dofs_coupled
    assert res.load_coupled[-1] == pytest.approx(res.load_atomistic[-1], rel=0.02)
    assert res.load_atomistic[-1] > res.load_atomistic[0] > 0


def test_bad_input_2d():
    with pytest.raises(InputError, match="method"):
        CoupledSlab(LJ, 30, 20, MID, 4 * A, method="magic")
    with pytest.raises(InputError, match="nearest-neighbour"):
        AtomisticSlab(LennardJones(shells=2), 10, 10)
    with pytest.raises(InputError, match="minimum"):
        AtomisticSlab(LennardJones(spacing=1.0), 10, 10)
    with pytest.raises(InputError, match="no energy"):
        _box("qcf", False).energy(np.zeros((_box("qcf", False).n_nodes, 2)))
