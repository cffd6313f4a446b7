"""The summary table the command line prints after a catalysis run."""

from __future__ import annotations

from typing import Any

from rich.table import Table

__all__ = ["summary_table"]


def summary_table(summary: dict[str, Any]) -> Table:
    """A rich table of rate constants, surface state, pellet, reactor and verdicts."""
    t = Table(title=f"{summary['name']}: T = {summary['temperature_K']:.1f} K", show_lines=False)
    t.add_column("scale")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    for rc in summary["rate_constants"]:
        t.add_row("atomistic", f"kf {rc['step']}", f"{rc['kf']:.4e} {rc['kf_unit']}")
        if rc["kr"]:
            t.add_row("atomistic", f"kr {rc['step']}", f"{rc['kr']:.4e} {rc['kr_unit']}")
    t.add_row("surface", "turnover frequency", f"{summary['tof_per_s']:.4e} 1/s")
    for sp, v in summary["coverages"].items():
        t.add_row("surface", f"coverage {sp}", f"{v:.4e}")
    t.add_row("surface", "site balance error", f"{summary['site_balance_error']:.1e}")
    t.add_row("surface", "apparent activation energy", f"{summary['apparent_activation_energy_eV']:.3f} eV")
    for g, v in summary["reaction_orders"].items():
        t.add_row("surface", f"reaction order {g}", f"{v:.3f}")
    for step, v in summary["degree_of_rate_control"].items():
        t.add_row("surface", f"degree of rate control {step}", f"{v:.3f}")
    t.add_row("pellet", "effective diffusivity", f"{summary['effective_diffusivity_m2_s']:.3e} m^2/s")
    t.add_row("pellet", "Thiele modulus (generalized)", f"{summary['thiele_modulus']:.4g}")
    t.add_row("pellet", "effectiveness factor", f"{summary['effectiveness_factor']:.4e}")
    t.add_row("pellet", "observed rate", f"{summary['pellet_rate_mol_m3_s']:.4e} mol/(m^3 s)")
    t.add_row("reactor", "outlet conversion", f"{summary['outlet_conversion']:.4f}")
    for n, outputs in summary.get("uncertainty", {}).items():
        for name, v in outputs.items():
            lo, hi = v["mean_bounds"]
            t.add_row("uncertainty", f"{name}, {n}-site patch: mean (epistemic range)", f"{lo:.4g} .. {hi:.4g}")
            t.add_row("uncertainty", f"{name}, {n}-site patch: widest 5-95 % site band",
                      f"{v['widest_aleatoric_band_5_95']:.4g}")
    if "kmc" in summary:
        k = summary["kmc"]
        at = "T" if k["parameter"] == "temperature" else f"p({k['parameter']})"
        for v, mf, tof, err, bad in zip(k["values"], k["tof_mean_field"], k["tof_kmc"], k["tof_kmc_error"],
                                        k["disagree"]):
            t.add_row("lattice kMC", f"TOF at {at} = {v:.4g} {k['unit']}: kMC vs mean field",
                      f"{tof:.3e} ± {err:.1e} vs {mf:.3e}" + (" DISAGREE" if bad else ""))
    for c in summary["scale_separation"]:
        verdict = c["data"]["recommendation"]
        t.add_row("bridge", c["name"].removeprefix("scale separation "),
                  f"eps = {c['data']['epsilon']:.1e}: {verdict}")
    return t
