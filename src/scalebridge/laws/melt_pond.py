r"""Melt ponds on summer sea ice: surface energy balance, pond geometry and the albedo they set.

A column of melting sea ice (surface at the melting point :math:`T_0`) in a grid cell is
split into snow, bare ice and ponded ice:

* snow-covered fraction :math:`f_s = h_s/(h_s + h_\mathrm{patch})`, :math:`h_\mathrm{patch} = 0.02` m
  (:func:`snow_cover_fraction`; the CCSM3 sea-ice albedo scheme, Briegleb et al. 2004);
* ponds fill the lowest parts of the snow-free surface (Lüthje et al. 2006). With surface
  heights uniformly distributed over a relief :math:`H`, water of volume :math:`V` per unit
  snow-free area covers :math:`f_p = \min(\sqrt{2V/H}, 1)` of it at mean depth
  :math:`V/f_p` (:func:`pond_fraction`);
* grid-cell albedo :math:`\alpha = f_s\alpha_s + (1-f_s)[f_p\alpha_p + (1-f_p)\alpha_i]`
  (:func:`cell_albedo`), with the SHEBA values of Perovich et al. (2002): melting snow
  0.77, bare ice 0.65, ponds 0.25 (:data:`ALBEDO`).

Each surface type absorbs :math:`Q_k = (1-\alpha_k)F_\mathrm{sw} + Q_\mathrm{ns}(T_a)` and,
being at the melting point, melts at :math:`Q_k^+/(\rho_k L_f)`. The non-solar flux
(:func:`nonsolar_flux`) is the longwave balance of a melting surface plus sensible heat,

.. math:: Q_\mathrm{ns} = \varepsilon_a\sigma T_a^4 - \sigma T_0^4 + C_s (T_a - T_0),

(Maykut 1982, the bulk formulae of sec. 3). The pond gains melt water (a fraction
:math:`r` of snow and bare-ice melt runs into it, melt under the pond stays in it) and
drains through the permeable ice at a seepage velocity :math:`w_d` over its area
(Darcy drainage with a constant head, Taylor & Feltham 2004, sec. 2.4):

.. math:: \frac{dW}{dt} = \frac{r\,(f_s Q_s^+ + A_i Q_i^+) + A_p Q_p^+}{\rho_w L_f} - A_p w_d,

:math:`W` the pond water per unit cell area, :math:`A_p = (1-f_s)f_p`,
:math:`A_i = (1-f_s)(1-f_p)`. Lower albedo of ponds means more melt, more water and
larger ponds: the albedo feedback. :func:`pond_tendencies` evaluates the right-hand
sides for arrays of columns.

References
----------
Briegleb, B. P. et al. (2004). Scientific description of the sea ice component of CCSM3, NCAR/TN-463+STR.
Lüthje, M., Feltham, D. L., Taylor, P. D. & Worster, M. G. (2006). J. Geophys. Res. 111, C02001.
Maykut, G. A. (1982). J. Geophys. Res. 87, 7971.
Perovich, D. K., Grenfell, T. C., Light, B. & Hobbs, P. V. (2002). J. Geophys. Res. 107, 8044.
Taylor, P. D. & Feltham, D. L. (2004). J. Geophys. Res. 109, C12007.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .arguments import positive, temperature

__all__ = ["ALBEDO", "LATENT_HEAT_FUSION", "DENSITY", "STEFAN_BOLTZMANN", "MELTING_POINT", "snow_cover_fraction",
           "pond_fraction", "cell_albedo", "nonsolar_flux", "PondParameters", "Tendencies", "pond_tendencies"]

#: Albedos of melting snow, bare ice and ponds on summer Arctic ice (Perovich et al. 2002, SHEBA).
ALBEDO = {"snow": 0.77, "ice": 0.65, "pond": 0.25}
#: Latent heat of fusion of fresh ice, J/kg.
LATENT_HEAT_FUSION = 3.34e5
#: Densities of snow (summer), sea ice and melt water, kg/m^3 (Maykut & Untersteiner 1971).
DENSITY = {"snow": 330.0, "ice": 917.0, "water": 1000.0}
#: Stefan–Boltzmann constant, W/(m^2 K^4) (CODATA 2018).
STEFAN_BOLTZMANN = 5.670374419e-8
#: Melting point of the surface (fresh water ice), K.
MELTING_POINT = 273.15


def snow_cover_fraction(snow_depth: Any, patch_depth: float = 0.02) -> Any:
    r"""Snow-covered fraction :math:`f_s = h_s/(h_s + h_\mathrm{patch})` (Briegleb et al. 2004).

    Parameters
    ----------
    snow_depth : m (>= 0); patch_depth : m (> 0).
    """
    h = np.asarray(positive(snow_depth, "m", "snow_depth", allow_zero=True), dtype=float)
    p = positive(patch_depth, "m", "patch_depth")
    return h / (h + p)


def pond_fraction(volume: Any, relief: float) -> Any:
    r"""Ponded fraction of the snow-free surface, :math:`f_p = \min(\sqrt{2V/H}, 1)`.

    Water of depth-equivalent ``volume`` :math:`V` (m, per unit snow-free area) fills a
    surface whose heights are uniform over ``relief`` :math:`H` (m) from the bottom
    up: the water level :math:`z_w` satisfies :math:`V = z_w^2/(2H)` (Lüthje et al. 2006).
    """
    V = np.asarray(positive(volume, "m", "volume", allow_zero=True), dtype=float)
    H = positive(relief, "m", "relief")
    return np.minimum(np.sqrt(2.0 * V / H), 1.0)


def cell_albedo(snow_fraction: Any, pond_fraction_: Any, albedo: dict | None = None) -> Any:
    r"""Grid-cell albedo :math:`f_s\alpha_s + (1-f_s)[f_p\alpha_p + (1-f_p)\alpha_i]`."""
    a = albedo or ALBEDO
    fs, fp = np.asarray(snow_fraction, dtype=float), np.asarray(pond_fraction_, dtype=float)
    return fs * a["snow"] + (1 - fs) * (fp * a["pond"] + (1 - fp) * a["ice"])


def nonsolar_flux(air_temperature: Any, emissivity: float = 0.92, sensible_coefficient: float = 8.0) -> Any:
    r"""Non-solar heat flux into a melting surface, W/m^2 (Maykut 1982).

    :math:`Q_\mathrm{ns} = \varepsilon_a\sigma T_a^4 - \sigma T_0^4 + C_s (T_a - T_0)`: downwelling
    longwave of a cloudy summer sky of effective emissivity :math:`\varepsilon_a`, emission of
    a surface at :math:`T_0 = 273.15` K, and sensible heat with :math:`C_s = \rho_a c_p C_H U`
    (W/(m^2 K); 8 W/(m^2 K) is 1.3 kg/m^3 x 1004 J/(kg K) x 1.2e-3 x 5 m/s). Latent heat
    of evaporation is neglected.
    """
    Ta = np.asarray(temperature(air_temperature, "air_temperature"), dtype=float)
    return (emissivity * STEFAN_BOLTZMANN * Ta**4 - STEFAN_BOLTZMANN * MELTING_POINT**4
            + sensible_coefficient * (Ta - MELTING_POINT))


class PondParameters(NamedTuple):
    """Parameters of the pond model (SI): relief H (m), seepage velocity w_d (m/s), retained fraction r,
    snow patch depth (m), atmospheric emissivity, sensible coefficient (W/(m^2 K)), ocean heat flux (W/m^2)."""

    relief: float = 0.4
    seepage_velocity: float = 0.02 / 86400.0
    retained_fraction: float = 0.6
    patch_depth: float = 0.02
    emissivity: float = 0.92
    sensible_coefficient: float = 8.0
    ocean_heat_flux: float = 5.0


class Tendencies(NamedTuple):
    """Energy used per surface (W/m^2 of cell), water fluxes (m/s of water per cell area), albedo and fractions."""

    snow_energy: np.ndarray
    ice_energy: np.ndarray
    inflow: np.ndarray
    drainage: np.ndarray
    albedo: np.ndarray
    snow_fraction: np.ndarray
    pond_fraction: np.ndarray


def pond_tendencies(water: np.ndarray, snow_depth: np.ndarray, air_temperature: np.ndarray,
                    shortwave: np.ndarray, p: PondParameters = PondParameters()) -> Tendencies:
    r"""Right-hand sides of the column with ponds, for arrays of columns (plain SI arrays, no checks).

    Returns the energy absorbed by the snow-covered area and by the snow-free area
    (bare and ponded ice, plus the ocean heat flux at the base), the pond inflow and
    drainage, the cell albedo, the snow-covered fraction :math:`f_s` and the cell pond
    fraction :math:`(1-f_s)f_p`.
    """
    fs = snow_depth / (snow_depth + p.patch_depth)
    free = 1.0 - fs
    fp = np.minimum(np.sqrt(2.0 * np.maximum(water, 0.0) / (free * p.relief)), 1.0)
    qns = (p.emissivity * STEFAN_BOLTZMANN * air_temperature**4 - STEFAN_BOLTZMANN * MELTING_POINT**4
           + p.sensible_coefficient * (air_temperature - MELTING_POINT))
    q = {k: np.maximum((1.0 - a) * shortwave + qns, 0.0) for k, a in ALBEDO.items()}
    A_p, A_i = free * fp, free * (1.0 - fp)
    snow_energy = fs * q["snow"]
    ice_energy = A_i * q["ice"] + A_p * q["pond"] + p.ocean_heat_flux
    inflow = (p.retained_fraction * (snow_energy + A_i * q["ice"]) + A_p * q["pond"]) / (
        DENSITY["water"] * LATENT_HEAT_FUSION)
    drainage = A_p * p.seepage_velocity
    return Tendencies(snow_energy, ice_energy, inflow, drainage, cell_albedo(fs, fp), fs, A_p)
