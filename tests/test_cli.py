"""The command line: every command, and one clear message with exit code 2 for bad input."""

import json
from pathlib import Path

import pytest
import yaml

from scalebridge.apps.catalysis import SCENARIOS
from scalebridge.cli import main

SHIPPED = SCENARIOS["co_oxidation"]


def write_variant(tmp_path, edit) -> Path:
    raw = yaml.safe_load(SHIPPED.read_text())
    edit(raw)
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def test_list_shows_the_shipped_scenario(capsys):
    assert main(["list"]) == 0
    assert "catalysis/co_oxidation" in capsys.readouterr().out


def test_check_reports_units_and_scale_separation_without_solving(capsys):
    assert main(["check", str(SHIPPED)]) == 0
    out = capsys.readouterr().out
    assert "scale separation" in out and "hierarchical" in out and "FAIL" not in out


def test_describe_prints_the_model_tree_as_json(capsys):
    assert main(["describe", str(SHIPPED)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["name"] == "reactor (plug flow)"
    assert doc["inputs"]["inlet_concentration"]["unit"] == "mol/m^3"
    assert doc["children"][0]["parameters"]["input"] == "concentration"


def test_check_fails_when_scales_collide(tmp_path, capsys):
    path = write_variant(tmp_path, lambda raw: raw["pellet"].update(radius="5 cm"))
    assert main(["check", str(path)]) == 1
    assert "scales collide" in capsys.readouterr().out


def test_check_json_names_the_failing_bridge_and_exits_1(tmp_path, capsys):
    path = write_variant(tmp_path, lambda raw: raw["pellet"].update(radius="5 cm"))
    assert main(["check", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    (failed,) = [c for c in report["checks"] if not c["passed"]]
    assert report["passed"] is False and failed["data"]["coarse"] == "reactor"
    assert failed["data"]["recommendation"] == "scales collide"


def test_describe_formats_jsonld_and_markdown(capsys):
    pytest.importorskip("rdflib")
    assert main(["describe", str(SHIPPED), "--format", "jsonld"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert "emmo" in card["@context"] and card["@graph"]
    assert main(["describe", str(SHIPPED), "--format", "markdown"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("# Model card: ") and "## 4. Checks and validation" in page


def _set_temperature(raw, value):
    raw["conditions"]["temperature"] = value


BAD_INPUTS = {
    "unknown key": (lambda raw: raw["reactor"].update(lenght="1 m"), "reactor.lenght: unknown key"),
    "wrong unit dimension": (lambda raw: _set_temperature(raw, "500 m"), "conditions.temperature"),
    "negative temperature": (lambda raw: _set_temperature(raw, "-5 K"), "must be positive"),
    "missing section": (lambda raw: raw.pop("pellet"), "pellet: missing required key"),
    "missing step": (lambda raw: raw["mechanism"]["steps"].pop(), "'CO2_g' is not a gas of the mechanism"),
    "step without rate law": (lambda raw: raw["mechanism"]["steps"][0].pop("forward"), "needs 'equation' and 'forward'"),
    "unbalanced step": (lambda raw: raw["mechanism"]["steps"][0].update(equation="CO_g + 2* <-> CO*"), "site"),
    "unknown app": (lambda raw: raw.update(app="weather"), "unknown app 'weather'"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_one_message_and_exit_code_2(tmp_path, capsys, case):
    edit, expected = BAD_INPUTS[case]
    path = write_variant(tmp_path, edit)
    assert main(["run", str(path), "-o", str(tmp_path / "runs")]) == 2
    captured = capsys.readouterr()
    assert expected in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert not (tmp_path / "runs").exists()  # validation fails before anything runs


def test_missing_and_malformed_files_exit_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.yaml")]) == 2
    assert "cannot read scenario file" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("app: [unclosed")
    assert main(["check", str(bad)]) == 2
    assert "not valid YAML" in capsys.readouterr().err


def test_numerical_failure_exits_3_and_records_the_failure(tmp_path, capsys, monkeypatch):
    """A solver's ConvergenceError is reported (exit 3) and the run record says 'failed'."""
    import scalebridge.apps.catalysis as app
    from scalebridge.core import ConvergenceError

    def diverging(config, record, progress):
        raise ConvergenceError("pellet Newton did not converge at c_s = 4.0e-03 mol/m^3")

    monkeypatch.setattr(app, "run", diverging)
    assert main(["run", str(SHIPPED), "-o", str(tmp_path / "runs")]) == 3
    assert "pellet Newton did not converge" in capsys.readouterr().err
    (record,) = (tmp_path / "runs").iterdir()
    meta = json.loads((record / "run.json").read_text())
    assert meta["status"] == "failed" and "ConvergenceError" in meta["error"]


# ---------------------------------------------------------------- check a saved surrogate

def _saved_conductivity_surrogate(tmp_path, margin, degree):
    """A PCE of an Arrhenius ionic conductivity (Ea = 1 eV) on 550-650 K, saved to .npz."""
    import numpy as np

    from scalebridge.core import FunctionModel, Port, Scale
    from scalebridge.reduction import Declarations, fit_surrogate, save

    model = FunctionModel(lambda temperature: {"conductivity": 1e5 * np.exp(-1.0 / (8.617333e-5 * temperature))},
                          {"temperature": Port("K")}, {"conductivity": Port("S/m")}, Scale("1 um", np.inf), "ionic")
    surrogate = fit_surrogate(model, "pce", {"temperature": ("550 K", "650 K")}, 32, degree=degree, held_out=8,
                              declarations=Declarations(positive=("conductivity",), margin=margin))
    return save(surrogate, tmp_path / "conductivity.npz")


def test_check_a_saved_surrogate_prints_its_fidelity(tmp_path, capsys):
    path = _saved_conductivity_surrogate(tmp_path, margin=0.0, degree=5)
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "held-out error conductivity" in out and "positive conductivity" in out and "FAIL" not in out


def test_check_a_surrogate_that_goes_negative_outside_its_box_fails(tmp_path, capsys):
    path = _saved_conductivity_surrogate(tmp_path, margin=0.5, degree=3)
    assert main(["check", str(path)]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_check_a_file_that_is_not_a_surrogate_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.npz"
    bad.write_text("not an archive")
    assert main(["check", str(bad)]) == 2
    assert "cannot read surrogate file" in capsys.readouterr().err
