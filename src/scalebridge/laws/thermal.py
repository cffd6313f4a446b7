r"""Heat in an electrochemical cell: the three heat sources, Arrhenius factors, energy balances.

Heat sources per unit electrode volume (W/m^3), as in Bernardi, Pawlikowski & Newman
(1985) and in the local form of Gu & Wang (2000):

* ohmic (Joule): :math:`q_\mathrm{ohm} = \sigma_\mathrm{eff}|\nabla\phi_s|^2
  + \kappa_\mathrm{eff}|\nabla\phi_e|^2 + \kappa_{D,\mathrm{eff}}\nabla\ln c_e\cdot\nabla\phi_e`
  (:func:`ohmic_heat`);
* irreversible (reaction): :math:`q_\mathrm{irr} = a\,j\,\eta` (:func:`irreversible_heat`);
* reversible (entropic): :math:`q_\mathrm{rev} = a\,j\,T\,\partial U/\partial T`
  (:func:`reversible_heat`).

Sign convention: :math:`j` is the interfacial current density (A/m^2, positive
anodic, i.e. out of the solid into the electrolyte), :math:`\eta = \phi_s - \phi_e - U`
the surface overpotential; Butler–Volmer gives :math:`j\eta \ge 0`, so
:math:`q_\mathrm{irr} \ge 0` always, while :math:`q_\mathrm{rev}` changes sign with
the current.

Energy balances (the two-way coupling interface):

* :class:`LumpedThermal`: :math:`m c_p\,\dot T = Q(t, T) - hA\,(T - T_\infty)`;
* :class:`ThroughThicknessThermal`: :math:`\rho c_p\,\partial_t T = \partial_x(\lambda\,\partial_x T)
  + q(x, t, T)` on a 1-D finite-volume mesh across the cell sandwich, Newton
  cooling :math:`\mp\lambda\,\partial_x T = h (T - T_\infty)` at both faces.

Both take heat sources as arrays or as callables ``heat(t, T)`` and return
temperatures; a cell model couples in two ways by evaluating its kinetics and
transport at the returned temperature through :func:`arrhenius_factor`
(``D(T) = D_ref * arrhenius_factor(E_a, T)``) and by handing back the heat it
releases: either a stepping loop (``T = thermal.step(T, q, dt)`` after each
electrochemical step, operator splitting) or one monolithic ODE right-hand side
that stacks ``thermal.rhs(T, q)`` with the electrochemical states.

References
----------
Bernardi, D., Pawlikowski, E. & Newman, J. (1985). J. Electrochem. Soc. 132, 5-12.
Gu, W. B. & Wang, C. Y. (2000). J. Electrochem. Soc. 147, 2910-2922.
Incropera, F. P. & DeWitt, D. P. Fundamentals of Heat and Mass Transfer, 6th ed.,
secs. 5.2 (lumped capacitance) and 3.5 (plane wall with generation).
Carslaw, H. S. & Jaeger, J. C. (1959). Conduction of Heat in Solids, 2nd ed., sec. 3.11.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from scipy.integrate import solve_ivp
from scipy.sparse import linalg as splinalg

from ..core.errors import ConvergenceError, InputError
from .arguments import positive, scalar_or_array, si_value, temperature

__all__ = ["GAS_CONSTANT", "ohmic_heat", "irreversible_heat", "reversible_heat", "arrhenius_factor",
           "LumpedThermal", "ThroughThicknessThermal", "ThermalHistory"]

#: Molar gas constant R in J/(mol K) (CODATA 2018, exact).
GAS_CONSTANT = 8.314462618


def ohmic_heat(grad_phi_s: Any, grad_phi_e: Any, sigma_eff: Any, kappa_eff: Any, kappa_d_eff: Any = 0.0,
               grad_ln_ce: Any = 0.0) -> Any:
    r"""Ohmic (Joule) heat per unit volume in a porous electrode.

    .. math:: q_\mathrm{ohm} = \sigma_\mathrm{eff}\,(\partial_x\phi_s)^2
              + \kappa_\mathrm{eff}\,(\partial_x\phi_e)^2
              + \kappa_{D,\mathrm{eff}}\,\partial_x\ln c_e\,\partial_x\phi_e

    (Gu & Wang 2000, eq. 34; Bernardi et al. 1985). In the DFN
    :math:`\kappa_{D,\mathrm{eff}} = \frac{2RT\kappa_\mathrm{eff}}{F}(t_+ - 1)(1 + \partial\ln f/\partial\ln c_e)`,
    so that the last two terms equal :math:`-i_e\,\partial_x\phi_e`. Arrays broadcast
    (one value per mesh point); pass ``sigma_eff=0`` in the separator.

    Parameters
    ----------
    grad_phi_s, grad_phi_e : float or array_like
        Potential gradients of solid and electrolyte in V/m.
    sigma_eff, kappa_eff : float or array_like
        Effective electronic and ionic conductivities in S/m (>= 0).
    kappa_d_eff : float or array_like
        Effective diffusional conductivity in A/m (any sign; 0 drops the term).
    grad_ln_ce : float or array_like
        Gradient of ln c_e in 1/m.

    Returns
    -------
    float or ndarray
        W/m^3.
    """
    gs = np.asarray(si_value(grad_phi_s, "V/m", "grad_phi_s"), float)
    ge = np.asarray(si_value(grad_phi_e, "V/m", "grad_phi_e"), float)
    s = np.asarray(positive(sigma_eff, "S/m", "sigma_eff", allow_zero=True, kind="conductivity"), float)
    k = np.asarray(positive(kappa_eff, "S/m", "kappa_eff", allow_zero=True, kind="conductivity"), float)
    kd = np.asarray(si_value(kappa_d_eff, "A/m", "kappa_d_eff"), float)
    gl = np.asarray(si_value(grad_ln_ce, "1/m", "grad_ln_ce"), float)
    return scalar_or_array(s * gs**2 + k * ge**2 + kd * gl * ge)


def irreversible_heat(specific_area: Any, current_density: Any, overpotential: Any) -> Any:
    r"""Irreversible (reaction) heat per unit volume, :math:`q_\mathrm{irr} = a\,j\,\eta`.

    Bernardi et al. (1985), eq. 1 (the polarisation term); Gu & Wang (2000), eq. 34.

    Parameters
    ----------
    specific_area : float or array_like
        Interfacial area per electrode volume a in 1/m (>= 0).
    current_density : float or array_like
        Interfacial (Faradaic) current density j in A/m^2.
    overpotential : float or array_like
        Surface overpotential :math:`\eta` in V.

    Returns
    -------
    float or ndarray
        W/m^3 (>= 0 for Butler–Volmer, where j and eta share their sign).
    """
    a = np.asarray(positive(specific_area, "1/m", "specific_area", allow_zero=True, kind="specific area"), float)
    j = np.asarray(si_value(current_density, "A/m^2", "current_density"), float)
    eta = np.asarray(si_value(overpotential, "V", "overpotential"), float)
    return scalar_or_array(a * j * eta)


def reversible_heat(specific_area: Any, current_density: Any, temperature_value: Any, entropic_coefficient: Any) -> Any:
    r"""Reversible (entropic) heat per unit volume, :math:`q_\mathrm{rev} = a\,j\,T\,\partial U/\partial T`.

    Bernardi et al. (1985), eq. 1 (the entropic term). With j > 0 anodic, a
    negative entropic coefficient releases heat on reduction (j < 0).

    Parameters
    ----------
    specific_area : float or array_like
        a in 1/m (>= 0).
    current_density : float or array_like
        j in A/m^2.
    temperature_value : float or array_like
        T in K.
    entropic_coefficient : float or array_like
        :math:`\partial U/\partial T` in V/K.

    Returns
    -------
    float or ndarray
        W/m^3.
    """
    a = np.asarray(positive(specific_area, "1/m", "specific_area", allow_zero=True, kind="specific area"), float)
    j = np.asarray(si_value(current_density, "A/m^2", "current_density"), float)
    T = np.asarray(temperature(temperature_value, "temperature_value"), float)
    dudt = np.asarray(si_value(entropic_coefficient, "V/K", "entropic_coefficient"), float)
    return scalar_or_array(a * j * T * dudt)


def arrhenius_factor(activation_energy: Any, temperature_value: Any, reference_temperature: Any = 298.15) -> Any:
    r"""Arrhenius factor of a transport or kinetic parameter relative to a reference temperature.

    .. math:: \frac{P(T)}{P(T_\mathrm{ref})} = \exp\!\left[\frac{E_a}{R}
              \left(\frac{1}{T_\mathrm{ref}} - \frac{1}{T}\right)\right]

    The two-way coupling of the electro-thermal model: ``D_s(T) = D_ref *
    arrhenius_factor(E_D, T)``, likewise the reaction rate constant, the electrolyte
    diffusivity and conductivity (Ecker et al. 2015, J. Electrochem. Soc. 162, A1836,
    eq. 11; Gu & Wang 2000, eq. 40).

    Parameters
    ----------
    activation_energy : float, array_like, str or pint.Quantity
        :math:`E_a` in J/mol (>= 0; ``"35 kJ/mol"`` accepted).
    temperature_value, reference_temperature : float or array_like
        T and :math:`T_\mathrm{ref}` in K.

    Returns
    -------
    float or ndarray
        Dimensionless factor (1 at T = T_ref).
    """
    Ea = np.asarray(positive(activation_energy, "J/mol", "activation_energy", allow_zero=True,
                             kind="activation energy"), float)
    T = np.asarray(temperature(temperature_value, "temperature_value"), float)
    Tr = np.asarray(temperature(reference_temperature, "reference_temperature"), float)
    return scalar_or_array(np.exp(Ea / GAS_CONSTANT * (1.0 / Tr - 1.0 / T)))


def _positive_float(value, name, unit):
    v = float(np.asarray(positive(value, unit, name, kind=name.replace("_", " ")), float))
    return v


class ThermalHistory(dict):
    """Result of ``solve``: ``t`` (s), ``T`` (K, shape (n_t,) or (n_t, N)), ``heat`` and ``success``."""

    __getattr__ = dict.__getitem__


def _heat_callable(heat, shape, what, unit):
    """Wrap a constant array or a callable heat(t, T) into a callable with checked output."""
    if callable(heat):
        def q(t, T):
            out = np.broadcast_to(np.asarray(heat(t, T), float), shape)
            if not np.all(np.isfinite(out)):
                raise ConvergenceError(f"{what}: heat source returned non-finite values at t = {t:g} s")
            return out
        return q
    const = np.broadcast_to(np.asarray(si_value(heat, unit, "heat"), float), shape)
    return lambda t, T: const


class LumpedThermal:
    r"""Lumped (uniform-temperature) energy balance of a cell with Newton cooling.

    .. math:: m c_p \frac{dT}{dt} = Q(t, T) - hA\,(T - T_\infty)

    For constant Q: :math:`T(t) = T_\infty + \frac{Q}{hA} + \left(T_0 - T_\infty - \frac{Q}{hA}\right)
    e^{-t/t_c}`, :math:`t_c = m c_p / hA` (Incropera & DeWitt, sec. 5.2). Valid for a
    Biot number :math:`hL/\lambda \ll 1`; :class:`ThroughThicknessThermal` resolves
    the gradient otherwise.

    Coupling interface: ``rhs(T, Q)`` (K/s) for a monolithic ODE; ``step(T, Q, dt)``
    (exact for Q frozen over the step) for operator splitting; ``solve(t_eval, T0,
    heat)`` with ``heat(t, T) -> Q`` in W for a standalone run.

    Parameters
    ----------
    heat_capacity : float, str or pint.Quantity
        :math:`m c_p` in J/K (> 0).
    heat_transfer : float, str or pint.Quantity
        :math:`hA` in W/K (> 0).
    ambient_temperature : float, str or pint.Quantity
        :math:`T_\infty` in K.
    """

    def __init__(self, heat_capacity: Any, heat_transfer: Any, ambient_temperature: Any):
        self.heat_capacity = _positive_float(heat_capacity, "heat_capacity", "J/K")
        self.heat_transfer = _positive_float(heat_transfer, "heat_transfer", "W/K")
        self.ambient_temperature = float(temperature(ambient_temperature, "ambient_temperature"))

    @property
    def time_constant(self) -> float:
        """:math:`t_c = m c_p / hA` in s."""
        return self.heat_capacity / self.heat_transfer

    def rhs(self, T, Q):
        """dT/dt in K/s for temperature(s) T (K) and total heat Q (W); arrays broadcast."""
        return (np.asarray(Q, float) - self.heat_transfer * (np.asarray(T, float) - self.ambient_temperature)) \
            / self.heat_capacity

    def steady_state(self, Q):
        r""":math:`T_\infty + Q/hA` in K."""
        return self.ambient_temperature + np.asarray(Q, float) / self.heat_transfer

    def step(self, T, Q, dt: float):
        """Temperature after ``dt`` s with the heat Q (W) frozen over the step (exact exponential)."""
        if not (np.isfinite(dt) and dt >= 0):
            raise InputError(f"dt: got {dt!r}, expected a finite time step >= 0 s")
        T_inf = self.steady_state(Q)
        return T_inf + (np.asarray(T, float) - T_inf) * np.exp(-dt / self.time_constant)

    def solve(self, t_eval, T0: Any, heat, rtol: float = 1e-8) -> ThermalHistory:
        """Integrate from ``t_eval[0]`` with Q given as a number (W) or a callable ``heat(t, T)``.

        Uses :func:`scipy.integrate.solve_ivp` (LSODA). Raises ConvergenceError on failure.
        """
        t = np.asarray(t_eval, float)
        if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0):
            raise InputError(f"t_eval: got shape {t.shape}, expected >= 2 increasing times in s")
        q = _heat_callable(heat, (), "LumpedThermal.solve", "W")
        sol = solve_ivp(lambda s, y: self.rhs(y, q(s, y[0])), (t[0], t[-1]), [float(temperature(T0, "T0"))],
                        t_eval=t, method="LSODA", rtol=rtol, atol=1e-10)
        if not sol.success or not np.all(np.isfinite(sol.y)):
            raise ConvergenceError(f"LumpedThermal.solve: {sol.message}")
        T = sol.y[0]
        return ThermalHistory(t=t, T=T, heat=np.array([q(s, x) for s, x in zip(t, T)]), success=True)


class ThroughThicknessThermal:
    r"""Through-thickness (x-resolved) energy balance of a cell sandwich by 1-D finite volumes.

    .. math:: \rho c_p\,\partial_t T = \partial_x(\lambda\,\partial_x T) + q(x, t),\qquad
              \lambda\partial_x T\big|_{0} = h_0 (T - T_\infty),\quad
              -\lambda\partial_x T\big|_{L} = h_L (T - T_\infty)

    Cell-centred finite volumes on the given faces (one material per cell: current
    collectors, electrodes, separator), harmonic face conductivities, the Robin
    conditions through the half-cell resistance in series with 1/h. Semi-discrete
    form :math:`C\,\dot T = -A T + b + q`, with :math:`C` the diagonal heat capacity
    per unit area and :math:`A` a symmetric tridiagonal M-matrix. Time steps are
    backward Euler (``step``, unconditionally stable; one sparse solve).

    For uniform :math:`\lambda, q` and :math:`h_0 = h_L = h` the steady state is
    :math:`T = T_\infty + qL/(2h) + q\,x(L - x)/(2\lambda)` (Incropera & DeWitt
    sec. 3.5); as :math:`\mathrm{Bi} = hL/2\lambda \to 0` the mean temperature follows
    :class:`LumpedThermal` with :math:`m c_p = \rho c_p L`, :math:`hA = 2h` per unit area.

    Parameters
    ----------
    faces : array_like, shape (N + 1,)
        Increasing face positions in m (x = 0 .. L).
    conductivity : float or array_like, shape (N,)
        :math:`\lambda` per cell in W/(m K) (> 0).
    volumetric_heat_capacity : float or array_like, shape (N,)
        :math:`\rho c_p` per cell in J/(m^3 K) (> 0).
    heat_transfer : float or (float, float)
        Newton coefficients :math:`h_0, h_L` in W/(m^2 K) (>= 0; 0 is adiabatic).
    ambient_temperature : float
        :math:`T_\infty` in K.
    """

    def __init__(self, faces, conductivity: Any, volumetric_heat_capacity: Any, heat_transfer: Any,
                 ambient_temperature: Any):
        x = np.asarray(si_value(faces, "m", "faces"), float)
        if x.ndim != 1 or x.size < 3 or np.any(np.diff(x) <= 0):
            raise InputError(f"faces: got shape {x.shape}, expected >= 3 strictly increasing positions in m")
        n = x.size - 1
        lam = np.broadcast_to(np.asarray(positive(conductivity, "W/(m*K)", "conductivity", kind="conductivity"),
                                         float), (n,)).copy()
        rc = np.broadcast_to(np.asarray(positive(volumetric_heat_capacity, "J/(m^3*K)", "volumetric_heat_capacity",
                                                 kind="heat capacity"), float), (n,)).copy()
        h = np.broadcast_to(np.asarray(positive(heat_transfer, "W/(m^2*K)", "heat_transfer", allow_zero=True,
                                                kind="heat transfer coefficient"), float), (2,))
        self.faces, self.conductivity, self.volumetric_heat_capacity = x, lam, rc
        self.heat_transfer = h.copy()
        self.ambient_temperature = float(temperature(ambient_temperature, "ambient_temperature"))
        dx = np.diff(x)
        self.centres, self.widths = 0.5 * (x[:-1] + x[1:]), dx
        conductance = 1.0 / (0.5 * dx[:-1] / lam[:-1] + 0.5 * dx[1:] / lam[1:])   # W/(m^2 K), interior faces
        # boundary conductances: half cell in series with 1/h (0 if h = 0)
        g = [h[0] / (1.0 + h[0] * 0.5 * dx[0] / lam[0]), h[1] / (1.0 + h[1] * 0.5 * dx[-1] / lam[-1])]
        diag = np.zeros(n)
        diag[:-1] += conductance
        diag[1:] += conductance
        diag[0] += g[0]
        diag[-1] += g[1]
        self._A = sparse.diags([-conductance, diag, -conductance], [-1, 0, 1], format="csc")
        self._b = np.zeros(n)
        self._b[0], self._b[-1] = g[0] * self.ambient_temperature, g[1] * self.ambient_temperature
        self._C = rc * dx
        self._boundary_conductance = np.array(g)
        self._factor_cache: dict[float, Any] = {}

    @property
    def n_cells(self) -> int:
        return self.centres.size

    def rhs(self, T, q):
        r"""dT/dt in K/s per cell for temperatures T (K, shape (N,)) and heat sources q (W/m^3, (N,))."""
        T = np.asarray(T, float)
        return (-(self._A @ T) + self._b + np.asarray(q, float) * self.widths) / self._C

    def jacobian(self):
        """d(rhs)/dT as a sparse (N, N) matrix in 1/s (heat sources independent of T)."""
        return sparse.diags(1.0 / self._C) @ (-self._A)

    def heat_loss(self, T) -> float:
        """Heat leaving through both faces in W/m^2 (positive when the cell is above ambient)."""
        T = np.asarray(T, float)
        return float(self._boundary_conductance @ (T[[0, -1]] - self.ambient_temperature))

    def mean_temperature(self, T) -> float:
        """Heat-capacity-weighted mean temperature in K."""
        return float(np.asarray(T, float) @ self._C / self._C.sum())

    def steady_state(self, q):
        """Steady temperatures (K) for time-independent heat sources q (W/m^3, scalar or (N,))."""
        if np.all(self.heat_transfer == 0):
            raise InputError("heat_transfer: both faces adiabatic; no steady state with a heat source")
        rhs = self._b + np.broadcast_to(np.asarray(q, float), self.widths.shape) * self.widths
        return splinalg.spsolve(self._A, rhs)

    def step(self, T, q, dt: float):
        """One backward-Euler step of ``dt`` s with heat sources q (W/m^3) at the new time level."""
        if not (np.isfinite(dt) and dt > 0):
            raise InputError(f"dt: got {dt!r}, expected a finite time step > 0 s")
        solve = self._factor_cache.get(dt)
        if solve is None:
            solve = splinalg.factorized((sparse.diags(self._C / dt) + self._A).tocsc())
            self._factor_cache = {dt: solve}
        qv = np.broadcast_to(np.asarray(q, float), self.widths.shape)
        T_new = solve(self._C / dt * np.asarray(T, float) + self._b + qv * self.widths)
        if not np.all(np.isfinite(T_new)):
            raise ConvergenceError(f"ThroughThicknessThermal.step: non-finite temperature after dt = {dt} s")
        return T_new

    def solve(self, t_eval, T0: Any, heat, rtol: float = 1e-8) -> ThermalHistory:
        """Integrate with heat sources q (W/m^3) given as an array or a callable ``heat(t, T) -> q``.

        Uses :func:`scipy.integrate.solve_ivp` (BDF with the sparse Jacobian); T0 is a
        temperature or an array per cell.
        """
        t = np.asarray(t_eval, float)
        if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0):
            raise InputError(f"t_eval: got shape {t.shape}, expected >= 2 increasing times in s")
        y0 = np.broadcast_to(np.asarray(temperature(T0, "T0"), float), (self.n_cells,)).copy()
        q = _heat_callable(heat, (self.n_cells,), "ThroughThicknessThermal.solve", "W/m^3")
        sol = solve_ivp(lambda s, y: self.rhs(y, q(s, y)), (t[0], t[-1]), y0, t_eval=t, method="BDF",
                        jac=self.jacobian(), rtol=rtol, atol=1e-8)
        if not sol.success or not np.all(np.isfinite(sol.y)):
            raise ConvergenceError(f"ThroughThicknessThermal.solve: {sol.message}")
        T = sol.y.T
        return ThermalHistory(t=t, T=T, heat=np.array([q(s, x) for s, x in zip(t, T)]), success=True)
