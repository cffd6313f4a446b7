"""The summary table the command line prints after a solidification run."""

from __future__ import annotations

from typing import Any

from rich.table import Table

__all__ = ["summary_table"]


def summary_table(summary: dict[str, Any]) -> Table:
    """Tip at the operating undercooling, the undercooling budget, checks and the measured sigma*."""
    t = Table(title=f"{summary['name']}: dendrite tip at dT = {summary['operating_undercooling_K']:g} K")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    t.add_row("selection constant sigma*", f"{summary['selection_constant']:.5f}")
    t.add_row("tip velocity V", f"{summary['velocity_m_s']:.4e} m/s")
    t.add_row("tip radius R", f"{summary['radius_m']:.4e} m")
    t.add_row("Peclet number", f"{summary['peclet']:.4e}")
    t.add_row("sample crossing time", f"{summary['crossing_time_s']:.3g} s")
    for k, v in summary["undercooling_budget_K"].items():
        t.add_row(f"{k} undercooling", f"{v:.4g} K")
    t.add_row("table vs direct (max rel.)", f"{summary['table_max_rel_error']:.1e}")
    for k, v in summary["ivantsov_checks"].items():
        t.add_row(f"Ivantsov check {k}", f"{v:.1e}")
    if "measured_selection" in summary:
        m = summary["measured_selection"]
        t.add_row(f"measured sigma* ({m['reference'][:30]})", f"{m['value']:.4f} ± {m['uncertainty']:.4f}")
        t.add_row("V(sigma*) / V(measured sigma*)", f"{m['velocity_ratio_at_operating_point']:.3f}")
    for c in summary["scale_separation"]:
        t.add_row("bridge " + c["name"].removeprefix("scale separation "),
                  f"eps = {c['data']['epsilon']:.1e}: {c['data']['recommendation']}")
    return t
