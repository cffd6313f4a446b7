"""Figures of the porous-flow chain (matplotlib, no display needed)."""

from __future__ import annotations

import numpy as np

from ...solvers.fem.stokes_cell import drummond_tahir_permeability, gebart_permeability

__all__ = ["cell_permeability_figure", "apparent_permeability_figure", "field_figure"]


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def cell_permeability_figure(summary):
    """Stokes-cell permeability K/l^2 vs solid fraction: FE table, Drummond–Tahir and Gebart asymptotes."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5.6, 4.2))
    c = np.linspace(0.01, 0.77, 300)
    ax.semilogy(c, drummond_tahir_permeability(c), "k--", lw=1, label="Drummond & Tahir 1984 (dilute)")
    ax.semilogy(c, gebart_permeability(c), "k:", lw=1.2, label="Gebart 1992 (lubrication)")
    t = summary["table"]
    ax.semilogy(t["solid_fraction"], t["permeability_over_l2"], "C0o", ms=5, label="Stokes FE cells (table)")
    ax.set_ylim(min(t["permeability_over_l2"]) / 5, 1.0)
    ax.set_xlabel("solid fraction c")
    ax.set_ylabel("K / ℓ²")
    ax.legend(fontsize=8)
    ax.set_title("pore cell: square array of cylinders, flow across", fontsize=10)
    fig.tight_layout()
    return fig


def apparent_permeability_figure(pressure, knudsen, curves, summary):
    """k_app/k_inf vs 1/p for the mean cell: Klinkenberg line, Beskok–Karniadakis and Civan."""
    plt = _plt()
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4.0))
    inv = 1e6 / pressure
    styles = {"klinkenberg": ("k--", "Klinkenberg 1941, b = %.3g MPa" % (summary["mean_cell"]["klinkenberg_b_Pa"] / 1e6)),
              "beskok_karniadakis": ("C0-", "Beskok & Karniadakis 1999"), "civan": ("C3-.", "Civan 2010")}
    for k, v in curves.items():
        ax.plot(inv, v, styles[k][0], label=styles[k][1])
        ax2.loglog(knudsen, v, styles[k][0], label=styles[k][1])
    for p, name in ((summary["pressures_Pa"]["inlet"], "inlet"), (summary["pressures_Pa"]["outlet"], "outlet")):
        ax.axvline(1e6 / p, color="0.6", lw=0.8, ls=":")
        ax.text(1e6 / p, ax.get_ylim()[1] * 0.95, name, fontsize=7, rotation=90, va="top")
    ax.set_xlabel("1 / p [1/MPa]")
    ax.set_ylabel("k_app / k∞")
    ax.legend(fontsize=8)
    ax2.set_xlabel("Knudsen number λ/r")
    ax2.set_ylabel("k_app / k∞")
    ax2.set_title(f"mean cell: pore radius {summary['mean_cell']['pore_radius_m'] * 1e9:.0f} nm", fontsize=9)
    fig.suptitle(f"{summary['gas']}: apparent permeability", fontsize=10)
    fig.tight_layout()
    return fig


def field_figure(rock, solution, summary):
    """Cylinder-radius field and macro pressure field with the chosen slip law."""
    plt = _plt()
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    L, W = rock.length, rock.width
    im = ax.imshow(rock.radii.T, origin="lower", extent=(0, L * 100, 0, W * 100), cmap="viridis", aspect="auto")
    fig.colorbar(im, ax=ax, label="cylinder radius a/ℓ")
    ax.set_xlabel("x [cm]")
    ax.set_ylabel("y [cm]")
    ax.set_title("pore geometry over the rock", fontsize=9)
    mesh = solution.basis.mesh
    tri = mesh.to_meshtri()
    tc = ax2.tricontourf(tri.p[0] * 100, tri.p[1] * 100, tri.t.T, solution.pressure / 1e6, levels=20, cmap="magma")
    fig.colorbar(tc, ax=ax2, label="p [MPa]")
    ax2.set_xlabel("x [cm]")
    ax2.set_title(f"gas pressure (slip: {summary['slip']}), ṁ = {solution.mass_flow_out:.3g} kg/(m s)", fontsize=9)
    fig.tight_layout()
    return fig
