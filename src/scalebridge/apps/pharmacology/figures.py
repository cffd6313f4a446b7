"""Figures of the pharmacology app (matplotlib, no display needed)."""

from __future__ import annotations

import numpy as np

__all__ = ["pk_figure", "qsp_figure", "synergy_figure"]


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def pk_figure(t, pk, ev, plan, target):
    """Arterial and target-site concentration of each drug (own regimen), log scale."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 4))
    hours = t / 3600
    for k, (n, m) in enumerate(pk.items()):
        art = m.solution.concentration("arterial") * 1e3  # mg/L
        ax.semilogy(hours, np.maximum(art, 1e-12), color=f"C{k}", label=f"{n}: arterial [mg/L]")
        c = ev[f"concentration_{n}"][list(plan).index(f"{n} alone")] * m.molar_mass * 1e3
        ax.semilogy(hours, np.maximum(c, 1e-12), color=f"C{k}", ls="--", label=f"{n}: free at target ({target}) [mg/L]")
    top = max(a.get_ydata().max() for a in ax.lines)
    ax.set_ylim(top * 1e-4, top * 2)
    ax.set_xlabel("time [h]")
    ax.set_ylabel("concentration [mg/L]")
    ax.legend(fontsize=8)
    ax.set_title("whole-body PBPK (reference man)", fontsize=10)
    return fig


def qsp_figure(t, ev, plan, names):
    """Occupancy (left) and tumour burden N/N0 (right) of every arm."""
    plt = _plt()
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 3.8))
    hours = t / 3600
    for k, arm in enumerate(plan):
        for j, n in enumerate(names):
            if plan[arm][n]:
                ax.plot(hours, ev[f"occupancy_{n}"][k], color=f"C{k}", ls=["-", ":"][j], label=f"{arm}: occupancy {n}")
        bx.semilogy(hours, ev["tumour_cells"][k], color=f"C{k}", label=arm)
    ax.set_xlabel("time [h]")
    ax.set_ylabel("target occupancy [-]")
    ax.legend(fontsize=7)
    bx.set_xlabel("time [h]")
    bx.set_ylabel("tumour cells N/N0")
    bx.legend(fontsize=8)
    bx.set_title("QSP: target binding -> kill", fontsize=10)
    fig.tight_layout()
    return fig


def synergy_figure(surface, names, drugs):
    """Loewe combination index over the steady-state grid, with iso-effect lines."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5.6, 4.6))
    x, y = surface["c1"] / drugs[0].kd, surface["c2"] / drugs[1].kd
    ci = np.ma.masked_invalid(surface["ci"])
    im = ax.pcolormesh(x, y, ci, cmap="RdBu_r", vmin=0.5, vmax=1.5, shading="auto")
    cs = ax.contour(x, y, surface["effect"], levels=[0.2, 0.4, 0.6], colors="k", linewidths=0.8)
    ax.clabel(cs, fontsize=7, fmt="E=%.1f")
    fig.colorbar(im, ax=ax, label="Loewe combination index (<1 synergy)")
    ax.set_xlabel(f"{names[0]} / K_D")
    ax.set_ylabel(f"{names[1]} / K_D")
    ax.set_title("steady-state combination", fontsize=10)
    return fig
