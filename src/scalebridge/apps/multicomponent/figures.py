"""Figures of the multicomponent chain (matplotlib, no display needed)."""

from __future__ import annotations

import numpy as np

__all__ = ["bulbs_figure", "flux_figure"]


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def bulbs_figure(t, ms, qs, fk, species, data=None):
    """Bulb compositions vs time: Maxwell–Stefan (resolved, quasi-steady), Fick, and the measurements."""
    plt = _plt()
    n = len(species)
    fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 3.8), squeeze=False)
    th = t / 3600
    for i, (ax, sp) in enumerate(zip(axes[0], species)):
        for k, (sol, style, label) in enumerate(((ms, "-", "Maxwell–Stefan"), (qs, ":", "MS, quasi-steady capillary"),
                                                 (fk, "--", "Fick, constant D_eff"))):
            ax.plot(th, sol.bulb1[:, i], "C0" + style, lw=1.4 if k == 0 else 1, label=f"bulb 1, {label}")
            ax.plot(th, sol.bulb2[:, i], "C3" + style, lw=1.4 if k == 0 else 1, label=f"bulb 2, {label}")
        if data is not None:
            h2_is_2 = ms.bulb1[0, 0] < ms.bulb2[0, 0]
            d2, d1 = np.array(data["h2_bulb_data"]), np.array(data["co2_bulb_data"])
            if not h2_is_2:
                d1, d2 = d2, d1
            ax.plot(data["time_h"], d1[:, i], "C0o", mfc="none", label="bulb 1, Duncan & Toor 1962")
            ax.plot(data["time_h"], d2[:, i], "C3s", mfc="none", label="bulb 2, Duncan & Toor 1962")
        ax.set_title(sp)
        ax.set_xlabel("t [h]")
        ax.set_ylabel("mole fraction")
    axes[0][0].legend(fontsize=6.5, loc="best")
    fig.suptitle("two-bulb diffusion: Maxwell–Stefan vs Fick vs experiment", fontsize=10)
    fig.tight_layout()
    return fig


def flux_figure(t, ms, species, summary):
    """Flux at the capillary mid-plane and bulb difference of each species, with the diffusion regimes marked."""
    plt = _plt()
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
    th = t / 3600
    for i, sp in enumerate(species):
        ax.plot(th, ms.flux[:, i] * 1e3, f"C{i}-", label=sp)
        ax2.plot(th, ms.bulb1[:, i] - ms.bulb2[:, i], f"C{i}-", label=sp)
        r = summary["regimes"][sp]
        for tb in r["barrier_times_s"]:
            ax.axvline(tb / 3600, color=f"C{i}", ls=":", lw=1)
            ax.text(tb / 3600, 0, f" {sp} barrier\n {tb / 3600:.2f} h", fontsize=7, color=f"C{i}")
        if r["reverse_from_s"] is not None:
            ax2.axvspan(r["reverse_from_s"] / 3600, r["reverse_to_s"] / 3600, color=f"C{i}", alpha=0.12,
                        label=f"{sp}: reverse (uphill) diffusion")
    ax.axhline(0, color="0.5", lw=0.6)
    ax2.axhline(0, color="0.5", lw=0.6)
    ax.set_xlabel("t [h]")
    ax.set_ylabel("flux bulb 1 -> 2 [mmol/(m² s)]")
    ax2.set_xlabel("t [h]")
    ax2.set_ylabel("x(bulb 1) - x(bulb 2)")
    ax.legend(fontsize=8)
    ax2.legend(fontsize=7)
    fig.tight_layout()
    return fig
