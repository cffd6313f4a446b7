r"""Electrochemical bridging laws: interfacial kinetics, open-circuit potentials,
concentrated-solution transport and the Arrhenius temperature dependence of parameters.

These are the closures a porous-electrode (Doyle–Fuller–Newman) model needs. Every
public function accepts pint quantities, strings such as ``"25 degC"`` or plain SI
numbers, checks them (an :class:`~scalebridge.core.errors.InputError` names the argument,
the value and the expectation), works in plain SI NumPy inside and broadcasts.
Sign convention: the interfacial current density ``j`` is positive for an anodic
(oxidation, de-intercalation) reaction; the overpotential is
``eta = phi_s - phi_e - U``.

Laws
----
* Butler–Volmer kinetics and its inverse:
  ``j = j0 [exp(alpha_a F eta/(R T)) - exp(-alpha_c F eta/(R T))]``;
* exchange-current density of an intercalation reaction:
  ``j0 = m c_e^{1/2} c_s^{1/2} (c_max - c_s)^{1/2}`` [Doyle1993]_, [Chen2020]_;
* the concentrated-solution (Newman) electrolyte current and salt flux:
  ``i_e = -kappa (d phi_e/dx - 2 (1 - t+) (1 + dln f/dln c) (R T/F) d ln c/dx)``,
  ``N = -D dc/dx + t+ i_e / F`` [Newman2004]_, [Doyle1993]_;
* Bruggeman's effective-medium correction ``B = eps^b`` [Bruggeman1935]_;
* Arrhenius factors ``exp(E_a/R (1/T_ref - 1/T))`` for kinetic and transport parameters;
* the three heat sources of a cell (ohmic, irreversible reaction, reversible entropic)
  [Bernardi1985]_;
* tabulated open-circuit potentials as smooth callables with a derivative, and
  :func:`value_and_derivative`, the complex-step derivative the cell models use for
  parameter functions given as plain Python functions.

References
----------
.. [Doyle1993] M. Doyle, T. F. Fuller, J. Newman, "Modeling of galvanostatic charge and
   discharge of the lithium/polymer/insertion cell", J. Electrochem. Soc. 140, 1526 (1993).
.. [Newman2004] J. Newman, K. E. Thomas-Alyea, "Electrochemical Systems", 3rd ed.,
   Wiley (2004), ch. 8 (Butler–Volmer), ch. 12 (concentrated solutions), ch. 22.
.. [Bruggeman1935] D. A. G. Bruggeman, Ann. Phys. 416, 636 (1935).
.. [Bernardi1985] D. Bernardi, E. Pawlikowski, J. Newman, "A general energy balance for
   battery systems", J. Electrochem. Soc. 132, 5 (1985).
.. [Chen2020] C.-H. Chen, F. Brosa Planella, K. O'Regan, D. Gastol, W. D. Widanage,
   E. Kendrick, J. Electrochem. Soc. 167, 080534 (2020).
.. [Squire1998] W. Squire, G. Trapp, "Using complex variables to estimate derivatives of
   real functions", SIAM Rev. 40, 110 (1998).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from scipy.constants import R as GAS_CONSTANT, physical_constants

from ..core.errors import InputError
from . import arguments
from .arguments import scalar_or_array

__all__ = ["FARADAY", "GAS_CONSTANT", "thermal_voltage", "butler_volmer",
           "butler_volmer_overpotential", "exchange_current_density", "arrhenius_factor",
           "bruggeman", "electrolyte_current_density", "electrolyte_salt_flux",
           "ohmic_heat", "irreversible_heat", "reversible_heat", "TabulatedOCP",
           "value_and_derivative"]

#: Faraday constant in C/mol.
FARADAY = physical_constants["Faraday constant"][0]

_COMPLEX_STEP = 1e-30


def thermal_voltage(temperature: Any) -> Any:
    """R T / F in V for an absolute temperature T in K."""
    return scalar_or_array(GAS_CONSTANT * np.asarray(arguments.temperature(temperature)) / FARADAY)


def _coefficient(value, what):
    return arguments.si_value(value, "", what, "a transfer coefficient in (0, 1]",
                              lambda a: (a <= 0) | (a > 1))


def butler_volmer(exchange_current_density: Any, overpotential: Any, temperature: Any,
                  anodic_transfer_coefficient: Any = 0.5,
                  cathodic_transfer_coefficient: Any | None = None) -> Any:
    r"""Butler–Volmer interfacial current density in A/m^2.

    .. math:: j = j_0 \left[\exp\left(\frac{\alpha_a F \eta}{R T}\right)
              - \exp\left(-\frac{\alpha_c F \eta}{R T}\right)\right]

    Parameters
    ----------
    exchange_current_density : float, array_like or pint.Quantity
        ``j0`` in A/m^2 (>= 0).
    overpotential : float, array_like or pint.Quantity
        ``eta = phi_s - phi_e - U`` in V.
    temperature : float, array_like or pint.Quantity
        T in K (> 0).
    anodic_transfer_coefficient, cathodic_transfer_coefficient : float
        ``alpha_a`` and ``alpha_c`` in (0, 1]; ``alpha_c`` defaults to ``1 - alpha_a``.

    References
    ----------
    [Newman2004]_ eq. 8.5; [Doyle1993]_ eq. 9.
    """
    j0 = arguments.positive(exchange_current_density, "A/m^2", "exchange_current_density",
                            allow_zero=True, kind="exchange-current density")
    eta = arguments.si_value(overpotential, "V", "overpotential", "a finite overpotential in V")
    f = FARADAY / (GAS_CONSTANT * np.asarray(arguments.temperature(temperature)))
    aa = _coefficient(anodic_transfer_coefficient, "anodic_transfer_coefficient")
    ac = 1.0 - aa if cathodic_transfer_coefficient is None else _coefficient(
        cathodic_transfer_coefficient, "cathodic_transfer_coefficient")
    eta = np.asarray(eta, dtype=float)
    return scalar_or_array(np.asarray(j0) * (np.exp(aa * f * eta) - np.exp(-ac * f * eta)))


def butler_volmer_overpotential(current_density: Any, exchange_current_density: Any,
                                temperature: Any, transfer_coefficient: Any = 0.5) -> Any:
    r"""Overpotential in V of the symmetric Butler–Volmer law, solved for ``eta``.

    For ``alpha_a = alpha_c = alpha``:
    :math:`\eta = \frac{R T}{\alpha F}\,\operatorname{asinh}\frac{j}{2 j_0}`
    (the reaction overpotential of the single-particle models).

    Parameters
    ----------
    current_density : float, array_like or pint.Quantity
        ``j`` in A/m^2.
    exchange_current_density : float, array_like or pint.Quantity
        ``j0`` in A/m^2 (> 0).
    temperature : float, array_like or pint.Quantity
        T in K.
    transfer_coefficient : float
        ``alpha`` in (0, 1].
    """
    j = arguments.si_value(current_density, "A/m^2", "current_density", "a finite current density")
    j0 = arguments.positive(exchange_current_density, "A/m^2", "exchange_current_density",
                            kind="exchange-current density")
    alpha = _coefficient(transfer_coefficient, "transfer_coefficient")
    vt = GAS_CONSTANT * np.asarray(arguments.temperature(temperature)) / FARADAY
    return scalar_or_array(vt / alpha * np.arcsinh(np.asarray(j) / (2.0 * np.asarray(j0))))


def exchange_current_density(rate_constant: Any, electrolyte_concentration: Any,
                             surface_concentration: Any, maximum_concentration: Any) -> Any:
    r"""Exchange-current density of an intercalation reaction in A/m^2.

    .. math:: j_0 = m\, c_e^{1/2}\, c_s^{1/2}\, (c_{s,\max} - c_s)^{1/2}

    Parameters
    ----------
    rate_constant : float or pint.Quantity
        ``m`` in A m^-2 (m^3/mol)^1.5 (> 0), e.g. 6.48e-7 for the LG M50 graphite
        [Chen2020]_ (it may already include an Arrhenius factor).
    electrolyte_concentration : float, array_like or pint.Quantity
        ``c_e`` in mol/m^3 (>= 0).
    surface_concentration : float, array_like or pint.Quantity
        ``c_s`` at the particle surface in mol/m^3, in ``[0, c_max]``.
    maximum_concentration : float or pint.Quantity
        ``c_max`` in mol/m^3 (> 0).

    References
    ----------
    [Doyle1993]_ eq. 9 (with alpha_a = alpha_c = 1/2); [Chen2020]_ eq. 9.
    """
    m = arguments.positive(rate_constant, "A*m^2.5/mol^1.5", "rate_constant", kind="rate constant")
    ce = arguments.positive(electrolyte_concentration, "mol/m^3", "electrolyte_concentration",
                            allow_zero=True, kind="concentration")
    cmax = arguments.positive(maximum_concentration, "mol/m^3", "maximum_concentration",
                              kind="concentration")
    cs = arguments.si_value(surface_concentration, "mol/m^3", "surface_concentration",
                            f"a concentration in [0, {cmax:g}] mol/m^3",
                            lambda a: (a < 0) | (a > cmax))
    ce, cs = np.asarray(ce, dtype=float), np.asarray(cs, dtype=float)
    return scalar_or_array(m * np.sqrt(ce * cs * (cmax - cs)))


def arrhenius_factor(activation_energy: Any, temperature: Any,
                     reference_temperature: Any = 298.15) -> Any:
    r"""Arrhenius factor of a parameter, relative to its value at the reference temperature.

    .. math:: \frac{k(T)}{k(T_\mathrm{ref})} = \exp\left[\frac{E_a}{R}
              \left(\frac{1}{T_\mathrm{ref}} - \frac{1}{T}\right)\right]

    Multiply a diffusivity, a conductivity or an exchange-current density at
    ``T_ref`` by it to get the value at ``T``.

    Parameters
    ----------
    activation_energy : float, array_like or pint.Quantity
        ``E_a`` in J/mol (>= 0); a quantity such as ``"35 kJ/mol"`` is converted.
    temperature, reference_temperature : float, array_like or pint.Quantity
        T and T_ref in K.
    """
    ea_molar = np.asarray(arguments.si_value(activation_energy, "J/mol", "activation_energy",
                                             "an activation energy >= 0 J/mol", lambda a: a < 0),
                          dtype=float)
    t = np.asarray(arguments.temperature(temperature), dtype=float)
    t_ref = arguments.temperature(reference_temperature, "reference_temperature")
    return scalar_or_array(np.exp(ea_molar / GAS_CONSTANT * (1.0 / t_ref - 1.0 / t)))


def bruggeman(volume_fraction: Any, exponent: Any = 1.5) -> Any:
    r"""Bruggeman transport efficiency ``B = eps^b`` (dimensionless).

    An effective transport property of a porous medium is the bulk one times ``B``:
    ``D_eff = eps^b D``, ``kappa_eff = eps^b kappa`` [Bruggeman1935]_.

    Parameters
    ----------
    volume_fraction : float or array_like
        Volume fraction of the conducting phase ``eps`` in [0, 1].
    exponent : float
        Bruggeman exponent ``b`` (>= 0; 1.5 for spheres).
    """
    eps = arguments.si_value(volume_fraction, "", "volume_fraction", "a volume fraction in [0, 1]",
                             lambda a: (a < 0) | (a > 1))
    b = arguments.si_value(exponent, "", "exponent", "a Bruggeman exponent >= 0", lambda a: a < 0)
    return scalar_or_array(np.asarray(eps, dtype=float) ** b)


def electrolyte_current_density(conductivity: Any, potential_gradient: Any,
                                log_concentration_gradient: Any, transference_number: Any,
                                temperature: Any, thermodynamic_factor: Any = 1.0) -> Any:
    r"""Ionic current density of a binary concentrated electrolyte in A/m^2.

    .. math:: i_e = -\kappa\left[\frac{\partial\phi_e}{\partial x}
              - \frac{2 R T}{F}(1 - t^+)\left(1 + \frac{d\ln f_\pm}{d\ln c_e}\right)
              \frac{\partial \ln c_e}{\partial x}\right]

    Parameters
    ----------
    conductivity : float or array_like
        (Effective) ionic conductivity ``kappa`` in S/m (>= 0).
    potential_gradient : float or array_like
        ``d phi_e / dx`` in V/m.
    log_concentration_gradient : float or array_like
        ``d ln c_e / dx`` in 1/m.
    transference_number : float or array_like
        Cation transference number ``t+`` (dimensionless).
    temperature : float or array_like
        T in K.
    thermodynamic_factor : float or array_like
        ``1 + d ln f / d ln c`` (dimensionless, > 0).

    References
    ----------
    [Newman2004]_ eq. 12.25; [Doyle1993]_ eq. 6.
    """
    kappa = arguments.positive(conductivity, "S/m", "conductivity", allow_zero=True, kind="conductivity")
    grad_phi = arguments.si_value(potential_gradient, "V/m", "potential_gradient")
    grad_ln_c = arguments.si_value(log_concentration_gradient, "1/m", "log_concentration_gradient")
    tplus = arguments.si_value(transference_number, "", "transference_number",
                               "a transference number in [0, 1)", lambda a: (a < 0) | (a >= 1))
    tdf = arguments.positive(thermodynamic_factor, "", "thermodynamic_factor",
                             kind="thermodynamic factor")
    vt = GAS_CONSTANT * np.asarray(arguments.temperature(temperature)) / FARADAY
    return scalar_or_array(-np.asarray(kappa) * (np.asarray(grad_phi) - 2.0 * vt * (1.0 - np.asarray(tplus))
                                                 * np.asarray(tdf) * np.asarray(grad_ln_c)))


def electrolyte_salt_flux(diffusivity: Any, concentration_gradient: Any, current_density: Any,
                          transference_number: Any) -> Any:
    r"""Molar flux of lithium ions in the electrolyte in mol/(m^2 s).

    .. math:: N_e = -D_e \frac{\partial c_e}{\partial x} + \frac{t^+ i_e}{F}

    With ``eps dc_e/dt = -dN_e/dx + a j / F`` and ``d i_e/dx = a j`` this gives the
    electrolyte equation of the DFN model for a constant ``t+`` [Doyle1993]_ eq. 3.

    Parameters
    ----------
    diffusivity : float or array_like
        (Effective) salt diffusivity ``D_e`` in m^2/s (>= 0).
    concentration_gradient : float or array_like
        ``dc_e/dx`` in mol/m^4.
    current_density : float or array_like
        ``i_e`` in A/m^2.
    transference_number : float or array_like
        ``t+`` (dimensionless).
    """
    d = arguments.positive(diffusivity, "m^2/s", "diffusivity", allow_zero=True, kind="diffusivity")
    grad = arguments.si_value(concentration_gradient, "mol/m^4", "concentration_gradient")
    i_e = arguments.si_value(current_density, "A/m^2", "current_density")
    tplus = arguments.si_value(transference_number, "", "transference_number",
                               "a transference number in [0, 1)", lambda a: (a < 0) | (a >= 1))
    return scalar_or_array(-np.asarray(d) * np.asarray(grad) + np.asarray(tplus) * np.asarray(i_e) / FARADAY)


def ohmic_heat(conductivity: Any, potential_gradient: Any) -> Any:
    r"""Joule heating ``q = kappa |grad phi|^2`` in W/m^3 (use ``i^2/kappa`` equivalently).

    For the electrolyte of a concentrated solution the full term is ``-i_e . grad phi_e``;
    the cell models compute that one directly [Bernardi1985]_.
    """
    k = arguments.positive(conductivity, "S/m", "conductivity", allow_zero=True, kind="conductivity")
    g = arguments.si_value(potential_gradient, "V/m", "potential_gradient")
    return scalar_or_array(np.asarray(k) * np.asarray(g) ** 2)


def irreversible_heat(specific_area: Any, current_density: Any, overpotential: Any) -> Any:
    r"""Irreversible reaction heat ``q = a j eta`` in W/m^3 (>= 0 for Butler–Volmer)."""
    a = arguments.positive(specific_area, "1/m", "specific_area", allow_zero=True, kind="specific area")
    j = arguments.si_value(current_density, "A/m^2", "current_density")
    eta = arguments.si_value(overpotential, "V", "overpotential")
    return scalar_or_array(np.asarray(a) * np.asarray(j) * np.asarray(eta))


def reversible_heat(specific_area: Any, current_density: Any, temperature: Any,
                    entropic_coefficient: Any) -> Any:
    r"""Reversible (entropic) heat ``q = a j T dU/dT`` in W/m^3 [Bernardi1985]_."""
    a = arguments.positive(specific_area, "1/m", "specific_area", allow_zero=True, kind="specific area")
    j = arguments.si_value(current_density, "A/m^2", "current_density")
    t = arguments.temperature(temperature)
    dudt = arguments.si_value(entropic_coefficient, "V/K", "entropic_coefficient")
    return scalar_or_array(np.asarray(a) * np.asarray(j) * np.asarray(t) * np.asarray(dudt))


class TabulatedOCP:
    """An open-circuit potential from a table ``U(x)``, as a smooth callable with a derivative.

    Monotone piecewise-cubic (PCHIP) interpolation of measured points, so the curve
    keeps the shape of the data (no overshoot between points); outside the table it is
    extrapolated linearly. ``ocp(x)`` returns U in V; ``ocp.derivative(x)`` dU/dx in V.
    The cell models use ``derivative`` for their analytic Jacobian.

    Parameters
    ----------
    stoichiometry : array_like, shape (K,)
        Strictly increasing stoichiometries ``x = c/c_max`` (K >= 2).
    voltage : array_like, shape (K,)
        U(x) in V.
    """

    def __init__(self, stoichiometry, voltage):
        from scipy.interpolate import PchipInterpolator

        x = np.asarray(stoichiometry, dtype=float)
        u = np.asarray(voltage, dtype=float)
        if x.ndim != 1 or x.size < 2 or u.shape != x.shape:
            raise InputError(f"stoichiometry, voltage: got shapes {x.shape} and {u.shape}, expected "
                             "two 1-D arrays of the same length >= 2")
        arguments.finite(u, "voltage", unit="V", expected="finite voltages")
        arguments.finite(np.diff(x), "stoichiometry", lambda d: d <= 0,
                         expected="strictly increasing stoichiometries")
        self._spline = PchipInterpolator(x, u, extrapolate=False)
        self._slope = self._spline.derivative()
        self._ends = (x[0], x[-1], u[0], u[-1], float(self._slope(x[0])), float(self._slope(x[-1])))

    def __call__(self, x):
        x = np.asarray(x, dtype=float)
        x0, x1, u0, u1, s0, s1 = self._ends
        inner = np.clip(x, x0, x1)
        return np.where(x < x0, u0 + s0 * (x - x0), np.where(x > x1, u1 + s1 * (x - x1), self._spline(inner)))

    def derivative(self, x):
        x = np.asarray(x, dtype=float)
        x0, x1, _, _, s0, s1 = self._ends
        return np.where(x < x0, s0, np.where(x > x1, s1, self._slope(np.clip(x, x0, x1))))


def value_and_derivative(function: Callable, x: np.ndarray, *args, argument: int = 0):
    r"""Value and partial derivative of a real parameter function, by complex step.

    :math:`f(x) = \mathrm{Re}\, f(x + i h)`, :math:`f'(x) = \mathrm{Im}\, f(x + i h)/h`
    with ``h = 1e-30``: exact to round-off for any analytic expression built from
    NumPy ufuncs (polynomials, powers, exp, tanh, ...) [Squire1998]_. A function with a
    ``derivative`` attribute (e.g. :class:`TabulatedOCP`) of one argument uses it; a
    function that cannot take complex input falls back to central differences.

    Parameters
    ----------
    function : callable
        ``function(*arguments)`` evaluated elementwise.
    x : numpy.ndarray
        The argument to differentiate with respect to.
    *args
        The other arguments (real), in order; ``x`` is inserted at position ``argument``.
    argument : int
        Position of ``x`` among the arguments.

    Returns
    -------
    value, derivative : numpy.ndarray
    """
    x = np.asarray(x, dtype=float)

    def call(v):
        a = list(args)
        a.insert(argument, v)
        return function(*a)

    if hasattr(function, "derivative") and not args:
        return np.asarray(function(x), dtype=float), np.asarray(function.derivative(x), dtype=float)
    try:
        with np.errstate(all="ignore"):
            out = np.asarray(call(x + 1j * _COMPLEX_STEP))
        if np.iscomplexobj(out):
            return np.broadcast_to(out.real, x.shape).copy(), np.broadcast_to(out.imag / _COMPLEX_STEP, x.shape).copy()
    except TypeError:
        pass
    h = 1e-6 * np.maximum(np.abs(x), 1e-3)
    value = np.asarray(call(x), dtype=float)
    return value, (np.asarray(call(x + h), dtype=float) - np.asarray(call(x - h), dtype=float)) / (2 * h)
