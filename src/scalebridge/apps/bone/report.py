"""The summary table the command line prints after a bone run."""

from __future__ import annotations

from typing import Any

from rich.table import Table

__all__ = ["summary_table"]


def summary_table(summary: dict[str, Any]) -> Table:
    """Per load: closed-form fixed point, mean density, pattern vs principal-stress direction."""
    t = Table(title=f"{summary['name']}: {summary['points']} material points, {summary['steps']} remodelling steps "
                    f"({summary['time_days']:.0f} days)")
    t.add_column("load")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    for k, ph in enumerate(summary["phases"], 1):
        tag = f"{k}: {ph['principal_stresses_MPa'][0]:g}/{ph['principal_stresses_MPa'][1]:g} MPa at {ph['load_angle_degrees']:g}°"
        t.add_row(tag, "homeostatic density (closed form)", f"{ph['homeostatic_density_kg_m3']:.1f} kg/m³")
        t.add_row(tag, "mean density (min..max)", f"{ph['mean_density_kg_m3']:.1f} ({ph['density_range_kg_m3'][0]:.0f}.."
                  f"{ph['density_range_kg_m3'][1]:.0f}) kg/m³")
        t.add_row(tag, "pattern / principal stress direction", f"{ph['pattern_direction_degrees']:.1f}° / "
                  f"{ph['principal_stress_direction_degrees']:.1f}° (error {ph['orientation_error_degrees']:.1f}°)")
        t.add_row(tag, "pattern anisotropy", f"{ph['anisotropy']:.2f}")
    t.add_row("", "max Newton iterations per step", str(summary["max_newton_iterations_per_step"]))
    for c in summary["scale_separation"]:
        t.add_row("bridge", c["name"].removeprefix("scale separation "), f"eps = {c['data']['epsilon']:.1e}: "
                  f"{c['data']['recommendation']}")
    return t
