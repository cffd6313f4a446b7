"""Solve the tendon chain: the J curve, its closed form, the linear region and a crosslink sweep."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...core.checks import check_scale_separation
from ...core.consistency import check_tangent
from ...laws.tendon import recruitment_stress, recruitment_stress_closed_form
from .chain import build, distribution, fibril_modulus
from .figures import crosslink_figure, j_curve_figure
from .scenario import Scenario

__all__ = ["run"]

Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def run(scenario: Scenario, record=None, progress: Progress = _quiet) -> dict[str, Any]:
    """Evaluate the fascicle law along the strain ramp; fill ``record`` (optional); return the summary."""
    s = scenario
    dist = distribution(s)
    phi = s.fibrils.volume_fraction
    sweep = sorted(set(s.fibrils.crosslink_sweep) | {s.fibrils.crosslink_density})
    total = 3 + len(sweep)
    progress("fascicle law (fibril population)", 0, total)
    law = build(s)
    strain = np.linspace(0.0, s.loading.max_strain, s.loading.points)
    ev = law.evaluate({"strain": strain})
    stress, tangent = ev["stress"], ev.tangents[("stress", "strain")]
    E_f = fibril_modulus(s)

    progress("reference curve", 1, total)
    closed = dist.kind in ("uniform", "triangular")
    ref_stress, ref_tangent = (recruitment_stress_closed_form if closed else recruitment_stress)(strain, dist, E_f, phi)
    scale = max(float(np.max(np.abs(ref_stress))), np.finfo(float).tiny)

    progress("tangent vs finite differences", 2, total)
    probe = np.array([dist.ppf(0.25), dist.ppf(0.5), dist.ppf(0.75), s.loading.max_strain])
    (tangent_check,) = check_tangent(law, {"strain": probe})

    curves = {}
    for k, n in enumerate(sweep):
        progress(f"crosslink density {n:g}", 3 + k, total)
        e = law if n == s.fibrils.crosslink_density else build(s, n)
        out = e.evaluate({"strain": strain})
        curves[n] = (out["stress"], out.tangents[("stress", "strain")], fibril_modulus(s, n))
    recruited_all = float(ev["recruited_fraction"][-1]) >= 1.0 - 1e-12
    summary = {
        "name": s.name, "distribution": dist.kind, "distribution_parameters": dict(dist.parameters),
        "volume_fraction": phi, "crosslink_density": s.fibrils.crosslink_density, "fibril_modulus_Pa": E_f,
        "fibrils": s.fibrils.quadrature_points, "mean_critical_strain": dist.mean,
        "strain_99_percent_recruited": float(dist.ppf(0.99)),
        "reference": "closed form" if closed else "adaptive quadrature of the recruitment integral",
        "max_relative_difference_vs_reference": float(np.max(np.abs(stress - ref_stress)) / scale),
        "stress_at_max_strain_Pa": float(stress[-1]),
        "all_recruited_at_max_strain": recruited_all,
        "linear_region_modulus_Pa": float(tangent[-1]),
        "linear_region_modulus_expected_Pa": phi * E_f,
        "tangent_check_relative_error": tangent_check.data["relative_error"],
        "crosslink_sweep": [{"crosslink_density": n, "fibril_modulus_Pa": Ef, "linear_region_modulus_Pa": float(t[-1]),
                             "stress_at_max_strain_Pa": float(sig[-1])} for n, (sig, t, Ef) in curves.items()],
        "scale_separation": [c.to_dict() for c in check_scale_separation(law)],
    }
    if record is not None:
        record.add_arrays(strain=strain, stress_Pa=stress, tangent_Pa=tangent, reference_stress_Pa=ref_stress,
                          reference_tangent_Pa=ref_tangent, recruited_fraction=ev["recruited_fraction"],
                          critical_strains=law.critical_strains,
                          **{f"stress_crosslinks_{n:g}_Pa": c[0] for n, c in curves.items()})
        record.add_figure(j_curve_figure(strain, stress, ref_stress, ev["recruited_fraction"], dist, summary), "j_curve")
        record.add_figure(crosslink_figure(strain, curves), "crosslink_sweep")
        record.add_results(**{k: v for k, v in summary.items() if k != "scale_separation"})
    progress("done", total, total)
    return summary
