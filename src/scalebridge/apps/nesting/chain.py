"""Build the nesting tree (no solve) and run the coarse model, the nest and the whole-domain fine reference."""

from __future__ import annotations

from typing import Any, Callable

from .figures import nesting_figure
from .models import CoarseTransport, NestedTransport, NestTransport
from .nest import nested_transport
from .scenario import Scenario

__all__ = ["build", "run"]


def build(s: Scenario) -> NestedTransport:
    """The coarse model and the nest, with the configuration checks of :class:`NestedTransport`."""
    u, D = s.flow.velocity, s.flow.diffusivity
    coarse = CoarseTransport("coarse", s.domain.length, s.domain.coarse_cells, s.time.coarse_step, u, D)
    n = s.nest
    cells = round((n.stop - n.start) / coarse.dx) * n.refinement
    nest = NestTransport("nest", n.stop - n.start, cells, s.time.coarse_step / n.time_refinement, u, D)
    return NestedTransport(coarse, nest)


def run(s: Scenario, record=None, progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """Solve the three runs; write arrays, the figure and the summary to ``record``."""
    progress = progress or (lambda *a: None)
    progress("coarse, nest and whole-domain fine runs", 0, 2)
    r = nested_transport(length=s.domain.length, coarse_cells=s.domain.coarse_cells, velocity=s.flow.velocity,
                         diffusivity=s.flow.diffusivity, mass=s.plume.mass, centre=s.plume.centre,
                         width=s.plume.width, nest=(s.nest.start, s.nest.stop), refinement=s.nest.refinement,
                         time_refinement=s.nest.time_refinement, duration=s.time.duration,
                         coarse_step=s.time.coarse_step, source_rate=s.source.rate,
                         source_position=s.source.position, source_width=s.source.width, outputs=s.time.outputs)
    summary = {"name": s.name, "error_coarse_vs_fine": r.errors["coarse"], "error_nest_vs_fine": r.errors["nest"],
               "content_imbalance": r.content_imbalance, "boundary_flux_mismatch": r.flux_mismatch,
               "nest_cells": len(r.nest_x), "fine_cells": len(r.fine_x), "coarse_cells": len(r.coarse_x)}
    if record is not None:
        record.add_arrays(times_s=r.times, coarse_x_m=r.coarse_x, nest_x_m=r.nest_x, fine_x_m=r.fine_x,
                          coarse=r.coarse, nest=r.nest, fine=r.fine, nest_boundary_flux=r.nest_boundary_flux,
                          coarse_boundary_flux=r.coarse_boundary_flux)
        record.add_figure(nesting_figure(r, (s.nest.start, s.nest.stop)), "nesting")
        record.add_results(**summary)
    progress("done", 2, 2)
    return summary
