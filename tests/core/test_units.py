"""The unit registry and SI conversions."""

import numpy as np
import pytest

from scalebridge.core import UnitError, energy_per_particle, to_si, ureg
from scalebridge.core.errors import ShapeError
from scalebridge.core.units import check_dimension, parse_quantity, same_dimension


def test_to_si_converts_quantities_and_strings():
    """1 eV = 1.602176634e-19 J exactly (SI 2019 redefinition, CODATA 2018)."""
    assert to_si("1 eV", "J") == pytest.approx(1.602176634e-19, rel=1e-15)
    assert to_si(ureg.Quantity(2.0, "bar"), "Pa") == pytest.approx(2e5, rel=1e-15)
    assert to_si("25 degC", "K") == pytest.approx(298.15, rel=1e-15)


def test_plain_numbers_are_taken_as_si():
    assert to_si(550.0, "K") == 550.0
    np.testing.assert_array_equal(to_si([1.0, 2.0], "Pa"), [1.0, 2.0])


def test_wrong_dimension_names_what_and_expected():
    with pytest.raises(UnitError, match=r"temperature: got 1 m .*expected a quantity in K"):
        to_si("1 m", "K", "temperature")


def test_unreadable_quantity_is_a_unit_error():
    with pytest.raises(UnitError, match="cannot read"):
        parse_quantity("12 furlongs per blorp", "speed")


def test_molar_and_particle_energies_agree():
    """1 eV per particle = 96.485 332 12 kJ/mol (CODATA 2018: e * N_A)."""
    assert energy_per_particle("96.48533212 kJ/mol") == pytest.approx(to_si("1 eV", "J"), rel=1e-9)
    with pytest.raises(UnitError):
        energy_per_particle("3 m", "barrier")


def test_dimension_helpers():
    assert same_dimension("eV", "J")
    assert not same_dimension("eV", "J/mol")
    check_dimension(3.0, "K")  # plain numbers pass
    with pytest.raises(UnitError):
        check_dimension(ureg.Quantity(1, "s"), "m", "length")


def test_lists_of_quantities_convert_element_wise():
    """Strings, quantities and plain SI numbers may be mixed in a (nested) list or tuple."""
    ev = to_si("1 eV", "J")
    out = to_si(["1 eV", "2 eV"], "J")
    assert isinstance(out, np.ndarray) and out.dtype == float
    np.testing.assert_allclose(out, [ev, 2 * ev], rtol=1e-15)
    np.testing.assert_allclose(to_si((ureg("1 eV"), 2.0), "J"), [ev, 2.0], rtol=1e-15)
    nested = to_si([["1 bar", ureg.Quantity(2.0, "kPa")], [3.0, "4 Pa"]], "Pa")
    np.testing.assert_allclose(nested, [[1e5, 2e3], [3.0, 4.0]], rtol=1e-15)
    stacked = to_si([ureg.Quantity([1.0, 2.0], "bar"), [3.0, "4 Pa"]], "Pa")
    np.testing.assert_allclose(stacked, [[1e5, 2e5], [3.0, 4.0]], rtol=1e-15)


def test_energy_per_particle_converts_lists_element_wise():
    """1 eV = 96.485 332 12 kJ/mol (CODATA 2018), item by item."""
    ev = to_si("1 eV", "J")
    out = energy_per_particle(["96.48533212 kJ/mol", ureg("2 eV"), 1e-19])
    assert isinstance(out, np.ndarray) and out.dtype == float
    np.testing.assert_allclose(out, [ev, 2 * ev, 1e-19], rtol=1e-9)
    np.testing.assert_allclose(energy_per_particle([["1 eV"], [ureg("1 eV")]]), [[ev], [ev]], rtol=1e-15)


def test_lists_with_wrong_dimension_or_shape_name_the_item():
    with pytest.raises(UnitError, match=r"barriers\[1\]: got 1 m .*expected a quantity in J"):
        to_si(["1 eV", "1 m"], "J", "barriers")
    with pytest.raises(UnitError, match=r"barriers\[0\]\[1\]"):
        energy_per_particle([["1 eV", "3 m"]], "barriers")
    with pytest.raises(ShapeError, match=r"barriers: got items of shapes \[\(\), \(2,\)\]"):
        to_si(["1 eV", ["1 eV", "2 eV"]], "J", "barriers")
