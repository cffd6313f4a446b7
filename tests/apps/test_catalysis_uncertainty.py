"""Catalysis UQ: DFT barrier errors (epistemic) vs site-energy spread (aleatoric), nested to TOF and pellet."""

import numpy as np
import pytest
import yaml
from scipy.constants import electron_volt, k as k_B

from scalebridge.apps.catalysis import SCENARIOS
from scalebridge.apps.catalysis.uncertainty import SitePatchModel
from scalebridge.cli import main
from scalebridge.core import InputError
from scalebridge.laws.mechanism import Mechanism
from scalebridge.uq import Interval, Normal, Uncertain, nested

DATA = yaml.safe_load(SCENARIOS["co_oxidation"].read_text())
MECHANISM = Mechanism.from_dict(DATA["mechanism"])
T, P = 600.0, {"CO_g": 20.0, "O2_g": 2.1e4, "CO2_g": 0.0}
EV = electron_volt


def patch(n):
    return SitePatchModel(MECHANISM, "CO2_g", T, P, [("CO_oxidation", "forward")], "CO_adsorption", n)


def inputs(n, barrier=0.0, sites=None):
    sites = np.zeros((1, n)) if sites is None else np.atleast_2d(sites)
    return {"barrier_CO_oxidation_forward": np.full(len(sites), barrier),
            **{f"site_energy_{i + 1}": sites[:, i] for i in range(n)}}


def test_patch_reduces_to_the_mean_field_tof_and_shifts_rate_constants():
    """Zero shifts: the TOF of the shipped mean-field model. A site energy d on every site is the
    same as raising the CO desorption barrier by d: k_des -> k_des exp(-d / k_B T) (Arrhenius)."""
    kf, kr = MECHANISM.rate_constants(np.array([T]), P)
    stoich = (MECHANISM.gas_product_orders - MECHANISM.gas_reactant_orders)[:, MECHANISM.gases.index("CO2_g")]
    reference = MECHANISM.network.steady_state(kf, kr).net_rates @ stoich
    np.testing.assert_allclose(patch(3).evaluate(inputs(3))["tof"], reference, rtol=1e-10)
    d = 0.05 * EV
    shifted = kr.copy()
    shifted[0, 0] *= np.exp(-d / (k_B * T))
    expected = MECHANISM.network.steady_state(kf, shifted).net_rates @ stoich
    np.testing.assert_allclose(patch(3).evaluate(inputs(3, sites=np.full((1, 3), d)))["tof"], expected, rtol=1e-10)


def test_averaging_over_sites_narrows_the_aleatoric_spread_but_keeps_the_epistemic_bias():
    """Sites i.i.d.: Var(patch TOF) = Var(site TOF) / n exactly, and E[patch TOF] = E[site TOF],
    so the std falls by sqrt(16) = 4 from 1 to 16 sites while the epistemic range of the mean stays
    (nested QMC, 128 aleatoric samples per DFT-error vertex, +-0.15 eV)."""
    results = {}
    for n in (1, 16):
        declared = [Uncertain("barrier_CO_oxidation_forward", Interval("-0.15 eV", "0.15 eV"), "epistemic")]
        declared += [Uncertain(f"site_energy_{i + 1}", Normal("0 eV", "0.05 eV"), "aleatoric") for i in range(n)]
        results[n] = nested(patch(n), declared, inner=128, seed=3)["tof"]
    lo1, hi1 = results[1].mean_bounds()
    lo16, hi16 = results[16].mean_bounds()
    assert hi1 / lo1 > 5                                     # the epistemic bias: a factor ~8
    assert lo16 == pytest.approx(lo1, rel=0.15) and hi16 == pytest.approx(hi1, rel=0.15)
    std1, std16 = results[1].samples.std(axis=1), results[16].samples.std(axis=1)
    ratio = std1 / std16
    assert np.all((ratio > 4 / 1.35) & (ratio < 4 * 1.35)), ratio   # 1/sqrt(n) within sampling error


def test_bad_barrier_is_refused():
    with pytest.raises(InputError, match="not a step"):
        SitePatchModel(MECHANISM, "CO2_g", T, P, [("CO_hop", "forward")], "CO_adsorption", 2)
    with pytest.raises(InputError, match="n_sites"):
        SitePatchModel(MECHANISM, "CO2_g", T, P, [], "CO_adsorption", 0)


def test_scenario_with_uncertainty_runs_the_nested_study(tmp_path):
    data = dict(DATA)
    data["uncertainty"] = {"barrier_errors": [{"step": "CO_oxidation", "half_width": "0.15 eV"}],
                           "site_energy": {"step": "CO_adsorption", "std": "0.05 eV"}, "sites": [1, 4], "samples": 32}
    data["tables"] = {"points": 12, "decades": 4}
    path = tmp_path / "uq.yaml"
    path.write_text(yaml.safe_dump(data))
    assert main(["run", str(path), "--output", str(tmp_path / "runs")]) == 0
    (record,) = (tmp_path / "runs").iterdir()
    assert (record / "uncertainty_pboxes.png").exists()
    arrays = np.load(record / "arrays.npz")
    assert arrays["uq_tof_4_sites"].shape == (2, 32)
    data["uncertainty"]["barrier_errors"][0]["step"] = "CO_hop"
    path.write_text(yaml.safe_dump(data))
    assert main(["check", str(path)]) == 2
