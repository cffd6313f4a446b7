"""The summary table the command line prints after a porous-flow run."""

from __future__ import annotations

from typing import Any

from rich.table import Table

__all__ = ["summary_table"]


def summary_table(summary: dict[str, Any]) -> Table:
    """Cell permeabilities vs closed forms, slip at the mean cell, macro mass flow by slip law."""
    t = Table(title=f"{summary['name']}: {summary['gas']} through tight rock")
    t.add_column("scale")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    tab = summary["table"]
    for a, c, k, ref, name in zip(tab["radius"], tab["solid_fraction"], tab["permeability_over_l2"],
                                  tab["reference_over_l2"], tab["reference"]):
        t.add_row("pore cell", f"a/l = {a:.3f} (c = {c:.3f}): K/l^2", f"{k:.4e} ({name} {ref:.4e}, {k / ref - 1:+.1%})")
    lo, hi = summary["permeability_range_m2"]
    t.add_row("rock", "intrinsic permeability range", f"{lo:.3e} .. {hi:.3e} m^2")
    m = summary["mean_cell"]
    t.add_row("gas", "mean-cell pore radius", f"{m['pore_radius_m'] * 1e9:.1f} nm")
    t.add_row("gas", "Klinkenberg b (mean cell)", f"{m['klinkenberg_b_Pa'] / 1e6:.4g} MPa")
    t.add_row("gas", "Knudsen number inlet / outlet",
              f"{m['knudsen_inlet']:.3g} ({m['regime_inlet']}) / {m['knudsen_outlet']:.3g} ({m['regime_outlet']})")
    for law, f in summary["flows"].items():
        t.add_row("rock", f"mass flow, slip = {law}",
                  f"{f['mass_flow_out']:.5e} kg/(m s) (imbalance {f['imbalance']:.1e}, {f['picard_iterations']} Picard)")
    t.add_row("rock", f"slip enhancement ({summary['slip']} / no slip)", f"{summary['slip_enhancement']:.4f}")
    for c in summary["scale_separation"]:
        t.add_row("bridge", c["name"].removeprefix("scale separation "),
                  f"eps = {c['data']['epsilon']:.1e}: {c['data']['recommendation']}")
    return t
