"""Figure of the nesting app: profiles through the nest, and the boundary fluxes of both models."""

from __future__ import annotations

import numpy as np

__all__ = ["nesting_figure"]


def nesting_figure(r, nest):
    """Left: coarse, nest and whole-domain fine profiles at three times; right: fluxes through a and b."""
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11.0, 4.0))
    a, b = nest
    pick = np.unique(np.linspace(1, len(r.times) - 1, 3).astype(int))
    window = (r.fine_x > a - 0.6 * (b - a)) & (r.fine_x < b + 0.6 * (b - a))
    cwin = (r.coarse_x > a - 0.6 * (b - a)) & (r.coarse_x < b + 0.6 * (b - a))
    for k, i in enumerate(pick):
        color = f"C{k}"
        label = f"t = {r.times[i] / 3600:.2f} h"
        ax1.plot(r.fine_x[window] / 1e3, r.fine[i][window], "-", color=color, lw=1, alpha=0.5)
        ax1.plot(r.coarse_x[cwin] / 1e3, r.coarse[i][cwin], "s", color=color, ms=3)
        ax1.plot(r.nest_x / 1e3, r.nest[i], "--", color=color, lw=1.5, label=label)
    ax1.axvspan(a / 1e3, b / 1e3, color="0.9", zorder=0, label="nest")
    ax1.set_xlabel("x [km]")
    ax1.set_ylabel("concentration [kg/m^3]")
    ax1.set_title("fine whole domain (thin), coarse (squares), nest (dashed)", fontsize=9)
    ax1.legend(fontsize=7)
    mid = 0.5 * (r.times[:-1] + r.times[1:]) / 3600
    for j, name in enumerate(("a (inflow)", "b (outflow)")):
        ax2.plot(mid, r.nest_boundary_flux[:, j], "o-", color=f"C{j}", ms=3, label=f"nest, face {name}")
        ax2.plot(mid, r.coarse_boundary_flux[:, j], "x:", color=f"C{j}", label=f"coarse, face {name}")
    ax2.set_xlabel("t [h]")
    ax2.set_ylabel("flux [kg/(m^2 s)]")
    ax2.set_title(f"content balance {r.content_imbalance:.1e}; flux mismatch {r.flux_mismatch:.1%}", fontsize=9)
    ax2.legend(fontsize=7)
    fig.tight_layout()
    return fig
