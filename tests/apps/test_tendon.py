"""The tendon app: shipped scenario, J curve vs closed form, linear slope, crosslink trend, CLI errors."""

import json

import numpy as np
import pytest
import yaml

from scalebridge.apps import tendon
from scalebridge.apps.tendon import SCENARIOS, Scenario, run


@pytest.fixture(scope="module")
def summary():
    return run(Scenario.model_validate(yaml.safe_load(SCENARIOS["fascicle"].read_text())))


def test_j_curve_matches_the_triangular_closed_form(summary):
    """Derived cubic-toe closed form (laws/tendon.py): 2000 quantile fibrils agree to 1e-6 of the peak stress."""
    assert summary["reference"] == "closed form"
    assert summary["max_relative_difference_vs_reference"] < 1e-6


def test_linear_region_and_tangent(summary):
    """All fibrils recruited at 7 % strain: slope phi E_f; tangent vs finite differences below 1e-6."""
    assert summary["all_recruited_at_max_strain"]
    assert summary["linear_region_modulus_Pa"] == pytest.approx(summary["linear_region_modulus_expected_Pa"], rel=1e-12)
    assert summary["tangent_check_relative_error"] < 1e-6
    assert all(c["passed"] for c in summary["scale_separation"])


def test_crosslinks_stiffen_linear_region_monotonically(summary):
    rows = summary["crosslink_sweep"]
    moduli = [r["linear_region_modulus_Pa"] for r in rows]
    assert np.all(np.diff(moduli) > 0)
    assert all(r["linear_region_modulus_Pa"] == pytest.approx(0.6 * r["fibril_modulus_Pa"]) for r in rows)


def test_cli_run_writes_record(tmp_path, monkeypatch):
    from scalebridge import apps
    from scalebridge.cli import main

    monkeypatch.setitem(apps.APPS, "tendon", "scalebridge.apps.tendon")
    assert main(["run", str(SCENARIOS["fascicle"]), "-o", str(tmp_path)]) == 0
    (record,) = tmp_path.iterdir()
    meta = json.loads((record / "run.json").read_text())
    assert meta["status"] == "finished"
    assert {"j_curve.png", "crosslink_sweep.png"} <= set(meta["figures"])
    assert np.load(record / "arrays.npz")["stress_Pa"].shape == (141,)


@pytest.mark.parametrize("edit, expected", [
    (lambda raw: raw["fibrils"]["crimp"].pop("mode"), "missing ['mode']"),
    (lambda raw: raw["fibrils"]["modulus"].update(saturated="2 m"), "fibrils.modulus.saturated"),
    (lambda raw: raw["fibrils"].update(volume_fraction=1.5), "fibrils.volume_fraction"),
    (lambda raw: raw.update(colour="red"), "colour: unknown key"),
])
def test_bad_scenarios_exit_2(tmp_path, capsys, monkeypatch, edit, expected):
    from scalebridge import apps
    from scalebridge.cli import main

    monkeypatch.setitem(apps.APPS, "tendon", "scalebridge.apps.tendon")
    raw = yaml.safe_load(SCENARIOS["fascicle"].read_text())
    edit(raw)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw))
    assert main(["run", str(path), "-o", str(tmp_path / "runs")]) == 2
    assert expected in capsys.readouterr().err


def test_app_exports():
    assert set(tendon.__all__) == {"Scenario", "build", "run", "summary_table", "SCENARIOS"}
