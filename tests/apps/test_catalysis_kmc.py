"""Mean field vs lattice kMC in the catalysis app: the scenario's kmc block, the advisor, the study."""

import json

import numpy as np
import pytest
import yaml

pytest.importorskip("numba")

from scalebridge.apps.catalysis import SCENARIOS, Scenario, build  # noqa: E402
from scalebridge.apps.catalysis.kmc_study import kmc_study  # noqa: E402
from scalebridge.cli import main  # noqa: E402
from scalebridge.core.checks import run_checks  # noqa: E402

# 750 K: the shipped Pt mechanism is reactive over 100..400 Pa CO (mean-field TOF 3e3 .. 5e4 1/s)
KMC = {"lattice_size": 16, "sweep": {"parameter": "CO_g", "start": "100 Pa", "stop": "400 Pa", "points": 3},
       "hop_rate": "1e7 1/s", "events": 300_000, "seed": 0}


def _scenario(**kmc):
    data = yaml.safe_load(SCENARIOS["co_oxidation"].read_text())
    data["conditions"]["temperature"] = "750 K"
    data["kmc"] = {**KMC, **kmc}
    return data


def _advisor(data):
    (check,) = [c for c in run_checks(build(Scenario.model_validate(data))) if c.name == "mean-field validity"]
    return check


@pytest.fixture(scope="module")
def run_record(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kmc")
    path = tmp / "scenario.yaml"
    path.write_text(yaml.safe_dump(_scenario()))
    assert main(["run", str(path), "-o", str(tmp / "runs")]) == 0
    (record,) = (tmp / "runs").iterdir()
    return json.loads((record / "run.json").read_text()), record


def test_run_with_kmc_block_writes_figure_arrays_and_advisor_verdict(run_record):
    meta, record = run_record
    assert (record / "kmc_vs_mean_field.png").stat().st_size > 10_000
    arrays = np.load(record / "arrays.npz")
    assert arrays["kmc_sweep_CO_g_Pa"].shape == arrays["kmc_tof_per_s"].shape == (3,)
    assert arrays["kmc_snapshots"].shape == (3, 16, 16)
    assert len(meta["results"]["kmc"]["tof_kmc"]) == 3
    (advisor,) = [c for c in meta["checks"] if c["name"] == "mean-field validity"]
    assert advisor["passed"] and advisor["data"]["recommendation"] == "mean field"


def test_without_interactions_and_with_fast_diffusion_both_methods_agree(run_record):
    """Da = k_LH / Gamma = 4.9e5 / 1e7 = 0.05, no interactions: the advisor passes and kMC TOF agrees with
    mean field within 3 block errors or 5 % at every pressure (measured kMC / mean field: 0.94, 0.96, 1.03 at 7, 3, 7 % errors)."""
    k = run_record[0]["results"]["kmc"]
    print("kMC / mean-field TOF:", np.array(k["tof_kmc"]) / k["tof_mean_field"],
          "relative errors:", np.array(k["tof_kmc_error"]) / k["tof_kmc"])
    assert not any(k["disagree"])
    assert np.all(np.array(k["tof_kmc"]) > 0)


def test_strong_attraction_makes_the_advisor_recommend_kmc_and_the_study_disagree():
    """O-O attraction of -0.15 eV = -2.3 k_B T at 750 K: O islands poison the lattice (measured kMC / mean-field TOF: 5e-14, 4e-14, 0.22; Zhdanov & Kasemo 1994,
    Surf. Sci. Rep. 20, 111) where mean field, blind to correlations, stays reactive."""
    data = _scenario(interactions=[{"species": ["O*", "O*"], "energy": "-0.15 eV"}])
    advisor = _advisor(data)
    assert not advisor.passed and advisor.data["recommendation"] == "kinetic Monte Carlo"
    assert advisor.data["interaction_energy_kT"] == pytest.approx(0.15 / (8.617333262e-5 * 750), rel=1e-6)
    c = kmc_study(Scenario.model_validate(data))
    print("kMC / mean-field TOF:", c.tof_kmc / c.tof_mean_field)
    assert c.disagree.all()
    assert np.all(c.tof_kmc < 0.5 * c.tof_mean_field)


def test_slow_diffusion_alone_triggers_the_advisor():
    advisor = _advisor(_scenario(hop_rate="1e5 1/s"))
    assert not advisor.passed and advisor.data["damkohler"] == pytest.approx(4.87e5 / 1e5, rel=0.01)


def test_kmc_block_is_strict_and_names_bad_species():
    with pytest.raises(ValueError, match="kmc.sweep.parameter"):
        Scenario.model_validate(_scenario(sweep={**KMC["sweep"], "parameter": "H2_g"}))
    with pytest.raises(ValueError, match=r"start \(K for parameter 'temperature'\)"):
        Scenario.model_validate(_scenario(sweep={"parameter": "temperature", "start": "100 Pa", "stop": "800 K"}))
    with pytest.raises(ValueError, match="not adsorbates"):
        Scenario.model_validate(_scenario(interactions=[{"species": ["O*", "H*"], "energy": "0.1 eV"}]))
    with pytest.raises(ValueError, match="extra"):
        Scenario.model_validate(_scenario(lattice="square"))


def test_temperature_sweep_marks_the_oxygen_island_regime_above_light_off():
    """Temperature sweep of the kmc block (650..900 K, 200 Pa CO, 21 kPa O2, Gamma = 1e7 1/s, O-O attraction
    -0.1 eV = -1.8..-1.3 k_B T). Below light-off the surface is CO-covered (mean-field theta_CO >= 0.97), the O-O
    attraction has nothing to act on and both methods agree; above it mean field is O-rich and reactive, while on the
    lattice O islands raise the CO* + O* barrier and close the vacancies CO needs, so the lattice poisons with O
    (Zhdanov & Kasemo 1994, Surf. Sci. Rep. 20, 111, sec. 5; Evans 1991, Langmuir 7, 2514).

    Measured (16 x 16, 200,000 events per point, seed 0), kMC / mean-field TOF:
    650 K 0.65 (kMC error 20 %), 700 K 1.14, 750 K 2.5e-5, 800 K 1.0e-9, 850 K 5.3e-9, 900 K 5.3e-8.
    """
    data = _scenario(sweep={"parameter": "temperature", "start": "650 K", "stop": "900 K", "points": 6},
                     interactions=[{"species": ["O*", "O*"], "energy": "-0.1 eV"}], events=200_000)
    data["conditions"]["pressures"]["CO_g"] = "200 Pa"
    c = kmc_study(Scenario.model_validate(data))
    print("T:", c.values, "kMC / mean-field TOF:", c.tof_kmc / c.tof_mean_field)
    assert c.parameter == "temperature" and c.unit == "K"
    np.testing.assert_allclose(c.values, np.linspace(650, 900, 6))
    co_covered = c.coverages_mean_field["CO*"] > 0.9
    assert co_covered.tolist() == [True, True, False, False, False, False]
    assert not c.disagree[co_covered].any()
    assert c.disagree[~co_covered].all() and np.all(c.tof_kmc[~co_covered] < 0.01 * c.tof_mean_field[~co_covered])
