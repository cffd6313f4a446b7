r"""Build the battery chain: microstructure -> cell (DFN) <-> energy balance; cell -> particle stress; pressure.

``build`` wires the model tree without solving anything: the sphere packings are
generated (or the images read) but their cell problems are solved, and the DFN is
constructed, on first use, so ``scalebridge check`` and ``describe`` are fast.

Tree (a scenario with a protocol)::

    cell (DFN)                                   CellChain: current -> capacity, energy, temperature
      negative microstructure  (upscale) ──► effective D_e, kappa_e of the negative electrode
        negative pore microstructure (FFT cell)
      positive microstructure ...
      energy balance (lumped | x-resolved) ◄──► heat sources / temperature (two-way, staggered)
      negative particle stress ◄── particle concentrations
      pressure study (single particle)

Without a protocol the pressure study is the root.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np

from ...core.combinators import Coupling
from ...core.errors import InputError
from ...core.model import Evaluation, Port, Scale
from .base import Mesh
from .dfn import DFN
from .electrothermal import (CellThermal, lumped_cell_thermal, solve_electrothermal, x_resolved_cell_thermal)
from .mechanics import ParticleMechanics, particle_stress
from .pressure import ChargingParticle, pressure_study
from .profiles import ConstantCurrent, DriveCycle
from .scenario import Scenario
from .transport_from_microstructure import REGIONS, electrode_image, microstructure_transport_model, \
    transport_overrides

__all__ = ["build", "CellChain", "ThermalNode", "ParticleStressNode", "PressureStudyNode", "cell_profiles",
           "charging_particle"]

_SIDES = {"negative": "Negative", "positive": "Positive"}


def _cell_card(s: Scenario) -> dict:
    return {
        "role": "solver",
        "physics": "Doyle-Fuller-Newman (P2D) porous-electrode model: solid diffusion in spherical particles, "
                   "concentrated-solution electrolyte, Butler-Volmer kinetics; Arrhenius kinetics and transport",
        "assumptions": ["1-D through the sandwich, spherical particles of one size per electrode",
                        "effective electrolyte transport eps^b (Bruggeman) unless a microstructure gives eps/tau",
                        "temperature uniform over each coupling window (staggered electro-thermal coupling)"],
        "references": ["M. Doyle, T. F. Fuller, J. Newman (1993), J. Electrochem. Soc. 140, 1526",
                       "C.-H. Chen et al. (2020), J. Electrochem. Soc. 167, 080534",
                       "D. Bernardi, E. Pawlikowski, J. Newman (1985), J. Electrochem. Soc. 132, 5"],
        "validation": [{"test": "tests/apps/test_battery_models.py", "reference": "PyBaMM 26.10 DFN, Chen2020, "
                        "1C (3.6 mV RMS)", "status": "passing"},
                       {"test": "tests/apps/test_battery_app.py", "reference": "energy balance; window "
                        "convergence; Arrhenius coupling direction", "status": "passing"}],
    }


def cell_profiles(s: Scenario, capacity: float) -> dict[str, Any]:
    """Label -> profile of the scenario's protocol (one per C-rate, or the drive cycle)."""
    pr = s.protocol
    if pr.c_rates is not None:
        limit = {True: pr.lower_cutoff, False: pr.upper_cutoff}
        return {f"{c:g}C": ConstantCurrent(c_rate=c, voltage_limit=limit[c > 0]) for c in pr.c_rates}
    d = pr.drive_cycle
    return {"drive cycle": DriveCycle(d.times, d.currents, repeats=d.repeats)}


def charging_particle(s: Scenario, parameters: Mapping[str, Any]) -> ChargingParticle:
    """The negative-electrode particle of the pressure study, from the parameter set and the scenario."""
    ps = s.pressure_study
    T = s.thermal.ambient_temperature or float(parameters["Ambient temperature [K]"])
    return ChargingParticle(radius=float(parameters["Negative particle radius [m]"]),
                            diffusivity=float(parameters["Negative particle diffusivity [m2.s-1]"]),
                            max_concentration=float(parameters["Maximum concentration in negative electrode [mol.m-3]"]),
                            electrolyte_concentration=float(parameters["Initial concentration in electrolyte [mol.m-3]"]),
                            initial_stoichiometry=ps.initial_stoichiometry,
                            target_stoichiometry=ps.target_stoichiometry, max_overpotential=ps.max_overpotential,
                            temperature=T, activation_volume_diffusion=ps.activation_volume_diffusion,
                            activation_volume_kinetics=ps.activation_volume_kinetics)


class ThermalNode:
    """The energy balance as a Model: heat sources -> steady temperature (the staggered loop uses ``balance``).

    Lumped: input ``heat_power`` (W), output ``temperature`` (K). X-resolved: input
    ``heat_source`` (W/m^3 per DFN x-cell), output ``temperature`` per x-cell.
    """

    def __init__(self, spec, n_x: int, thickness: float, name: str = "energy balance"):
        self.spec, self.n_x, self.name = spec, n_x, name
        self.kind = spec.model
        self._balance: CellThermal | None = None
        if self.kind == "lumped":
            self.inputs = {"heat_power": Port("W", (), "heat generation of the cell")}
            self.outputs = {"temperature": Port("K", (), "cell temperature")}
            tc = spec.heat_capacity / spec.heat_transfer
        else:
            self.inputs = {"heat_source": Port("W/m^3", (n_x,), "heat source per DFN x-cell")}
            self.outputs = {"temperature": Port("K", (n_x,), "temperature per DFN x-cell")}
            tc = math.inf if spec.heat_transfer == 0 else 1.0  # refined once the mesh exists (see bind)
        self.scale = Scale(thickness, tc, "thermal")
        self.card = {
            "role": "solver",
            "physics": ("lumped energy balance m c_p dT/dt = Q - hA (T - T_amb)" if self.kind == "lumped" else
                        "through-thickness heat equation rho c_p dT/dt = d/dx(lambda dT/dx) + q, Newton cooling "
                        "at both faces (finite volumes, backward Euler)"),
            "assumptions": ["heat sources of the DFN frozen over each substep of a coupling window",
                            "Newton cooling to a constant ambient"]
                           + (["Biot number << 1 (uniform temperature)"] if self.kind == "lumped" else []),
            "references": ["D. Bernardi, E. Pawlikowski, J. Newman (1985), J. Electrochem. Soc. 132, 5",
                           "F. P. Incropera, D. P. DeWitt, Fundamentals of Heat and Mass Transfer, secs. 3.5, 5.2"],
            "validation": [{"test": "tests/laws/test_thermal.py", "reference": "closed-form lumped transient; "
                            "plane-wall steady state; Carslaw & Jaeger eigen-series", "status": "passing"},
                           {"test": "tests/apps/test_battery_app.py", "reference": "heat generated = stored + "
                            "removed; x-resolved mean = lumped at Bi << 1", "status": "passing"}],
        }

    def bind(self, cell: DFN, ambient: float) -> CellThermal:
        """The energy balance on the cell's mesh (built once)."""
        if self._balance is None:
            sp = self.spec
            if self.kind == "lumped":
                self._balance = lumped_cell_thermal(cell, sp.heat_capacity, sp.heat_transfer, ambient)
            else:
                coll = {side: (c.thickness, c.conductivity, c.volumetric_heat_capacity)
                        for side, c in (("negative", sp.negative_collector), ("positive", sp.positive_collector))
                        if c is not None}
                self._balance = x_resolved_cell_thermal(cell, sp.conductivity.model_dump(),
                                                        sp.volumetric_heat_capacity.model_dump(), sp.heat_transfer,
                                                        ambient, coll or None)
                if math.isfinite(self._balance.time_constant):
                    self.scale = Scale(self.scale.length_si, self._balance.time_constant, "thermal")
        return self._balance

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        if self._balance is None:
            raise InputError(f"{self.name!r}: evaluate needs the cell mesh; call bind(cell, ambient) first")
        b = self._balance.balance
        if self.kind == "lumped":
            return Evaluation(outputs={"temperature": b.steady_state(np.asarray(inputs["heat_power"], float))})
        q = np.asarray(inputs["heat_source"], float)
        out = []
        for row in q:  # one sparse solve per heat-source field
            full = np.zeros(b.n_cells)
            full[self._balance.cell_slice] = row
            out.append(b.steady_state(full)[self._balance.cell_slice])
        return Evaluation(outputs={"temperature": np.array(out)})


class ParticleStressNode:
    """Diffusion-induced stress through a particle of one electrode from its concentration profile.

    Input ``particle_concentration`` (mol/m^3 at the DFN's N_r particle cell centres); outputs
    ``hoop_stress``, ``radial_stress`` (Pa, (N_r,)) and ``max_tensile_hoop`` (Pa), by
    :func:`~.mechanics.particle_stress` (Zhang, Shyy & Sastry 2007, eqs. 8-9).
    """

    def __init__(self, side: str, spec, radius: float, diffusivity: float, n_r: int, temperature: float):
        self.side, self.spec, self.radius, self.n_r = side, spec, radius, n_r
        self.name = f"{side} particle stress"
        self.mechanics = ParticleMechanics(spec.youngs_modulus, spec.poisson_ratio, spec.partial_molar_volume,
                                           temperature)
        self.r = (np.arange(n_r) + 0.5) * radius / n_r
        self.inputs = {"particle_concentration": Port("mol/m^3", (n_r,), "lithium concentration at the particle "
                                                      "cell centres")}
        self.outputs = {"hoop_stress": Port("Pa", (n_r,), "hoop stress"),
                        "radial_stress": Port("Pa", (n_r,), "radial stress"),
                        "max_tensile_hoop": Port("Pa", (), "largest hoop stress over r")}
        self.scale = Scale(radius, radius**2 / diffusivity, f"{side} particle")
        self.card = {
            "role": "closure",
            "physics": "diffusion-induced stress of a free elastic sphere: sigma_r = 2 E Omega/(9(1-nu)) "
                       "(cbar(R) - cbar(r)), sigma_t = E Omega/(9(1-nu)) (2 cbar(R) + cbar(r) - 3c)",
            "assumptions": ["isotropic linear elasticity, free surface (no binder constraint)",
                            "one-way: stress does not feed back on the DFN's diffusion",
                            "cracking when the largest tensile hoop stress exceeds the fracture strength"],
            "references": ["X. Zhang, W. Shyy, A. M. Sastry (2007), J. Electrochem. Soc. 154, A910",
                           "W. H. Woodford, Y.-M. Chiang, W. C. Carter (2010), J. Electrochem. Soc. 157, A1052"],
            "validation": [{"test": "tests/apps/test_battery_mechanics.py", "reference": "closed-form stresses of "
                            "a parabolic profile; Cheng & Verbrugge (2009) galvanostatic limit", "status": "passing"}],
        }

    def stress(self, concentration: np.ndarray, surface_concentration: np.ndarray | None = None):
        r""":class:`~.mechanics.ParticleStress` of profiles (..., N_r) with the FV-conserved mean.

        With ``surface_concentration`` (...,) the surface r = R is appended as a last point
        (radii ``self.r`` then R), so the surface hoop stress
        :math:`E\Omega(\bar c - c_\mathrm{surf})/(3(1-\nu))` is part of the profile.
        """
        c = np.asarray(concentration, float)
        faces = np.arange(self.n_r + 1) * self.radius / self.n_r
        mean = c @ np.diff(faces**3) / faces[-1] ** 3
        if surface_concentration is None:
            return particle_stress(self.r, c, self.radius, self.mechanics, mean)
        surf = np.asarray(surface_concentration, float)
        return particle_stress(np.append(self.r, self.radius), np.concatenate([c, surf[..., None]], axis=-1),
                               self.radius, self.mechanics, mean, surf)

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        st = self.stress(inputs["particle_concentration"])
        return Evaluation(outputs={"hoop_stress": st.hoop, "radial_stress": st.radial,
                                   "max_tensile_hoop": st.max_tensile_hoop})


class PressureStudyNode:
    """Fastest charge of one particle vs pressure (:func:`~.pressure.pressure_study`) as a Model.

    Input ``pressure`` (Pa); outputs ``max_c_rate`` (1/h), ``diffusion_limited_rate`` and
    ``kinetic_limited_rate`` (1/h, closed-form limits).
    """

    card = {
        "role": "solver",
        "physics": "single-particle charge (spherical FV diffusion + Butler-Volmer) with D(p) = D0 exp(-p dV_D/RT), "
                   "k(p) = k0 exp(-p dV_k/RT); bisection on the C-rate reaching the target stoichiometry",
        "assumptions": ["one particle, uniform electrolyte", "illustrative activation volumes"],
        "references": ["C.-H. Chen et al. (2020), J. Electrochem. Soc. 167, 080534 (graphite)"],
        "validation": [{"test": "tests/apps/test_battery_pressure.py", "reference": "closed-form diffusion and "
                        "kinetic limits (within 1.5 %)", "status": "passing"}],
    }

    def __init__(self, particle: ChargingParticle, spec, name: str = "pressure study"):
        self.particle, self.spec, self.name = particle, spec, name
        self.inputs = {"pressure": Port("Pa", (), "gauge pressure on the particle")}
        self.outputs = {"max_c_rate": Port("1/h", (), "largest C-rate reaching the target"),
                        "diffusion_limited_rate": Port("1/h", (), "closed-form saturation limit"),
                        "kinetic_limited_rate": Port("1/h", (), "closed-form overpotential limit")}
        self.scale = Scale(particle.radius, particle.radius**2 / particle.diffusivity, "particle under pressure")

    def study(self, pressures=None, progress=None):
        sp = self.spec
        return pressure_study(sp.pressures if pressures is None else pressures, self.particle, rtol=sp.rtol,
                              n_steps=sp.steps, progress=progress)

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        st = self.study(np.asarray(inputs["pressure"], float))
        hours = 3600.0
        return Evaluation(outputs={"max_c_rate": st.max_c_rate / hours,
                                   "diffusion_limited_rate": st.diffusion_limited_rate / hours,
                                   "kinetic_limited_rate": st.kinetic_limited_rate / hours})


class CellChain:
    """The cell (DFN) with its microstructures, energy balance, particle stress and pressure study.

    As a Model: input ``current`` (A, a constant-current discharge until the cut-off, coupled
    to the scenario's energy balance); outputs ``discharge_capacity`` (A h),
    ``discharge_energy`` (J) and ``max_temperature`` (K). The DFN (with the
    microstructures' transport, see :func:`cell`) is constructed on first use.
    """

    def __init__(self, scenario: Scenario, parameters: dict, micro: dict, thermal: ThermalNode | None,
                 stress: list, pressure: PressureStudyNode | None):
        s = scenario
        self.scenario, self.base_parameters, self.microstructures = s, parameters, micro
        self.thermal, self.stress_nodes, self.pressure = thermal, stress, pressure
        self.name = "cell (DFN)"
        m = s.mesh
        self.mesh = Mesh(m.negative, m.separator, m.positive, m.particle)
        self.n_x = m.negative + m.separator + m.positive
        self.ambient = s.thermal.ambient_temperature or float(parameters["Ambient temperature [K]"])
        L = sum(float(parameters[k]) for k in ("Negative electrode thickness [m]", "Separator thickness [m]",
                                                "Positive electrode thickness [m]"))
        self.thickness = L
        capacity = float(parameters["Nominal cell capacity [A.h]"])
        self.inputs = {"current": Port("A", (), "constant discharge current")}
        self.outputs = {"discharge_capacity": Port("A*h", (), "charge delivered to the cut-off"),
                        "discharge_energy": Port("J", (), "energy delivered to the cut-off"),
                        "max_temperature": Port("K", (), "largest mean cell temperature")}
        rates = s.protocol.c_rates or [1.0]
        self.scale = Scale(L, 3600.0 / max(abs(c) for c in rates), "cell")
        self.card = _cell_card(s)
        self.children = list(micro.values()) + ([thermal] if thermal else []) + list(stress) \
            + ([pressure] if pressure else [])
        self.couplings = []
        for region, model in micro.items():
            for key in ("effective_electrolyte_diffusivity", "effective_electrolyte_conductivity"):
                port = model.outputs[key]
                self.couplings.append(Coupling(model.name, key, port, self.name, f"{region}_{key}", port,
                                               kind="upscale"))
        if thermal is not None:
            if thermal.kind == "lumped":
                heat = Port("W", (), "heat generation of the cell (Bernardi)")
                temp = Port("K", (), "cell temperature")
                self.couplings.append(Coupling(self.name, "heat_power", heat, thermal.name, "heat_power",
                                               thermal.inputs["heat_power"], kind="two-way (staggered)"))
            else:
                heat = Port("W/m^3", (self.n_x,), "heat sources per x-cell (Bernardi)")
                temp = Port("K", (self.n_x,), "temperature per x-cell")
                self.couplings.append(Coupling(self.name, "heat_source", heat, thermal.name, "heat_source",
                                               thermal.inputs["heat_source"], kind="two-way (staggered)"))
            self.couplings.append(Coupling(thermal.name, "temperature", thermal.outputs["temperature"], self.name,
                                           "temperature", temp, kind="two-way (staggered)"))
        for node in stress:
            port = Port("mol/m^3", (node.n_r,), "particle concentration profile")
            self.couplings.append(Coupling(self.name, f"{node.side}_particle_concentration", port, node.name,
                                           "particle_concentration", node.inputs["particle_concentration"],
                                           kind="one-way"))
        self._cell: DFN | None = None
        self.transport: dict = {}
        self.capacity = capacity

    def parameters(self) -> dict[str, Any]:
        """Mesh, ambient temperature and overridden parameters (for ``describe``)."""
        return {"mesh": self.scenario.mesh.model_dump(), "ambient_temperature_K": self.ambient,
                "parameter_set": self.scenario.parameters.set, "overrides": dict(self.scenario.parameters.overrides),
                "microstructure_regions": sorted(self.microstructures)}

    @property
    def cell(self) -> DFN:
        """The DFN with the microstructures' effective transport (solves their cell problems once)."""
        if self._cell is None:
            p = dict(self.base_parameters)
            overrides, self.transport = transport_overrides(p, self.microstructures)
            p.update(overrides)
            self.cell_parameters = p
            self._cell = DFN(p, self.mesh)
        return self._cell

    def thermal_balance(self) -> CellThermal | None:
        return None if self.thermal is None else self.thermal.bind(self.cell, self.ambient)

    def effective_transport_factor(self) -> np.ndarray:
        r"""The factor :math:`\varepsilon^b` the DFN applies at each interior x-face (harmonic across regions)."""
        return self.cell.B_face.copy()

    def discharge(self, profile, *, coupled: bool = True, window: float | None = None, progress=None):
        """Run ``profile``: coupled to the energy balance (if any and ``coupled``), else isothermal at ambient."""
        s = self.scenario
        thermal = self.thermal_balance() if coupled else None
        w = window if window is not None else getattr(s.thermal, "window", 60.0)
        return solve_electrothermal(self.cell, profile, thermal, window=w, ambient_temperature=self.ambient,
                                    output_interval=s.protocol.output_interval if s.protocol else 60.0,
                                    progress=progress)

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        out = {k: [] for k in self.outputs}
        for current in np.asarray(inputs["current"], float):  # one DAE solve per requested current
            sol = self.discharge(ConstantCurrent(current=float(current)))
            out["discharge_capacity"].append(sol.discharge_capacity[-1] * 3600.0)   # C (SI of A h)
            out["discharge_energy"].append(np.trapezoid(sol.current * sol.voltage, sol.t))
            out["max_temperature"].append(sol.mean_temperature.max())
        return Evaluation(outputs={k: np.array(v) for k, v in out.items()})


def _microstructures(s: Scenario, p: Mapping[str, Any], L: Mapping[str, float]) -> dict:
    models = {}
    if s.microstructure is None:
        return models
    for region, spec in s.microstructure.regions().items():
        prefix = REGIONS[region]
        where = f"microstructure.{region}"
        radius = float(p[f"{_SIDES[region]} particle radius [m]"]) if region in _SIDES else None
        try:
            if spec.packing is not None:
                pk = spec.packing
                f = pk.solid_fraction if pk.solid_fraction is not None else 1.0 - float(p[f"{prefix} porosity"])
                image = electrode_image(voxels=pk.voxels, solid_fraction=f, sphere_radius=pk.sphere_radius,
                                        overlapping=pk.overlapping, seed=s.seed if pk.seed is None else pk.seed)
                h = spec.voxel_size or radius / pk.sphere_radius
                feature = spec.feature_length or 2 * pk.sphere_radius * h
            else:
                image = electrode_image(path=spec.image, solid_phase=spec.solid_phase)
                h = spec.voxel_size
                feature = spec.feature_length or (2 * radius if radius else 10 * h)
            models[region] = microstructure_transport_model(image, voxel_size=h, thickness=L[region],
                                                            feature_length=feature, axis=s.microstructure.axis,
                                                            region=region)
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
    return models


def build(scenario: Scenario):
    """The model tree of a scenario (nothing solved; see the module docstring)."""
    s = scenario
    p = s.parameters.values()
    pressure = None
    if s.pressure_study is not None:
        try:
            pressure = PressureStudyNode(charging_particle(s, p), s.pressure_study)
        except InputError as exc:
            raise InputError(f"pressure_study: {exc}") from None
    if s.protocol is None:
        return pressure
    L = {"negative": float(p["Negative electrode thickness [m]"]), "separator": float(p["Separator thickness [m]"]),
         "positive": float(p["Positive electrode thickness [m]"])}
    micro = _microstructures(s, p, L)
    n_x = s.mesh.negative + s.mesh.separator + s.mesh.positive
    thermal = None if s.thermal.model == "none" else ThermalNode(s.thermal, n_x, sum(L.values()))
    ambient = s.thermal.ambient_temperature or float(p["Ambient temperature [K]"])
    stress = []
    if s.mechanics is not None:
        for side in ("negative", "positive"):
            spec = getattr(s.mechanics, side)
            if spec is not None:
                stress.append(ParticleStressNode(side, spec, float(p[f"{_SIDES[side]} particle radius [m]"]),
                                                 float(p[f"{_SIDES[side]} particle diffusivity [m2.s-1]"]),
                                                 s.mesh.particle, ambient))
    return CellChain(s, p, micro, thermal, stress, pressure)
