"""Solve the porous-flow chain and fill the run record."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...core.checks import check_scale_separation
from ...laws.gas_slip import flow_regime, klinkenberg_coefficient, slip_factor
from ...solvers.fem.stokes_cell import drummond_tahir_permeability, gebart_permeability
from .chain import build, knudsen_of_pressure, pore_radius
from .scenario import Scenario

__all__ = ["run", "LAWS"]

Progress = Callable[[str, int, int], None]
#: Slip laws solved side by side on the macro problem.
LAWS = ("none", "klinkenberg", "beskok_karniadakis")


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def run(s: Scenario, record=None, progress: Progress = _quiet) -> dict[str, Any]:
    """Stokes table, slip laws, macro flow with each law; fills ``record`` (optional); returns the summary."""
    rock = build(s)
    table = rock.table
    laws = list(dict.fromkeys([*LAWS, s.slip]))
    total = 3 + len(laws)
    progress(f"Stokes cells ({s.table_points} radii, Taylor-Hood FE)", 0, total)
    tab = table.table
    ell = s.cell.size
    c = tab["solid_fraction"]
    K_cell = tab["permeability"] / ell ** 2
    reference = np.where(c <= 0.2, drummond_tahir_permeability(c), gebart_permeability(c))

    progress("cell properties of the rock", 1, total)
    props = rock.cell_properties()
    mean_radius = s.radius_field.mean
    r_mean = float(pore_radius(mean_radius, ell))
    k_mean = float(table.evaluate({"inclusion_radius": np.array([mean_radius])})["permeability"][0])

    progress("apparent permeability k_app(p)", 2, total)
    p = np.geomspace(s.sweep.start, s.sweep.stop, s.sweep.points)
    kn = np.asarray(knudsen_of_pressure(s, p, r_mean))
    b = float(klinkenberg_coefficient(s.gas.viscosity, s.gas.temperature, s.gas.molar_mass, r_mean))
    curves = {"klinkenberg": 1.0 + b / p, "beskok_karniadakis": np.asarray(slip_factor(kn, "beskok_karniadakis")),
              "civan": np.asarray(slip_factor(kn, "civan"))}

    flows, solutions = {}, {}
    for i, law in enumerate(laws):
        progress(f"rock: gas Darcy FE, slip = {law}", 3 + i, total)
        sol = rock.solve(s.pressures.inlet, s.pressures.outlet, law)
        solutions[law] = sol
        flows[law] = {"mass_flow_in": sol.mass_flow_in, "mass_flow_out": sol.mass_flow_out,
                      "imbalance": sol.imbalance, "picard_iterations": sol.iterations}
    kn_in = float(knudsen_of_pressure(s, s.pressures.inlet, r_mean))
    kn_out = float(knudsen_of_pressure(s, s.pressures.outlet, r_mean))
    summary = {
        "name": s.name, "gas": s.gas.name, "cell_size_m": ell,
        "table": {"radius": tab["inclusion_radius"].tolist(), "solid_fraction": c.tolist(),
                  "permeability_over_l2": K_cell.tolist(), "reference_over_l2": reference.tolist(),
                  "reference": ["Drummond-Tahir" if ci <= 0.2 else "Gebart" for ci in c]},
        "permeability_range_m2": [float(props["permeability"].min()), float(props["permeability"].max())],
        "mean_cell": {"radius": mean_radius, "permeability_m2": k_mean, "pore_radius_m": r_mean,
                      "klinkenberg_b_Pa": b, "knudsen_inlet": kn_in, "knudsen_outlet": kn_out,
                      "regime_inlet": flow_regime(kn_in), "regime_outlet": flow_regime(kn_out)},
        "pressures_Pa": {"inlet": s.pressures.inlet, "outlet": s.pressures.outlet},
        "flows": flows, "slip": s.slip,
        "slip_enhancement": flows[s.slip]["mass_flow_out"] / flows["none"]["mass_flow_out"],
        "scale_separation": [ch.to_dict() for ch in check_scale_separation(rock)],
    }
    if record is not None:
        from .figures import cell_permeability_figure, apparent_permeability_figure, field_figure

        record.add_arrays(table_radius=tab["inclusion_radius"], table_solid_fraction=c,
                          table_permeability_m2=tab["permeability"], radius_field=rock.radii,
                          permeability_field_m2=props["permeability"], sweep_pressure_Pa=p, sweep_knudsen=kn,
                          **{f"sweep_kapp_over_k_{k}": v for k, v in curves.items()},
                          **{f"pressure_{law}_Pa": sol.pressure for law, sol in solutions.items()})
        record.add_figure(cell_permeability_figure(summary), "cell_permeability")
        record.add_figure(apparent_permeability_figure(p, kn, curves, summary), "apparent_permeability")
        record.add_figure(field_figure(rock, solutions[s.slip], summary), "rock_pressure")
        record.add_results(**{k: v for k, v in summary.items() if k != "scale_separation"})
    progress("done", total, total)
    return summary
