r"""Build the plasma-wall chain; the coupling is chosen by the scale-separation check.

The fine model resolves a near-surface zone of depth :math:`\delta` (relaxation time
:math:`\delta^2/\alpha`); the component model resolves the load on its time scale
:math:`\tau` (the flat-top of a steady discharge, or the energy-deposition time of an
ELM). :func:`scalebridge.core.checks.scale_separation` compares the two:

* :math:`\varepsilon = \max(\delta/\ell_c, \delta^2/(\alpha\tau)) < 10^{-2}`: the zone
  is in equilibrium with the instantaneous flux: *hierarchical*, a table of the steady
  law :math:`T_s(q)` sampled once from the fine model (:class:`Tabulated`);
* :math:`10^{-2} \le \varepsilon < 0.2`: the near-surface history matters: *concurrent*,
  the fine model evaluated for every request (:class:`OnTheFly`).

``build`` returns the component with its bridge, without solving anything.
"""

from __future__ import annotations

import numpy as np

from ...core.checks import scale_separation
from ...core.errors import ScaleSeparationError
from ...core.model import Scale
from ...coupling.hierarchical import Tabulated
from ...coupling.on_the_fly import OnTheFly
from .models import NearSurfaceConduction, WallComponent
from .scenario import Scenario

__all__ = ["build", "fine_model", "component_scale", "recommended_coupling", "table_grid"]

#: Exposure time, in units of the slowest relaxation time, after which the fine model is taken as steady.
RELAXED = 60.0


def fine_model(s: Scenario) -> NearSurfaceConduction:
    """The resolved near-surface conduction model of the scenario."""
    m, a = s.material, s.armour
    return NearSurfaceConduction(a.thickness, m.conductivity, m.density, m.heat_capacity, a.heat_transfer_coefficient,
                                 s.fine.surface_zone, s.fine.cells, s.fine.first_cell)


def component_scale(s: Scenario) -> Scale:
    """Component length and the load time scale."""
    return Scale(s.component.length, s.loading.duration, "component")


def recommended_coupling(s: Scenario, fine: NearSurfaceConduction | None = None) -> str:
    """The verdict of :func:`~scalebridge.core.checks.scale_separation` for the component over the fine model."""
    fine = fine or fine_model(s)
    return scale_separation(component_scale(s), fine.scale).recommendation


def table_grid(s: Scenario) -> np.ndarray:
    """Heat fluxes of the tabulated steady law: 0 .. the largest flux of the load, W/m^2."""
    top = s.loading.heat_flux + s.loading.background_heat_flux
    return np.linspace(0.0, top if top > 0 else 1.0, s.table.points)


def steady_table(s: Scenario, fine: NearSurfaceConduction) -> Tabulated:
    """The hierarchical bridge: the fine model's relaxed surface rise tabulated against the flux."""
    return Tabulated(fine, "heat_flux", table_grid(s), fixed={"exposure_time": RELAXED * fine.relaxation_time},
                     outputs=["surface_temperature_rise"], name="steady law T_s(q) (table)")


def build(s: Scenario) -> WallComponent:
    """The component over its bridge: a table (hierarchical) or the fine model on the fly (concurrent).

    With ``coupling: auto`` the scale-separation verdict decides; "scales collide"
    raises :class:`~scalebridge.core.errors.ScaleSeparationError` (no local closure:
    resolve the wall in the component model).
    """
    fine = fine_model(s)
    kind = s.coupling
    if kind == "auto":
        kind = recommended_coupling(s, fine)
        if kind == "scales collide":
            raise ScaleSeparationError(
                f"scenario {s.name!r}: the near-surface zone ({s.fine.surface_zone:g} m, relaxation "
                f"{fine.scale.time_si:.3g} s) is not separated from the component load time "
                f"({s.loading.duration:g} s): scales collide; set coupling explicitly or resolve the wall")
    if kind == "hierarchical":
        bridge = steady_table(s, fine)
    else:
        bridge = OnTheFly(fine, name="near-surface conduction (on the fly)")
    return WallComponent(bridge, s.loading, s.armour.coolant_temperature, component_scale(s),
                         RELAXED * fine.relaxation_time)
