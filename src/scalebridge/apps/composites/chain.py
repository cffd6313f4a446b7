"""Build and run the composites chain: microstructure -> cell solvers -> effective tensor.

``build`` returns the RVE as a coarse material-point model (``rve_model``), so
``scalebridge check`` reports the scale separation between the cell and the
component without solving; ``run`` computes bounds, estimates, the FFT effective tensor
and the FE apparent tensors under each boundary condition.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ...core.checks import check_scale_separation
from ...core.model import Scale
from ...homogenization import bounds, effective_medium
from ...homogenization import microstructure as micro
from ...homogenization.cell import CellModel, homogenize, rve_model
from ...solvers.tensors import isotropic_stiffness
from .scenario import Scenario

__all__ = ["build", "run", "phase_map", "phase_properties"]


def phase_map(s: Scenario) -> np.ndarray:
    """The voxel microstructure of the scenario (seeded)."""
    m = s.microstructure
    if m.kind == "laminate":
        return micro.laminate(m.voxels, m.volume_fraction, m.dim)
    if m.kind == "checkerboard":
        return micro.checkerboard(m.voxels, m.dim)
    if m.kind == "periodic_inclusion":
        return micro.periodic_inclusion(m.voxels, m.volume_fraction, m.dim)
    return micro.random_inclusions(m.voxels, m.volume_fraction, m.radius, m.dim, seed=s.seed)


def phase_properties(s: Scenario) -> np.ndarray:
    """Per-phase conductivities (P,) in W/(m K) or Mandel stiffnesses (P, m, m) in Pa."""
    if s.problem == "conductivity":
        return np.array([p.conductivity for p in s.phases])
    return isotropic_stiffness(np.array([p.bulk_modulus for p in s.phases]),
                               np.array([p.shear_modulus for p in s.phases]), dim=s.microstructure.dim)


def build(s: Scenario, phases: np.ndarray | None = None):
    """The material point of the component, with the cell (FFT, periodic) under it."""
    unit = "W/(m*K)" if s.problem == "conductivity" else "Pa"
    cell = CellModel(phase_map(s) if phases is None else phases, phase_properties(s), s.problem, method="fft",
                     operator=s.solvers.fft_operator, cell_size=s.scales.cell_size, property_unit=unit,
                     gradient_unit="K/m" if s.problem == "conductivity" else "", name="cell (FFT)")
    return rve_model(cell, scale=Scale(s.scales.component_size, math.inf, "component"), name="material point")


def _scalar(problem: str, effective: np.ndarray, dim: int) -> dict[str, float]:
    """Scalar summaries: mean conductivity, or isotropic moduli of a stiffness."""
    if problem == "conductivity":
        return {"k": float(np.trace(effective) / dim)}
    if dim == 2:
        k, G = bounds.plane_moduli_from_mandel(effective)
        return {"k_plane": float(k), "G": float(G)}
    from ...homogenization.texture import isotropic_moduli

    iso = isotropic_moduli(effective)
    return {"K": float(iso.bulk_modulus), "G": float(iso.shear_modulus)}


def _analytic(s: Scenario, f: np.ndarray) -> dict[str, dict[str, float]]:
    dim = s.microstructure.dim
    if s.problem == "conductivity":
        k = phase_properties(s)
        lo, hi = bounds.hashin_shtrikman_conductivity(f, k, dim=dim)
        return {"Reuss": {"k": float(bounds.reuss_bound(f, k))}, "HS lower": {"k": float(lo)},
                "Maxwell Garnett": {"k": float(effective_medium.maxwell_garnett_conductivity(k[0], k[1], f[1], dim))},
                "Bruggeman": {"k": float(effective_medium.bruggeman_conductivity(f, k, dim))},
                "HS upper": {"k": float(hi)}, "Voigt": {"k": float(bounds.voigt_bound(f, k))}}
    K = np.array([p.bulk_modulus for p in s.phases])
    G = np.array([p.shear_modulus for p in s.phases])
    (k_lo, k_hi), (g_lo, g_hi) = bounds.hashin_shtrikman_elastic(f, K, G, dim=dim)
    name = "k_plane" if dim == 2 else "K"
    return {"HS lower": {name: float(k_lo), "G": float(g_lo)}, "HS upper": {name: float(k_hi), "G": float(g_hi)}}


def run(s: Scenario, record=None, progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """Bounds, estimates, FFT and FE; fills ``record`` (optional); returns the summary."""
    progress = progress or (lambda stage, done, total: None)
    dim, unit = s.microstructure.dim, ("W/(m*K)" if s.problem == "conductivity" else "Pa")
    bcs = s.solvers.fe_boundary_conditions
    total = 3 + len(bcs)
    progress("microstructure", 0, total)
    phases = phase_map(s)
    f = micro.volume_fractions(phases, 2)
    props = phase_properties(s)
    progress("bounds and estimates", 1, total)
    rows = _analytic(s, f)
    progress("FFT cell (periodic)", 2, total)
    point = build(s, phases)
    fft = point.fine.solution
    results = {"FFT periodic": (fft, _scalar(s.problem, fft.effective, dim))}
    for i, bc in enumerate(bcs):
        progress(f"FE cell ({bc})", 3 + i, total)
        sol = homogenize(phases, props, s.problem, method="fe", boundary_condition=bc, unit=unit)
        results[f"FE {bc}"] = (sol, _scalar(s.problem, sol.effective, dim))
    summary = {
        "name": s.name, "problem": s.problem, "unit": unit, "dim": dim, "grid": list(phases.shape),
        "volume_fractions": f.tolist(), "phase_names": [p.name for p in s.phases],
        "analytic": rows, "numerical": {k: v[1] for k, v in results.items()},
        "effective_tensors": {k: v[0].effective.tolist() for k, v in results.items()},
        "iterations": {k: int(np.max(v[0].iterations)) for k, v in results.items()},
        "hill_mandel": {k: float(np.max(v[0].hill_mandel)) for k, v in results.items()},
        "scale_separation": [c.to_dict() for c in check_scale_separation(point)],
    }
    if record is not None:
        from .report import microstructure_figure, property_figure

        record.add_arrays(phases=phases, **{f"effective_{k.replace(' ', '_')}": v[0].effective
                                            for k, v in results.items()})
        record.add_figure(microstructure_figure(phases, summary), "microstructure")
        record.add_figure(property_figure(summary), "effective_properties")
        record.add_results(**{k: v for k, v in summary.items() if k not in ("scale_separation",)})
    progress("done", total, total)
    return summary
