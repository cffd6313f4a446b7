"""Solve the plasma-wall chain with the coupling the checks chose, against the closed forms."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...core.checks import check_scale_separation, scale_separation
from ...laws.heat_conduction import semi_infinite_surface_rise, slab_steady_surface_temperature
from .chain import build, steady_table
from .figures import surface_temperature_figure
from .scenario import Scenario

__all__ = ["run"]

Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def run(scenario: Scenario, record=None, progress: Progress = _quiet) -> dict[str, Any]:
    """Component history through the chosen bridge; closed-form references; fills ``record``.

    Steady load (a linear ramp to ``heat_flux`` over ``duration``): the tabulated law vs
    the steady slab :math:`T_c + q(L/k + 1/h)` at every flux, and the exact transient
    (Duhamel) showing the quasi-steady error. ELM: the on-the-fly surface temperature vs
    the steady background plus the semi-infinite rise :math:`2q\\sqrt{t/(\\pi k\\rho c)}`,
    and the quasi-steady table misapplied to the pulse.
    """
    s, m, a, L = scenario, scenario.material, scenario.armour, scenario.loading
    progress("model tree and scale separation", 0, 4)
    component = build(s)
    fine = component.fine.model
    verdict = scale_separation(component.scale, fine.scale)
    span = L.duration if L.kind == "steady" else 2.0 * L.duration
    times = np.linspace(0.0, span, L.times)

    progress(f"component history ({component.coupling} bridge)", 1, 4)
    ev = component.evaluate({"time": times})
    T, q = ev["surface_temperature"], ev["heat_flux"]

    progress("closed-form references", 2, 4)
    steady = lambda flux: slab_steady_surface_temperature(flux, a.thickness, m.conductivity,  # noqa: E731
                                                          a.heat_transfer_coefficient, a.coolant_temperature)
    if L.kind == "steady":
        reference = steady(q)
        reference_name = "steady slab T_c + q(L/k + 1/h) at the instantaneous flux"
        transient = a.coolant_temperature + fine.ramp_response(L.heat_flux, L.duration, times)
        other = {"name": "exact transient of the ramp (Duhamel, fine model)", "surface_temperature": transient}
    else:
        on = semi_infinite_surface_rise(L.heat_flux, np.clip(times, 0, None), m.conductivity, m.density,
                                        m.heat_capacity)
        off = semi_infinite_surface_rise(L.heat_flux, np.clip(times - L.duration, 0, None), m.conductivity,
                                         m.density, m.heat_capacity)
        reference = steady(L.background_heat_flux) + on - off
        reference_name = "steady background + semi-infinite rise 2q sqrt(t/(pi k rho c))"
        table = steady_table(s, fine)
        quasi = a.coolant_temperature + table.evaluate({"heat_flux": q})["surface_temperature_rise"]
        other = {"name": "quasi-steady table T_s(q) misapplied to the pulse", "surface_temperature": quasi}
    error = np.abs(T - reference) / np.maximum(reference - a.coolant_temperature, 1e-300)
    mask = reference - a.coolant_temperature > 1e-9 * np.max(reference - a.coolant_temperature)

    progress("figures and record", 3, 4)
    stats = dict(getattr(component.fine, "statistics", {}))
    summary = {
        "name": s.name, "kind": L.kind, "material": m.name,
        "coupling_requested": s.coupling, "coupling_used": component.coupling,
        "recommendation": verdict.recommendation, "epsilon": verdict.epsilon,
        "length_ratio": verdict.length_ratio, "time_ratio": verdict.time_ratio,
        "fine_relaxation_time_s": fine.scale.time_si, "armour_relaxation_time_s": float(fine.relaxation_time),
        "load_time_s": L.duration,
        "peak_surface_temperature_K": float(T.max()), "reference_peak_K": float(reference.max()),
        "reference": reference_name,
        "max_relative_error_of_rise": float(error[mask].max()),
        "comparison": other["name"], "comparison_peak_K": float(np.max(other["surface_temperature"])),
        "melting_margin_K": float(m.melting_temperature - T.max()),
        "recrystallisation_exceeded": (None if m.recrystallisation_temperature is None
                                       else bool(T.max() > m.recrystallisation_temperature)),
        "fine_evaluations": stats.get("fine_evaluations"), "requests": stats.get("requests"),
        "scale_separation": [c.to_dict() for c in check_scale_separation(component)],
    }
    if record is not None:
        record.add_arrays(time_s=times, heat_flux_W_m2=q, surface_temperature_K=T, reference_K=reference,
                          comparison_K=other["surface_temperature"])
        record.add_figure(surface_temperature_figure(times, T, reference, other, summary, s), "surface_temperature")
        record.add_results(**{k: v for k, v in summary.items() if k != "scale_separation"})
    progress("done", 4, 4)
    return summary
