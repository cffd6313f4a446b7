"""Tests of the mechanism layer: equation parsing, validation, rate constants."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError, UnitError
from scalebridge.laws import kinetics
from scalebridge.laws.mechanism import Mechanism, Step, parse_equation

from example_mechanisms import ANALYTIC, CO_OX


def test_parse_equation():
    r, p, rev = parse_equation("O2_g + 2* <-> 2O*")
    assert r == {"O2_g": 1.0, "*": 2.0} and p == {"O*": 2.0} and rev
    r, p, rev = parse_equation("CO* + O* -> CO2_g + 2 *")
    assert r == {"CO*": 1.0, "O*": 1.0} and p == {"CO2_g": 1.0, "*": 2.0} and not rev


def test_rate_constants_match_bridging_laws():
    """Mechanism rate constants are those of scalebridge.laws.kinetics, in SI."""
    mech = Mechanism.from_yaml(CO_OX)
    assert mech.surface_species == ["*", "CO*", "O*"] and mech.gases == ["CO_g", "O2_g", "CO2_g"]
    T = np.array([400.0, 600.0])
    kf, kr = mech.rate_constants(T)
    kco = kinetics.collision_adsorption_rate_constant(0.8, "28.01 u", T, "6.7e-20 m^2")
    np.testing.assert_allclose(kf[:, 0], kco, rtol=1e-12)
    np.testing.assert_allclose(kr[:, 0], kinetics.arrhenius(1e15, "1.45 eV", T), rtol=1e-12)
    np.testing.assert_allclose(kf[:, 2], kinetics.arrhenius(1e13, "1.0 eV", T), rtol=1e-12)
    assert np.all(kr[:, 2] == 0)
    kfe, kre = mech.rate_constants(T, {"CO_g": 10.0, "O2_g": 20.0, "CO2_g": 5.0})
    np.testing.assert_allclose(kfe, kf * [10.0, 20.0, 1.0], rtol=1e-14)
    np.testing.assert_allclose(kre, kr * [1.0, 1.0, 5.0], rtol=1e-14)


def test_step_object_direct():
    s = Step("x", "CO* + O* -> CO2_g + 2*", {"eyring": {"barrier": "1 eV"}})
    assert not s.reversible and s.products == {"CO2_g": 1.0, "*": 2.0}


def test_from_yaml_file(tmp_path):
    path = tmp_path / "mech.yaml"
    path.write_text(CO_OX)
    assert Mechanism.from_yaml(path).step_names == ["CO_ads", "O2_ads", "LH"]
    assert Mechanism.from_yaml(str(path)).step_names == ["CO_ads", "O2_ads", "LH"]


def _with(step_index, **changes):
    import copy
    spec = copy.deepcopy(ANALYTIC)
    spec["steps"][step_index].update(changes)
    return spec


@pytest.mark.parametrize("spec, error, match", [
    (_with(1, equation="A* -> B_g + 2*"), InputError, r"step 'rxn'.*does not conserve sites"),
    (_with(1, equation="A* -> B + *"), InputError, r"step 'rxn'.*cannot read term 'B'"),
    (_with(1, forward={"arrhenious": {"prefactor": 1.0, "activation_energy": 0.0}}), InputError,
     r"step 'rxn' forward: unknown rate-law key 'arrhenious'"),
    (_with(1, forward={"arrhenius": {"prefactor": "1e13 1/s"}}), InputError,
     r"step 'rxn' forward arrhenius: missing parameter 'activation_energy'"),
    (_with(1, forward={"arrhenius": {"prefactor": "1e13 1/s", "activation_energy": "1 m"}}), UnitError,
     r"step 'rxn' forward arrhenius.activation_energy"),
    (_with(0, forward={"arrhenius": {"prefactor": "1e3 1/s", "activation_energy": "0 eV"}}), UnitError,
     r"step 'ads' forward arrhenius.prefactor"),
    (_with(0, forward={"collision": {"sticking_coefficient": 0.5, "mass": "2 u", "site_area": "1e-19 m^2",
                                     "gas": "CO_g"}}), InputError, r"step 'ads' forward collision.gas: unknown species 'CO_g'"),
    (_with(0, forward={"collision": {"sticking_coefficient": 0.5, "site_area": "1e-19 m^2"}}), InputError,
     r"step 'ads' forward collision: missing parameter 'mass'"),
    (_with(0, forward={"eyring": {"barrier": "0.1 eV"}}), InputError, r"step 'ads'.*gas reactants"),
    (_with(0, reverse=None), InputError, r"step 'ads': reversible step needs a 'reverse'"),
    (_with(1, reverse={"eyring": {"barrier": "1 eV"}}), InputError, r"step 'rxn': irreversible"),
    (_with(0, reverse={"equilibrium": {"reaction_energy": "-1 eV"}}) | {"masses": {"X_g": "1 u"}},
     InputError, r"masses: unknown species \['X_g'\]"),
])
def test_mechanism_validation_errors(spec, error, match):
    with pytest.raises(error, match=match):
        Mechanism.from_dict(spec)
