"""Figures of the tendon app (matplotlib, no display needed)."""

from __future__ import annotations

import numpy as np

__all__ = ["j_curve_figure", "crosslink_figure"]


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def j_curve_figure(strain, stress, reference, recruited, distribution, summary):
    """Left: the J curve (fibril population vs reference) and recruited fraction. Right: the crimp density."""
    plt = _plt()
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 3.9), gridspec_kw={"width_ratios": [1.4, 1]})
    ax.plot(strain * 100, reference / 1e6, "k-", lw=2.5, alpha=0.35, label=summary["reference"])
    ax.plot(strain * 100, stress / 1e6, "C0--", label=f"{summary['fibrils']} fibrils (upscale)")
    slope = summary["linear_region_modulus_expected_Pa"]
    line = slope * (strain - summary["mean_critical_strain"])
    ax.plot(strain * 100, np.where(line > 0, line, np.nan) / 1e6, "C3:", label="φ E_f (ε − ⟨ε_c⟩)")
    ax.set_xlabel("tissue strain [%]")
    ax.set_ylabel("stress [MPa]")
    ax2 = ax.twinx()
    ax2.plot(strain * 100, recruited, "C2-", lw=1)
    ax2.set_ylabel("recruited fraction [-]", color="C2")
    ax2.set_ylim(0, 1.05)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(f"{summary['name']}: toe and linear region", fontsize=10)
    x = np.linspace(0, strain[-1], 400)
    bx.fill_between(x * 100, distribution.pdf(x), color="C1", alpha=0.5)
    bx.set_xlabel("critical (recruitment) strain [%]")
    bx.set_ylabel("density [1/strain]")
    bx.set_title(f"crimp distribution: {distribution.kind}", fontsize=10)
    fig.tight_layout()
    return fig


def crosslink_figure(strain, curves):
    """Stress-strain curves for each crosslink density (fibril modulus in the legend)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 4))
    for k, (n, (stress, _, E_f)) in enumerate(sorted(curves.items())):
        ax.plot(strain * 100, stress / 1e6, color=plt.cm.viridis(k / max(len(curves) - 1, 1)),
                label=f"{n:g} crosslinks/molecule (E_f = {E_f / 1e9:.2f} GPa)")
    ax.set_xlabel("tissue strain [%]")
    ax.set_ylabel("stress [MPa]")
    ax.legend(fontsize=8)
    ax.set_title("crosslinks stiffen the linear region, not the toe length", fontsize=10)
    return fig
