"""The composites app: every method inside the bounds, BC ordering, CLI errors."""

import json

import numpy as np
import pytest
import yaml

from scalebridge.apps.composites import SCENARIOS, Scenario, run
from scalebridge.cli import main


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def summary(request):
    return run(Scenario.model_validate(yaml.safe_load(SCENARIOS[request.param].read_text())))


def test_cell_solutions_lie_inside_hashin_shtrikman(summary):
    """HS (1962, 1963; Hashin 1965 in 2-D) at the voxelised volume fractions bound every cell result."""
    lo, hi = summary["analytic"]["HS lower"], summary["analytic"]["HS upper"]
    for method, values in summary["numerical"].items():
        for name, v in values.items():
            assert lo[name] * (1 - 1e-9) <= v <= hi[name] * (1 + 1e-9), (method, name)


def test_boundary_conditions_order_and_fft_matches_fe_periodic(summary):
    """Huet (1990): traction <= periodic <= affine; FFT and FE periodic agree within discretisation (2 %)."""
    num = summary["numerical"]
    for name in num["FE periodic"]:
        assert num["FE traction"][name] <= num["FE periodic"][name] <= num["FE affine"][name]
        assert num["FFT periodic"][name] == pytest.approx(num["FE periodic"][name], rel=0.02)
    assert max(summary["hill_mandel"].values()) < 1e-8
    assert all(c["data"]["recommendation"] == "hierarchical" for c in summary["scale_separation"])


def test_cli_run_writes_record_and_figures(tmp_path):
    assert main(["run", str(SCENARIOS["glass_epoxy"]), "-o", str(tmp_path)]) == 0
    (record,) = tmp_path.iterdir()
    meta = json.loads((record / "run.json").read_text())
    assert meta["status"] == "finished"
    assert {"microstructure.png", "effective_properties.png", "scale_map.png"} <= set(meta["figures"])
    assert np.load(record / "arrays.npz")["phases"].shape == (128, 128)


@pytest.mark.parametrize("edit, expected", [
    (lambda raw: raw["phases"][1].pop("conductivity"), "needs ['conductivity']"),
    (lambda raw: raw["microstructure"].pop("radius"), "needs ['radius']"),
    (lambda raw: raw["phases"][0].update(conductivity="3 m"), "phases.0.conductivity"),
])
def test_bad_scenarios_exit_2(tmp_path, capsys, edit, expected):
    raw = yaml.safe_load(SCENARIOS["glass_epoxy"].read_text())
    edit(raw)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw))
    assert main(["run", str(path), "-o", str(tmp_path / "runs")]) == 2
    assert expected in capsys.readouterr().err
