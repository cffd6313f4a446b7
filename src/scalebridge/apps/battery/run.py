"""Solve a battery scenario and fill the run record.

Stages: the microstructures' cell problems (effective transport into the DFN); every
profile of the protocol, coupled to the energy balance (and isothermal at ambient for
comparison); the coupling-error check (the highest rate again with half the window);
particle stress at each electrode's most stressed location and the cracking indicator;
the pressure study. Post-solve verdicts (energy balance, heat sources vs electrical
loss, coupling error) are stored with the checks of the record.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...core.checks import CheckResult, check_scale_separation
from .chain import CellChain, PressureStudyNode, build, cell_profiles
from .figures import electrolyte_figure, pressure_study_figure, stress_figure, temperature_figure, voltage_figure
from .mechanics import ParticleHistory, assess_cracking
from .scenario import Scenario

__all__ = ["run", "stress_at_most_stressed_location", "voltage_difference"]

Progress = Callable[[str, int, int], None]

#: Tolerances of the post-solve verdicts.
ENERGY_BALANCE_RTOL = 1e-5      # heat generated = stored + removed: exact book-keeping, so round-off only
                                # (lumped ~1e-14; x-resolved ~2e-7 from its stiff sparse solves)
HEAT_SOURCE_RTOL = 0.02         # ohmic + irreversible heat vs I(U_p - U_n - V) (discretisation)


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def _key(label: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in label.replace(".", "p"))


def voltage_difference(a, b, points: int = 200) -> dict[str, float]:
    """Voltage of ``a`` minus ``b`` at equal discharged capacity (V): mean and max over the common range."""
    qa, qb = a.discharge_capacity, b.discharge_capacity
    top = 0.98 * min(qa[-1], qb[-1])
    if not top > 0:
        return {"mean": float("nan"), "max": float("nan"), "min": float("nan")}
    q = np.linspace(0.02 * top, top, points)
    dv = np.interp(q, qa, a.voltage) - np.interp(q, qb, b.voltage)
    return {"mean": float(dv.mean()), "max": float(dv.max()), "min": float(dv.min())}


def stress_at_most_stressed_location(node, cell, sol) -> dict[str, Any]:
    """Stress through the particles of ``node.side`` over a run; the most stressed x-cell and its cracking verdict.

    The DFN's particle concentrations (cell centres, FV-conserved mean, flux-consistent
    surface value) give the stress at every electrode cell and output time
    (:func:`~.mechanics.particle_stress`); the cell with the largest tensile hoop
    stress is assessed by :func:`~.mechanics.assess_cracking`.
    """
    nn = cell.nn
    sl = slice(0, nn) if node.side == "negative" else slice(nn, cell.n_e)
    cs = np.moveaxis(sol.particle_concentration[sl], 2, 1)            # (cells, P, N_r)
    surf = sol.surface_concentration[sl]                               # (cells, P)
    st = node.stress(cs, surf)
    peak_per_cell = st.hoop.max(axis=(1, 2))
    i = int(np.argmax(peak_per_cell))
    faces = np.arange(node.n_r + 1) * node.radius / node.n_r
    mean = cs[i] @ np.diff(faces**3) / node.radius**3                 # FV-conserved volume mean, (P,)
    r = np.append(node.r, node.radius)                                 # cell centres and the surface
    hist = ParticleHistory(t=sol.t, radii=r, faces=faces, concentration=np.column_stack([cs[i], surf[i]]),
                           surface_concentration=surf[i], mean_concentration=mean, radius=node.radius,
                           event=False, newton_iterations=0, mechanics=node.mechanics)
    spec = node.spec
    crack = assess_cracking(hist, spec.fracture_strength, spec.fracture_toughness)
    x_cells = cell.x[cell.xe[sl]]
    return {"cell": i, "x": float(x_cells[i]), "x_cells": x_cells, "peak_hoop_per_cell": peak_per_cell,
            "t": sol.t, "r": r, "radius": node.radius, "hoop": st.hoop[i], "radial": st.radial[i],
            "concentration": cs[i], "cracking": crack}


def _mechanics_summary(res, side: str) -> dict[str, Any]:
    c = res["cracking"]
    return {"electrode": side, "most_stressed_x_um": res["x"] * 1e6,
            "max_tensile_hoop_MPa": c.max_tensile_hoop / 1e6, "at_r_over_R": c.at_radius / res["radius"],
            "at_time_s": c.at_time, "fracture_strength_MPa": c.fracture_strength / 1e6,
            "cracking_indicator": c.indicator, "cracks": bool(c.cracks),
            "critical_flaw_um": None if c.critical_flaw_size is None else c.critical_flaw_size * 1e6}


def _run_cell(s: Scenario, chain: CellChain, record, progress, stage: int, stages: int):
    profiles = cell_profiles(s, chain.capacity)
    coupled = s.thermal.model != "none"
    want_iso = not coupled or s.thermal.compare_isothermal
    main, iso = {}, {}
    for k, (label, profile) in enumerate(profiles.items()):
        progress(f"cell: {label}" + (" (electro-thermal)" if coupled else " (isothermal)"), stage, stages)
        if want_iso:
            iso[label] = chain.discharge(profile, coupled=False)
        main[label] = chain.discharge(profile) if coupled else iso[label]
    return profiles, main, iso


def run(scenario: Scenario, record=None, progress: Progress = _quiet) -> dict[str, Any]:
    """Solve the chain; add arrays, figures, verdicts and results to ``record`` (optional).

    Returns the summary dictionary read by :func:`.report.summary_table`.
    """
    s = scenario
    root = build(s)
    chain = root if isinstance(root, CellChain) else None
    pnode = root if isinstance(root, PressureStudyNode) else (chain.pressure if chain else None)
    stages = 2 + (chain is not None) * 3 + (pnode is not None)
    stage = 0
    summary: dict[str, Any] = {"name": s.name, "parameter_set": s.parameters.set, "thermal": s.thermal.model}
    verdicts: list[CheckResult] = []
    figures = []          # (draw, name): drawn only for a record
    arrays: dict[str, Any] = {}
    if chain is not None:
        progress("microstructure: pore cell problems -> effective transport", stage, stages)
        cell = chain.cell
        summary["ambient_temperature_K"] = chain.ambient
        summary["microstructure"] = {}
        for region, tr in chain.transport.items():
            side = {"negative": "Negative", "positive": "Positive"}.get(region)
            entry = tr.to_dict()
            entry["bruggeman_tortuosity"] = tr.porosity ** -0.5
            if side:
                eps_s = float(chain.cell_parameters[f"{side} electrode active material volume fraction"])
                entry["cell_specific_area"] = 3 * eps_s / float(chain.cell_parameters[f"{side} particle radius [m]"])
            entry["image_size_over_thickness"] = chain.microstructures[region].image_size / \
                chain.microstructures[region].scale.length_si
            summary["microstructure"][region] = entry
        stage += 1
        profiles, main, iso = _run_cell(s, chain, record, progress, stage, stages)
        stage += 1
        runs = {}
        for label, sol in main.items():
            r = {"termination": sol.termination, "duration_s": float(sol.t[-1]),
                 "capacity_Ah": float(sol.discharge_capacity[-1]),
                 "energy_Wh": float(np.trapezoid(sol.current * sol.voltage, sol.t) / 3600.0),
                 "end_voltage_V": float(sol.voltage[-1]), "windows": sol.windows, "dfn_steps": sol.counters["steps"]}
            r["heat_source_error"] = sol.energy["heat_source_error"]
            verdicts.append(CheckResult(f"heat sources vs electrical loss ({label})",
                                        sol.energy["heat_source_error"] < HEAT_SOURCE_RTOL,
                                        f"ohmic + irreversible heat {sol.energy['ohmic_irreversible']:.1f} J vs "
                                        f"I(U_p - U_n - V) {sol.energy['electrical_loss']:.1f} J: relative "
                                        f"difference {sol.energy['heat_source_error']:.1e} "
                                        f"(tolerance {HEAT_SOURCE_RTOL:g}, Bernardi et al. 1985)", sol.energy))
            if s.thermal.model != "none":
                e = sol.energy
                r.update(max_temperature_K=float(sol.mean_temperature.max()),
                         end_temperature_K=float(sol.mean_temperature[-1]),
                         heat_generated_J=e["generated"], heat_stored_J=e["stored"], heat_removed_J=e["removed"],
                         energy_balance_error=e["balance_error"],
                         max_window_temperature_change_K=sol.max_window_temperature_change)
                verdicts.append(CheckResult(
                    f"energy balance ({label})", e["balance_error"] < ENERGY_BALANCE_RTOL,
                    f"generated {e['generated']:.2f} J = stored {e['stored']:.2f} J + removed {e['removed']:.2f} J "
                    f"to {e['balance_error']:.1e} (tolerance {ENERGY_BALANCE_RTOL:g})", e))
                if label in iso:
                    dv = voltage_difference(sol, iso[label])
                    r.update(isothermal_capacity_Ah=float(iso[label].discharge_capacity[-1]),
                             voltage_gain_mean_mV=dv["mean"] * 1e3, voltage_gain_max_mV=dv["max"] * 1e3)
            runs[label] = r
        summary["runs"] = runs
        if s.thermal.model != "none":
            label = max(profiles, key=lambda k: main[k].heat_power.mean())
            progress(f"coupling error: {label} with half the window", stage, stages)
            w = s.thermal.window
            half = chain.discharge(profiles[label], window=w / 2)
            full = main[label]
            dT = abs(float(half.mean_temperature[-1] - full.mean_temperature[-1]))
            dQ = abs(float(half.discharge_capacity[-1] - full.discharge_capacity[-1]))
            summary["coupling_check"] = {"profile": label, "window_s": w, "end_temperature_change_K": dT,
                                         "capacity_change_Ah": dQ, "tolerance_K": s.thermal.coupling_tolerance}
            verdicts.append(CheckResult(
                f"coupling window ({label})", dT < s.thermal.coupling_tolerance,
                f"halving the window ({w:g} s -> {w / 2:g} s) changes the end temperature by {dT:.3f} K "
                f"(tolerance {s.thermal.coupling_tolerance:g} K) and the capacity by {dQ * 1e3:.2f} mA h",
                summary["coupling_check"]))
        stage += 1
        stress_results = {}
        if chain.stress_nodes:
            progress("particle stress at the most stressed location", stage, stages)
            summary["mechanics"] = {}
            for node in chain.stress_nodes:
                for label, sol in main.items():
                    res = stress_at_most_stressed_location(node, cell, sol)
                    stress_results[(node.side, label)] = res
                    summary["mechanics"][f"{node.side} {label}"] = _mechanics_summary(res, node.side)
        stage += 1
        # arrays and figures
        for label, sol in main.items():
            k = _key(label)
            arrays.update({f"{k}_t_s": sol.t, f"{k}_voltage_V": sol.voltage, f"{k}_current_A": sol.current,
                           f"{k}_capacity_Ah": sol.discharge_capacity, f"{k}_temperature_K": sol.cell_temperature,
                           f"{k}_heat_power_W": sol.heat_power,
                           f"{k}_electrolyte_concentration_mol_m3": sol.electrolyte_concentration})
            if label in iso and iso[label] is not sol:
                arrays.update({f"{k}_isothermal_capacity_Ah": iso[label].discharge_capacity,
                               f"{k}_isothermal_voltage_V": iso[label].voltage})
        arrays["x_m"] = cell.x
        for (side, label), res in stress_results.items():
            k = f"{side}_{_key(label)}"
            arrays.update({f"stress_{k}_r_m": res["r"], f"stress_{k}_hoop_Pa": res["hoop"],
                           f"stress_{k}_radial_Pa": res["radial"], f"stress_{k}_peak_hoop_per_cell_Pa":
                           res["peak_hoop_per_cell"]})
        hottest = max(main, key=lambda k: main[k].heat_power.mean())
        figures.append((lambda: voltage_figure(main, iso if s.thermal.model != "none" else {}), "battery_voltage"))
        if s.thermal.model != "none":
            figures.append((lambda: temperature_figure(main, chain.ambient), "battery_temperature"))
        figures.append((lambda: electrolyte_figure(main[hottest], hottest, cell), "battery_electrolyte_concentration"))
        if stress_results:
            for node in chain.stress_nodes:
                figures.append((lambda res=stress_results[(node.side, hottest)], side=node.side:
                                stress_figure(res, side, hottest), f"battery_particle_stress_{node.side}"))
        summary["scale_separation"] = [c.to_dict() for c in check_scale_separation(chain)]
    if pnode is not None:
        progress("pressure study (single particle)", stage, stages)
        study = pnode.study(progress=lambda done, total: progress(f"pressure study ({done}/{total})", stage, stages))
        summary["pressure_study"] = {
            "pressures_GPa": (study.pressure / 1e9).tolist(), "max_c_rate": study.max_c_rate.tolist(),
            "min_charging_time_min": (study.min_charging_time / 60).tolist(), "limiting": list(study.limiting),
            "crossover_estimate_GPa": None if study.crossover_estimate is None else study.crossover_estimate / 1e9,
            "crossover_bracket_GPa": None if study.crossover_bracket is None else
            [p / 1e9 for p in study.crossover_bracket]}
        arrays.update(pressure_Pa=study.pressure, pressure_max_c_rate=study.max_c_rate,
                      pressure_min_charging_time_s=study.min_charging_time,
                      pressure_diffusion_limited_rate=study.diffusion_limited_rate,
                      pressure_kinetic_limited_rate=study.kinetic_limited_rate,
                      pressure_diffusion_time_s=study.diffusion_time, pressure_kinetic_time_s=study.kinetic_time)
        figures.append((lambda: pressure_study_figure(study), "battery_pressure_study"))
        stage += 1
    progress("figures and record", stage, stages)
    summary["verdicts"] = [{"name": v.name, "passed": v.passed, "message": v.message} for v in verdicts]
    if record is not None:
        record.add_checks(verdicts)
        record.add_arrays(**arrays)
        for draw, name in figures:
            record.add_figure(draw(), name)
        record.add_results(**{k: v for k, v in summary.items() if k != "scale_separation"})
    progress("done", stages, stages)
    return summary
