"""chain and upscale: wiring, unit/shape checks, lift/restrict."""

import numpy as np
import pytest

from scalebridge.core import (FunctionModel, InputError, Port, Scale, ShapeError, UnitError, chain,
                              describe, describe_json, upscale)

ATOMS = Scale("1 nm", "1 ps", "atomistic")
SURFACE = Scale("1 um", "1 ms", "surface")


def rate_model():
    return FunctionModel(lambda temperature: {"rate_constant": 1e13 * np.exp(-1.2e4 / temperature)},
                         {"temperature": Port("K")}, {"rate_constant": Port("1/s")}, ATOMS, "tst")


def tof_model():
    return FunctionModel(lambda rate_constant, coverage: {"tof": rate_constant * coverage},
                         {"rate_constant": Port("1/s"), "coverage": Port("")}, {"tof": Port("1/s")},
                         SURFACE, "surface")


def test_chain_wires_by_name_and_evaluates():
    c = chain(rate_model(), tof_model())
    assert set(c.inputs) == {"temperature", "coverage"}
    assert set(c.outputs) == {"rate_constant", "tof"}
    T = np.array([500.0, 600.0])
    ev = c.evaluate({"temperature": T, "coverage": np.array([0.5, 0.25])})
    np.testing.assert_allclose(ev["tof"], 1e13 * np.exp(-1.2e4 / T) * [0.5, 0.25], rtol=1e-15)
    assert len(c.couplings) == 1 and c.couplings[0].input == "rate_constant"


def test_chain_unit_mismatch_names_both_ports_units_and_models():
    wrong = FunctionModel(lambda rate_constant: {"x": rate_constant}, {"rate_constant": Port("m/s")},
                          {"x": Port("m/s")}, SURFACE, "consumer")
    with pytest.raises(UnitError) as err:
        chain(rate_model(), wrong)
    msg = str(err.value)
    for part in ("'rate_constant'", "'tst'", "'consumer'", "1/s", "m/s"):
        assert part in msg


def test_chain_shape_mismatch_is_reported():
    wrong = FunctionModel(lambda rate_constant: {"x": rate_constant[:, 0]},
                          {"rate_constant": Port("1/s", (2,))}, {"x": Port("1/s")}, SURFACE, "vector")
    with pytest.raises(ShapeError, match=r"shape \(\) .* expects \(2,\)"):
        chain(rate_model(), wrong)


def test_chain_rejects_duplicate_names():
    with pytest.raises(InputError, match="unique"):
        chain(rate_model(), rate_model())


def test_chain_with_a_feedback_loop_is_rejected_as_a_cycle():
    """surface needs the coverage that a later model computes from its own tof: a cycle, not a chain."""
    coverage = FunctionModel(lambda tof: {"coverage": tof / (1.0 + tof)}, {"tof": Port("1/s")},
                             {"coverage": Port("")}, SURFACE, "coverage")
    with pytest.raises(InputError, match=r"model 'coverage' provides 'coverage'.*cycle"):
        chain(rate_model(), tof_model(), coverage)


def test_upscale_lifts_solves_and_restricts():
    """A fine model of N independent sites, restricted by averaging, is an upscaled law."""
    fine = FunctionModel(lambda energies: {"occupation": 1 / (1 + np.exp(energies))},
                         {"energies": Port("", (4,))}, {"occupation": Port("", (4,))}, ATOMS, "sites")
    coarse = upscale(
        fine,
        lift=lambda c: {"energies": c["shift"][:, None] + np.array([-1.0, 0.0, 0.5, 2.0])},
        restrict=lambda ev, c: {"mean_occupation": ev["occupation"].mean(axis=1)},
        inputs={"shift": Port("")}, outputs={"mean_occupation": Port("")}, scale=SURFACE, name="average")
    shift = np.array([0.0, 1.0])
    ev = coarse.evaluate({"shift": shift})
    expected = (1 / (1 + np.exp(shift[:, None] + [-1.0, 0.0, 0.5, 2.0]))).mean(axis=1)
    np.testing.assert_allclose(ev["mean_occupation"], expected, rtol=1e-15)
    assert coarse.children == [fine]


def test_upscale_reports_a_lift_that_misses_fine_inputs():
    fine = tof_model()
    bad = upscale(fine, lift=lambda c: {"rate_constant": c["T"]}, restrict=lambda ev, c: {"y": ev["tof"]},
                  inputs={"T": Port("K")}, outputs={"y": Port("1/s")}, scale=Scale("1 m", "1 s"))
    with pytest.raises(InputError, match="coverage"):
        bad.evaluate({"T": np.array([1.0])})


def test_describe_lists_tree_units_scales_and_couplings():
    import json
    c = chain(rate_model(), tof_model(), name="kinetics")
    doc = describe(c)
    assert doc["name"] == "kinetics" and doc["type"] == "Chain"
    assert [ch["name"] for ch in doc["children"]] == ["tst", "surface"]
    assert doc["children"][0]["outputs"]["rate_constant"]["unit"] == "1/s"
    assert doc["children"][0]["scale"]["length_m"] == pytest.approx(1e-9)
    assert doc["couplings"] == [{"from": "tst.rate_constant", "to": "surface.rate_constant",
                                 "unit": "1/s", "kind": "chain"}]
    assert json.loads(describe_json(c)) == doc


def test_upscale_passes_restricted_tangents_up():
    fine = FunctionModel(lambda x: ({"y": 3 * x}, {("y", "x"): np.full_like(x, 3.0)}),
                         {"x": Port("")}, {"y": Port("")}, ATOMS, "linear")
    coarse = upscale(fine, lift=lambda c: {"x": 2 * c["X"]},
                     restrict=lambda ev, c: ({"Y": ev["y"]}, {("Y", "X"): 2 * ev.tangents[("y", "x")]}),
                     inputs={"X": Port("")}, outputs={"Y": Port("")}, scale=SURFACE)
    ev = coarse.evaluate({"X": np.array([1.0, 2.0])})
    np.testing.assert_array_equal(ev["Y"], [6.0, 12.0])
    np.testing.assert_array_equal(ev.tangents[("Y", "X")], [6.0, 6.0])
