"""Solve the melt-pond chain: learn the parameterisation, run coarse and resolved seasons, compare."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...core.checks import check_scale_separation
from ...reduction import cross_validate
from .chain import build, forcing, one_blas_thread, pond_parameters
from .figures import season_figure
from .models import coarse_season, resolved_season
from .scenario import Scenario

__all__ = ["run"]

Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def _compare(resolved, coarse, initial_thickness) -> dict[str, list[float]]:
    return {"albedo_rms": np.sqrt(np.mean((resolved.albedo - coarse.albedo) ** 2, axis=0)).tolist(),
            "albedo_max": np.max(np.abs(resolved.albedo - coarse.albedo), axis=0).tolist(),
            "pond_fraction_rms": np.sqrt(np.mean((resolved.pond_fraction - coarse.pond_fraction) ** 2, axis=0)).tolist(),
            "ice_thickness_error": (np.abs(coarse.ice_thickness[-1] - resolved.ice_thickness[-1])
                                    / initial_thickness).tolist()}


def run(scenario: Scenario, record=None, progress: Progress = _quiet) -> dict[str, Any]:
    """Fit, cross-validate, run both seasons per column; fills ``record``; returns the summary."""
    s = scenario
    progress("design of conditions and surrogate fit", 0, 5)
    cell = build(s)
    param = cell.fine
    surrogate = param.fit()
    fidelity = surrogate.fidelity_checks()

    progress("cross-validation", 1, 5)
    x, y = surrogate.training_set
    with one_blas_thread():
        cv = cross_validate(surrogate, x, y, k=s.training.folds, seed=s.seed)
        pond = param.model.evaluate(x)["pond_fraction"]
        folds = np.array_split(np.random.default_rng(s.seed).permutation(len(pond)), s.training.folds)
        pond_errors = []
        for test in folds:
            train = np.setdiff1d(np.arange(len(pond)), test)
            g = param.pond_surrogate.clone()
            g.fit({k: v[train] for k, v in x.items()}, {"pond_fraction": pond[train]})
            pond_errors.append(g.evaluate({k: v[test] for k, v in x.items()})["pond_fraction"] - pond[test])
    pond_errors = np.concatenate(pond_errors)

    progress("resolved season (process model)", 2, 5)
    f, p = forcing(s), pond_parameters(s)
    resolved = resolved_season(f, p, s.season.resolved_step_days)

    progress("coarse season (parameterised column)", 3, 5)
    coarse = cell.season(f)
    closure = coarse_season(f, param.model, p, s.season.coarse_step_days)   # exact relaxed ponds: closure error only

    progress("figures and record", 4, 5)
    learned, exact = _compare(resolved, coarse, f.ice_thickness), _compare(resolved, closure, f.ice_thickness)
    tol = s.tolerances
    summary = {
        "name": s.name, "columns": [c.name for c in s.columns], "surrogate": s.training.surrogate,
        "training_points": s.training.points, "pond_relaxation_days": param.model.relaxation_time / 86400.0,
        "cv_albedo_rms_relative": cv.rms_relative_error["albedo"], "cv_albedo_max_relative": cv.max_relative_error["albedo"],
        "cv_pond_fraction_rms_absolute": float(np.sqrt(np.mean(pond_errors**2))),
        "cv_pond_fraction_max_absolute": float(np.max(np.abs(pond_errors))),
        "fidelity": [{"name": c.name, "passed": c.passed, "message": c.message} for c in fidelity],
        "coarse_vs_resolved": learned, "closure_only_vs_resolved": exact,
        "tolerances": {"albedo_rms": tol.albedo_rms, "ice_thickness_relative": tol.ice_thickness_relative},
        "within_tolerance": bool(max(learned["albedo_rms"]) <= tol.albedo_rms
                                 and max(learned["ice_thickness_error"]) <= tol.ice_thickness_relative),
        "ice_thickness_end_resolved_m": resolved.ice_thickness[-1].tolist(),
        "ice_thickness_end_coarse_m": coarse.ice_thickness[-1].tolist(),
        "energy_closure_resolved": (np.abs(resolved.absorbed_energy / resolved.latent_heat_of_melt - 1)).tolist(),
        "energy_closure_coarse": (np.abs(coarse.absorbed_energy / coarse.latent_heat_of_melt - 1)).tolist(),
        "scale_separation": [c.to_dict() for c in check_scale_separation(cell)],
    }
    if record is not None:
        record.add_checks(fidelity)
        record.add_arrays(day=resolved.day, **{f"{which}_{k}": getattr(season, k) for which, season in
                                               (("resolved", resolved), ("coarse", coarse), ("closure", closure))
                                               for k in ("albedo", "pond_fraction", "snow_depth", "ice_thickness")})
        record.add_figure(season_figure(resolved, coarse, closure, s), "melt_season")
        record.add_results(**{k: v for k, v in summary.items() if k != "scale_separation"})
    progress("done", 5, 5)
    return summary
