"""Melt-pond parameterisation: cross-validated fidelity, coarse vs resolved seasons, energy conservation."""

import pytest
import yaml

from scalebridge.apps.climate import SCENARIOS, Scenario, run


@pytest.fixture(scope="module")
def summary():
    return run(Scenario.model_validate(yaml.safe_load(SCENARIOS["arctic_first_year_ice"].read_text())))


def test_parameterisation_fidelity(summary):
    """5-fold CV (Rasmussen & Williams 2006, sec. 5.4) of the albedo GP: rms relative error below 1 %, max below
    5 %; held-out check (64 independent points) passes; pond fraction absolute CV error below 0.01 rms."""
    assert summary["cv_albedo_rms_relative"] < 0.01            # measured 2.9e-3
    assert summary["cv_albedo_max_relative"] < 0.05            # measured 2.8e-2
    assert summary["cv_pond_fraction_rms_absolute"] < 0.01     # measured 2.6e-3
    assert summary["fidelity"] and all(c["passed"] for c in summary["fidelity"])


def test_coarse_column_reproduces_resolved_season(summary):
    """Stated agreement (scenario tolerances): daily albedo RMS <= 0.01, end-of-season ice thickness within 2 %
    of the initial thickness (256-point design, GP with 3 restarts of its hyperparameter fit); the quasi-steady
    closure alone (exact relaxed ponds) is within 1 %."""
    c, e = summary["coarse_vs_resolved"], summary["closure_only_vs_resolved"]
    assert max(c["albedo_rms"]) <= 0.01 and max(c["ice_thickness_error"]) <= 0.02   # measured 3.4e-3, 6.5e-3
    assert max(e["albedo_rms"]) < 2e-3 and max(e["ice_thickness_error"]) < 0.01    # measured 1.3e-3, 8.3e-3
    assert summary["within_tolerance"]


def test_column_energy_conservation(summary):
    """Energy absorbed = latent heat of the snow and ice melted, L (rho_s dh_s + rho_i dh_i), to round-off."""
    assert max(summary["energy_closure_resolved"]) < 1e-12
    assert max(summary["energy_closure_coarse"]) < 1e-12


def test_ponds_fast_compared_with_the_season(summary):
    """Pond relaxation 0.75 d vs a 92 d season: the scale-separation check allows the learned (hierarchical) law."""
    (sep,) = summary["scale_separation"]
    assert sep["passed"] and sep["data"]["recommendation"] == "hierarchical"


def test_training_box_must_cover_the_columns():
    raw = yaml.safe_load(SCENARIOS["arctic_first_year_ice"].read_text())
    raw["columns"][0]["air_temperature_mean"] = "5 degC"
    with pytest.raises(Exception, match="training"):
        Scenario.model_validate(raw)
