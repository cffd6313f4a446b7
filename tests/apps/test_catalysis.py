"""The catalysis chain, end to end, against references that do not come from the chain itself."""

import json

import numpy as np
import pytest
import yaml

from scalebridge.apps.catalysis import SCENARIOS, Scenario, build
from scalebridge.apps.catalysis.chain import feed_concentration
from scalebridge.cli import main
from scalebridge.laws.mechanism import Mechanism
from scalebridge.laws.microkinetics import MicrokineticModel


@pytest.fixture(scope="module")
def scenario():
    return Scenario.model_validate(yaml.safe_load(SCENARIOS["co_oxidation"].read_text()))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Run ``scalebridge demo`` once; return the run record's metadata and its directory."""
    out = tmp_path_factory.mktemp("runs")
    assert main(["demo", "-o", str(out)]) == 0
    (record,) = out.iterdir()
    return json.loads((record / "run.json").read_text()), record


def test_demo_writes_a_complete_run_record(demo, capsys):
    meta, record = demo
    assert meta["status"] == "finished"
    assert set(meta["figures"]) == {"scale_map.png", "coverages_vs_temperature.png",
                                    "effectiveness_vs_thiele.png", "conversion_along_bed.png"}
    for name in meta["figures"]:
        assert (record / name).stat().st_size > 10_000
    arrays = np.load(record / "arrays.npz")
    assert arrays["reactor_conversion"][0] == 0.0 and np.all(np.diff(arrays["reactor_conversion"]) >= 0)
    assert all(c["passed"] for c in meta["checks"])
    assert meta["inputs"]["conditions"]["temperature"] == "600 K"
    for key in ("tof_per_s", "thiele_modulus", "effectiveness_factor", "outlet_conversion"):
        assert np.isfinite(meta["results"][key])


def test_steady_state_closes_the_site_balance(demo):
    """Site balance: sum of coverages (free sites included) = 1 to 1e-12."""
    assert demo[0]["results"]["site_balance_error"] < 1e-12


def test_degrees_of_rate_control_sum_to_one(demo):
    """Campbell (2001), J. Catal. 204, 520: sum_j X_j = 1 for a single overall reaction."""
    assert sum(demo[0]["results"]["degree_of_rate_control"].values()) == pytest.approx(1.0, abs=1e-6)


def test_strongly_limited_pellet_follows_the_bischoff_asymptote(demo):
    """Bischoff (1965), AIChE J. 11, 351: eta -> 1/phi_gen for phi_gen >> 1, any rate law.

    At phi_gen ~ 100 the first correction is O(1/phi_gen) (1/(3 phi_gen) for a first-order
    sphere), so eta * phi_gen must lie within 1 % of 1.
    """
    r = demo[0]["results"]
    assert r["thiele_modulus"] > 30
    assert r["effectiveness_factor"] * r["thiele_modulus"] == pytest.approx(1.0, abs=0.01)


def test_tof_table_reproduces_direct_microkinetics_between_nodes(scenario):
    """The hierarchical bridge (log-log spline of the TOF) vs direct steady-state solves, off-grid."""
    reactor = build(scenario)
    table = reactor.fine.children[0]
    grid = table.table[table.input]
    p = np.sqrt(grid[:-1] * grid[1:])  # midpoints in log space, the worst place for a spline
    feed = dict(scenario.conditions.pressures)
    direct = MicrokineticModel(Mechanism.from_dict(scenario.mechanism)).turnover_frequency(
        "CO2_g", scenario.conditions.temperature, {**feed, "CO_g": p})
    np.testing.assert_allclose(table.evaluate({"pressure_CO_g": p})["tof"], direct, rtol=2e-3)


def test_outlet_conversion_is_converged_in_table_resolution(scenario):
    """Doubling the bridging-table resolution changes the outlet conversion by < 1e-4."""
    c_in = np.array([feed_concentration(scenario)])
    coarse = build(scenario).evaluate({"inlet_concentration": c_in})["outlet_conversion"][0]
    fine_tables = scenario.model_copy(update={"tables": scenario.tables.model_copy(update={"points": 81})})
    fine = build(fine_tables).evaluate({"inlet_concentration": c_in})["outlet_conversion"][0]
    assert 0.5 < coarse < 1.0
    assert abs(fine - coarse) < 1e-4
