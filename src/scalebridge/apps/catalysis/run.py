"""Solve every scale of a catalysis scenario and fill the run record."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...core.checks import check_scale_separation
from ...laws.microkinetics import MicrokineticModel
from .chain import build, feed_concentration
from .figures import conversion_figure, coverage_figure, effectiveness_figure, kmc_comparison_figure, pbox_figure
from .kmc_study import kmc_study
from .scenario import Scenario
from .uncertainty import uncertainty_study

__all__ = ["run"]

Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def run(scenario: Scenario, record=None, progress: Progress = _quiet) -> dict[str, Any]:
    """Solve the chain; add arrays, figures and results to ``record`` (optional).

    Returns the summary dictionary read by :func:`.report.summary_table`.
    """
    s, T = scenario, scenario.conditions.temperature
    reactor = build(s)
    pellet_table = reactor.children[0]
    pellet = reactor.fine
    tof_table = pellet.children[0]
    kinetics = tof_table.model
    atomistic, surface = kinetics.children
    mechanism = surface.mechanism
    feed = dict(s.conditions.pressures)
    stages = 6 + (s.uncertainty is not None) + (s.kmc is not None)

    progress("rate constants (TST)", 0, stages)
    kf, kr = mechanism.rate_constants(np.array([T]))

    progress("surface kinetics at the operating point", 1, stages)
    inputs = {"temperature": np.array([T]), **{f"pressure_{g}": np.array([p]) for g, p in feed.items()}}
    point = kinetics.evaluate(inputs)
    mk = MicrokineticModel(mechanism)
    e_app = mk.apparent_activation_energy(s.product, T, feed).electronvolt
    orders = mk.reaction_orders(s.product, T, feed)
    drc = mk.degree_of_rate_control(s.product, T, feed)

    progress("temperature sweep", 2, stages)
    temps = np.linspace(s.sweep.start, s.sweep.stop, s.sweep.points)
    sweep = kinetics.evaluate({"temperature": temps,
                               **{f"pressure_{g}": np.full_like(temps, p) for g, p in feed.items()}})

    progress("pellet (TOF table + reaction-diffusion)", 3, stages)
    c_feed = feed_concentration(s)
    profile = pellet.solve(c_feed)
    at_feed = pellet.evaluate({"concentration": np.array([c_feed])})

    progress("reactor (pellet table + plug flow)", 4, stages)
    bed = reactor.profile(c_feed)
    _ = pellet_table.table  # sampled by the reactor solve; read for the record

    study = None
    if s.uncertainty is not None:
        study = uncertainty_study(s, feed_concentration(s), lambda n, k, total: progress(
            f"uncertainty: nested propagation, patch of {n} site(s) ({k + 1}/{total})", 5, stages))

    comparison = None
    if s.kmc is not None:
        stage = stages - 2
        checkpoint = getattr(record, "checkpoint_dir", None)  # a RunRecord's checkpoints/ (resumable run)
        comparison = kmc_study(s, lambda k, total: progress(f"mean field vs lattice kMC ({k}/{total} pressures)",
                                                            stage, stages), checkpoint=checkpoint)

    progress("figures and record", stages - 1, stages)
    species = mechanism.surface_species
    summary = {
        "name": s.name,
        "temperature_K": T,
        "pressures_Pa": feed,
        "rate_constants": [
            {"step": step.name, "equation": step.equation, "kf": float(kf[0, j]),
             "kf_unit": atomistic.outputs[f"kf_{step.name}"].unit, "kr": float(kr[0, j]),
             "kr_unit": atomistic.outputs[f"kr_{step.name}"].unit}
            for j, step in enumerate(mechanism.steps)],
        "tof_per_s": float(point["tof"][0]),
        "coverages": {sp: float(point[f"coverage_{sp}"][0]) for sp in species},
        "site_balance_error": float(abs(sum(point[f"coverage_{sp}"][0] for sp in species) - 1.0)),
        "apparent_activation_energy_eV": float(e_app),
        "reaction_orders": {g: float(v) for g, v in orders.items()},
        "degree_of_rate_control": {k: float(v) for k, v in drc.items()},
        "feed_concentration_mol_m3": c_feed,
        "effective_diffusivity_m2_s": pellet.diffusivity,
        "thiele_modulus": float(at_feed["thiele_modulus"][0]),
        "effectiveness_factor": float(at_feed["effectiveness_factor"][0]),
        "pellet_rate_mol_m3_s": float(at_feed["pellet_rate"][0]),
        "outlet_conversion": float(bed.conversion[-1]),
        "scale_separation": [c.to_dict() for c in check_scale_separation(reactor)],
    }
    if study is not None:
        summary["uncertainty"] = {str(n): v for n, v in study["summary"].items()}
    if comparison is not None:
        summary["kmc"] = {"parameter": comparison.parameter, "unit": comparison.unit,
                          "values": comparison.values.tolist(),
                          "tof_mean_field": comparison.tof_mean_field.tolist(),
                          "tof_kmc": comparison.tof_kmc.tolist(), "tof_kmc_error": comparison.tof_kmc_error.tolist(),
                          "disagree": comparison.disagree.tolist()}
    if record is not None:
        record.add_arrays(
            sweep_temperature_K=temps, sweep_tof_per_s=sweep["tof"],
            **{f"sweep_coverage_{sp}": sweep[f"coverage_{sp}"] for sp in species},
            tof_table_pressure_Pa=tof_table.table[tof_table.input], tof_table_tof_per_s=tof_table.table["tof"],
            pellet_radius_m=profile.radii, pellet_concentration_mol_m3=profile.concentrations,
            pellet_table_concentration_mol_m3=pellet_table.table["concentration"],
            pellet_table_rate_mol_m3_s=pellet_table.table["pellet_rate"],
            pellet_table_effectiveness=pellet_table.table["effectiveness_factor"],
            pellet_table_thiele=pellet_table.table["thiele_modulus"],
            reactor_z_m=bed.z, reactor_conversion=bed.conversion)
        record.add_figure(coverage_figure(temps, sweep, species, T), "coverages_vs_temperature")
        record.add_figure(effectiveness_figure(pellet_table.table, summary), "effectiveness_vs_thiele")
        record.add_figure(conversion_figure(bed.z, bed.conversion, s.reactor.length), "conversion_along_bed")
        if study is not None:
            record.add_arrays(**{f"uq_{name}_{n}_sites": box.samples for n, boxes in study["pboxes"].items()
                                 for name, box in boxes.items()})
            record.add_figure(pbox_figure(study["pboxes"]), "uncertainty_pboxes")
        if comparison is not None:
            c = comparison
            record.add_arrays(**{f"kmc_sweep_{c.parameter}_{c.unit}": c.values}, kmc_tof_mean_field_per_s=c.tof_mean_field,
                              kmc_tof_per_s=c.tof_kmc, kmc_tof_error_per_s=c.tof_kmc_error, kmc_disagree=c.disagree,
                              kmc_snapshots=np.array(c.snapshots),
                              **{f"kmc_coverage_{sp}_{method}": cov[sp] for sp in species
                                 for method, cov in (("mean_field", c.coverages_mean_field), ("kmc", c.coverages_kmc),
                                                     ("kmc_error", c.coverage_errors_kmc))})
            record.add_figure(kmc_comparison_figure(c, T), "kmc_vs_mean_field")
        record.add_results(**{k: v for k, v in summary.items() if k != "scale_separation"})
    progress("done", stages, stages)
    return summary
