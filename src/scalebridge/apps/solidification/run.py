"""Solve the solidification chain: tip law vs undercooling, Ivantsov checks, selection vs measurement."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...core.checks import check_scale_separation
from ...laws.solidification import (MARGINAL_STABILITY_CONSTANT, ivantsov, ivantsov_asymptotic, ivantsov_peclet,
                                    ivantsov_series)
from .chain import build, selection_constant, tip_model
from .figures import tip_figure
from .scenario import Scenario

__all__ = ["run", "ivantsov_checks"]

Progress = Callable[[str, int, int], None]

#: x e^x E1(x) from Abramowitz & Stegun (1964), Table 5.1 (independent tabulated values).
ABRAMOWITZ_STEGUN_TABLE_5_1 = {1.0: 0.596347362, 2.0: 0.722657234, 5.0: 0.852110880, 10.0: 0.915633339}


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def ivantsov_checks() -> dict[str, float]:
    """Largest relative deviations of Iv from its series, asymptotics, A&S Table 5.1 and its inverse."""
    small = np.logspace(-6, 0, 61)
    large = np.logspace(np.log10(30.0), 3, 31)
    x = np.array(list(ABRAMOWITZ_STEGUN_TABLE_5_1))
    tab = np.array(list(ABRAMOWITZ_STEGUN_TABLE_5_1.values()))
    d = np.logspace(-6, np.log10(0.999), 61)
    return {"series_max_rel": float(np.max(np.abs(ivantsov_series(small) / ivantsov(small) - 1))),
            "asymptotic_max_rel": float(np.max(np.abs(ivantsov_asymptotic(large, 10) / ivantsov(large) - 1))),
            "table_5_1_max_abs": float(np.max(np.abs(ivantsov(x) - tab))),
            "inversion_max_rel": float(np.max(np.abs(ivantsov(ivantsov_peclet(d)) / d - 1)))}


def run(scenario: Scenario, record=None, progress: Progress = _quiet) -> dict[str, Any]:
    """Tip velocity and radius vs undercooling through the tabulated law; fills ``record``."""
    s = scenario
    progress("Ivantsov closed-form checks", 0, 4)
    checks = ivantsov_checks()

    progress("tip law table and sample", 1, 4)
    sample = build(s)
    table, tip = sample.fine, sample.fine.model
    grid = table.table["undercooling"]
    mid = np.sqrt(grid[1:] * grid[:-1])                                  # between nodes: worst case of the spline
    direct = tip.evaluate({"undercooling": mid})
    tabled = sample.evaluate({"undercooling": mid})
    table_error = float(max(np.max(np.abs(tabled[k] / direct[k] - 1)) for k in ("velocity", "radius")))
    sweep = np.logspace(np.log10(s.undercooling.start), np.log10(s.undercooling.stop), 121)
    state = tip.tip(sweep)
    point = tip.tip(np.array([s.operating_undercooling]))
    op = sample.evaluate({"undercooling": np.array([s.operating_undercooling])})

    progress("selection constant vs measurement", 2, 4)
    sigma = selection_constant(s)
    summary: dict[str, Any] = {
        "name": s.name, "material": s.material.name, "selection_constant": sigma,
        "marginal_stability_constant": MARGINAL_STABILITY_CONSTANT,
        "operating_undercooling_K": s.operating_undercooling,
        "velocity_m_s": float(op["velocity"][0]), "radius_m": float(op["radius"][0]),
        "peclet": float(point.peclet[0]), "crossing_time_s": float(op["crossing_time"][0]),
        "undercooling_budget_K": {"thermal": float(point.thermal_undercooling[0]),
                                  "capillary": float(point.capillary_undercooling[0]),
                                  "kinetic": float(point.kinetic_undercooling[0])},
        "budget_closure": float(np.max(np.abs(state.thermal_undercooling + state.capillary_undercooling
                                              + state.kinetic_undercooling - sweep) / sweep)),
        "selection_invariant": float(np.max(np.abs(2 * s.material.capillary_length * s.material.diffusivity
                                                   / (state.radius**2 * state.velocity) / sigma - 1))),
        "table_max_rel_error": table_error,
        "ivantsov_checks": checks,
    }
    measured_curve = None
    if s.measured_selection is not None:
        m = s.measured_selection
        other = tip_model(s, m.value).tip(np.array([s.operating_undercooling]))
        measured_curve = tip_model(s, m.value).tip(sweep)
        summary["measured_selection"] = {
            "value": m.value, "uncertainty": m.uncertainty, "reference": m.reference,
            "ratio_sigma": sigma / m.value,
            "velocity_ratio_at_operating_point": float(point.velocity[0] / other.velocity[0]),
            "radius_ratio_at_operating_point": float(point.radius[0] / other.radius[0])}
    if s.measurements:
        dT = np.array([p.undercooling for p in s.measurements])
        pred = tip.tip(dT)
        summary["measurements"] = {
            "reference": s.measurements_reference, "undercooling_K": dT.tolist(),
            "velocity_ratio": (pred.velocity / np.array([p.velocity for p in s.measurements])).tolist(),
            "radius_ratio": [float(r / p.radius) if p.radius else None for r, p in zip(pred.radius, s.measurements)]}
    summary["scale_separation"] = [c.to_dict() for c in check_scale_separation(sample)]

    progress("figures and record", 3, 4)
    if record is not None:
        record.add_arrays(undercooling_K=sweep, velocity_m_s=state.velocity, radius_m=state.radius,
                          peclet=state.peclet, thermal_undercooling_K=state.thermal_undercooling,
                          capillary_undercooling_K=state.capillary_undercooling,
                          kinetic_undercooling_K=state.kinetic_undercooling, table_undercooling_K=grid,
                          table_velocity_m_s=table.table["velocity"], table_radius_m=table.table["radius"])
        record.add_figure(tip_figure(sweep, state, measured_curve, s, summary), "dendrite_tip")
        record.add_results(**{k: v for k, v in summary.items() if k != "scale_separation"})
    progress("done", 4, 4)
    return summary
