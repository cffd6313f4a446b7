"""The unit registry and SI conversions."""

import numpy as np
import pytest

from scalebridge.core import UnitError, energy_per_particle, to_si, ureg
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
