"""Solve the pharmacology chain: PBPK profiles, QSP response per arm, steady-state synergy surface."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ...laws.pharmacodynamics import bliss_excess, loewe_combination_index, steady_state_effect
from .chain import binding, build
from .figures import pk_figure, qsp_figure, synergy_figure
from .scenario import Scenario

__all__ = ["run", "arms", "synergy_surface", "sham_combination_index"]

Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def arms(names: list[str]) -> dict[str, dict[str, float]]:
    """Treatment arms as dose scales: each drug alone, then the combination (two drugs)."""
    out = {f"{n} alone": {m: float(m == n) for m in names} for n in names}
    if len(names) == 2:
        out[" + ".join(names)] = {m: 1.0 for m in names}
    return out


def synergy_surface(s: Scenario) -> dict[str, np.ndarray]:
    """Steady-state effect E(c1, c2), single-drug effects, Loewe CI and Bliss excess on a grid (mol/m^3)."""
    drugs = binding(s)
    axes = [np.linspace(0.0, s.synergy.max_over_kd * d.kd, s.synergy.grid) for d in drugs]
    c1, c2 = np.meshgrid(*axes, indexing="ij")
    both = np.stack([c1, c2], axis=-1)
    effect = steady_state_effect(both, drugs, s.qsp.mechanism)
    e1 = steady_state_effect(np.stack([c1, 0 * c2], axis=-1), drugs, s.qsp.mechanism)
    e2 = steady_state_effect(np.stack([0 * c1, c2], axis=-1), drugs, s.qsp.mechanism)
    ci = loewe_combination_index(c1, c2, effect, *drugs)
    return {"c1": c1, "c2": c2, "effect": effect, "ci": ci, "bliss_excess": bliss_excess(effect, e1, e2)}


def sham_combination_index(s: Scenario) -> float:
    """max |CI - 1| of the first drug combined with itself (one target) over the synergy grid."""
    d = binding(s)[0]
    c = np.linspace(0.0, s.synergy.max_over_kd * d.kd, s.synergy.grid)
    c1, c2 = np.meshgrid(c, c, indexing="ij")
    effect = steady_state_effect(np.stack([c1, c2], axis=-1), [d, d], "shared_target")
    ci = loewe_combination_index(c1, c2, effect, d, d)
    return float(np.nanmax(np.abs(ci - 1.0)))


def run(scenario: Scenario, record=None, progress: Progress = _quiet) -> dict[str, Any]:
    """PBPK -> QSP for every arm; synergy surface; fill ``record`` (optional); return the summary."""
    s = scenario
    names = [d.name for d in s.drugs]
    total = 4
    progress("PBPK (exact linear propagation)", 0, total)
    model = build(s)
    pk = {m.drug_name: m for m in model.children[:-1]}
    for m in pk.values():
        _ = m.solution
    progress("QSP: binding, effect, tumour per arm", 1, total)
    plan = arms(names)
    inputs = {f"dose_scale_{n}": np.array([a[n] for a in plan.values()]) for n in names}
    ev = model.evaluate(inputs)
    t = model.children[-1].times
    progress("steady-state synergy surface", 2, total)
    surface = synergy_surface(s) if len(names) == 2 else None
    sham = sham_combination_index(s)
    progress("figures and record", 3, total)
    pk_rows = {}
    for n, m in pk.items():
        sol = m.solution
        art = sol.concentration("arterial")
        pk_rows[n] = {
            "clearance_L_h": m.clearance * 3.6e6, "steady_state_volume_L": m.steady_state_volume * 1e3,
            "half_life_h": math.log(2) * m.mean_residence_time / 3600.0,
            "dosed_mg": float(sol.dosed[-1] * 1e6), "eliminated_fraction": float(sol.amounts[-1, sol.system.index("eliminated")]
                                                                              / sol.dosed[-1]),
            "arterial_cmax_mg_L": float(art.max() * 1e3), "arterial_auc_mg_h_L": float(np.trapezoid(art, t) * 1e3 / 3600),
            "target_cmax_nM": float(ev[f"concentration_{n}"][list(plan).index(f'{n} alone')].max() * 1e6),
            "mass_balance_error": float(sol.mass_balance_error.max())}
    final = {arm: float(ev["tumour_cells"][k, -1]) for k, arm in enumerate(plan)}
    summary = {"name": s.name, "mechanism": s.qsp.mechanism, "target_tissue": s.qsp.target_tissue,
               "duration_h": float(t[-1] / 3600), "pk": pk_rows, "arms": list(plan),
               "final_tumour_cells": final,
               "log10_change": {arm: float(np.log10(v)) for arm, v in final.items()},
               "mean_effect": {arm: float(np.trapezoid(ev["effect"][k], t) / t[-1]) for k, arm in enumerate(plan)},
               "sham_combination_index_error": sham}
    if surface is not None:
        mask = (surface["effect"] > 0.05) & (surface["c1"] > 0) & (surface["c2"] > 0)
        ci = surface["ci"][mask & np.isfinite(surface["ci"])]
        summary["synergy"] = {"combination_index_median": float(np.median(ci)) if ci.size else None,
                              "combination_index_range": [float(ci.min()), float(ci.max())] if ci.size else None,
                              "combination_index_points": int(ci.size),
                              "points_beyond_single_drug_maximum": int(np.sum(mask & ~np.isfinite(surface["ci"]))),
                              "bliss_excess_max_abs": float(np.nanmax(np.abs(surface["bliss_excess"])))}
    if record is not None:
        arrays = {"time_s": t, **{f"arterial_kg_m3_{n}": m.solution.concentration("arterial") for n, m in pk.items()},
                  **{f"amounts_kg_{n}": m.solution.amounts for n, m in pk.items()},
                  "tumour_cells": ev["tumour_cells"], "effect": ev["effect"],
                  **{f"target_mol_m3_{n}": ev[f"concentration_{n}"] for n in names},
                  **{f"occupancy_{n}": ev[f"occupancy_{n}"] for n in names}}
        if surface is not None:
            arrays.update({f"synergy_{k}": v for k, v in surface.items()})
        record.add_arrays(**arrays)
        record.add_figure(pk_figure(t, pk, ev, plan, s.qsp.target_tissue), "pbpk_profiles")
        record.add_figure(qsp_figure(t, ev, plan, names), "qsp_response")
        if surface is not None:
            record.add_figure(synergy_figure(surface, names, binding(s)), "synergy")
        record.add_results(**summary)
    progress("done", total, total)
    return summary
