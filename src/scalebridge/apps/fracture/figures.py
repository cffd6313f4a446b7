"""Figures of the fracture app: the stacking-fault curve and the two toughnesses side by side."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["fracture_figure"]


def fracture_figure(fraction: np.ndarray, energy: np.ndarray, summary: dict[str, Any]):
    """Left: γ(u/b_p) of the (111)<112> fault with γ_us and γ_isf marked. Right: K_Ic vs K_Ie (MPa m^1/2)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(9.6, 3.8), gridspec_kw={"width_ratios": [1.25, 1]})
    mj = 1e3
    ax.plot(fraction, energy * mj, "o-", color="C0", ms=4, label="GSF (111)<112>")
    ax.plot([summary["u_us_fraction"]], [summary["gamma_us_J_m2"] * mj], "*", color="C3", ms=13,
            label=f"γ_us = {summary['gamma_us_J_m2'] * mj:.0f} mJ/m²")
    ax.axhline(summary["gamma_isf_J_m2"] * mj, color="0.5", ls=":", lw=1,
               label=f"γ_isf = {summary['gamma_isf_J_m2'] * mj:.0f} mJ/m²")
    ax.axhline(0.0, color="0.8", lw=0.8)
    ax.set_xlabel("shift u / b_p  (b_p = a/√6)")
    ax.set_ylabel("γ(u)  [mJ/m²]")
    ax.set_title(f"{summary['material']}: generalised stacking fault", fontsize=10)
    ax.legend(fontsize=8)

    labels, values, colors = [], [], []
    for kind, tag in (("isotropic", "iso"), ("anisotropic", "aniso")):
        kic, kie = summary[f"K_Ic_{kind}_MPa_m05"], summary[f"K_Ie_{kind}_MPa_m05"]
        if kic is None or not np.isfinite(kic):
            continue
        labels += [f"K_Ic\n{tag}", f"K_Ie\n{tag}"]
        values += [kic, kie]
        colors += ["C0", "C1"]
    bars = bx.bar(range(len(values)), values, color=colors)
    for b, v in zip(bars, values):
        bx.text(b.get_x() + b.get_width() / 2, v, f"{v:.3f}", ha="center", va="bottom", fontsize=8)
    bx.set_xticks(range(len(values)), labels, fontsize=8)
    bx.set_ylabel("stress intensity  [MPa m$^{1/2}$]")
    bx.set_title(f"K_Ie/K_Ic = {summary['ratio']:.3f}: {summary['verdict']}", fontsize=10)
    fig.suptitle(f"{summary['geometry']['label']}, θ = {summary['geometry']['slip_angle_deg']:.2f}°, "
                 f"φ = {summary['geometry']['tilt_deg']:.1f}°", fontsize=9)
    fig.tight_layout()
    return fig
