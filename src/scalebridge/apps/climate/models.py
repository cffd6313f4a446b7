r"""The two scales of the melt-pond chain: the pond process model and the grid-cell column.

* :class:`PondProcessModel` (fine): the pond water balance of
  :func:`scalebridge.laws.melt_pond.pond_tendencies` integrated under fixed forcing (air
  temperature, shortwave, snow depth) until the pond has relaxed; it returns the pond
  fraction and grid-cell albedo. Run over a design of conditions and learned by a
  surrogate, it becomes the parameterisation.
* :func:`resolved_season`: the process model run through a melt season with evolving
  snow, ice and pond water: the reference.
* :func:`coarse_season`: the grid-cell column energy balance that knows no ponds; its
  albedo comes from a parameterisation Model of (air temperature, shortwave, snow depth).

Both seasons are explicit (forward Euler) over many columns at once and conserve energy
exactly: the energy absorbed equals the latent heat of the snow and ice melted,
:math:`\sum_n Q_n\,\Delta t = L_f(\rho_s\Delta h_s + \rho_i\Delta h_i)`.
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple

import numpy as np

from ...core.errors import InputError
from ...core.model import Evaluation, Model, Port, Scale
from ...laws.melt_pond import (ALBEDO, DENSITY, LATENT_HEAT_FUSION, MELTING_POINT, STEFAN_BOLTZMANN, PondParameters,
                               pond_tendencies)

__all__ = ["PondProcessModel", "Forcing", "Season", "resolved_season", "coarse_season"]

DAY = 86400.0


class PondProcessModel:
    r"""Relaxed pond state under fixed forcing: pond fraction and grid-cell albedo (fine model).

    Parameters
    ----------
    parameters : PondParameters
    relax_days : float
        Integration time from a dry surface, days (many pond relaxation times).
    step_days : float
        Explicit time step, days.
    pond_size : float
        Characteristic pond size, m (the model's length scale).

    Notes
    -----
    Inputs ``air_temperature`` (K), ``shortwave`` (W/m^2), ``snow_depth`` (m); outputs
    ``pond_fraction`` (cell fraction) and ``albedo``. The model's time scale is the pond
    relaxation time :math:`\tau_p = f_{p}H/w_d` at :math:`f_p = 0.3` (linearised drainage).
    """

    card = {
        "role": "solver",
        "physics": "pond water balance dW/dt = melt inflow - seepage, ponds filling a uniform hypsometry, "
                   "albedo of snow/ice/pond; surface energy balance of a melting surface",
        "assumptions": ["surface at the melting point", "forcing and snow depth frozen while the pond relaxes",
                        "uniform distribution of surface heights (relief H)", "constant seepage velocity"],
        "references": ["Luthje et al. (2006), J. Geophys. Res. 111, C02001",
                       "Taylor & Feltham (2004), J. Geophys. Res. 109, C12007",
                       "Perovich et al. (2002), J. Geophys. Res. 107, 8044"],
    }

    def __init__(self, parameters: PondParameters, relax_days: float = 8.0, step_days: float = 0.02,
                 pond_size: float = 10.0, name: str = "melt-pond process model"):
        if not (relax_days > 0 and 0 < step_days <= relax_days):
            raise InputError(f"PondProcessModel: need 0 < step_days <= relax_days, got {step_days}, {relax_days}")
        self.parameters_, self.relax_days, self.step_days = parameters, float(relax_days), float(step_days)
        self.name = name
        self.inputs = {"air_temperature": Port("K", description="2 m air temperature"),
                       "shortwave": Port("W/m^2", description="downwelling shortwave at the surface"),
                       "snow_depth": Port("m", description="mean snow depth on the ice")}
        self.outputs = {"pond_fraction": Port("", description="ponded fraction of the cell"),
                        "albedo": Port("", description="grid-cell albedo")}
        tau = 0.3 * parameters.relief / parameters.seepage_velocity
        self.scale = Scale(pond_size, tau, "melt ponds")
        self.relaxation_time = tau

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        Ta = np.asarray(inputs["air_temperature"], dtype=float)
        sw = np.asarray(inputs["shortwave"], dtype=float)
        hs = np.asarray(inputs["snow_depth"], dtype=float)
        if np.any(Ta <= 0) or np.any(sw < 0) or np.any(hs < 0):
            raise InputError(f"{self.name}: need air_temperature > 0 K, shortwave >= 0, snow_depth >= 0")
        W = np.zeros_like(Ta)
        dt = self.step_days * DAY
        for _ in range(int(np.ceil(self.relax_days / self.step_days))):
            t = pond_tendencies(W, hs, Ta, sw, self.parameters_)
            W = np.maximum(W + dt * (t.inflow - t.drainage), 0.0)
        t = pond_tendencies(W, hs, Ta, sw, self.parameters_)
        return Evaluation(outputs={"pond_fraction": t.pond_fraction, "albedo": t.albedo})

    def parameters(self) -> dict[str, Any]:
        return dict(self.parameters_._asdict(), relax_days=self.relax_days, step_days=self.step_days)


class Forcing(NamedTuple):
    """Seasonal forcing of many columns (arrays (C,)): T_a(t) = T_mean + T_amp sin(pi t/days),
    F_sw(t) = F_peak cos(2 pi (t - solstice)/365 d); snow and ice at the start."""

    air_temperature_mean: np.ndarray
    air_temperature_amplitude: np.ndarray
    shortwave_peak: np.ndarray
    snow_depth: np.ndarray
    ice_thickness: np.ndarray
    days: float
    solstice_day: float

    def at(self, day: float) -> tuple[np.ndarray, np.ndarray]:
        """Air temperature (K) and shortwave (W/m^2) of every column on ``day``."""
        Ta = self.air_temperature_mean + self.air_temperature_amplitude * np.sin(np.pi * day / self.days)
        sw = self.shortwave_peak * max(np.cos(2 * np.pi * (day - self.solstice_day) / 365.0), 0.0)
        return Ta, sw


class Season(NamedTuple):
    """Daily output of a season (arrays (days + 1, C)) and the energy budget per column (J/m^2)."""

    day: np.ndarray
    albedo: np.ndarray
    pond_fraction: np.ndarray
    snow_depth: np.ndarray
    ice_thickness: np.ndarray
    absorbed_energy: np.ndarray
    latent_heat_of_melt: np.ndarray


def _melt(hs, hi, snow_energy, ice_energy, dt):
    """Melt snow with its energy (excess goes to the ice), then ice; return new depths and energy used."""
    snow_need = DENSITY["snow"] * LATENT_HEAT_FUSION * hs
    snow_used = np.minimum(snow_energy * dt, snow_need)
    ice_energy_dt = ice_energy * dt + (snow_energy * dt - snow_used)
    ice_used = np.minimum(ice_energy_dt, DENSITY["ice"] * LATENT_HEAT_FUSION * hi)
    hs = hs - snow_used / (DENSITY["snow"] * LATENT_HEAT_FUSION)
    hi = hi - ice_used / (DENSITY["ice"] * LATENT_HEAT_FUSION)
    return np.maximum(hs, 0.0), np.maximum(hi, 0.0), snow_used + ice_used


def _daily(step_days: float, days: float) -> tuple[int, int]:
    n = int(round(days / step_days))
    per_day = int(round(1.0 / step_days))
    if abs(n * step_days - days) > 1e-9 * days or abs(per_day * step_days - 1.0) > 1e-9:
        raise InputError(f"season: step of {step_days} d must divide one day and the season ({days} d)")
    return n, per_day


def resolved_season(forcing: Forcing, p: PondParameters, step_days: float = 0.05) -> Season:
    """The process model through the season: pond water, snow and ice evolve together (the reference)."""
    n, per_day = _daily(step_days, forcing.days)
    dt = step_days * DAY
    hs, hi = forcing.snow_depth.astype(float).copy(), forcing.ice_thickness.astype(float).copy()
    W = np.zeros_like(hs)
    out = {k: [] for k in ("albedo", "pond_fraction", "snow_depth", "ice_thickness")}
    absorbed = np.zeros_like(hs)
    for j in range(n + 1):
        Ta, sw = forcing.at(j * step_days)
        t = pond_tendencies(W, hs, Ta, sw, p)
        if j % per_day == 0:
            for k, v in (("albedo", t.albedo), ("pond_fraction", t.pond_fraction), ("snow_depth", hs),
                         ("ice_thickness", hi)):
                out[k].append(v.copy())
        if j == n:
            break
        absorbed += (t.snow_energy + t.ice_energy) * dt          # flux side of the energy budget
        hs, hi, _ = _melt(hs, hi, t.snow_energy, t.ice_energy, dt)
        W = np.maximum(W + dt * (t.inflow - t.drainage), 0.0)
    return _season(out, forcing, absorbed)


def coarse_season(forcing: Forcing, parameterisation: Model, p: PondParameters, step_days: float = 0.5) -> Season:
    r"""The grid-cell column with a parameterised albedo (no ponds resolved).

    Per step the cell absorbs :math:`Q = (1-\alpha)F_\mathrm{sw} + Q_\mathrm{ns}` with
    :math:`\alpha` from ``parameterisation`` (inputs ``air_temperature``, ``shortwave``,
    ``snow_depth``); the snow-covered part :math:`f_s` melts snow with the snow albedo,
    the rest of :math:`Q^+` (and the ocean heat flux) melts ice.
    """
    n, per_day = _daily(step_days, forcing.days)
    dt = step_days * DAY
    hs, hi = forcing.snow_depth.astype(float).copy(), forcing.ice_thickness.astype(float).copy()
    out = {k: [] for k in ("albedo", "pond_fraction", "snow_depth", "ice_thickness")}
    absorbed = np.zeros_like(hs)
    for j in range(n + 1):
        Ta, sw = forcing.at(j * step_days)
        ev = parameterisation.evaluate({"air_temperature": Ta, "shortwave": sw, "snow_depth": hs})
        albedo = np.clip(ev["albedo"], 0.0, 1.0)
        if j % per_day == 0:
            for k, v in (("albedo", albedo), ("pond_fraction", np.clip(ev["pond_fraction"], 0, 1)),
                         ("snow_depth", hs), ("ice_thickness", hi)):
                out[k].append(np.array(v, dtype=float))
        if j == n:
            break
        qns = (p.emissivity * STEFAN_BOLTZMANN * Ta**4 - STEFAN_BOLTZMANN * MELTING_POINT**4
               + p.sensible_coefficient * (Ta - MELTING_POINT))
        fs = hs / (hs + p.patch_depth)
        q_cell = np.maximum((1 - albedo) * sw + qns, 0.0)
        snow_energy = np.minimum(fs * np.maximum((1 - ALBEDO["snow"]) * sw + qns, 0.0), q_cell)
        absorbed += (q_cell + p.ocean_heat_flux) * dt
        hs, hi, _ = _melt(hs, hi, snow_energy, q_cell - snow_energy + p.ocean_heat_flux, dt)
    return _season(out, forcing, absorbed)


def _season(out, forcing: Forcing, absorbed) -> Season:
    arrays = {k: np.array(v) for k, v in out.items()}
    latent = LATENT_HEAT_FUSION * (DENSITY["snow"] * (forcing.snow_depth - arrays["snow_depth"][-1])
                                   + DENSITY["ice"] * (forcing.ice_thickness - arrays["ice_thickness"][-1]))
    return Season(np.arange(arrays["albedo"].shape[0], dtype=float), arrays["albedo"], arrays["pond_fraction"],
                  arrays["snow_depth"], arrays["ice_thickness"], absorbed, latent)
