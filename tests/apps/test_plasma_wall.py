"""Plasma-facing wall: closed forms of conduction and the coupling chosen by the scale-separation check."""

import numpy as np
import pytest
import yaml

from scalebridge.apps.plasma_wall import SCENARIOS, Scenario, build, run
from scalebridge.apps.plasma_wall.chain import fine_model, recommended_coupling
from scalebridge.core.checks import check_scale_separation
from scalebridge.core.errors import ScaleSeparationError
from scalebridge.coupling.hierarchical import Tabulated
from scalebridge.coupling.on_the_fly import OnTheFly
from scalebridge.laws.heat_conduction import semi_infinite_surface_rise, slab_steady_surface_temperature


def scenario(name, **changes):
    raw = yaml.safe_load(SCENARIOS[name].read_text())
    for key, value in changes.items():
        section, _, field = key.partition(".")
        if field:
            raw[section][field] = value
        else:
            raw[section] = value
    return Scenario.model_validate(raw)


@pytest.fixture(scope="module")
def summaries():
    return {name: run(scenario(name)) for name in ("steady_divertor", "elm_transient")}


def test_fine_model_matches_semi_infinite_solution():
    """Carslaw & Jaeger (1959) sec. 2.9: dT_s = 2 q sqrt(t/(pi k rho c)) while sqrt(alpha t) << L; within 0.1 %."""
    s = scenario("elm_transient")
    fine = fine_model(s)
    t = np.array([1e-6, 1e-5, 1e-4, 5e-4, 1e-3])          # heated depth 6 um .. 0.2 mm << 6 mm
    rise = fine.evaluate({"heat_flux": np.full(t.size, 1e9), "exposure_time": t})["surface_temperature_rise"]
    m = s.material
    exact = semi_infinite_surface_rise(1e9, t, m.conductivity, m.density, m.heat_capacity)
    assert np.max(np.abs(rise / exact - 1)) < 1e-3        # measured 1.7e-4


def test_fine_model_relaxes_to_steady_slab():
    """Steady plane wall with film cooling: T_s = T_c + q (L/k + 1/h) (Incropera & DeWitt, sec. 3.1), to 1e-8."""
    s = scenario("steady_divertor")
    fine = fine_model(s)
    q = np.array([1e6, 1e7, 2e7])
    rise = fine.evaluate({"heat_flux": q, "exposure_time": np.full(3, 60 * fine.relaxation_time)})
    exact = slab_steady_surface_temperature(q, s.armour.thickness, s.material.conductivity,
                                            s.armour.heat_transfer_coefficient, s.armour.coolant_temperature)
    assert np.allclose(rise["surface_temperature_rise"] + s.armour.coolant_temperature, exact, rtol=1e-8)


def test_check_picks_hierarchical_for_steady_and_concurrent_for_elm():
    """scale_separation (E & Engquist 2003 thresholds): eps = delta^2/(alpha tau) decides; the build follows it."""
    steady, elm = scenario("steady_divertor"), scenario("elm_transient")
    assert recommended_coupling(steady) == "hierarchical"
    assert recommended_coupling(elm) == "concurrent"
    assert isinstance(build(steady).fine, Tabulated) and isinstance(build(elm).fine, OnTheFly)
    for s in (steady, elm):
        (result,) = check_scale_separation(build(s))
        assert result.passed
    assert check_scale_separation(build(steady))[0].data["recommendation"] == "hierarchical"
    assert check_scale_separation(build(elm))[0].data["recommendation"] == "concurrent"


def test_forcing_the_table_onto_the_elm_fails_the_check():
    """A hierarchical bridge where the check says concurrent is flagged (the check reads the tree)."""
    (result,) = check_scale_separation(build(scenario("elm_transient", coupling="hierarchical")))
    assert not result.passed and "concurrent" in result.message


def test_scales_collide_is_refused():
    """A 5 us pulse on a 50 um zone (relaxation 59 us): eps > 0.2, no local closure."""
    with pytest.raises(ScaleSeparationError, match="scales collide"):
        build(scenario("elm_transient", **{"loading.duration": "5 us"}))


def test_hierarchical_run_reproduces_steady_slab(summaries):
    """Tabulated steady law vs T_c + q(L/k + 1/h) along the ramp; quasi-steady lag below 0.2 % (tau_relax/ramp ~ 1e-3)."""
    s = summaries["steady_divertor"]
    assert s["coupling_used"] == "hierarchical" and s["recommendation"] == "hierarchical"
    assert s["max_relative_error_of_rise"] < 1e-6        # measured 1.4e-10: the law is linear, the spline exact
    assert s["reference_peak_K"] == pytest.approx(981.47, abs=0.01)
    lag = (s["peak_surface_temperature_K"] - s["comparison_peak_K"]) / (s["peak_surface_temperature_K"] - 373.0)
    assert 0 < lag < 2e-3                                  # measured 1.0e-3


def test_concurrent_run_reproduces_semi_infinite_pulse(summaries):
    """On-the-fly fine model vs steady background + 2q sqrt(t/(pi k rho c)) (and its switch-off), within 0.1 %."""
    s = summaries["elm_transient"]
    assert s["coupling_used"] == "concurrent" and s["recommendation"] == "concurrent"
    assert s["max_relative_error_of_rise"] < 1e-3        # measured 4.2e-4
    assert s["peak_surface_temperature_K"] == pytest.approx(s["reference_peak_K"], rel=1e-3)
    assert s["fine_evaluations"] < s["requests"]          # repeated requests answered from the cache
    assert s["comparison_peak_K"] > 10 * s["peak_surface_temperature_K"]   # the steady law misapplied


def test_bad_scenario_exits_2_naming_the_key(tmp_path, capsys):
    from scalebridge.cli import main

    raw = yaml.safe_load(SCENARIOS["elm_transient"].read_text())
    raw["armour"]["thickness"] = "6 K"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw))
    assert main(["check", str(path)]) == 2
    assert "armour.thickness" in capsys.readouterr().err
