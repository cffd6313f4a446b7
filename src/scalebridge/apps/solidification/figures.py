"""Figures of the solidification chain (matplotlib, no display needed)."""

from __future__ import annotations

import numpy as np

__all__ = ["tip_figure"]


def tip_figure(undercooling, state, measured_curve, scenario, summary):
    """Left: V and R vs undercooling (log-log); right: how the undercooling is shared."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10.5, 4.2))
    sigma = summary["selection_constant"]
    ax.loglog(undercooling, state.velocity, "C0-", label=f"V, sigma* = {sigma:.4f}")
    if measured_curve is not None:
        m = summary["measured_selection"]
        ax.loglog(undercooling, measured_curve.velocity, "C0--", label=f"V, measured sigma* = {m['value']:.4f}")
    if scenario.measurements:
        ax.loglog([p.undercooling for p in scenario.measurements], [p.velocity for p in scenario.measurements],
                  "ks", ms=5, label=scenario.measurements_reference[:40])
    ax.set_xlabel("undercooling ΔT [K]")
    ax.set_ylabel("tip velocity V [m/s]", color="C0")
    ax2 = ax.twinx()
    ax2.loglog(undercooling, state.radius, "C1-", label="R")
    if measured_curve is not None:
        ax2.loglog(undercooling, measured_curve.radius, "C1--")
    ax2.set_ylabel("tip radius R [m]", color="C1")
    lines = [h for a in (ax, ax2) for h in a.get_legend_handles_labels()[0]]
    ax.legend(lines, [h.get_label() for h in lines], fontsize=8, loc="upper left")
    ax.set_title(f"{scenario.material.name}: Ivantsov + marginal stability (LGK)", fontsize=10)
    parts = np.vstack([state.thermal_undercooling, state.capillary_undercooling, state.kinetic_undercooling])
    bx.stackplot(undercooling, parts / undercooling, labels=["thermal (Ivantsov)", "capillary (Gibbs–Thomson)",
                                                             "kinetic"], alpha=0.8)
    bx.set_xscale("log")
    bx.set_ylim(0, 1)
    bx.set_xlabel("undercooling ΔT [K]")
    bx.set_ylabel("share of the undercooling [-]")
    bx.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig
