r"""Two-way electro-thermal coupling of the DFN with a lumped or a through-thickness energy balance.

Staggered (operator-split) windows of length :math:`\Delta t_w`:

1. solve the DFN over the window at the current temperature field, frozen
   (uniform for :class:`~scalebridge.laws.thermal.LumpedThermal`, per x-cell for
   :class:`~scalebridge.laws.thermal.ThroughThicknessThermal`); kinetics
   (exchange-current densities) and transport (particle and electrolyte diffusivities,
   electrolyte conductivity) follow it through their Arrhenius factors;
2. take the DFN heat sources per x-cell at the window's output times (Bernardi,
   Pawlikowski & Newman 1985):
   :math:`q = i_s^2/\sigma_\mathrm{eff} - i_e\,\partial_x\phi_e + a j\eta + a j T\,\partial U/\partial T`;
3. advance the energy balance over the window with those sources (trapezoidal in time
   between output times: exact exponential steps for the lumped balance, backward Euler
   for the x-resolved one);
4. hand the new temperature back to the DFN and continue from its final state.

The coupling error is first order in :math:`\Delta t_w` (the temperature lags by at most
one window); it is controlled by the window length against the thermal time constant
(the temperature change per window, reported as ``max_window_temperature_change``) and
checked by halving the window (``tests/apps/test_battery_app.py``).

Energy conservation is book-kept exactly: heat generated (the time integral of the DFN's
heat power, as fed to the thermal model) = heat stored (:math:`\sum C_i \Delta T_i`) +
heat removed (the time integral of the Newton cooling, integrated consistently with each
step). Independently, the ohmic + irreversible heat is compared with the electrical
work lost, :math:`I(\bar U_p - \bar U_n - V)` per unit area (reaction-weighted open-circuit
potentials), which the continuous equations satisfy exactly (the global Bernardi balance);
the discrete difference measures the heat-source discretisation.

References
----------
Bernardi, D., Pawlikowski, E. & Newman, J. (1985). J. Electrochem. Soc. 132, 5-12.
Gu, W. B. & Wang, C. Y. (2000). J. Electrochem. Soc. 147, 2910-2922 (thermal-electrochemical coupling).
Chen, C.-H. et al. (2020). J. Electrochem. Soc. 167, 080534.
Incropera, F. P. & DeWitt, D. P. Fundamentals of Heat and Mass Transfer, secs. 3.5 and 5.2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ...core.errors import ConvergenceError, InputError
from ...laws.electrochemistry import FARADAY
from ...laws.thermal import LumpedThermal, ThroughThicknessThermal
from . import profiles as _profiles
from .profiles import Segment

__all__ = ["CellThermal", "lumped_cell_thermal", "x_resolved_cell_thermal", "ElectroThermalSolution",
           "solve_electrothermal", "surface_concentration", "open_circuit_potentials"]


class CellThermal:
    """A lumped or x-resolved energy balance behind one interface for the staggered coupling.

    ``state`` is an array of temperatures in K (one entry for the lumped balance, one per
    thermal cell for the x-resolved one). Energies are J for the whole cell.
    """

    def __init__(self, kind: str, balance, cell_slice: slice | None, area: float, n_x: int):
        self.kind, self.balance, self.cell_slice, self.area, self.n_x = kind, balance, cell_slice, area, n_x
        self.ambient_temperature = balance.ambient_temperature

    @property
    def time_constant(self) -> float:
        """Thermal time constant in s (lumped m c_p/hA; x-resolved: sum C / sum of face conductances)."""
        if self.kind == "lumped":
            return self.balance.time_constant
        g = self.balance._boundary_conductance.sum()
        return math.inf if g == 0 else float(self.balance._C.sum() / g)

    def initial_state(self, T0: float) -> np.ndarray:
        return np.full(1 if self.kind == "lumped" else self.balance.n_cells, float(T0))

    def cell_temperature(self, state: np.ndarray):
        """What the DFN takes: a float (lumped) or the temperatures of its x-cells (x-resolved)."""
        return float(state[0]) if self.kind == "lumped" else state[self.cell_slice].copy()

    def energy(self, state: np.ndarray) -> float:
        """Heat content above ambient in J."""
        if self.kind == "lumped":
            return self.balance.heat_capacity * (float(state[0]) - self.ambient_temperature)
        return float(self.balance._C @ (state - self.ambient_temperature)) * self.area

    def step(self, state: np.ndarray, q_cells: np.ndarray, power: float, dt: float) -> tuple[np.ndarray, float]:
        """Advance ``dt`` s with the heat frozen; return the new state and the heat removed (J) over the step."""
        if self.kind == "lumped":
            b = self.balance
            T0 = float(state[0])
            T1 = float(b.step(T0, power, dt))
            tc = b.time_constant
            excess = b.steady_state(power) - b.ambient_temperature       # T_inf(Q) - T_amb
            # hA int (T - T_amb) dt of the exact exponential solution
            removed = b.heat_transfer * (excess * dt + (T0 - b.ambient_temperature - excess) * tc
                                         * -math.expm1(-dt / tc))
            return np.array([T1]), float(removed)
        q = np.zeros(self.balance.n_cells)
        q[self.cell_slice] = q_cells
        new = self.balance.step(state, q, dt)
        return new, dt * self.balance.heat_loss(new) * self.area      # backward Euler: loss at the new level


def lumped_cell_thermal(cell, heat_capacity: float, heat_transfer: float, ambient_temperature: float) -> CellThermal:
    r"""Lumped balance :math:`m c_p\,dT/dt = Q - hA(T - T_\infty)` for ``cell`` (J/K, W/K, K)."""
    return CellThermal("lumped", LumpedThermal(heat_capacity, heat_transfer, ambient_temperature), None,
                       cell.area, cell.n_x)


def x_resolved_cell_thermal(cell, conductivity: dict, volumetric_heat_capacity: dict, heat_transfer,
                            ambient_temperature: float, collectors: dict | None = None) -> CellThermal:
    r"""Through-thickness balance on the DFN's x-mesh, optionally with current-collector layers.

    Parameters
    ----------
    cell : DFN
        Its x-cells (``cell.dx``, ``cell.region``) become the thermal cells of the sandwich.
    conductivity, volumetric_heat_capacity : dict
        :math:`\lambda` (W/(m K)) and :math:`\rho c_p` (J/(m^3 K)) by region
        ``"negative"``, ``"separator"``, ``"positive"``.
    heat_transfer : float or (float, float)
        Newton coefficients at the two faces in W/(m^2 K) **per unit electrode area**.
    ambient_temperature : float
        K.
    collectors : dict, optional
        ``{"negative": (thickness m, lambda, rho c_p), "positive": (...)}``: a layer of two
        cells without heat sources outside each electrode.
    """
    names = {"n": "negative", "s": "separator", "p": "positive"}
    for what, d in (("conductivity", conductivity), ("volumetric_heat_capacity", volumetric_heat_capacity)):
        missing = set(names.values()) - set(d)
        if missing:
            raise InputError(f"thermal.{what}: missing region(s) {sorted(missing)}")
    lam = [conductivity[names[r]] for r in cell.region]
    rc = [volumetric_heat_capacity[names[r]] for r in cell.region]
    widths = list(cell.dx)
    first = 0
    if collectors:
        for side in ("negative", "positive"):
            if side in collectors:
                L, lc, rcc = collectors[side]
                if side == "negative":
                    widths, lam, rc, first = [L / 2] * 2 + widths, [lc] * 2 + lam, [rcc] * 2 + rc, 2
                else:
                    widths, lam, rc = widths + [L / 2] * 2, lam + [lc] * 2, rc + [rcc] * 2
    faces = np.concatenate([[0.0], np.cumsum(widths)])
    balance = ThroughThicknessThermal(faces, np.array(lam), np.array(rc), heat_transfer, ambient_temperature)
    return CellThermal("x-resolved", balance, slice(first, first + cell.n_x), cell.area, cell.n_x)


class _Window:
    """A piece ``[start, start + duration]`` of one profile segment, as a profile the cell models accept."""

    def __init__(self, seg: Segment, start: float, duration: float):
        self.seg, self.start, self.duration = seg, start, duration

    def segments(self, capacity_ah, cutoffs):
        s, t0, w = self.seg, self.start, self.duration
        stops = tuple(t - t0 for t in s.tstops if t0 < t < t0 + w)
        return [Segment(s.mode, lambda t: s.value(t + t0), w, stops, s.voltage_limits, s.current_limit, s.label)]


def surface_concentration(cell, sol) -> np.ndarray:
    r"""Particle surface concentration in mol/m^3, shape (N_n + N_p, P).

    :math:`c_\mathrm{surf} = c_N - \frac{\Delta r}{2}\frac{j}{F D_s(T)}` (the DFN's flux-consistent
    extrapolation of the outer cell).
    """
    cs = sol.particle_concentration[:, -1, :]
    j = sol.interfacial_current
    T = np.array([sol.temperature(t) for t in sol.t]).T[cell.xe]               # (n_e, P)
    Ds = cell.Ds_ref[:, None] * cell.arrhenius(cell.E_Ds[:, None], T)
    return cs - cell.dr_e[:, None] / 2 * j / (FARADAY * Ds)


def open_circuit_potentials(cell, csurf: np.ndarray, T_cells: np.ndarray) -> np.ndarray:
    """OCP U(c_surf/c_max) + (T - T_ref) dU/dT at the electrode cells in V, shape like ``csurf`` (n_e, P)."""
    nn = cell.nn
    U = np.empty_like(csurf)
    for dom, sl in (("n", slice(0, nn)), ("p", slice(nn, None))):
        e = cell.electrode[dom]
        sto = csurf[sl] / e["c_max"]
        U[sl] = e["U"](sto) + (T_cells[sl] - cell.T_ref) * e["dUdT"](sto)
    return U


@dataclass
class ElectroThermalSolution:
    """A (coupled or isothermal) DFN run over windows, concatenated (SI; P output times).

    Attributes
    ----------
    t, voltage, current, discharge_capacity : ndarray (P,)
        s, V, A (positive on discharge), A h.
    cell_temperature : ndarray (N_x, P)
        Temperature of every DFN x-cell used by the DFN in K (frozen over each window).
    thermal_time, thermal_state : ndarray (W + 1,), (W + 1, n_T)
        The energy balance's state at the window boundaries.
    heat_power : ndarray (P,)
        DFN heat generation of the whole cell in W.
    electrolyte_concentration : ndarray (N_x, P)
    particle_concentration : ndarray (N_n + N_p, N_r, P)
    surface_concentration : ndarray (N_n + N_p, P)
    x, dx : ndarray (N_x,)
        Cell centres and widths in m.
    termination : str
    windows : int
    energy : dict
        J: ``generated``, ``stored``, ``removed``, ``balance_error`` (relative); ``electrical_loss``
        (ohmic + irreversible from I(U_p - U_n - V)), ``ohmic_irreversible`` (from the heat
        sources), ``heat_source_error`` (relative difference of the two).
    max_window_temperature_change : float
        Largest change of the mean temperature over one window in K (the coupling lag).
    counters : dict
        Summed DFN integrator counters.
    """

    t: np.ndarray
    voltage: np.ndarray
    current: np.ndarray
    discharge_capacity: np.ndarray
    cell_temperature: np.ndarray
    thermal_time: np.ndarray
    thermal_state: np.ndarray
    heat_power: np.ndarray
    electrolyte_concentration: np.ndarray
    particle_concentration: np.ndarray
    surface_concentration: np.ndarray
    interfacial_current: np.ndarray
    x: np.ndarray
    dx: np.ndarray
    termination: str
    windows: int
    energy: dict = field(default_factory=dict)
    max_window_temperature_change: float = 0.0
    counters: dict = field(default_factory=dict)

    @property
    def mean_temperature(self) -> np.ndarray:
        """Thickness-weighted mean temperature of the DFN x-cells in K, (P,)."""
        return self.dx @ self.cell_temperature / self.dx.sum()


def solve_electrothermal(cell, profile, thermal: CellThermal | None = None, *, window: float = 60.0,
                         ambient_temperature: float | None = None, output_interval: float = 60.0,
                         rtol: float = 1e-6, atol: float = 1e-6,
                         progress: Callable[[float], None] | None = None) -> ElectroThermalSolution:
    r"""Run ``profile`` on the DFN ``cell`` coupled two-way with ``thermal`` in staggered windows.

    Parameters
    ----------
    cell : DFN
    profile : ConstantCurrent, DriveCycle, Rest, ConstantVoltage or Protocol
        Segments are windowed one after the other; a cut-off ends its segment.
    thermal : CellThermal, optional
        :func:`lumped_cell_thermal` or :func:`x_resolved_cell_thermal`; ``None`` gives the
        isothermal run at ``ambient_temperature`` (one window per segment).
    window : float
        Coupling window :math:`\Delta t_w` in s (> 0).
    ambient_temperature : float, optional
        K; default: the thermal model's, else the parameter set's.
    output_interval : float
        Largest spacing of the output times in s (the heat sources are sampled there).
    rtol, atol : float
        DFN integrator tolerances.
    progress : callable, optional
        ``progress(t)`` after every window.

    Returns
    -------
    ElectroThermalSolution

    Raises
    ------
    InputError
        For a bad window or output interval.
    ConvergenceError
        If the DFN fails, or a temperature becomes non-finite.
    """
    if not (np.isfinite(window) and window > 0):
        raise InputError(f"window: got {window!r}, expected a coupling window > 0 s")
    if not (np.isfinite(output_interval) and output_interval > 0):
        raise InputError(f"output_interval: got {output_interval!r}, expected a spacing > 0 s")
    if ambient_temperature is None:
        ambient_temperature = thermal.ambient_temperature if thermal is not None else cell.T_amb
    segs = _profiles.segments(profile, cell.capacity, cell.cutoffs)
    state_T = thermal.initial_state(ambient_temperature) if thermal is not None else None
    y = None
    pieces, t_offset = [], 0.0
    thermal_t, thermal_states = [0.0], [None if state_T is None else state_T.copy()]
    generated = removed = 0.0
    counters = dict(steps=0, rejected=0, residuals=0, jacobians=0, factorisations=0)
    termination, worst_dT = "end of profile", 0.0
    stored0 = thermal.energy(state_T) if thermal is not None else 0.0
    for seg in segs:
        s0 = 0.0
        while s0 < seg.duration * (1 - 1e-12):
            w = seg.duration - s0 if thermal is None else min(window, seg.duration - s0)
            T_dfn = ambient_temperature if thermal is None else thermal.cell_temperature(state_T)
            n_out = max(2, int(math.ceil(w / output_interval)))
            sol = cell.solve(_Window(seg, s0, w), t_eval=np.linspace(0.0, w, n_out + 1), temperature=T_dfn,
                             initial_state=y, rtol=rtol, atol=atol)
            for k in counters:
                counters[k] += sol.counters[k]
            heat = sol.heat_sources
            if thermal is not None:
                mean_before = float(np.mean(thermal.cell_temperature(state_T)))
                P = heat["total_power"]
                for k in range(sol.t.size - 1):
                    dt = sol.t[k + 1] - sol.t[k]
                    if dt <= 0:
                        continue
                    q = 0.5 * (heat["total"][:, k] + heat["total"][:, k + 1])
                    power = 0.5 * (P[k] + P[k + 1])
                    state_T, lost = thermal.step(state_T, q, power, dt)
                    generated += power * dt
                    removed += lost
                if not np.all(np.isfinite(state_T)):
                    raise ConvergenceError(f"electro-thermal: non-finite temperature at t = {t_offset + sol.t[-1]:g} s")
                worst_dT = max(worst_dT, abs(float(np.mean(thermal.cell_temperature(state_T))) - mean_before))
                thermal_t.append(t_offset + sol.t[-1])
                thermal_states.append(state_T.copy())
            pieces.append((t_offset, sol, heat))
            y = sol.final_state
            t_offset += sol.t[-1]
            s0 += sol.t[-1]
            if progress is not None:
                progress(t_offset)
            if sol.termination != "end of profile":
                termination = sol.termination
                break
    return _assemble(cell, pieces, thermal, thermal_t, thermal_states, generated, removed, stored0, state_T,
                     termination, worst_dT, counters)


def _assemble(cell, pieces, thermal, thermal_t, thermal_states, generated, removed, stored0, state_T, termination,
              worst_dT, counters) -> ElectroThermalSolution:
    ts, V, I, Tc, Pw, ce, cs, csurf, jj = ([] for _ in range(9))
    loss_heat, loss_electric = 0.0, 0.0
    for n, (t0, sol, heat) in enumerate(pieces):
        keep = slice(0 if n == 0 else 1, None)       # a window starts where the last one ended
        T_cells = np.array([sol.temperature(t) for t in sol.t]).T
        c_surf = surface_concentration(cell, sol)
        j = sol.interfacial_current
        U = open_circuit_potentials(cell, c_surf, T_cells[cell.xe])
        # global Bernardi balance per m^2: int (ohmic + irreversible) dx = -I V - int a j U dx
        I_dens = sol.current / cell.area
        electric = -I_dens * sol.voltage - (cell.a_e * cell.dx[cell.xe]) @ (j * U)
        sources = cell.dx @ (heat["ohmic_solid"] + heat["ohmic_electrolyte"] + heat["irreversible"])
        loss_electric += cell.area * np.trapezoid(electric, sol.t)
        loss_heat += cell.area * np.trapezoid(sources, sol.t)
        ts.append(t0 + sol.t[keep])
        V.append(sol.voltage[keep])
        I.append(sol.current[keep])
        Tc.append(T_cells[:, keep])
        Pw.append(heat["total_power"][keep])
        ce.append(sol.electrolyte_concentration[:, keep])
        cs.append(sol.particle_concentration[:, :, keep])
        csurf.append(c_surf[:, keep])
        jj.append(j[:, keep])
    t = np.concatenate(ts)
    current = np.concatenate(I)
    capacity = np.concatenate(([0.0], np.cumsum(0.5 * (current[1:] + current[:-1]) * np.diff(t)))) / 3600.0
    energy = {"electrical_loss": float(loss_electric), "ohmic_irreversible": float(loss_heat),
              "heat_source_error": float(abs(loss_heat - loss_electric) / max(abs(loss_electric), 1e-300))}
    if thermal is not None:
        stored = thermal.energy(state_T) - stored0
        energy.update(generated=float(generated), stored=float(stored), removed=float(removed),
                      balance_error=float(abs(generated - stored - removed) / max(abs(generated), 1e-300)))
        states = np.array(thermal_states)
    else:
        states = np.zeros((1, 0))
    return ElectroThermalSolution(
        t=t, voltage=np.concatenate(V), current=current, discharge_capacity=capacity,
        cell_temperature=np.concatenate(Tc, axis=1), thermal_time=np.array(thermal_t), thermal_state=states,
        heat_power=np.concatenate(Pw), electrolyte_concentration=np.concatenate(ce, axis=1),
        particle_concentration=np.concatenate(cs, axis=2), surface_concentration=np.concatenate(csurf, axis=1),
        interfacial_current=np.concatenate(jj, axis=1), x=cell.x.copy(), dx=cell.dx.copy(), termination=termination,
        windows=len(pieces), energy=energy, max_window_temperature_change=float(worst_dT), counters=counters)
