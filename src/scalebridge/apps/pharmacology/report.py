"""The summary table the command line prints after a pharmacology run."""

from __future__ import annotations

from typing import Any

from rich.table import Table

__all__ = ["summary_table"]


def summary_table(summary: dict[str, Any]) -> Table:
    """PK parameters and mass balance per drug, tumour response per arm, synergy measures."""
    t = Table(title=f"{summary['name']}: PBPK -> QSP ({summary['mechanism']}, target {summary['target_tissue']})")
    t.add_column("scale")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    for n, r in summary["pk"].items():
        t.add_row("PBPK", f"{n}: clearance / V_ss / ln2 V_ss/CL",
                  f"{r['clearance_L_h']:.2f} L/h / {r['steady_state_volume_L']:.1f} L / {r['half_life_h']:.2f} h")
        t.add_row("PBPK", f"{n}: dosed / eliminated fraction", f"{r['dosed_mg']:.1f} mg / {r['eliminated_fraction']:.3f}")
        t.add_row("PBPK", f"{n}: arterial Cmax / AUC", f"{r['arterial_cmax_mg_L']:.3g} mg/L / "
                  f"{r['arterial_auc_mg_h_L']:.3g} mg h/L")
        t.add_row("PBPK", f"{n}: mass balance error", f"{r['mass_balance_error']:.1e}")
    for arm, v in summary["final_tumour_cells"].items():
        t.add_row("QSP", f"{arm}: N/N0 at end (mean effect)", f"{v:.3g} ({summary['mean_effect'][arm]:.3f})")
    if "synergy" in summary:
        y = summary["synergy"]
        if y["combination_index_points"]:
            lo, hi = y["combination_index_range"]
            t.add_row("synergy", f"Loewe CI median (range), {y['combination_index_points']} grid points",
                      f"{y['combination_index_median']:.3f} ({lo:.3f}..{hi:.3f})")
        t.add_row("synergy", "grid points beyond either drug's maximal effect (CI undefined)",
                  str(y["points_beyond_single_drug_maximum"]))
        t.add_row("synergy", "max |Bliss excess|", f"{y['bliss_excess_max_abs']:.2e}")
    t.add_row("synergy", "sham combination max |CI - 1|", f"{summary['sham_combination_index_error']:.1e}")
    return t
