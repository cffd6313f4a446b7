"""The summary table the command line prints after a battery run."""

from __future__ import annotations

from typing import Any

from rich.table import Table

__all__ = ["summary_table"]


def summary_table(summary: dict[str, Any]) -> Table:
    """A rich table of microstructure transport, cell runs, heat, stress, pressure study and verdicts."""
    title = f"{summary['name']}: {summary['parameter_set']}, thermal {summary['thermal']}"
    if "ambient_temperature_K" in summary:
        title += f", ambient {summary['ambient_temperature_K'] - 273.15:.1f} °C"
    t = Table(title=title)
    t.add_column("scale")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    for region, m in summary.get("microstructure", {}).items():
        t.add_row("microstructure", f"{region}: porosity, tortuosity (Bruggeman)",
                  f"{m['porosity']:.3f}, {m['tortuosity_factor']:.3f} ({m['bruggeman_tortuosity']:.3f})")
        t.add_row("microstructure", f"{region}: eps/tau into the DFN (set: eps^b)",
                  f"{m['efficiency']:.4f} ({m['parameter_set_efficiency']:.4f}), b = {m['bruggeman_exponent']:.3f}")
    for label, r in summary.get("runs", {}).items():
        t.add_row("cell", f"{label}: capacity, energy", f"{r['capacity_Ah']:.3f} A h, {r['energy_Wh']:.2f} W h")
        t.add_row("cell", f"{label}: end", f"{r['duration_s']:.0f} s, {r['termination']}")
        if "max_temperature_K" in r:
            t.add_row("thermal", f"{label}: max temperature", f"{r['max_temperature_K'] - 273.15:.2f} °C")
            t.add_row("thermal", f"{label}: generated = stored + removed",
                      f"{r['heat_generated_J']:.0f} = {r['heat_stored_J']:.0f} + {r['heat_removed_J']:.0f} J "
                      f"({r['energy_balance_error']:.0e})")
        if "voltage_gain_mean_mV" in r:
            t.add_row("thermal", f"{label}: coupled - isothermal voltage (mean, max)",
                      f"{r['voltage_gain_mean_mV']:.1f}, {r['voltage_gain_max_mV']:.1f} mV")
    if "coupling_check" in summary:
        c = summary["coupling_check"]
        t.add_row("thermal", f"half window ({c['profile']}): end temperature change",
                  f"{c['end_temperature_change_K']:.3f} K (tol {c['tolerance_K']:g})")
    for key, m in summary.get("mechanics", {}).items():
        t.add_row("particle", f"{key}: max hoop stress (x, r/R)",
                  f"{m['max_tensile_hoop_MPa']:.1f} MPa ({m['most_stressed_x_um']:.1f} µm, {m['at_r_over_R']:.2f})")
        t.add_row("particle", f"{key}: cracking indicator", f"{m['cracking_indicator']:.2f}"
                  + (" CRACKS" if m["cracks"] else ""))
    if "pressure_study" in summary:
        ps = summary["pressure_study"]
        for p, rate, lim in zip(ps["pressures_GPa"], ps["max_c_rate"], ps["limiting"]):
            t.add_row("pressure", f"{p:.2f} GPa: max C-rate to target", f"{rate:.3f} C ({lim})")
    for v in summary.get("verdicts", []):
        t.add_row("verdict", v["name"], "pass" if v["passed"] else "FAIL")
    for c in summary.get("scale_separation", []):
        t.add_row("bridge", c["name"].removeprefix("scale separation "),
                  f"eps = {c['data']['epsilon']:.2f}: {c['data']['recommendation']}")
    return t
