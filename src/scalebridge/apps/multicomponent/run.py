"""Solve the multicomponent chain: Maxwell–Stefan (resolved and quasi-steady capillary) and Fick; fill the record."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...core.checks import check_scale_separation
from ...laws.maxwell_stefan import LENNARD_JONES, chapman_enskog_diffusivity
from . import duncan_toor
from .chain import build, fick_matrix_at, pairs
from .scenario import Scenario

__all__ = ["run", "diffusion_regimes"]

Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def _crossings(t: np.ndarray, f: np.ndarray) -> list[float]:
    """Times where ``f`` changes sign (linear interpolation), ignoring t = 0."""
    k = np.flatnonzero(np.sign(f[1:]) * np.sign(f[:-1]) < 0)
    return [float(t[i] - f[i] * (t[i + 1] - t[i]) / (f[i + 1] - f[i])) for i in k]


def diffusion_regimes(t: np.ndarray, bulb1: np.ndarray, bulb2: np.ndarray, flux: np.ndarray) -> list[dict]:
    r"""Osmotic, reverse and barrier events of every species (Toor 1957).

    With :math:`\Delta x_i = x_{i,1} - x_{i,2}` (bulb 1 minus bulb 2) and :math:`J_i` the flux from
    bulb 1 to bulb 2: *osmotic diffusion* where :math:`\Delta x_i` changes sign while
    :math:`J_i \ne 0`; *reverse (uphill) diffusion* while :math:`J_i\Delta x_i < 0`;
    a *diffusion barrier* where :math:`J_i` changes sign while :math:`\Delta x_i \ne 0`.
    """
    out = []
    for i in range(bulb1.shape[1]):
        dx, J = bulb1[:, i] - bulb2[:, i], flux[:, i]
        uphill = (J * dx < 0)
        reverse = float(np.trapezoid(uphill.astype(float), t)) if np.any(uphill) else 0.0
        start = float(t[np.argmax(uphill)]) if np.any(uphill) else None
        end = float(t[len(uphill) - 1 - np.argmax(uphill[::-1])]) if np.any(uphill) else None
        out.append({"osmotic_times_s": _crossings(t, dx), "barrier_times_s": _crossings(t, J),
                    "reverse_duration_s": reverse, "reverse_from_s": start, "reverse_to_s": end})
    return out


def run(s: Scenario, record=None, progress: Progress = _quiet) -> dict[str, Any]:
    """Maxwell–Stefan (resolved and quasi-steady capillary) and Fick in the two-bulb cell; the summary."""
    total = 5
    progress("binary diffusivities", 0, total)
    model = build(s)
    molecular, apparatus = model.children
    T, p = np.array([s.temperature]), np.array([s.pressure])
    Dout = molecular.evaluate({"temperature": T, "pressure": p}).outputs
    D = apparatus.matrix({k: v[0] for k, v in Dout.items()})
    kinetic = {f"{a}-{b}": float(chapman_enskog_diffusivity(s.temperature, s.pressure, a, b))
               for a, b in pairs(s.species) if a in LENNARD_JONES and b in LENNARD_JONES}
    t = np.linspace(0.0, s.duration, s.outputs)

    progress("Maxwell-Stefan, resolved capillary (finite volumes, BDF)", 1, total)
    ms = apparatus.solve(D, s.temperature, s.pressure, times=t)
    progress("Maxwell-Stefan, quasi-steady capillary", 2, total)
    qs = apparatus.solve(D, s.temperature, s.pressure, cells=0, times=t)
    progress("Fick, constant effective diffusivities", 3, total)
    fk = apparatus.solve(D, s.temperature, s.pressure, law="fick", times=t)

    progress("summary", 4, total)
    sp = s.species
    regimes = diffusion_regimes(t, ms.bulb1, ms.bulb2, ms.flux)
    cons = {name: (np.max(np.abs(sol.moles - sol.moles[0]), axis=0) / sol.moles[0].sum()).tolist()
            for name, sol in (("maxwell_stefan", ms), ("quasi_steady", qs), ("fick", fk))}
    summary: dict[str, Any] = {
        "name": s.name, "species": sp, "temperature_K": s.temperature, "pressure_Pa": s.pressure,
        "diffusivities_m2_s": {f"{a}-{b}": float(D[i, j]) for i, a in enumerate(sp) for j, b in enumerate(sp) if j > i},
        "chapman_enskog_m2_s": kinetic,
        "fick_matrix_m2_s": fick_matrix_at(s, D).tolist(),
        "final": {"bulb1": ms.bulb1[-1].tolist(), "bulb2": ms.bulb2[-1].tolist()},
        "extrema": {sp[i]: {"bulb1_min": float(ms.bulb1[:, i].min()), "bulb1_max": float(ms.bulb1[:, i].max()),
                            "bulb2_min": float(ms.bulb2[:, i].min()), "bulb2_max": float(ms.bulb2[:, i].max()),
                            "bulb2_argmax_s": float(t[np.argmax(ms.bulb2[:, i])]),
                            "bulb1_argmin_s": float(t[np.argmin(ms.bulb1[:, i])])} for i in range(len(sp))},
        "regimes": dict(zip(sp, regimes)),
        "fick_regimes": dict(zip(sp, diffusion_regimes(t, fk.bulb1, fk.bulb2, fk.flux))),
        "quasi_steady_max_difference": float(max(np.abs(qs.bulb1 - ms.bulb1).max(), np.abs(qs.bulb2 - ms.bulb2).max())),
        "conservation": cons,
        "scale_separation": [c.to_dict() for c in check_scale_separation(model)],
    }
    data = None
    if s.compare_with == "duncan_toor_1962":
        x1, _ = ms.bulb1[0], ms.bulb2[0]
        h2_is_2 = x1[0] < ms.bulb2[0, 0]
        th = duncan_toor.TIME_H * 3600
        model_h2 = np.stack([np.interp(th, t, (ms.bulb2 if h2_is_2 else ms.bulb1)[:, i]) for i in range(3)], axis=1)
        model_co2 = np.stack([np.interp(th, t, (ms.bulb1 if h2_is_2 else ms.bulb2)[:, i]) for i in range(3)], axis=1)
        fick_h2 = np.stack([np.interp(th, t, (fk.bulb2 if h2_is_2 else fk.bulb1)[:, i]) for i in range(3)], axis=1)
        data = {"time_h": duncan_toor.TIME_H.tolist(), "h2_bulb_data": duncan_toor.H2_BULB.tolist(),
                "co2_bulb_data": duncan_toor.CO2_BULB.tolist(), "h2_bulb_model": model_h2.tolist(),
                "co2_bulb_model": model_co2.tolist(),
                "max_abs_difference": float(max(np.abs(model_h2 - duncan_toor.H2_BULB)[1:].max(),
                                                np.abs(model_co2 - duncan_toor.CO2_BULB)[1:].max())),
                "max_abs_difference_N2": float(max(np.abs(model_h2 - duncan_toor.H2_BULB)[1:, 1].max(),
                                                   np.abs(model_co2 - duncan_toor.CO2_BULB)[1:, 1].max())),
                "fick_max_abs_difference_N2": float(np.abs(fick_h2 - duncan_toor.H2_BULB)[1:, 1].max()),
                "n2_peak_data": float(duncan_toor.H2_BULB[:, 1].max()),
                "n2_peak_data_time_h": float(duncan_toor.TIME_H[np.argmax(duncan_toor.H2_BULB[:, 1])])}
        summary["duncan_toor_1962"] = data
    if record is not None:
        from .figures import bulbs_figure, flux_figure

        record.add_arrays(time_s=t, ms_bulb1=ms.bulb1, ms_bulb2=ms.bulb2, ms_flux=ms.flux, ms_capillary=ms.capillary,
                          quasi_steady_bulb1=qs.bulb1, quasi_steady_bulb2=qs.bulb2, fick_bulb1=fk.bulb1,
                          fick_bulb2=fk.bulb2, ms_moles=ms.moles)
        record.add_figure(bulbs_figure(t, ms, qs, fk, sp, data), "bulb_compositions")
        record.add_figure(flux_figure(t, ms, sp, summary), "fluxes_and_driving_forces")
        record.add_results(**{k: v for k, v in summary.items() if k != "scale_separation"})
    progress("done", total, total)
    return summary
