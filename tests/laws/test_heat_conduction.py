"""Closed forms of 1-D conduction: argument checks and identities."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.laws.heat_conduction import (diffusion_time, semi_infinite_surface_rise,
                                              slab_steady_surface_temperature, thermal_effusivity)


def test_semi_infinite_rise_scales_with_sqrt_time_and_effusivity():
    """Carslaw & Jaeger (1959) sec. 2.9: dT_s = 2 q sqrt(t) / (sqrt(pi) e), e = sqrt(k rho c)."""
    t = np.array([1e-4, 4e-4])
    rise = semi_infinite_surface_rise(1e9, t, 118.0, 19250.0, 145.0)
    assert rise[1] / rise[0] == pytest.approx(2.0, rel=1e-12)
    e = thermal_effusivity(118.0, 19250.0, 145.0)
    assert rise[0] == pytest.approx(2e9 * np.sqrt(1e-4) / (np.sqrt(np.pi) * e), rel=1e-12)
    assert semi_infinite_surface_rise("1 GW/m^2", "0.5 ms", 118.0, 19250.0, 145.0) == pytest.approx(1390.27, rel=1e-5)


def test_steady_slab_and_diffusion_time():
    """Series resistances L/k + 1/h (Incropera & DeWitt, sec. 3.1); t = l^2/alpha."""
    assert slab_steady_surface_temperature("10 MW/m^2", "6 mm", 118.0, 1e5, "100 degC") == pytest.approx(
        373.15 + 1e7 * (6e-3 / 118.0 + 1e-5), rel=1e-12)
    assert diffusion_time("50 um", 4.2e-5) == pytest.approx(2.5e-9 / 4.2e-5)


@pytest.mark.parametrize("call, key", [
    (lambda: semi_infinite_surface_rise(-1.0, 1.0, 1, 1, 1), "heat_flux"),
    (lambda: semi_infinite_surface_rise(1.0, np.nan, 1, 1, 1), "time"),
    (lambda: slab_steady_surface_temperature(1.0, 0.0, 1, 1, 300), "thickness"),
    (lambda: diffusion_time(1.0, "1 m"), "diffusivity"),
])
def test_bad_arguments_name_the_key(call, key):
    with pytest.raises(InputError, match=key):
        call()
