"""The summary table the command line prints after a multicomponent run."""

from __future__ import annotations

from typing import Any

from rich.table import Table

__all__ = ["summary_table"]


def summary_table(summary: dict[str, Any]) -> Table:
    """Diffusivities, regimes of every species, conservation and the comparison with the experiment."""
    t = Table(title=f"{summary['name']}: {'/'.join(summary['species'])} at {summary['temperature_K']:.2f} K")
    t.add_column("scale")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    for pair, D in summary["diffusivities_m2_s"].items():
        ce = summary["chapman_enskog_m2_s"].get(pair)
        t.add_row("molecular", f"Ð {pair}", f"{D * 1e6:.2f} mm^2/s" + (f" (Chapman-Enskog {ce * 1e6:.2f})" if ce else ""))
    for sp, r in summary["regimes"].items():
        e = summary["extrema"][sp]
        t.add_row("apparatus", f"{sp}: bulb 1 / bulb 2 range",
                  f"{e['bulb1_min']:.4f}..{e['bulb1_max']:.4f} / {e['bulb2_min']:.4f}..{e['bulb2_max']:.4f}")
        if r["reverse_duration_s"]:
            t.add_row("apparatus", f"{sp}: reverse (uphill) diffusion",
                      f"{r['reverse_from_s'] / 3600:.3f} .. {r['reverse_to_s'] / 3600:.2f} h")
        for tb in r["barrier_times_s"]:
            t.add_row("apparatus", f"{sp}: diffusion barrier (zero flux)", f"{tb / 3600:.2f} h")
        for to in r["osmotic_times_s"]:
            t.add_row("apparatus", f"{sp}: osmotic diffusion (zero gradient)", f"{to / 3600:.3f} h")
    for name, c in summary["conservation"].items():
        t.add_row("check", f"species conservation ({name})", f"{max(c):.1e}")
    t.add_row("check", "quasi-steady vs resolved capillary", f"{summary['quasi_steady_max_difference']:.2e}")
    if "duncan_toor_1962" in summary:
        d = summary["duncan_toor_1962"]
        t.add_row("experiment", "N2 peak in the H2 bulb: data", f"{d['n2_peak_data']:.3f} at {d['n2_peak_data_time_h']} h")
        t.add_row("experiment", "max |model - data| (all / N2)",
                  f"{d['max_abs_difference']:.4f} / {d['max_abs_difference_N2']:.4f}")
        t.add_row("experiment", "Fick: max |model - data| N2", f"{d['fick_max_abs_difference_N2']:.4f}")
    for c in summary["scale_separation"]:
        t.add_row("bridge", c["name"].removeprefix("scale separation "),
                  f"eps = {c['data']['epsilon']:.1e}: {c['data']['recommendation']}")
    return t
