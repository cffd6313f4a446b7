"""The summary table the command line prints after a climate (melt-pond) run."""

from __future__ import annotations

from typing import Any

from rich.table import Table

__all__ = ["summary_table"]


def summary_table(summary: dict[str, Any]) -> Table:
    """Parameterisation fidelity, coarse vs resolved per column, energy closure."""
    t = Table(title=f"{summary['name']}: melt-pond parameterisation ({summary['surrogate']}, "
                    f"{summary['training_points']} points)")
    t.add_column("column / quantity")
    t.add_column("albedo RMS", justify="right")
    t.add_column("ice error / h0", justify="right")
    t.add_column("closure-only ice error", justify="right")
    t.add_column("energy closure", justify="right")
    c, e = summary["coarse_vs_resolved"], summary["closure_only_vs_resolved"]
    for j, name in enumerate(summary["columns"]):
        t.add_row(name, f"{c['albedo_rms'][j]:.4f}", f"{c['ice_thickness_error'][j]:.3f}",
                  f"{e['ice_thickness_error'][j]:.3f}",
                  f"{max(summary['energy_closure_resolved'][j], summary['energy_closure_coarse'][j]):.1e}")
    t.caption = (f"CV albedo rel. error rms {summary['cv_albedo_rms_relative']:.2e} "
                 f"(max {summary['cv_albedo_max_relative']:.2e}); pond fraction abs. rms "
                 f"{summary['cv_pond_fraction_rms_absolute']:.3f}; stated tolerance albedo RMS "
                 f"{summary['tolerances']['albedo_rms']}, ice {summary['tolerances']['ice_thickness_relative']}: "
                 + ("met" if summary["within_tolerance"] else "NOT met"))
    return t
