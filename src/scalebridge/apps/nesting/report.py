"""Summary table of the nesting app."""

from __future__ import annotations

from typing import Any

from rich.table import Table

__all__ = ["summary_table"]


def summary_table(summary: dict[str, Any]) -> Table:
    """Errors of the coarse run and of the nest against the whole-domain fine run, and the boundary checks."""
    t = Table(title=f"{summary['name']}: one-way nesting")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    t.add_row("coarse vs whole-domain fine (nest region, all outputs)", f"{summary['error_coarse_vs_fine']:.2%}")
    t.add_row("nest vs whole-domain fine", f"{summary['error_nest_vs_fine']:.2%}")
    t.add_row("content balance at the nest boundary", f"{summary['content_imbalance']:.1e}")
    t.add_row("nest vs coarse boundary flux", f"{summary['boundary_flux_mismatch']:.2%}")
    t.add_row("cells: coarse / nest / whole-domain fine",
              f"{summary['coarse_cells']} / {summary['nest_cells']} / {summary['fine_cells']}")
    return t
