"""Figures of the catalysis chain (matplotlib, no display needed)."""

from __future__ import annotations

import numpy as np

from ...laws.transport import effectiveness_factor

__all__ = ["coverage_figure", "effectiveness_figure", "conversion_figure", "pbox_figure", "kmc_comparison_figure"]


def _figure():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(6.0, 4.2))


def coverage_figure(temperature, sweep, species, operating_temperature):
    """Steady-state coverages (left axis) and TOF (right axis, log) vs temperature."""
    fig, ax = _figure()
    for sp in species:
        ax.plot(temperature, sweep[f"coverage_{sp}"], label=f"θ({sp})")
    ax.set_xlabel("temperature [K]")
    ax.set_ylabel("coverage [-]")
    ax.axvline(operating_temperature, color="grey", ls=":", lw=1)
    ax2 = ax.twinx()
    ax2.semilogy(temperature, sweep["tof"], "k--", label="TOF")
    ax2.set_ylabel("turnover frequency [1/s]")
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="center left", fontsize=8)
    ax.set_title("mean-field steady state at feed pressures")
    return fig


def effectiveness_figure(pellet_table, summary):
    """Effectiveness factor vs generalized Thiele modulus: closed form and the microkinetic pellet."""
    fig, ax = _figure()
    phi = np.logspace(-2, 4, 200)
    # Sphere, first order: eta(phi_R) with phi_R = R sqrt(k/D) = 3 phi_gen (Aris normalisation).
    ax.loglog(phi, effectiveness_factor(3 * phi, "sphere"), "k-", label="first order, sphere (closed form)")
    ax.loglog(pellet_table["thiele_modulus"], pellet_table["effectiveness_factor"], "C0.", ms=4,
              label="microkinetic rate, pellet solves (table)")
    ax.loglog([summary["thiele_modulus"]], [summary["effectiveness_factor"]], "C3*", ms=12, label="feed")
    ax.set_xlabel("generalized Thiele modulus φ [-]")
    ax.set_ylabel("effectiveness factor η [-]")
    ax.legend(fontsize=8)
    ax.set_title("pellet: internal diffusion limitation")
    return fig


def conversion_figure(z, conversion, length):
    """Reactant conversion along the packed bed."""
    fig, ax = _figure()
    ax.plot(z * 1e2, conversion, "C2-")
    ax.set_xlabel("bed position z [cm]")
    ax.set_ylabel("conversion X [-]")
    ax.set_xlim(0, length * 1e2)
    ax.set_ylim(0, 1)
    ax.set_title("isothermal plug-flow reactor")
    return fig


def pbox_figure(pboxes):
    """P-boxes of every output (rows) for every patch size (columns), from :func:`.uncertainty.uncertainty_study`."""
    import matplotlib.pyplot as plt

    sizes = list(pboxes)
    outputs = list(pboxes[sizes[0]])
    fig, axes = plt.subplots(len(outputs), len(sizes), figsize=(4.2 * len(sizes), 3.2 * len(outputs)),
                             squeeze=False)
    for j, n in enumerate(sizes):
        for i, name in enumerate(outputs):
            pboxes[n][name].plot(ax=axes[i, j])
            axes[i, j].set_title(f"{name}, patch of {n} site{'s' if n > 1 else ''}", fontsize=9)
    fig.tight_layout()
    return fig



def _shade(ax, x, mask, log):
    """Shade the sweep intervals around the points where ``mask`` holds (log- or linear-midpoint edges)."""
    mid = np.sqrt(x[:-1] * x[1:]) if log else 0.5 * (x[:-1] + x[1:])
    edges = np.concatenate([[x[0]], mid, [x[-1]]])
    for k in np.flatnonzero(mask):
        ax.axvspan(edges[k], edges[k + 1], color="C3", alpha=0.15, lw=0,
                   label="disagree beyond error" if k == np.flatnonzero(mask)[0] else None)


def kmc_comparison_figure(comparison, temperature):
    """TOF (left) and coverages (right) vs the swept parameter: mean field (lines), kMC (points, 1 s.e.).

    A pressure sweep is drawn on a log axis at ``temperature`` (K), a temperature sweep on a linear one.
    """
    import matplotlib.pyplot as plt

    c = comparison
    x, log = c.values, c.unit == "Pa"
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11.0, 4.2))
    ax1.plot(x, c.tof_mean_field, "k-", label="mean field")
    ax1.set_yscale("log")
    shown = c.tof_kmc > 0
    ax1.errorbar(x[shown], c.tof_kmc[shown], yerr=c.tof_kmc_error[shown], fmt="o", color="C0", ms=4, capsize=2,
                 label="lattice kMC")
    ax1.set_ylabel("turnover frequency [1/s per site]")
    for i, sp in enumerate(c.coverages_mean_field):
        ax2.plot(x, c.coverages_mean_field[sp], "-", color=f"C{i}", label=f"θ({sp}) mean field")
        ax2.errorbar(x, c.coverages_kmc[sp], yerr=c.coverage_errors_kmc[sp], fmt="o", color=f"C{i}", ms=4,
                     capsize=2, label=f"θ({sp}) kMC")
    ax2.set_ylabel("coverage [-]")
    ax2.set_ylim(-0.02, 1.02)
    for ax in (ax1, ax2):
        ax.set_xscale("log" if log else "linear")
        _shade(ax, x, c.disagree, log)
        ax.set_xlabel(c.label)
        ax.legend(fontsize=7)
    fig.suptitle("mean field vs lattice kMC" + (f" at {temperature:.0f} K" if log else ""), fontsize=10)
    fig.tight_layout()
    return fig
