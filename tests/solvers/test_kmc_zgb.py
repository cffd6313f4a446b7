"""The Ziff-Gulari-Barshad model: kinetic phase transitions, and what mean field misses."""

import numpy as np
import pytest

pytest.importorskip("numba")

from scalebridge.solvers.kmc import ZGB_Y1, ZGB_Y2, mean_field_zgb, run_zgb, square_lattice  # noqa: E402

LAT = square_lattice(64)
MCS = 2000
SEEDS = (0, 1, 2)


def _fates(y):
    return [run_zgb(LAT, y, MCS, seed=s).poisoned for s in SEEDS]


def test_three_regimes():
    """O-poisoned at y = 0.35, reactive at 0.45, CO-poisoned at 0.56 (Ziff, Gulari & Barshad 1986)."""
    assert _fates(0.35) == ["O"] * 3
    assert _fates(0.56) == ["CO"] * 3
    r = run_zgb(LAT, 0.45, MCS, seed=0)
    assert r.poisoned is None
    assert np.all(r.co2_per_site[MCS // 2:] > 0) and r.coverages[-1, 0] > 0   # CO2 forms in every MCS


@pytest.mark.parametrize("which, published, below, above", [
    ("y1", ZGB_Y1[0], "O", None), ("y2", ZGB_Y2[0], None, "CO")])
def test_transitions_bracketed_within_0_01(which, published, below, above):
    """y1 = 0.3874(2) (Jensen, Fogedby & Dickman 1990) and y2 = 0.52560(1) (Brosilow & Ziff 1992):
    on a 64^2 lattice over 2000 MCS, every run at y - 0.01 and none at y + 0.01 poisons as
    expected (resp. stays reactive)."""
    assert _fates(published - 0.01) == [below] * 3
    assert _fates(published + 0.01) == [above] * 3


def test_mean_field_misses_the_o_poisoning_transition():
    """Site approximation (Dickman 1986, Phys. Rev. A 34, 4246): reactive for every 0 < y < 2/3, so at
    y = 0.35 (O-poisoned on the lattice) mean field predicts a finite TOF, and at 0.56 (CO-poisoned)
    too. Checked against the solvers.microkinetics rate equations with a fast (k = 1e4) LH step."""
    from scalebridge.solvers.microkinetics import solve_steady_state
    y = np.array([0.35, 0.56])
    theta, tof = mean_field_zgb(y)
    assert np.all(tof > 0)
    a = np.array([[1, 0, 0], [2, 0, 0], [0, 1, 1]], float)     # (*, CO, O): CO ads, O2 ads, LH
    b = np.array([[0, 1, 0], [0, 0, 2], [2, 0, 0]], float)
    kf = np.stack([y, 1 - y, np.full(2, 1e4)], axis=1)
    mf = solve_steady_state(kf, np.zeros_like(kf), a, b)
    np.testing.assert_allclose(mf.coverages[:, 0], theta, rtol=1e-2)
    np.testing.assert_allclose(mf.net_rates[:, 2], tof, rtol=1e-2)
    assert [run_zgb(LAT, v, MCS, seed=0).poisoned for v in y] == ["O", "CO"]
