"""Figures of the bone app (matplotlib, no display needed)."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["density_figure", "history_figure"]


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def density_figure(result, s, phases):
    """Density at the end of each load, with the principal stress direction (arrows) and the pattern direction."""
    plt = _plt()
    snaps = result["snapshots"]
    fig, axes = plt.subplots(1, len(snaps), figsize=(4.4 * len(snaps), 4.0), squeeze=False)
    L = s.region.size * 1e3
    for ax, snap, ph in zip(axes[0], snaps, phases):
        im = ax.imshow(snap["image"].T, origin="lower", extent=(0, L, 0, L), cmap="bone")
        for angle, style, label in ((ph["principal_stress_direction_degrees"], "C3-", "principal stress"),
                                    (ph["pattern_direction_degrees"], "C1--", "pattern (structure tensor)")):
            d = 0.45 * L * np.array([math.cos(math.radians(angle)), math.sin(math.radians(angle))])
            ax.plot([L / 2 - d[0], L / 2 + d[0]], [L / 2 - d[1], L / 2 + d[1]], style, lw=2, label=label)
        ax.set_title(f"load at {ph['load_angle_degrees']:g}°: pattern {ph['pattern_direction_degrees']:.1f}°",
                     fontsize=9)
        ax.set_xlabel("x [mm]")
        ax.set_ylabel("y [mm]")
        fig.colorbar(im, ax=ax, shrink=0.8, label="density [kg/m³]")
    axes[0][0].legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    return fig


def history_figure(h, phases, s):
    """Mean density and pattern direction over remodelling time."""
    plt = _plt()
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 3.6))
    days = h["time_s"] / 86400
    ax.plot(days, h["mean_density"], "C0-")
    for ph in phases:
        ax.axhline(ph["homeostatic_density_kg_m3"], color="0.6", ls=":", lw=1)
    ax.set_xlabel("time [days]")
    ax.set_ylabel("mean density [kg/m³]")
    ax.set_title("mean density (dotted: closed-form homeostatic value)", fontsize=9)
    bx.plot(days[1:], h["angle_degrees"][1:], "C1-", label="pattern direction")
    start = 0
    for k, (ph, load) in enumerate(zip(phases, s.loads)):
        stop = start + load.steps
        bx.plot([days[start], days[stop]], [ph["principal_stress_direction_degrees"]] * 2, "C3--",
                label="principal stress direction" if k == 0 else None)
        start = stop
    bx.set_ylim(0, 180)
    bx.set_xlabel("time [days]")
    bx.set_ylabel("direction [degrees]")
    bx.legend(fontsize=8)
    fig.tight_layout()
    return fig
