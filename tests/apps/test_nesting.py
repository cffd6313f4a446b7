"""One-way nesting: transport schemes vs the moving Gaussian pulse, the nest's content balance, nest vs fine."""

import json

import numpy as np
import pytest
import yaml

from scalebridge.apps.nesting import SCENARIOS
from scalebridge.apps.nesting.nest import gaussian_plume_cell_averages, nested_transport
from scalebridge.cli import main
from scalebridge.core.errors import InputError
from scalebridge.solvers.advection_diffusion import AdvectionDiffusion1D

PLUME = dict(mass=1.0, centre=2e3, width=300.0, velocity=0.4, diffusivity=20.0)
RUN = dict(length=10e3, velocity=0.4, diffusivity=20.0, mass=1.0, centre=2e3, width=300.0, nest=(4.5e3, 5.5e3),
           time_refinement=10, duration=3 * 3600.0, outputs=12, source_rate=1e-3, source_position=4.8e3,
           source_width=15.0)


def _pulse_error(cells, dt):
    model = AdvectionDiffusion1D(cells, 10e3, PLUME["velocity"], PLUME["diffusivity"])
    exact = lambda t: gaussian_plume_cell_averages(model.faces, t, **PLUME)  # noqa: E731
    hist = model.run(exact(0.0), dt, int(round(3 * 3600 / dt)), lambda t: (0.0, 0.0))
    return np.linalg.norm(hist.concentrations[-1] - exact(hist.times[-1])) / np.linalg.norm(exact(hist.times[-1]))


def test_crank_nicolson_finite_volumes_converge_to_the_moving_gaussian_pulse_at_second_order():
    """Closed form: c = M / sqrt(2 pi s^2) exp(-(x - x0 - u t)^2 / (2 s^2)), s^2 = s0^2 + 2 D t (Crank 1975,
    sec. 2.2), in exact cell averages. Measured relative L2 errors after 3 h: 2.7e-2 (100 cells, 60 s),
    6.7e-3 (200, 30 s), 1.7e-3 (400, 15 s), 4.2e-4 (800, 7.5 s): ratio 4.0 per halving, order 2."""
    e1, e2 = _pulse_error(100, 60.0), _pulse_error(200, 30.0)
    assert e1 < 0.03 and 3.8 < e1 / e2 < 4.2


def test_nest_closes_its_content_balance_and_tracks_the_whole_domain_fine_run():
    """With a 30 m source the 100 m coarse grid cannot resolve, the nest (10x finer in space and time) stays
    within 0.5 % of the fine run over the whole domain while the coarse run is off by 3 %; the content of the
    nest changes by exactly what crosses its boundary plus what the source releases (round-off)."""
    r = nested_transport(coarse_cells=100, refinement=10, coarse_step=60.0, **RUN)
    print(r.errors, r.content_imbalance, r.flux_mismatch)
    assert r.content_imbalance < 1e-12
    assert r.errors["nest"] < 0.005 and r.errors["coarse"] > 0.02
    assert r.errors["nest"] < 0.2 * r.errors["coarse"]
    assert r.flux_mismatch < 0.02                # the two models agree on what crosses a and b, within the coarse error


def test_nest_error_is_set_by_its_inflow_and_falls_with_the_coarse_resolution():
    """The nest inherits the coarse model's inflow: refining the coarse grid (same nest cells) reduces it."""
    coarse = nested_transport(coarse_cells=100, refinement=10, coarse_step=60.0, **RUN)
    finer = nested_transport(coarse_cells=200, refinement=5, coarse_step=30.0, **{**RUN, "time_refinement": 5})
    assert finer.errors["nest"] < 0.5 * coarse.errors["nest"]


def test_bad_nests_are_named():
    with pytest.raises(InputError, match="coarse cell faces"):
        nested_transport(coarse_cells=100, refinement=10, coarse_step=60.0, **{**RUN, "nest": (4.55e3, 5.5e3)})


def test_scenario_run_check_and_a_failing_configuration(tmp_path, capsys):
    path = SCENARIOS["plume_through_nest"]
    assert main(["run", str(path), "-o", str(tmp_path)]) == 0
    (record,) = tmp_path.iterdir()
    meta = json.loads((record / "run.json").read_text())
    assert meta["results"]["content_imbalance"] < 1e-12 and (record / "nesting.png").exists()
    assert meta["results"]["error_nest_vs_fine"] < 0.005
    raw = yaml.safe_load(path.read_text())
    raw["flow"]["diffusivity"] = "5 m^2/s"                      # cell Peclet 8 on the coarse grid
    bad = tmp_path / "peclet.yaml"
    bad.write_text(yaml.safe_dump(raw))
    capsys.readouterr()
    assert main(["check", str(bad)]) == 1
    assert "cell Peclet coarse" in capsys.readouterr().out
    raw["nest"]["start"] = "4.55 km"
    bad.write_text(yaml.safe_dump(raw))
    assert main(["check", str(bad)]) == 2
    assert "nest.start" in capsys.readouterr().err
