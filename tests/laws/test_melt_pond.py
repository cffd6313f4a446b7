"""Melt-pond laws: hypsometry, snow cover, albedo mixing and the non-solar flux."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.laws.melt_pond import (ALBEDO, STEFAN_BOLTZMANN, cell_albedo, nonsolar_flux, pond_fraction,
                                        snow_cover_fraction)


def test_pond_fraction_fills_uniform_hypsometry():
    """Water V on heights uniform over H: level z with V = z^2/(2H), fraction z/H (Luthje et al. 2006)."""
    H = 0.2
    z = np.array([0.0, 0.05, 0.1, 0.2])
    assert np.allclose(pond_fraction(z**2 / (2 * H), H), z / H)
    assert pond_fraction(1.0, H) == 1.0


def test_snow_cover_albedo_and_longwave():
    """f_s = h/(h + 0.02 m) (Briegleb et al. 2004); albedo a weighted mean; Q_ns(T0) = (eps - 1) sigma T0^4."""
    assert snow_cover_fraction(0.02) == pytest.approx(0.5)
    assert cell_albedo(1.0, 0.3) == pytest.approx(ALBEDO["snow"])
    assert cell_albedo(0.0, 1.0) == pytest.approx(ALBEDO["pond"])
    assert nonsolar_flux(273.15, emissivity=0.85) == pytest.approx(-0.15 * STEFAN_BOLTZMANN * 273.15**4)
    with pytest.raises(InputError, match="snow_depth"):
        snow_cover_fraction(-0.1)
    with pytest.raises(InputError, match="air_temperature"):
        nonsolar_flux("3 m")
