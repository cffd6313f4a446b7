"""The multicomponent app against the Duncan & Toor (1962) experiment; Fick shows no uphill diffusion."""

import json

import numpy as np
import pytest
import yaml

from scalebridge.apps.multicomponent import SCENARIOS, Scenario, run


@pytest.fixture(scope="module")
def summary():
    return run(Scenario.model_validate(yaml.safe_load(SCENARIOS["duncan_toor"].read_text())))


def test_compositions_match_duncan_toor(summary):
    """Duncan & Toor (1962) measured bulb compositions (4 times x 2 bulbs x 3 species, digitised, +-0.005):
    Maxwell–Stefan within 0.015 mole fraction everywhere; Fick misses N2 by > 0.05."""
    d = summary["duncan_toor_1962"]
    assert d["max_abs_difference"] < 0.015
    assert d["fick_max_abs_difference_N2"] > 0.05


def test_n2_uphill_diffusion_and_barrier_timing(summary):
    """Duncan & Toor (1962): N2 rises to 0.572 in the H2 bulb (3.8 h) and has fallen by 8 h; the model
    peaks within 0.01 of it, with reverse diffusion from minutes to the barrier (zero N2 flux) before 8 h."""
    n2 = summary["extrema"]["N2"]
    d = summary["duncan_toor_1962"]
    assert n2["bulb2_max"] == pytest.approx(d["n2_peak_data"], abs=0.01)
    r = summary["regimes"]["N2"]
    (barrier,) = r["barrier_times_s"]
    assert 3.8 * 3600 < barrier < 8 * 3600
    assert barrier == pytest.approx(n2["bulb2_argmax_s"], abs=200)      # zero flux at the composition maximum
    assert r["reverse_from_s"] < 600 and r["reverse_to_s"] == pytest.approx(barrier, abs=200)
    assert len(r["osmotic_times_s"]) == 1 and r["osmotic_times_s"][0] < 600   # N2 gradient vanishes, flux does not
    f = summary["fick_regimes"]["N2"]
    assert f["reverse_duration_s"] == 0 and not f["barrier_times_s"]


def test_conservation_and_capillary_quasi_steady(summary):
    """Every species conserved to 1e-10 in all three models; quasi-steady capillary within 0.005 of resolved."""
    assert max(max(v) for v in summary["conservation"].values()) < 1e-10
    assert summary["quasi_steady_max_difference"] < 5e-3
    assert all(c["data"]["recommendation"] == "hierarchical" for c in summary["scale_separation"])


@pytest.mark.parametrize("edit, expected", [
    (lambda raw: raw["bulb1"].update(N2=0.6), "sum to 1"),
    (lambda raw: raw["diffusivities"].pop("H2-N2"), "missing ['H2-N2']"),
    (lambda raw: raw["apparatus"].update(capillary_length="3 K"), "apparatus.capillary_length"),
])
def test_bad_scenarios_exit_2(tmp_path, capsys, edit, expected):
    from scalebridge.apps import APPS
    from scalebridge.cli import main

    if "multicomponent" not in APPS:
        pytest.skip("app not registered yet")
    raw = yaml.safe_load(SCENARIOS["duncan_toor"].read_text())
    edit(raw)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw))
    assert main(["check", str(path)]) == 2
    assert expected in capsys.readouterr().err


def test_cli_run_writes_record(tmp_path):
    from scalebridge.apps import APPS
    from scalebridge.cli import main

    if "multicomponent" not in APPS:
        pytest.skip("app not registered yet")
    assert main(["run", str(SCENARIOS["duncan_toor"]), "-o", str(tmp_path)]) == 0
    (record,) = tmp_path.iterdir()
    meta = json.loads((record / "run.json").read_text())
    assert {"bulb_compositions.png", "fluxes_and_driving_forces.png"} <= set(meta["figures"])
    assert np.load(record / "arrays.npz")["ms_bulb1"].shape == (401, 3)
