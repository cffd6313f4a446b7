"""The argument checks shared by the bridging laws (scalebridge.laws.arguments)."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError, UnitError
from scalebridge.core.units import ureg
from scalebridge.laws import arguments


def test_conversions_accept_quantities_strings_and_lists():
    """1 eV = 1.602176634e-19 J exactly (SI 2019); 1 u = 1.66053906660e-27 kg (CODATA 2018)."""
    assert arguments.temperature("25 degC") == pytest.approx(298.15, rel=1e-15)
    np.testing.assert_allclose(arguments.energy(["1 eV", ureg("2 eV"), 1e-19], "barriers"),
                               [1.602176634e-19, 3.204353268e-19, 1e-19], rtol=1e-15)
    assert arguments.molecular_mass("1 u") == pytest.approx(1.66053906660e-27, rel=1e-10)
    assert arguments.site_area("6.7 angstrom**2/site") == pytest.approx(6.7e-20, rel=1e-15)
    assert arguments.positive(0.0, "Pa", "pressure", allow_zero=True) == 0.0
    assert arguments.scalar_or_array(np.float64(2.0)).__class__ is float
    assert isinstance(arguments.scalar_or_array([1.0, 2.0]), np.ndarray)


@pytest.mark.parametrize("call, message", [
    (lambda: arguments.temperature([300.0, -5.0]),
     r"^temperature: got -5 K \(1 of 2 entries\), expected a finite absolute temperature > 0 K$"),
    (lambda: arguments.energy(np.inf, "barrier"), r"^barrier: got inf J, expected a finite energy"),
    (lambda: arguments.positive(0.0, "m", "length", kind="length"),
     r"^length: got 0 m, expected a finite length > 0 m$"),
    (lambda: arguments.positive(-1.0, "Pa", "p", allow_zero=True),
     r"^p: got -1 Pa, expected a finite value >= 0 Pa$"),
    (lambda: arguments.sticking_coefficient(1.5), r"^sticking_coefficient: got 1.5, expected .*\[0, 1\]"),
    (lambda: arguments.finite([1.0, np.nan], "x"), r"^x: got nan \(1 of 2 entries\), expected a finite number$"),
    (lambda: arguments.si_value("-3 kPa", "Pa", "p0", "p0 > 0", lambda a: a <= 0),
     r"^p0: got -3000 Pa, expected p0 > 0$"),
])
def test_messages_name_argument_value_and_expectation(call, message):
    with pytest.raises(InputError, match=message):
        call()


def test_wrong_dimension_is_a_unit_error():
    with pytest.raises(UnitError, match=r"temperature\[1\]: got 1 m"):
        arguments.temperature(["300 K", "1 m"])
    with pytest.raises(UnitError, match="site_area"):
        arguments.site_area("6.7 angstrom")
