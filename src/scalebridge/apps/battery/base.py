"""What the cell models share: mesh, parameter access, the solve loop over a profile, results.

A model subclass (:class:`~.dfn.DFN`, :class:`~.spme.SPMe`, :class:`~.spm.SPM`) lays out
its state vector ``y``, and provides ``residual(t, y)`` and ``jacobian(t, y)`` of the
semi-explicit DAE ``M y' = f(t, y)``, its terminal voltage and current, and an initial
guess; :meth:`CellModel.solve` integrates it over the segments of a profile with
:func:`~scalebridge.solvers.dae.solve_dae`, starting every segment from a consistent state.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ...core.errors import ConvergenceError, InputError
from ...laws.electrochemistry import FARADAY, GAS_CONSTANT
from . import profiles as _profiles
from ...solvers.dae import Event, consistent_algebraic, solve_dae
from .parameters import parameter_set

__all__ = ["Mesh", "CellModel", "CellSolution"]


@dataclass(frozen=True)
class Mesh:
    """Finite-volume mesh: uniform cells in each region of the cell and in each particle.

    PyBaMM's default is 20/20/20 x-cells and 20 r-cells per particle (962 DFN states).
    """

    negative: int = 20
    separator: int = 20
    positive: int = 20
    particle: int = 20

    def __post_init__(self):
        for name in ("negative", "separator", "positive", "particle"):
            v = getattr(self, name)
            if not isinstance(v, (int, np.integer)) or v < 2:
                raise InputError(f"Mesh.{name}: got {v!r}, expected an integer number of cells >= 2")


def _number(p, key, *, minimum=None, inclusive=True):
    try:
        v = p[key]
    except KeyError:
        raise InputError(f"parameters: missing key {key!r}") from None
    if callable(v) or not np.isfinite(np.asarray(v, dtype=float)).all():
        raise InputError(f"parameters[{key!r}]: got {v!r}, expected a finite number")
    v = float(v)
    if minimum is not None and (v < minimum or (not inclusive and v == minimum)):
        raise InputError(f"parameters[{key!r}]: got {v!r}, expected a number {'>=' if inclusive else '>'} {minimum}")
    return v


def _function(p, key):
    try:
        v = p[key]
    except KeyError:
        raise InputError(f"parameters: missing key {key!r}") from None
    if callable(v):
        return v
    value = float(v)
    return lambda *args: value + 0.0 * args[0]


@dataclass
class CellSolution:
    """Result of a cell simulation (SI units, cell current positive on discharge).

    Attributes
    ----------
    t : numpy.ndarray, shape (P,)
        Times in s.
    voltage : numpy.ndarray, shape (P,)
        Terminal voltage in V.
    current : numpy.ndarray, shape (P,)
        Cell current in A.
    states : numpy.ndarray, shape (n, P)
        The model's state vectors (see the model's ``layout``).
    termination : str
        Why the run stopped: ``"end of profile"``, or the limit that ended the last step
        (``"lower voltage cut-off 2.5 V"``, ``"upper voltage cut-off 4.2 V"``,
        ``"current limit 0.05 A"``).
    step_reasons : list of str
        Why each segment ended.
    counters : dict
        ``steps``, ``rejected``, ``residuals``, ``jacobians``, ``factorisations``.
    timings : dict
        Wall times in s: ``setup`` (model construction), ``solve``.
    temperature : callable
        ``temperature(t) -> array (N_x,)`` in K, as used.
    """

    model: Any
    t: np.ndarray
    voltage: np.ndarray
    current: np.ndarray
    states: np.ndarray
    termination: str
    step_reasons: list
    counters: dict
    timings: dict
    temperature: Callable = field(repr=False, default=None)

    @property
    def final_state(self) -> np.ndarray:
        """The last state vector; pass it as ``initial_state`` to continue the run."""
        return self.states[:, -1].copy()

    @property
    def discharge_capacity(self) -> np.ndarray:
        """Charge passed since the start, in A h (trapezoidal rule on the outputs)."""
        q = np.concatenate(([0.0], np.cumsum(0.5 * (self.current[1:] + self.current[:-1]) * np.diff(self.t))))
        return q / 3600.0

    def __getattr__(self, name):
        # model-specific fields (e.g. electrolyte_concentration) are computed by the model
        if name.startswith("_") or name in ("model",):
            raise AttributeError(name)
        getter = getattr(type(self.model), "solution_" + name, None)
        if getter is None:
            raise AttributeError(f"{type(self.model).__name__} solution has no field {name!r}")
        return getter(self.model, self)


class CellModel:
    """Base class of the cell models; see :class:`~.dfn.DFN` for the public API."""

    name = "cell"
    #: ``linear_solver(J, c)`` for :func:`~scalebridge.solvers.dae.solve_dae` (None: SuperLU on ``M - c J``)
    linear_solver = None

    def __init__(self, parameters: dict | str = "Chen2020", mesh: Mesh | None = None):
        t0 = time.perf_counter()
        if isinstance(parameters, str):
            parameters = parameter_set(parameters)
        if not hasattr(parameters, "__getitem__"):
            raise InputError(f"parameters: got {type(parameters).__name__}, expected a dict of parameter "
                             "values or the name of a shipped set such as 'Chen2020'")
        self.parameters = dict(parameters)
        self.mesh = Mesh() if mesh is None else mesh
        if not isinstance(self.mesh, Mesh):
            raise InputError(f"mesh: got {type(mesh).__name__}, expected a battery.Mesh")
        self._read_common()
        self._setup()
        self.setup_time = time.perf_counter() - t0

    # ------------------------------------------------------------------ parameters
    def _read_common(self):
        p = self.parameters
        self.area = _number(p, "Electrode height [m]", minimum=0, inclusive=False) * \
            _number(p, "Electrode width [m]", minimum=0, inclusive=False)
        self.capacity = _number(p, "Nominal cell capacity [A.h]", minimum=0, inclusive=False)
        self.cutoffs = (_number(p, "Lower voltage cut-off [V]"), _number(p, "Upper voltage cut-off [V]"))
        self.T_ref = _number(p, "Reference temperature [K]", minimum=0, inclusive=False)
        self.T_amb = _number(p, "Ambient temperature [K]", minimum=0, inclusive=False)
        self.L = {}
        self.electrode = {}
        for dom, name in (("n", "Negative"), ("p", "Positive")):
            e = {}
            e["L"] = _number(p, f"{name} electrode thickness [m]", minimum=0, inclusive=False)
            e["eps"] = _number(p, f"{name} electrode porosity", minimum=0, inclusive=False)
            e["eps_s"] = _number(p, f"{name} electrode active material volume fraction", minimum=0, inclusive=False)
            e["b_e"] = _number(p, f"{name} electrode Bruggeman coefficient (electrolyte)", minimum=0)
            e["b_s"] = _number(p, f"{name} electrode Bruggeman coefficient (electrode)", minimum=0)
            e["sigma"] = _number(p, f"{name} electrode conductivity [S.m-1]", minimum=0, inclusive=False) * \
                e["eps_s"] ** e["b_s"]
            e["R"] = _number(p, f"{name} particle radius [m]", minimum=0, inclusive=False)
            e["D_s"] = _number(p, f"{name} particle diffusivity [m2.s-1]", minimum=0, inclusive=False)
            e["E_D"] = float(p.get(f"{name} particle diffusivity activation energy [J.mol-1]", 0.0))
            e["c_max"] = _number(p, f"Maximum concentration in {name.lower()} electrode [mol.m-3]",
                                 minimum=0, inclusive=False)
            e["c0"] = _number(p, f"Initial concentration in {name.lower()} electrode [mol.m-3]", minimum=0)
            if not 0 < e["c0"] < e["c_max"]:
                raise InputError(f"parameters[{'Initial concentration in ' + name.lower() + ' electrode [mol.m-3]'!r}]: "
                                 f"got {e['c0']!r}, expected a value in (0, {e['c_max']:g})")
            e["U"] = _function(p, f"{name} electrode OCP [V]")
            e["dUdT"] = _function(p, f"{name} electrode OCP entropic change [V.K-1]")
            e["j0"] = _function(p, f"{name} electrode exchange-current density [A.m-2]")
            e["alpha"] = _number(p, f"{name} electrode charge transfer coefficient", minimum=0, inclusive=False)
            e["a"] = 3.0 * e["eps_s"] / e["R"]
            self.electrode[dom] = e
            self.L[dom] = e["L"]
        self.L["s"] = _number(p, "Separator thickness [m]", minimum=0, inclusive=False)
        self.sep = {"eps": _number(p, "Separator porosity", minimum=0, inclusive=False),
                    "b_e": _number(p, "Separator Bruggeman coefficient (electrolyte)", minimum=0)}
        self.c_e0 = _number(p, "Initial concentration in electrolyte [mol.m-3]", minimum=0, inclusive=False)
        self.t_plus = _number(p, "Cation transference number")
        self.tdf = _number(p, "Thermodynamic factor", minimum=0, inclusive=False)
        self.kappa = _function(p, "Electrolyte conductivity [S.m-1]")
        self.D_e = _function(p, "Electrolyte diffusivity [m2.s-1]")
        self.E_kappa = float(p.get("Electrolyte conductivity activation energy [J.mol-1]", 0.0))
        self.E_De = float(p.get("Electrolyte diffusivity activation energy [J.mol-1]", 0.0))

    def arrhenius(self, activation_energy, T):
        """exp(E/R (1/T_ref - 1/T)) (the Arrhenius factor applied to transport parameters)."""
        return np.exp(activation_energy / GAS_CONSTANT * (1.0 / self.T_ref - 1.0 / T))

    # ------------------------------------------------------------------ solve
    def _temperature_function(self, temperature):
        nx = self.n_x
        if temperature is None:
            temperature = self.T_amb
        if callable(temperature):
            def T_of_t(t):
                T = np.broadcast_to(np.asarray(temperature(t), dtype=float), (nx,))
                if not np.all(np.isfinite(T) & (T > 0)):
                    raise InputError(f"temperature({t:g}): got {T}, expected absolute temperatures > 0 K")
                return T
            return T_of_t, False
        T = np.asarray(temperature, dtype=float)
        if T.ndim > 1 or (T.ndim == 1 and T.size != nx) or not np.all(np.isfinite(T) & (T > 0)):
            raise InputError(f"temperature: got {temperature!r}, expected a temperature > 0 K, an array of "
                             f"{nx} cell temperatures (x-resolved) or a callable t -> temperature")
        T = np.broadcast_to(T, (nx,)).copy()
        return (lambda t: T), True

    def solve(self, profile, t_eval=None, *, temperature=None, initial_state=None,
              rtol: float = 1e-6, atol: float = 1e-6, max_step: float = np.inf):
        """Simulate the cell over a profile.

        Parameters
        ----------
        profile : ConstantCurrent, ConstantVoltage, Rest, DriveCycle or Protocol
            See :mod:`~scalebridge.apps.battery.profiles`.
        t_eval : array_like, optional
            Output times in s from the start (default: every integrator step). The
            times at which steps end (events) are always included.
        temperature : float, array_like (N_x,) or callable, optional
            Cell temperature in K: uniform, per x-cell (an x-resolved thermal model),
            or ``temperature(t) -> float or array (N_x,)`` (a prescribed or coupled
            history). Default: the ambient temperature of the parameter set. Kinetic
            and transport parameters follow it through their Arrhenius factors.
        initial_state : numpy.ndarray, optional
            A state vector of this model (e.g. ``solution.final_state``) to start from;
            default: the initial concentrations of the parameter set at rest.
        rtol, atol : float
            Integrator tolerances; ``atol`` is relative to the scale of each variable
            (``c_max``, ``c_e0``, 1 V, the 1C current density).
        max_step : float
            Largest step in s.

        Returns
        -------
        CellSolution

        Raises
        ------
        InputError
            For a bad profile, temperature or initial state.
        ConvergenceError
            If the integrator fails (Newton divergence, step underflow, non-finite values).
        """
        t_start = time.perf_counter()
        segs = _profiles.segments(profile, self.capacity, self.cutoffs)
        T_of_t, constant_T = self._temperature_function(temperature)
        self._T_of_t = T_of_t
        if initial_state is None:
            y = self.initial_guess(T_of_t(0.0))
        else:
            y = np.array(initial_state, dtype=float)
            if y.shape != (self.n_states,) or not np.all(np.isfinite(y)):
                raise InputError(f"initial_state: got shape {y.shape}, expected a finite state vector of "
                                 f"{self.name} with {self.n_states} entries")
        if not (np.isfinite(rtol) and 0 < rtol < 1 and np.isfinite(atol) and atol > 0):
            raise InputError(f"rtol, atol: got {rtol!r}, {atol!r}, expected 0 < rtol < 1 and atol > 0")
        t_eval = None if t_eval is None else np.asarray(t_eval, dtype=float)
        scale = self.variable_scale
        t0 = 0.0
        out_t, out_y, reasons = [], [], []
        counters = dict(steps=0, rejected=0, residuals=0, jacobians=0, factorisations=0)
        for seg in segs:
            self._segment = seg
            self._t_seg0 = t0
            with np.errstate(all="ignore"):
                y, nres, njac = consistent_algebraic(self.residual, self.jacobian, ~self.differential, t0, y, scale)
            counters["residuals"] += nres
            counters["jacobians"] += njac
            events = []
            lo, hi = seg.voltage_limits
            if lo is not None:
                events.append(Event(lambda t, y, v=lo: self.terminal_voltage(y, t) - v,
                                    f"lower voltage cut-off {lo:g} V", direction=-1))
            if hi is not None:
                events.append(Event(lambda t, y, v=hi: self.terminal_voltage(y, t) - v,
                                    f"upper voltage cut-off {hi:g} V", direction=1))
            if seg.current_limit is not None:
                events.append(Event(lambda t, y, c=seg.current_limit: abs(self.cell_current(y)) - c,
                                    f"current limit {seg.current_limit:g} A", direction=-1))
            t1 = t0 + seg.duration
            te = None
            if t_eval is not None:
                te = t_eval[(t_eval >= t0) & (t_eval <= t1)]
                if out_t and te.size and te[0] <= out_t[-1][-1]:
                    te = te[te > out_t[-1][-1]]
            with np.errstate(all="ignore"):  # trial states outside the domain are rejected, not warned about
                res = solve_dae(self.residual, self.jacobian, self.differential, t0, y, t1, te,
                                rtol=rtol, atol=atol * scale, events=events,
                                tstops=[t0 + s for s in seg.tstops], max_step=max_step,
                                error_test=self.differential if seg.tstops else None,
                                linear_solver=self.linear_solver)
            for key in ("steps", "rejected", "residuals", "jacobians", "factorisations"):
                counters[key] += getattr(res, "n_" + key)
            if res.t.size:
                out_t.append(res.t)
                out_y.append(res.y)
            reasons.append(res.status if res.status != "end" else "end of step")
            y = res.y_final
            t0 = res.t_final
            if not np.all(np.isfinite(y)):
                raise ConvergenceError(f"{self.name}: non-finite state at t = {t0:g} s")
        t_all = np.concatenate(out_t)
        y_all = np.concatenate(out_y, axis=1)
        if t_all[-1] < t0:
            t_all = np.append(t_all, t0)
            y_all = np.column_stack([y_all, y])
        last = reasons[-1]
        termination = "end of profile" if last == "end of step" else last
        self._segment = None
        volt = np.array([self.terminal_voltage(y_all[:, k], t_all[k]) for k in range(t_all.size)])
        curr = self.current_density(y_all) * self.area
        return CellSolution(self, t_all, volt, curr, y_all, termination, reasons, counters,
                            {"setup": self.setup_time, "solve": time.perf_counter() - t_start},
                            temperature=T_of_t)

    # applied current density or voltage of the current segment
    def applied(self, t):
        seg = self._segment
        return seg.mode, seg.value(t - self._t_seg0)

    def cell_current(self, y):
        """Cell current in A (positive on discharge)."""
        return float(self.current_density(y)) * self.area

    @staticmethod
    def thermal_voltage(T):
        return GAS_CONSTANT * T / FARADAY
