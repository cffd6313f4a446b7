"""Closed-form pellet laws: Thiele modulus, effectiveness factors, effective diffusivity."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError, UnitError
from scalebridge.core.units import ureg
from scalebridge.laws.transport import (
    GEOMETRIES,
    effective_diffusivity,
    effectiveness_factor,
    generalized_thiele_modulus,
    thiele_modulus,
    volume_to_surface_ratio,
)

# Reference values of the closed forms (tanh(phi)/phi, (2/phi) I1/I0,
# 3/phi^2 (phi coth phi - 1)) evaluated independently with mpmath at 30 digits.
REFERENCE = {
    "slab": {0.5: 0.92423431452002, 1.0: 0.761594155955765, 2.0: 0.482013790037908,
             5.0: 0.199981840852519, 20.0: 0.05},
    "cylinder": {0.5: 0.969998450323208, 1.0: 0.892779931793069, 2.0: 0.697774657964008,
                 5.0: 0.357353254817634, 20.0: 0.0974670507889807},
    "sphere": {0.5: 0.983720482431917, 1.0: 0.939105856497994, 2.0: 0.805972081091322,
               5.0: 0.480054482389212, 20.0: 0.1425},
}
ASYMPTOTE = {"slab": 1.0, "cylinder": 2.0, "sphere": 3.0}


def test_thiele_modulus_value_and_units():
    """phi = L sqrt(k/D) (Thiele 1939, Ind. Eng. Chem. 31, 916)."""
    assert thiele_modulus(2e-3, 4.0, 1e-6) == pytest.approx(2e-3 * np.sqrt(4.0 / 1e-6), rel=1e-15)
    phi = thiele_modulus(ureg("2 mm"), ureg("4 1/s"), ureg("0.01 cm^2/s"))
    assert phi == pytest.approx(4.0, rel=1e-14)
    assert np.allclose(thiele_modulus(np.array([1.0, 2.0]), 1.0, 1.0), [1.0, 2.0])
    assert thiele_modulus(1.0, 0.0, 1.0) == 0.0


@pytest.mark.parametrize("geometry", GEOMETRIES)
def test_effectiveness_factor_matches_reference_table(geometry):
    """Closed forms of Thiele (1939) and Aris (1975, vol. 1, sec. 3.2) against
    mpmath-evaluated values, to 1e-13 relative."""
    phis = np.array(sorted(REFERENCE[geometry]))
    expected = np.array([REFERENCE[geometry][p] for p in phis])
    assert np.allclose(effectiveness_factor(phis, geometry), expected, rtol=1e-13, atol=0)


@pytest.mark.parametrize("geometry", GEOMETRIES)
def test_small_modulus_limit_is_one_and_smooth(geometry):
    """phi -> 0 gives eta -> 1 - phi^2/(3, 8, 15) (Aris 1975, vol. 1, sec. 3.2): no 0/0,
    and no jump where the series hands over to the closed form."""
    assert effectiveness_factor(0.0, geometry) == 1.0
    phis = np.geomspace(1e-8, 0.2, 400)
    eta = effectiveness_factor(phis, geometry)
    curvature = {"slab": 3.0, "cylinder": 8.0, "sphere": 15.0}[geometry]
    lead = 1.0 - phis**2 / curvature
    assert np.all(np.abs(eta - lead) <= phis**4 / 5 + 1e-14)
    assert np.all(np.diff(eta) <= 1e-16)  # monotone decreasing


@pytest.mark.parametrize("geometry", GEOMETRIES)
def test_large_modulus_asymptote_without_overflow(geometry):
    """phi -> inf gives eta -> 1/phi (slab), 2/phi (cylinder), 3/phi (sphere)
    (Thiele 1939; Fogler, Elements of Chemical Reaction Engineering, ch. 15); no
    overflow warning at phi = 1e4 or beyond (warnings are errors here)."""
    phis = np.array([1e3, 1e4, 1e8, 1e200])
    eta = effectiveness_factor(phis, geometry)
    assert np.all(np.isfinite(eta))
    assert np.allclose(eta * phis / ASYMPTOTE[geometry], 1.0, rtol=1.1e-3)
    # Two-term asymptotics: 1/phi, (2/phi)(1 - 1/(2 phi)), (3/phi)(1 - 1/phi), up to
    # O(phi^-3) (Aris 1975, vol. 1, sec. 3.2).
    second = {"slab": 0.0, "cylinder": 0.5, "sphere": 1.0}[geometry]
    two_term = ASYMPTOTE[geometry] / phis * (1.0 - second / phis)
    assert np.allclose(eta, two_term, rtol=1e-6, atol=0)
    assert effectiveness_factor(1e4, geometry) == pytest.approx(two_term[1], rel=1e-9)
    assert effectiveness_factor(np.inf, geometry) == 0.0


def test_geometry_names_are_case_insensitive_and_default_is_sphere():
    assert effectiveness_factor(1.0, "Sphere") == effectiveness_factor(1.0)


def test_generalized_thiele_modulus_reduces_to_first_order():
    """First order: phi_gen = (V/S) sqrt(k/D), i.e. phi, phi/2, phi/3 for slab, cylinder,
    sphere (Aris 1957, Chem. Eng. Sci. 6, 262; Bischoff 1965, AIChE J. 11, 351)."""
    k, D, L = 7.0, 2e-6, 3e-3
    phi = thiele_modulus(L, k, D)
    for geometry, factor in (("slab", 1.0), ("cylinder", 2.0), ("sphere", 3.0)):
        vs = volume_to_surface_ratio(L, geometry)
        gen = generalized_thiele_modulus(lambda c: k * c, [0.5, 2.0], D, vs)
        assert np.allclose(gen, phi / factor, rtol=1e-10)
    # The (r, dr/dc) convention of the solvers is accepted too.
    gen = generalized_thiele_modulus(lambda c: (k * c, np.full_like(c, k)), 1.0, D, L / 3)
    assert gen == pytest.approx(phi / 3, rel=1e-10)


def test_generalized_thiele_modulus_zero_order_and_reversible():
    """Zero order: int_0^cs k dc = k cs, so phi_gen = (V/S) k / sqrt(2 D k cs); reversible
    first order r = k (c - c_eq): phi_gen = (V/S) sqrt(k/D) (Bischoff 1965, eq. 9)."""
    k, D, vs, cs = 5.0, 1e-6, 1e-3, 2.0
    gen = generalized_thiele_modulus(lambda c: np.full_like(c, k), cs, D, vs)
    assert gen == pytest.approx(vs * k / np.sqrt(2 * D * k * cs), rel=1e-10)
    gen = generalized_thiele_modulus(lambda c: k * (c - 0.5), cs, D, vs,
                                     equilibrium_concentration=0.5)
    assert gen == pytest.approx(vs * np.sqrt(k / D), rel=1e-10)


def test_effective_diffusivity_bruggeman_and_given_tortuosity():
    """D_eff = D eps / tau; Bruggeman tau = eps^-1/2 gives D eps^1.5 (Bruggeman 1935;
    Fogler, ch. 15)."""
    assert effective_diffusivity(1e-5, 0.36) == pytest.approx(1e-5 * 0.36**1.5, rel=1e-14)
    assert effective_diffusivity(1e-5, 0.4, 4.0) == pytest.approx(1e-6, rel=1e-14)
    assert effective_diffusivity(ureg("0.1 cm^2/s"), 1.0) == pytest.approx(1e-5, rel=1e-14)


@pytest.mark.parametrize(
    "call",
    [
        lambda: thiele_modulus(0.0, 1.0, 1.0),
        lambda: thiele_modulus(-1e-3, 1.0, 1.0),
        lambda: thiele_modulus(1e-3, -1.0, 1.0),
        lambda: thiele_modulus(1e-3, 1.0, 0.0),
        lambda: thiele_modulus(np.nan, 1.0, 1.0),
        lambda: effectiveness_factor(-0.1),
        lambda: effectiveness_factor(np.nan, "slab"),
        lambda: volume_to_surface_ratio(0.0),
        lambda: generalized_thiele_modulus(lambda c: c, 0.0, 1.0, 1.0),
        lambda: generalized_thiele_modulus(lambda c: -c, 1.0, 1.0, 1.0),
        lambda: generalized_thiele_modulus(3.0, 1.0, 1.0, 1.0),
        lambda: effective_diffusivity(1e-5, 0.0),
        lambda: effective_diffusivity(1e-5, 1.2),
        lambda: effective_diffusivity(1e-5, 0.4, 0.5),
        lambda: effective_diffusivity(-1e-5, 0.4),
    ],
)
def test_bad_inputs_raise_input_error(call):
    with pytest.raises(InputError):
        call()


def test_unknown_geometry_names_the_allowed_ones():
    with pytest.raises(InputError, match="slab.*cylinder.*sphere") as info:
        effectiveness_factor(1.0, "cube")
    assert "cube" in str(info.value)


def test_wrong_dimension_raises_unit_error():
    with pytest.raises(UnitError):
        thiele_modulus(ureg("2 s"), 1.0, 1.0)
