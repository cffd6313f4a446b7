"""The summary table the command line prints after a tendon run."""

from __future__ import annotations

from typing import Any

from rich.table import Table

__all__ = ["summary_table"]


def summary_table(summary: dict[str, Any]) -> Table:
    """Fibril population, J-curve landmarks, checks and the crosslink sweep."""
    t = Table(title=f"{summary['name']}: fibril recruitment ({summary['distribution']} crimp)")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    t.add_row("fibrils (quantile quadrature)", str(summary["fibrils"]))
    t.add_row("fibril modulus E_f", f"{summary['fibril_modulus_Pa'] / 1e9:.3f} GPa")
    t.add_row("mean critical strain", f"{summary['mean_critical_strain'] * 100:.3f} %")
    t.add_row("strain at 99 % recruitment (toe end)", f"{summary['strain_99_percent_recruited'] * 100:.3f} %")
    t.add_row("linear-region modulus (tangent at max strain)", f"{summary['linear_region_modulus_Pa'] / 1e9:.4f} GPa")
    t.add_row("phi E_f (all recruited)", f"{summary['linear_region_modulus_expected_Pa'] / 1e9:.4f} GPa")
    t.add_row("stress at max strain", f"{summary['stress_at_max_strain_Pa'] / 1e6:.2f} MPa")
    t.add_row(f"max |sigma - {summary['reference']}| / max sigma", f"{summary['max_relative_difference_vs_reference']:.1e}")
    t.add_row("tangent vs finite differences", f"{summary['tangent_check_relative_error']:.1e}")
    for row in summary["crosslink_sweep"]:
        t.add_row(f"crosslinks {row['crosslink_density']:g}/molecule: linear modulus",
                  f"{row['linear_region_modulus_Pa'] / 1e9:.4f} GPa")
    for c in summary["scale_separation"]:
        t.add_row(c["name"], f"eps = {c['data']['epsilon']:.1e}: {c['data']['recommendation']}")
    return t
