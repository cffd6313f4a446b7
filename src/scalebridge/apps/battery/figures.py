"""Figures of the battery chain (matplotlib, no display needed)."""

from __future__ import annotations

import numpy as np

from .pressure import pressure_study_figure

__all__ = ["voltage_figure", "temperature_figure", "electrolyte_figure", "stress_figure", "pressure_study_figure"]


def _figure(ncols: int = 1, width: float = 6.0):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt.subplots(1, ncols, figsize=(width, 4.2), squeeze=True)


def voltage_figure(runs: dict, isothermal: dict):
    """Terminal voltage vs discharged capacity for every profile; dashed: isothermal at ambient."""
    fig, ax = _figure()
    for k, (label, sol) in enumerate(runs.items()):
        ax.plot(sol.discharge_capacity, sol.voltage, f"C{k}-", label=label + (" coupled" if isothermal else ""))
        if label in isothermal:
            iso = isothermal[label]
            ax.plot(iso.discharge_capacity, iso.voltage, f"C{k}--", lw=1, label=f"{label} isothermal")
    ax.set_xlabel("discharged capacity [A h]")
    ax.set_ylabel("terminal voltage [V]")
    ax.legend(fontsize=8)
    ax.set_title("DFN discharge" + (": electro-thermal (solid) vs isothermal (dashed)" if isothermal else ""),
                 fontsize=10)
    return fig


def temperature_figure(runs: dict, ambient: float):
    """Mean cell temperature vs time (x-resolved: band between the coolest and hottest x-cell)."""
    fig, ax = _figure()
    for k, (label, sol) in enumerate(runs.items()):
        t = sol.t / 60.0
        ax.plot(t, sol.mean_temperature - 273.15, f"C{k}-", label=label)
        lo, hi = sol.cell_temperature.min(axis=0), sol.cell_temperature.max(axis=0)
        if np.max(hi - lo) > 1e-3:
            ax.fill_between(t, lo - 273.15, hi - 273.15, color=f"C{k}", alpha=0.2, lw=0)
    ax.axhline(ambient - 273.15, color="grey", ls=":", lw=1)
    ax.set_xlabel("time [min]")
    ax.set_ylabel("cell temperature [°C]")
    ax.legend(fontsize=8)
    ax.set_title("self-heating (two-way coupled)", fontsize=10)
    return fig


def electrolyte_figure(sol, label: str, cell, n_times: int = 6):
    """Electrolyte concentration across the cell at several times of one run; region boundaries dotted."""
    fig, ax = _figure()
    x = sol.x * 1e6
    for k, i in enumerate(np.unique(np.linspace(0, sol.t.size - 1, n_times).astype(int))):
        ax.plot(x, sol.electrolyte_concentration[:, i], "-o", ms=2, color=f"C{k}", label=f"t = {sol.t[i] / 60:.0f} min")
    edges = np.cumsum([cell.L["n"], cell.L["s"]]) * 1e6
    for e in edges:
        ax.axvline(e, color="grey", ls=":", lw=1)
    ax.set_xlabel("x [µm] (negative | separator | positive)")
    ax.set_ylabel("electrolyte concentration [mol/m³]")
    ax.legend(fontsize=8)
    ax.set_title(f"electrolyte concentration, {label}", fontsize=10)
    return fig


def stress_figure(result: dict, side: str, label: str, n_times: int = 5):
    """Hoop (solid) and radial (dashed) stress through the most stressed particle at several times; right: the
    peak hoop stress over the run at every electrode cell."""
    fig, (ax, ax2) = _figure(2, 11.0)
    t, r = result["t"], result["r"] / result["radius"]
    peak_t = result["cracking"].at_time
    idx = sorted(set(np.linspace(0, t.size - 1, n_times).astype(int)) | {int(np.argmin(np.abs(t - peak_t)))})
    for k, i in enumerate(idx):
        ax.plot(r, result["hoop"][i] / 1e6, "-", color=f"C{k}", label=f"t = {t[i] / 60:.0f} min")
        ax.plot(r, result["radial"][i] / 1e6, "--", color=f"C{k}", lw=1)
    c = result["cracking"]
    ax.axhline(c.fracture_strength / 1e6, color="C3", ls=":", lw=1, label="fracture strength")
    ax.set_xlabel("r / R")
    ax.set_ylabel("stress [MPa] (hoop solid, radial dashed)")
    ax.set_title(f"{side} particle at x = {result['x'] * 1e6:.1f} µm, {label}: indicator {c.indicator:.2f}",
                 fontsize=10)
    ax.legend(fontsize=7)
    ax2.plot(result["x_cells"] * 1e6, result["peak_hoop_per_cell"] / 1e6, "ko-", ms=3)
    ax2.set_xlabel("x [µm]")
    ax2.set_ylabel("largest hoop stress over r and t [MPa]")
    ax2.set_title(f"{side} electrode: where the particles are most stressed", fontsize=10)
    fig.tight_layout()
    return fig
