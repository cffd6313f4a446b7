"""The porous-flow app: HMM chain Stokes cells -> slip -> macro Darcy; conservation; CLI."""

import json

import numpy as np
import pytest
import yaml

from scalebridge.apps.porous_flow import SCENARIOS, Scenario, build, run
from scalebridge.core.describe import describe_json


@pytest.fixture(scope="module")
def summary():
    return run(Scenario.model_validate(yaml.safe_load(SCENARIOS["tight_gas"].read_text())))


def test_mass_conserved_and_slip_raises_the_flow(summary):
    """Discrete conservation (inflow = outflow to 1e-9); slip only adds flow: none < Klinkenberg < BK
    (BK's second-order and rarefaction terms add to the first-order slip, Beskok & Karniadakis 1999)."""
    f = summary["flows"]
    assert all(v["imbalance"] < 1e-9 for v in f.values())
    assert f["none"]["mass_flow_out"] < f["klinkenberg"]["mass_flow_out"] < f["beskok_karniadakis"]["mass_flow_out"]
    assert summary["slip_enhancement"] > 1.1


def test_cell_table_between_the_asymptotes(summary):
    """Every tabulated cell lies below the dilute series (Drummond & Tahir 1984) and the lubrication
    limit (Gebart 1992) at intermediate fractions, within 20 % of the nearer one."""
    t = summary["table"]
    c = np.array(t["solid_fraction"])
    from scalebridge.solvers.fem.stokes_cell import drummond_tahir_permeability, gebart_permeability

    K = np.array(t["permeability_over_l2"])
    assert np.all(K < drummond_tahir_permeability(c)) and np.all(K < gebart_permeability(c))
    assert np.all(K > 0.8 * np.minimum(drummond_tahir_permeability(c), gebart_permeability(c)))
    assert all(s["data"]["recommendation"] == "hierarchical" for s in summary["scale_separation"])


def test_build_describes_without_solving():
    s = Scenario.model_validate(yaml.safe_load(SCENARIOS["tight_gas"].read_text()))
    model = build(s)
    assert model.table._splines is None  # building solves nothing
    doc = json.loads(describe_json(model))
    assert doc["children"][0]["children"][0]["card"]["role"] == "solver"


def test_cli_run_and_bad_input(tmp_path, capsys):
    from scalebridge.apps import APPS
    from scalebridge.cli import main

    if "porous_flow" not in APPS:
        pytest.skip("app not registered yet")
    raw = yaml.safe_load(SCENARIOS["tight_gas"].read_text())
    raw["domain"]["elements"] = [10, 5]
    raw["table_points"] = 5
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(raw))
    assert main(["run", str(path), "-o", str(tmp_path / "runs")]) == 0
    (record,) = (tmp_path / "runs").iterdir()
    meta = json.loads((record / "run.json").read_text())
    assert {"cell_permeability.png", "apparent_permeability.png", "rock_pressure.png"} <= set(meta["figures"])
    raw["pressures"]["outlet"] = "3 MPa"
    path.write_text(yaml.safe_dump(raw))
    assert main(["check", str(path)]) == 2
    assert "outlet < inlet" in capsys.readouterr().err
