"""Figures of the plasma-wall chain (matplotlib, no display needed)."""

from __future__ import annotations

import numpy as np

__all__ = ["surface_temperature_figure"]


def surface_temperature_figure(times, T, reference, other, summary, scenario):
    """Surface temperature through the load: chosen bridge, closed form, and the comparison curve."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.2, 4.2))
    steady = summary["kind"] == "steady"
    scale, unit = (1.0, "s") if steady else (1e3, "ms")
    ax.plot(times * scale, reference, "k-", lw=2.5, alpha=0.35, label="closed form")
    ax.plot(times * scale, T, "C0o", ms=3.5, label=f"{summary['coupling_used']} bridge")
    ax.plot(times * scale, other["surface_temperature"], "C3--", label=other["name"])
    m = scenario.material
    if not steady:
        ax.axhline(m.melting_temperature, color="0.5", ls=":", lw=1)
        ax.text(times[0] * scale, m.melting_temperature, f" {m.name} melts", va="bottom", fontsize=8, color="0.4")
        if m.recrystallisation_temperature is not None:
            ax.axhline(m.recrystallisation_temperature, color="0.7", ls=":", lw=1)
    ax.set_xlabel(f"time [{unit}]")
    ax.set_ylabel("surface temperature [K]")
    top = max(np.max(T), np.max(reference))
    ax.set_ylim(min(np.min(T), np.min(reference)) * 0.9, max(top * 1.25, m.melting_temperature * 1.05)
                if not steady else top * 1.25)
    ax.set_title(f"{summary['name']}: eps = {summary['epsilon']:.2g} -> {summary['recommendation']}", fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig
