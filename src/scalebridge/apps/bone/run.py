"""Remodel a bone region: macro FE equilibrium and per-point cell dynamics, load after load."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ...core.checks import check_scale_separation
from ...coupling.fe2 import fe2_solve
from ...laws.bone_remodelling import homeostatic_density, structure_tensor_orientation
from ...solvers.tensors import to_mandel
from .chain import build, stress_tensor
from .figures import density_figure, history_figure
from .scenario import Scenario

__all__ = ["run", "remodel", "boundary_conditions", "density_image"]

Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def boundary_conditions(size: float, sigma: np.ndarray) -> dict:
    """Tractions sigma n on the four edges; one corner pinned, the next one held in y (rigid modes only)."""
    tol = 1e-9 * size
    return dict(
        dirichlet={(lambda x: (x[0] < tol) & (x[1] < tol)): {"x": 0.0, "y": 0.0},
                   (lambda x: (x[0] > size - tol) & (x[1] < tol)): {"y": 0.0}},
        neumann={(lambda x: x[0] < tol): sigma @ [-1.0, 0.0], (lambda x: x[0] > size - tol): sigma @ [1.0, 0.0],
                 (lambda x: x[1] < tol): sigma @ [0.0, -1.0], (lambda x: x[1] > size - tol): sigma @ [0.0, 1.0]})


def density_image(values: np.ndarray, points: np.ndarray, size: float, n: int) -> np.ndarray:
    """Element means of a quadrature-point field as an (n, n) image, axis 0 = x."""
    per_element = values.reshape(n * n, -1).mean(axis=1)
    centre = points.reshape(n * n, -1, 2).mean(axis=1)
    image = np.empty((n, n))
    index = np.clip(np.floor(centre / size * n).astype(int), 0, n - 1)
    image[index[:, 0], index[:, 1]] = per_element
    return image


def remodel(s: Scenario, region=None, load_scale: float = 1.0, progress: Progress = _quiet) -> dict[str, Any]:
    """The remodelling history: every step one ``fe2_solve`` whose converged material state is committed."""
    region = build(s) if region is None else region
    material, n = region.fine, s.region.elements
    rng = np.random.default_rng(s.seed)
    rho0 = material.initial_density * (1.0 + s.initial.noise * rng.standard_normal(len(region.points)))
    state = material.initial_state(len(region.points), np.clip(rho0, s.material.density_min, s.material.density_max))
    committed = {}
    history = {"time_s": [0.0], "mean_density": [float(region.weights @ state["density"] / region.weights.sum())],
               "angle_degrees": [math.nan], "anisotropy": [0.0], "phase": [0], "newton_iterations": []}
    snapshots = []
    total, done = sum(load.steps for load in s.loads), 0
    for phase, load in enumerate(s.loads):
        sigma = load_scale * stress_tensor(load)
        bc = boundary_conditions(s.region.size, sigma)
        for _ in range(load.steps):
            sol = fe2_solve(region.mesh, "mechanics", material, state=state,
                            commit=lambda new: committed.__setitem__("state", new), **bc)
            state = committed["state"]
            done += 1
            image = density_image(state["density"], region.points, s.region.size, n)
            angle, anisotropy = structure_tensor_orientation(image)
            history["time_s"].append(done * s.time_step)
            history["mean_density"].append(float(region.weights @ state["density"] / region.weights.sum()))
            history["angle_degrees"].append(angle)
            history["anisotropy"].append(anisotropy)
            history["phase"].append(phase)
            history["newton_iterations"].append(int(sol.iterations.sum()))
            progress(f"load {phase + 1}/{len(s.loads)}: remodelling step", done, total)
        snapshots.append({"density": state["density"].copy(), "image": image, "stress": sol.fluxes.copy(),
                          "osteoblasts": state["osteoblasts"].copy(), "osteoclasts": state["osteoclasts"].copy()})
    return {"history": {k: np.asarray(v) for k, v in history.items()}, "snapshots": snapshots, "state": state,
            "region": region}


def _axis_angle(sigma: np.ndarray) -> float:
    """Direction (degrees in [0, 180)) of the principal stress of largest magnitude."""
    w, v = np.linalg.eigh(sigma)
    d = v[:, int(np.argmax(np.abs(w)))]
    return math.degrees(math.atan2(d[1], d[0])) % 180.0


def run(scenario: Scenario, record=None, progress: Progress = _quiet) -> dict[str, Any]:
    """Remodel under each load; report the fixed point, the pattern orientation and the density range."""
    s = scenario
    result = remodel(s, progress=progress)
    region, h = result["region"], result["history"]
    params = region.fine.params
    phases = []
    for k, (load, snap) in enumerate(zip(s.loads, result["snapshots"])):
        sigma = stress_tensor(load)
        angle = float(h["angle_degrees"][h["phase"] == k][-1]) if np.any(h["phase"][1:] == k) else math.nan
        expected = _axis_angle(sigma)
        error = abs((angle - expected + 90.0) % 180.0 - 90.0)
        phases.append({"load_angle_degrees": load.angle_degrees, "principal_stresses_MPa": [v / 1e6 for v in
                                                                                          load.principal_stresses],
                       "homeostatic_density_kg_m3": homeostatic_density(to_mandel(sigma), params),
                       "mean_density_kg_m3": float(region.weights @ snap["density"] / region.weights.sum()),
                       "density_range_kg_m3": [float(snap["density"].min()), float(snap["density"].max())],
                       "principal_stress_direction_degrees": expected, "pattern_direction_degrees": angle,
                       "orientation_error_degrees": error,
                       "anisotropy": float(h["anisotropy"][h["phase"] == k][-1])})
    summary = {"name": s.name, "points": len(region.points), "steps": int(len(h["time_s"]) - 1),
               "time_days": float(h["time_s"][-1] / 86400), "initial_density_kg_m3": region.fine.initial_density,
               "max_newton_iterations_per_step": int(h["newton_iterations"].max()),
               "phases": phases, "scale_separation": [c.to_dict() for c in check_scale_separation(region)]}
    if record is not None:
        record.add_arrays(points_m=region.points, weights=region.weights,
                          **{f"density_load{k + 1}": snap["density"] for k, snap in enumerate(result["snapshots"])},
                          **{f"history_{k}": v for k, v in h.items()})
        record.add_figure(density_figure(result, s, phases), "density_patterns")
        record.add_figure(history_figure(h, phases, s), "remodelling_history")
        record.add_results(**{k: v for k, v in summary.items() if k != "scale_separation"})
    return summary
