"""Lithium-ion cells: DFN (P2D), SPMe and SPM models, published parameter sets, profiles.

See ``docs/battery.md``. Public API (the contract other parts of the battery chain
build on; change it only together with them):

Models (``M(parameters="Chen2020", mesh=Mesh())``, same API for all three)
    :class:`DFN`   Doyle–Fuller–Newman / pseudo-two-dimensional model (index-1 DAE),
    :class:`SPMe`  single-particle model with electrolyte,
    :class:`SPM`   single-particle model.
    ``model.solve(profile, t_eval=None, *, temperature=None, initial_state=None,
    rtol=1e-6, atol=1e-6, max_step=inf) -> CellSolution``.

    ``temperature`` is a float (K), an array of ``model.n_x`` cell temperatures (an
    x-resolved thermal model) or a callable ``t -> float | array``; kinetics
    (exchange-current densities, through the parameter functions of T), particle and
    electrolyte diffusivities and the electrolyte conductivity follow it through
    Arrhenius factors (keys ``"... activation energy [J.mol-1]"``). A thermal model
    couples in a staggered way: solve a window at the current temperature, take
    ``solution.heat_sources`` (DFN), advance the energy balance, continue from
    ``initial_state=solution.final_state`` (see docs/battery.md).

:class:`CellSolution`
    ``t`` [s], ``voltage`` [V], ``current`` [A, positive on discharge], ``states``,
    ``termination`` (why the run stopped: ``"end of profile"``, ``"lower voltage
    cut-off 2.5 V"``, ...), ``step_reasons``, ``counters`` (steps, rejected, residuals,
    jacobians, factorisations), ``timings`` (setup, solve [s]), ``final_state``,
    ``discharge_capacity`` [A h]; model-specific fields: ``electrolyte_concentration``,
    ``particle_concentration``, ``lithium_inventory``, and for the DFN
    ``electrolyte_potential``, ``solid_potential``, ``interfacial_current``,
    ``electrolyte_current``, ``heat_sources`` (dict of W/m^3 per x-cell:
    ``ohmic_solid``, ``ohmic_electrolyte``, ``irreversible``, ``reversible``, ``total``;
    ``total_per_area`` [W/m^2], ``total_power`` [W]).

Profiles (:mod:`.profiles`)
    :class:`ConstantCurrent` (``current`` [A] or ``c_rate``, ``duration``, ``voltage_limit``),
    :class:`ConstantVoltage` (``voltage``, ``duration``, ``current_limit``),
    :class:`Rest`, :class:`DriveCycle` (``times``, ``currents``, ``repeats``),
    :class:`Protocol` (a sequence of steps).

Parameters (:mod:`.parameters`)
    :func:`parameter_set` (``"Chen2020"``: LG M50, Chen et al. 2020), plain dicts of
    keys with units.

Mesh
    :class:`Mesh` (``negative``, ``separator``, ``positive``, ``particle`` cells;
    default 20/20/20/20 = PyBaMM's default, 961 DFN states).

The app (``scalebridge run`` of ``app: battery`` scenarios, see docs/battery.md, "The battery app")
    :class:`Scenario` (schema), :func:`build` (model tree, nothing solved), :func:`run`
    (solve, fill a run record), :func:`summary_table`, ``SCENARIOS`` (shipped files);
    :mod:`.electrothermal` (staggered DFN <-> lumped / x-resolved energy balance),
    :mod:`.transport_from_microstructure` (eps/tau of an image -> DFN parameters).

Laws used (:mod:`scalebridge.laws.electrochemistry`): Butler–Volmer, exchange-current
density, concentrated-solution current and flux, Bruggeman, Arrhenius factors, heat
sources, tabulated OCPs.
"""

from importlib import resources
from pathlib import Path

from .base import CellSolution, Mesh
from .chain import build
from .dfn import DFN
from .parameters import PARAMETER_SETS, parameter_set
from .profiles import ConstantCurrent, ConstantVoltage, DriveCycle, Protocol, Rest
from .report import summary_table
from .run import run
from .scenario import Scenario
from .spme import SPM, SPMe

__all__ = ["DFN", "SPMe", "SPM", "Mesh", "CellSolution", "ConstantCurrent", "ConstantVoltage", "Rest",
           "DriveCycle", "Protocol", "parameter_set", "PARAMETER_SETS", "Scenario", "build", "run", "summary_table",
           "SCENARIOS"]

#: Shipped scenario files by name.
SCENARIOS = {p.stem: Path(str(p)) for p in resources.files(__package__).joinpath("scenarios").iterdir()
             if p.name.endswith(".yaml")}
