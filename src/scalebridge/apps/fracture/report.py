"""The summary table the command line prints after a fracture run."""

from __future__ import annotations

from typing import Any

from rich.table import Table

__all__ = ["summary_table"]


def _k(v) -> str:
    return "n/a (no orientation)" if v is None else f"{v:.4f} MPa m^1/2"


def summary_table(summary: dict[str, Any]) -> Table:
    """Lattice constant, C_ij, γ_s, γ_us, K_Ic, K_Ie, the ratio and the verdict line."""
    g = summary["geometry"]
    t = Table(title=f"{summary['name']}: {summary['material']} ({summary['potential']})")
    t.add_column("scale")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    t.add_row("atomistic", "lattice constant a" + ("" if summary["relaxed"] else " (given)"),
              f"{summary['lattice_constant_A']:.5f} A")
    for c in ("C11", "C12", "C44"):
        t.add_row("atomistic", f"{c} (Cauchy-Born)", f"{summary[c + '_GPa']:.2f} GPa")
    t.add_row("atomistic", "reference pressure", f"{summary['pressure_Pa']:.3g} Pa")
    t.add_row("atomistic", f"surface energy γ_s ({g['cleavage_family']})", f"{summary['gamma_s_J_m2']:.4f} J/m^2")
    t.add_row("atomistic", "unstable stacking energy γ_us", f"{summary['gamma_us_J_m2'] * 1e3:.1f} mJ/m^2")
    t.add_row("atomistic", "intrinsic stacking fault γ_isf", f"{summary['gamma_isf_J_m2'] * 1e3:.1f} mJ/m^2")
    t.add_row("continuum", "Hill E, μ, ν; Zener A",
              f"{summary['youngs_modulus_GPa']:.1f} GPa, {summary['shear_modulus_GPa']:.1f} GPa, "
              f"{summary['poisson_ratio']:.3f}; {summary['zener_anisotropy']:.2f}")
    t.add_row("crack", "geometry", g["label"])
    t.add_row("crack", "slip angle θ, tilt φ", f"{g['slip_angle_deg']:.2f} deg, {g['tilt_deg']:.2f} deg")
    t.add_row("crack", "K_Ic Griffith, isotropic", _k(summary["K_Ic_isotropic_MPa_m05"]))
    t.add_row("crack", "K_Ic Griffith, anisotropic (Stroh)", _k(summary["K_Ic_anisotropic_MPa_m05"]))
    t.add_row("crack", "K_Ie Rice emission, isotropic", _k(summary["K_Ie_isotropic_MPa_m05"]))
    t.add_row("crack", "K_Ie Rice emission, anisotropic", _k(summary["K_Ie_anisotropic_MPa_m05"]))
    t.add_row("crack", f"K_Ie/K_Ic ({'anisotropic' if summary['anisotropic'] else 'isotropic'})",
              f"{summary['ratio']:.4f}")
    t.add_row("[bold]verdict[/]", "", f"[bold]{summary['verdict']}[/]")
    for c in summary["checks"]:
        t.add_row("check", c["name"], ("pass: " if c["passed"] else "FAIL: ") + c["message"])
    for c in summary["scale_separation"]:
        t.add_row("bridge", c["name"].removeprefix("scale separation "),
                  f"eps = {c['data']['epsilon']:.1e}: {c['data']['recommendation']}")
    if summary["caveats"]:
        t.caption = "caveats: " + " | ".join(summary["caveats"])
    return t
