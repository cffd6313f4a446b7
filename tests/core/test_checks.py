"""Static checks: units of connections, scale separation, dimensionless groups."""

import numpy as np
import pytest

from scalebridge.core import (FunctionModel, InputError, Port, Scale, UnitError, biot, chain,
                              check_scale_separation, check_units, damkohler, knudsen, peclet,
                              run_checks, scale_separation, thiele, upscale)
from scalebridge.core.checks import CONCURRENT_BELOW, HIERARCHICAL_BELOW


@pytest.mark.parametrize("fine_length, fine_time, verdict", [
    ("1 nm", "1 ps", "hierarchical"),   # eps = 1e-3
    ("50 nm", "1 ps", "concurrent"),     # eps = 0.05
    ("300 nm", "1 ps", "scales collide"),  # eps = 0.3
    ("1 nm", "0.5 us", "scales collide"),  # time ratio 0.5 dominates
    ("2 um", "1 ps", "scales collide"),  # fine larger than coarse
])
def test_scale_separation_verdicts_follow_documented_thresholds(fine_length, fine_time, verdict):
    s = scale_separation(Scale("1 um", "1 us", "coarse"), Scale(fine_length, fine_time, "fine"))
    assert s.recommendation == verdict
    assert s.epsilon == max(s.length_ratio, s.time_ratio)
    assert HIERARCHICAL_BELOW < CONCURRENT_BELOW


def test_scale_separation_rejects_inverted_thresholds():
    with pytest.raises(InputError):
        scale_separation(Scale(1, 1), Scale(1e-3, 1e-3), hierarchical_below=0.5, concurrent_below=0.1)


def _tree(fine_scale):
    fine = FunctionModel(lambda x: {"y": x}, {"x": Port("K")}, {"y": Port("1/s")}, fine_scale, "fine")
    up = upscale(fine, lambda c: {"x": c["x"]}, lambda ev, c: {"y": ev["y"]}, inputs={"x": Port("K")},
                 outputs={"y": Port("1/s")}, scale=Scale("1 mm", "1 s", "coarse"), name="bridge")
    consumer = FunctionModel(lambda y: {"z": y}, {"y": Port("1/s")}, {"z": Port("1/s")},
                             Scale("1 m", "1000 s"), "consumer")
    return chain(up, consumer, name="tree")


def test_run_checks_reports_units_and_separation_of_the_tree():
    results = run_checks(_tree(Scale("1 nm", "1 ps", "atoms")))
    names = [r.name for r in results]
    assert "units bridge.y -> consumer.y" in names
    assert all(r.passed for r in results)
    seps = check_scale_separation(_tree(Scale("1 nm", "1 ps")))
    # the upscale bridge, and the chain connection from the finer 'bridge' to 'consumer'
    assert [r.name for r in seps] == ["scale separation consumer / bridge", "scale separation bridge / fine"]
    assert all(r.data["recommendation"] == "hierarchical" for r in seps)


def test_colliding_scales_fail_the_check():
    _, sep = check_scale_separation(_tree(Scale("0.5 mm", "1 ps", "grains")))
    assert not sep.passed and "scales collide" in sep.message


def test_unit_check_flags_a_connection_altered_after_construction():
    tree = _tree(Scale("1 nm", "1 ps"))
    c = tree.couplings[0]
    from dataclasses import replace
    tree.couplings[0] = replace(c, input_port=Port("m"))
    (bad,) = [r for r in check_units(tree) if not r.passed]
    assert "unit mismatch" in bad.message


def test_dimensionless_numbers_closed_form_and_unit_checks():
    """Definitions from Bird, Stewart & Lightfoot (2002) and Fogler (2016), ch. 15."""
    assert thiele("1 mm", "100 1/s", "1e-8 m^2/s") == pytest.approx(1e-3 * np.sqrt(100 / 1e-8))
    assert knudsen("68 nm", "10 nm") == pytest.approx(6.8)
    assert damkohler("2 1/s", "3 s") == pytest.approx(6.0)
    assert peclet("1 cm/s", "1 cm", "1e-9 m^2/s") == pytest.approx(1e-2 * 1e-2 / 1e-9)
    assert biot("10 W/(m^2*K)", "1 cm", "0.5 W/(m*K)") == pytest.approx(0.2)
    with pytest.raises(UnitError, match="diffusivity"):
        thiele("1 mm", "1 1/s", "1 m/s")
    with pytest.raises(InputError, match="length"):
        knudsen(1e-9, -1.0)


def test_steady_coarse_model_constrains_only_lengths():
    import math
    s = scale_separation(Scale("1 m", math.inf, "steady reactor"), Scale("1 mm", "10 s", "pellet"))
    assert s.time_ratio == 0.0 and s.recommendation == "hierarchical"
    s = scale_separation(Scale("1 m", "1 s", "transient reactor"), Scale("1 mm", "10 s", "pellet"))
    assert s.recommendation == "scales collide"


def test_mean_field_validity_advisor():
    """Weak interactions and fast diffusion: mean field; strong attraction (beyond the quasi-chemical
    critical coupling 2 ln(1/2) = -1.39 of the square lattice) or reaction faster than hops: kMC."""
    from scalebridge.core.checks import check_mean_field_validity
    ok = check_mean_field_validity(0.05, reaction_rate=1.0, diffusion_rate=1e3)
    assert ok.passed and ok.data["recommendation"] == "mean field"
    strong = check_mean_field_validity(-1.5, reaction_rate=1.0, diffusion_rate=1e3)
    assert not strong.passed and "lateral interactions" in strong.message and "kMC" in strong.message
    slow = check_mean_field_validity(0.0, reaction_rate=10.0, diffusion_rate=1.0)
    assert not slow.passed and slow.data["damkohler"] == pytest.approx(10.0)
    with pytest.raises(InputError, match="diffusion_rate"):
        check_mean_field_validity(0.0, 1.0, 0.0)
