"""The summary table the command line prints after a plasma-wall run."""

from __future__ import annotations

from typing import Any

from rich.table import Table

__all__ = ["summary_table"]


def summary_table(summary: dict[str, Any]) -> Table:
    """Coupling verdict, peak surface temperature vs the closed form, margins."""
    t = Table(title=f"{summary['name']}: {summary['material']} wall, {summary['kind']} load")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    t.add_row("fine relaxation time (near-surface zone)", f"{summary['fine_relaxation_time_s']:.3g} s")
    t.add_row("component load time", f"{summary['load_time_s']:.3g} s")
    t.add_row("scale separation eps", f"{summary['epsilon']:.3g}")
    t.add_row("check recommends", summary["recommendation"])
    t.add_row("coupling used", summary["coupling_used"])
    t.add_row("peak surface temperature", f"{summary['peak_surface_temperature_K']:.1f} K")
    t.add_row("closed form", f"{summary['reference_peak_K']:.1f} K")
    t.add_row("max relative error of the rise", f"{summary['max_relative_error_of_rise']:.2e}")
    t.add_row(summary["comparison"], f"{summary['comparison_peak_K']:.1f} K (peak)")
    t.add_row("margin to melting", f"{summary['melting_margin_K']:.0f} K")
    if summary["fine_evaluations"] is not None:
        t.add_row("fine evaluations / requests", f"{summary['fine_evaluations']} / {summary['requests']}")
    t.caption = f"reference: {summary['reference']}"
    return t
