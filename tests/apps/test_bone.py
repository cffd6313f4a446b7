"""The bone app: FE fixed point under uniform stress, pattern orientation follows the load, CLI."""

import json

import numpy as np
import pytest
import yaml

from scalebridge.apps.bone import SCENARIOS, Scenario, run
from scalebridge.apps.bone.run import remodel
from scalebridge.laws.bone_remodelling import homeostatic_density
from scalebridge.solvers.tensors import to_mandel


def _raw():
    return yaml.safe_load(SCENARIOS["load_rotation"].read_text())


def test_uniform_stress_converges_to_closed_form_homeostatic_density():
    """Uniform far-field stress, local stimulus, no noise: the FE field stays uniform (patch test) and every
    point converges to rho* = (u1 rho0^g/(E0 k))^(1/(g+1)) (Weinans et al. 1992 fixed point) to 1e-6."""
    raw = _raw()
    raw.update(region={"size": "10 mm", "elements": 4}, initial={"density": "0.3 g/cm^3", "noise": 0.0})
    raw.pop("influence_distance")
    raw["loads"] = [{"principal_stresses": ["-2 MPa", "-0.4 MPa"], "angle_degrees": 30, "steps": 150}]
    s = Scenario.model_validate(raw)
    out = remodel(s)
    from scalebridge.apps.bone.chain import parameters, stress_tensor

    rho_star = homeostatic_density(to_mandel(stress_tensor(s.loads[0])), parameters(s))
    rho = out["state"]["density"]
    assert np.ptp(rho) < 1e-9 * rho_star
    assert rho.mean() == pytest.approx(rho_star, rel=1e-6)
    assert np.allclose(out["state"]["osteoblasts"], 1.0, atol=1e-6)   # balanced remodelling at homeostasis


@pytest.fixture(scope="module")
def summary():
    return run(Scenario.model_validate(_raw()))


def test_pattern_follows_principal_stress_direction(summary):
    """Struts grow along the principal compressive direction (Weinans et al. 1992; Mullender & Huiskes 1995)
    and realign when the load turns by 45 degrees: structure-tensor direction within 10 degrees."""
    for phase in summary["phases"]:
        assert phase["orientation_error_degrees"] < 10.0
        assert phase["anisotropy"] > 0.2
        assert phase["mean_density_kg_m3"] == pytest.approx(phase["homeostatic_density_kg_m3"], rel=0.01)
    assert summary["scale_separation"][0]["passed"]


def test_cli_run_writes_record(tmp_path, monkeypatch):
    from scalebridge import apps
    from scalebridge.cli import main

    monkeypatch.setitem(apps.APPS, "bone", "scalebridge.apps.bone")
    raw = _raw()
    raw["region"]["elements"] = 8
    for load in raw["loads"]:
        load["steps"] = 3
    path = tmp_path / "short.yaml"
    path.write_text(yaml.safe_dump(raw))
    assert main(["run", str(path), "-o", str(tmp_path / "runs")]) == 0
    (record,) = (tmp_path / "runs").iterdir()
    meta = json.loads((record / "run.json").read_text())
    assert meta["status"] == "finished"
    assert {"density_patterns.png", "remodelling_history.png"} <= set(meta["figures"])
    assert np.load(record / "arrays.npz")["density_load2"].shape == (256,)


@pytest.mark.parametrize("edit, expected", [
    (lambda raw: raw["cells"].pop("formation_rate"), "cells.formation_rate"),
    (lambda raw: raw["material"].update(exponent=7), "material.exponent"),
    (lambda raw: raw["loads"][0].update(principal_stresses=["2 m", "0 MPa"]), "principal_stresses"),
])
def test_bad_scenarios_exit_2(tmp_path, capsys, monkeypatch, edit, expected):
    from scalebridge import apps
    from scalebridge.cli import main

    monkeypatch.setitem(apps.APPS, "bone", "scalebridge.apps.bone")
    raw = _raw()
    edit(raw)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw))
    assert main(["run", str(path), "-o", str(tmp_path / "runs")]) == 2
    assert expected in capsys.readouterr().err
