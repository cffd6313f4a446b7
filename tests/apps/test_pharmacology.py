"""The pharmacology app: shipped scenario, mass balance, sham synergy, arms, CLI and errors."""

import json

import numpy as np
import pytest
import yaml

from scalebridge.apps.pharmacology import SCENARIOS, Scenario, build, run


@pytest.fixture(scope="module")
def summary():
    return run(Scenario.model_validate(yaml.safe_load(SCENARIOS["combination"].read_text())))


def test_mass_balance_and_dosed_amounts(summary):
    """Every drug: sum of compartments + eliminated + unabsorbed = dosed, to 1e-10; doses as scheduled."""
    a, b = summary["pk"]["A"], summary["pk"]["B"]
    assert max(a["mass_balance_error"], b["mass_balance_error"]) < 1e-10
    assert a["dosed_mg"] == pytest.approx(20 + 7 * 12) and b["dosed_mg"] == pytest.approx(14 * 25)


def test_synergy_measures(summary):
    """Sham combination CI = 1 to round-off; independent targets are Bliss additive by construction."""
    assert summary["sham_combination_index_error"] < 1e-12
    assert summary["synergy"]["bliss_excess_max_abs"] < 1e-12


def test_combination_kills_more_than_either_drug(summary):
    final = summary["final_tumour_cells"]
    assert final["A + B"] < min(final["A alone"], final["B alone"])


def test_chain_units_checked_without_solving():
    from scalebridge.core.checks import run_checks

    model = build(Scenario.model_validate(yaml.safe_load(SCENARIOS["combination"].read_text())))
    checks = run_checks(model)
    assert checks and all(c.passed for c in checks)
    assert {c.data["port"] for c in checks if c.name.startswith("units")} == {"concentration_A", "concentration_B"}


def test_cli_run_writes_record(tmp_path, monkeypatch):
    from scalebridge import apps
    from scalebridge.cli import main

    monkeypatch.setitem(apps.APPS, "pharmacology", "scalebridge.apps.pharmacology")
    raw = yaml.safe_load(SCENARIOS["combination"].read_text())
    raw.update(duration="2 d", output_interval="30 min")
    raw["drugs"][0]["doses"][1]["count"] = 2
    path = tmp_path / "short.yaml"
    path.write_text(yaml.safe_dump(raw))
    assert main(["run", str(path), "-o", str(tmp_path / "runs")]) == 0
    (record,) = (tmp_path / "runs").iterdir()
    meta = json.loads((record / "run.json").read_text())
    assert meta["status"] == "finished"
    assert {"pbpk_profiles.png", "qsp_response.png", "synergy.png"} <= set(meta["figures"])
    assert np.load(record / "arrays.npz")["tumour_cells"].shape == (3, 97)


@pytest.mark.parametrize("edit, expected", [
    (lambda raw: raw["drugs"][0]["partition"].pop("liver"), "missing ['liver']"),
    (lambda raw: raw["drugs"][1]["doses"][0].update(rate="1 mg/h"), "takes amount"),
    (lambda raw: raw["drugs"][0]["binding"].update(kon="1 m"), "drugs.0.binding.kon"),
    (lambda raw: raw["qsp"].update(target_tissue="brain"), "target_tissue"),
])
def test_bad_scenarios_exit_2(tmp_path, capsys, monkeypatch, edit, expected):
    from scalebridge import apps
    from scalebridge.cli import main

    monkeypatch.setitem(apps.APPS, "pharmacology", "scalebridge.apps.pharmacology")
    raw = yaml.safe_load(SCENARIOS["combination"].read_text())
    edit(raw)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw))
    assert main(["run", str(path), "-o", str(tmp_path / "runs")]) == 2
    assert expected in capsys.readouterr().err
