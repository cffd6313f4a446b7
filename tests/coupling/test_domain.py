"""1-D atomistic/continuum couplings (scalebridge.coupling.domain): ghost forces and patch tests.

References: Shenoy et al. 1999, J. Mech. Phys. Solids 47, 611; Miller & Tadmor 2009, Modelling Simul.
Mater. Sci. Eng. 17, 053001 (sec. 3, patch test; sec. 4.1, QCE ghost forces); Shimokawa et al. 2004,
Phys. Rev. B 69, 214104 (QNL); Dobson & Luskin 2008, M2AN 42, 113 (ghost-force correction -> QCF).
"""

import numpy as np
import pytest
from scipy.optimize import brentq

from scalebridge.core.checks import patch_test
from scalebridge.core.errors import InputError
from scalebridge.coupling.domain import QCE, QCF, QNL, AtomisticChain, BlendedQC, GhostForceCorrectedQC
from scalebridge.coupling.pair_potentials import HarmonicBonds, LennardJones

N, ATOMISTIC = 81, (30, 50)
_lj = LennardJones(shells=2)
A0 = brentq(lambda r: _lj.force(r) + 2 * _lj.force(2 * r), 1.0, 1.2)   # stress-free NN+NNN LJ chain
POTENTIALS = {"harmonic": HarmonicBonds((1.0, 0.25), 1.0), "lj": LennardJones(shells=2, spacing=A0),
              "lj_prestressed": _lj}
CORRECTED = [QNL, QCF, GhostForceCorrectedQC, BlendedQC]


@pytest.mark.parametrize("name", POTENTIALS)
@pytest.mark.parametrize("strain", [0.02, -0.02])
def test_qce_ghost_forces_have_the_derived_size_and_pattern(name, strain):
    """Under uniform stretch F the QCE forces are (+1/2, -1/2, -1/2, +1/2) phi_2'(2Fa) on atoms lo-2..lo+1,
    mirrored at hi, and zero elsewhere (derivation in the module docstring; Shenoy et al. 1999)."""
    pot = POTENTIALS[name]
    qce = QCE(pot, N, ATOMISTIC, element_size=4)
    f = qce.forces(qce.reference_positions * strain)[:, 0]
    f2 = pot.force(2 * (1 + strain) * pot.spacing, 2)
    expected = np.zeros(N)
    lo, hi = ATOMISTIC
    expected[[lo - 2, lo - 1, lo, lo + 1]] = [0.5 * f2, -0.5 * f2, -0.5 * f2, 0.5 * f2]
    expected[[hi - 1, hi, hi + 1, hi + 2]] = [-0.5 * f2, 0.5 * f2, 0.5 * f2, -0.5 * f2]
    interior = np.ones(qce.n_nodes, bool)
    interior[qce.fixed_nodes] = False
    assert f[interior] == pytest.approx(expected[qce.sites[interior]], abs=1e-10 * abs(f2))
    result = patch_test(qce, strains=(strain,))
    assert not result.passed
    assert result.data["max_ghost_force"] == pytest.approx(0.5 * abs(f2), rel=1e-10)


@pytest.mark.parametrize("name", POTENTIALS)
@pytest.mark.parametrize("cls", CORRECTED, ids=lambda c: c.__name__)
def test_corrected_couplings_pass_the_patch_test(name, cls):
    """QNL, QCF, ghost-force-corrected QCE and linear blending: no ghost forces to round-off, in tension
    and compression (Miller & Tadmor 2009, Table 2: these pass the patch test)."""
    coupling = cls(POTENTIALS[name], N, ATOMISTIC, element_size=4)
    result = patch_test(coupling, strains=(0.02, -0.02), rtol=1e-10)
    assert result.passed, result.message


def test_qce_forces_are_the_energy_gradient():
    """QCE is an energy: forces = -dE/dx (central differences), and its stiffness is symmetric."""
    qce = QCE(POTENTIALS["lj"], 41, (15, 25), element_size=3)
    u = 0.01 * np.sin(np.arange(qce.n_nodes))
    h = 1e-6
    fd = np.array([-(qce.energy(u + h * e) - qce.energy(u - h * e)) / (2 * h) for e in np.eye(qce.n_nodes)])
    assert qce.forces(u)[:, 0] == pytest.approx(fd, abs=1e-7)
    K = qce.stiffness(u).toarray()
    assert np.allclose(K, K.T)
    qcf = QCF(POTENTIALS["lj"], 41, (15, 25), element_size=3)
    assert not np.allclose(qcf.stiffness(u).toarray(), qcf.stiffness(u).toarray().T)   # force-based: not symmetric
    with pytest.raises(InputError, match="no energy"):
        qcf.energy(u)


def test_loaded_chain_corrected_couplings_beat_qce():
    """A force dipole inside the atomistic region of a stress-free LJ NN+NNN chain, ends held: the
    consistent couplings agree with each other (QNL = QCF = blended in 1-D; Shenoy's dead-load iteration
    converges to QCF, Dobson & Luskin 2008) and are closer to the full chain than QCE."""
    pot = POTENTIALS["lj"]
    n, region = 121, (50, 70)

    def dipole(c):
        f = np.zeros(c.n_nodes)
        f[np.searchsorted(c.sites, [59, 61])] = [-0.5, 0.5]
        return f

    full = AtomisticChain(pot, n)
    ua = full.solve((0.0, 0.0), dipole(full)).u
    errors = {}
    for cls in [QCE] + CORRECTED:
        c = cls(pot, n, region, element_size=4)
        sites, u = c.atom_displacements(c.solve((0.0, 0.0), dipole(c)).u)
        errors[cls.__name__] = np.abs(u - ua[sites]).max()
    assert errors["QNL"] == pytest.approx(errors["QCF"], rel=1e-8)
    assert errors["BlendedQC"] == pytest.approx(errors["QCF"], rel=1e-8)
    assert errors["GhostForceCorrectedQC"] == pytest.approx(errors["QCF"], rel=1e-4)
    assert errors["QCE"] > 3 * errors["QNL"]


def test_bad_geometry():
    with pytest.raises(InputError, match="atomistic"):
        QCE(POTENTIALS["harmonic"], 20, (0, 5))
    with pytest.raises(InputError, match="width"):
        BlendedQC(POTENTIALS["harmonic"], 40, (15, 25), width=0)
