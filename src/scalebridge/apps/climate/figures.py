"""Figures of the melt-pond chain (matplotlib, no display needed)."""

from __future__ import annotations

__all__ = ["season_figure"]


def season_figure(resolved, coarse, closure, scenario):
    """Albedo, pond fraction and ice thickness through the season: resolved vs parameterised coarse column."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    for j, c in enumerate(scenario.columns):
        color = f"C{j}"
        for ax, key in zip(axes, ("albedo", "pond_fraction", "ice_thickness")):
            ax.plot(resolved.day, getattr(resolved, key)[:, j], color=color, lw=2.2, alpha=0.45,
                    label=f"{c.name}: resolved" if key == "albedo" else None)
            ax.plot(coarse.day, getattr(coarse, key)[:, j], color=color, ls="--",
                    label=f"{c.name}: coarse + {scenario.training.surrogate.upper()}" if key == "albedo" else None)
            ax.plot(closure.day, getattr(closure, key)[:, j], color=color, ls=":", lw=1)
    for ax, label in zip(axes, ("grid-cell albedo [-]", "pond fraction [-]", "ice thickness [m]")):
        ax.set_xlabel("day from 1 June")
        ax.set_ylabel(label)
    axes[0].legend(fontsize=7)
    axes[2].set_title("dotted: coarse + exact relaxed ponds", fontsize=8)
    fig.suptitle(f"{scenario.name}: melt ponds resolved vs parameterised", fontsize=10)
    fig.tight_layout()
    return fig
