"""Two-bulb Maxwell–Stefan engine: conservation, binary closed form, capillary resolution."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.solvers.maxwell_stefan import two_bulb_diffusion

D3 = np.array([[0, 83.3e-6, 68.0e-6], [83.3e-6, 0, 16.8e-6], [68.0e-6, 16.8e-6, 0]])
GEOM = dict(volume1=77.99e-6, volume2=78.63e-6, area=np.pi * 2.08e-3 ** 2 / 4, length=85.9e-3,
            total_concentration=39.52)
X1, X2 = np.array([0.0, 0.50086, 0.49914]), np.array([0.50121, 0.49879, 0.0])


@pytest.mark.parametrize("cells", [0, 20])
def test_every_species_and_total_moles_conserved(cells):
    """Each species' moles and the total are linear invariants: kept to 1e-10 (relative to the total)."""
    s = two_bulb_diffusion(X1, X2, diffusivities=D3, times=np.linspace(0, 72000, 201), capillary_cells=cells, **GEOM)
    total = s.moles[0].sum()
    assert np.max(np.abs(s.moles - s.moles[0])) / total < 1e-10
    assert np.max(np.abs(s.moles.sum(axis=1) - total)) / total < 1e-10
    assert np.allclose(s.bulb1.sum(axis=1), 1, atol=1e-12)


def test_binary_quasi_steady_is_exponential():
    """Binary gas, quasi-steady capillary: dx/dt linear, Delta x = Delta x0 exp(-beta Ð t),
    beta = A (1/V1 + 1/V2)/l (Taylor & Krishna 1993, sec. 5.4, n = 2)."""
    D = np.array([[0, 2e-5], [2e-5, 0]])
    t = np.linspace(0, 5e4, 51)
    s = two_bulb_diffusion([1.0, 0.0], [0.2, 0.8], diffusivities=D, times=t, capillary_cells=0, **GEOM)
    beta = GEOM["area"] * (1 / GEOM["volume1"] + 1 / GEOM["volume2"]) / GEOM["length"]
    assert s.bulb1[:, 0] - s.bulb2[:, 0] == pytest.approx(0.8 * np.exp(-beta * 2e-5 * t), abs=1e-8)


def test_resolved_capillary_converges_to_quasi_steady_for_a_thin_tube():
    """Capillary hold-up A l << V: the resolved capillary tends to the quasi-steady one."""
    t = np.linspace(0, 72000, 101)
    thin = dict(GEOM, area=GEOM["area"] / 100)
    a = two_bulb_diffusion(X1, X2, diffusivities=D3, times=t, capillary_cells=20, **thin)
    b = two_bulb_diffusion(X1, X2, diffusivities=D3, times=t / 100 * 100, capillary_cells=0, **thin)
    assert np.max(np.abs(a.bulb2 - b.bulb2)) < 1e-3


def test_bad_input():
    with pytest.raises(InputError, match="x1, x2"):
        two_bulb_diffusion([0.5, 0.6, 0.0], X2, diffusivities=D3, times=[0, 1], **GEOM)
