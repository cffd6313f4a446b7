"""Rate constants from the microscale: Arrhenius, Eyring, harmonic TST, collision theory.

These are the bridging laws that turn an electronic-structure answer (a barrier, a
set of vibrational frequencies, a reaction free energy) into the rate constants a
mean-field or kinetic Monte Carlo model needs. Every function accepts pint
quantities or plain SI numbers (energies in J per particle, temperatures in K,
frequencies in Hz), works in plain SI NumPy inside, and broadcasts over arrays.

References
----------
.. [Eyring1935] H. Eyring, "The activated complex in chemical reactions",
   J. Chem. Phys. 3, 107 (1935).
.. [Vineyard1957] G. H. Vineyard, "Frequency factors and isotope effects in solid
   state rate processes", J. Phys. Chem. Solids 3, 121 (1957).
.. [CN2017] I. Chorkendorff, J. W. Niemantsverdriet, "Concepts of Modern Catalysis
   and Kinetics", 3rd ed., Wiley-VCH (2017), ch. 3 (reaction rate theory).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pint
from scipy.constants import c, h, k as k_B

from ..core.errors import UnitError
from ..core.units import parse_quantity, same_dimension, to_si
from . import arguments
from .arguments import scalar_or_array

__all__ = ["arrhenius", "eyring", "harmonic_tst", "TSTResult",
           "collision_adsorption_rate_constant", "equilibrium_constant",
           "vibrational_frequencies"]


def vibrational_frequencies(value: Any, what: str = "frequencies") -> np.ndarray:
    """Real vibrational frequencies in Hz, from Hz/THz, wavenumbers or vibrational quanta.

    nu = c * wavenumber for quantities in 1/length (e.g. 1/cm), nu = E / h for
    quantities in energy (e.g. meV), nu as given for quantities in 1/time.
    Plain numbers are taken as Hz. Angular frequencies (rad/s) are *not*
    recognised: pint treats the radian as dimensionless, so divide by 2 pi first.

    Parameters
    ----------
    value : array_like, pint.Quantity, str or a list of quantities
        The modes on the last axis. Every entry must be real and > 0; leave the
        imaginary mode of a transition state out.
    what : str
        Name used in error messages.

    Returns
    -------
    numpy.ndarray
        Frequencies in Hz, at least 1-D (modes on the last axis).
    """
    if isinstance(value, (list, tuple)) and any(isinstance(v, (pint.Quantity, str)) for v in value):
        nu = np.asarray([vibrational_frequencies(v, what) for v in value], dtype=float)
        return nu.reshape(nu.shape[:-1]) if nu.ndim > 1 and nu.shape[-1] == 1 else nu
    q = parse_quantity(value, what) if isinstance(value, str) else value
    if isinstance(q, pint.Quantity) and not same_dimension(q, "1/s"):
        if same_dimension(q, "1/m"):
            q = c * to_si(q, "1/m", what)
        elif same_dimension(q, "J"):
            q = to_si(q, "J", what) / h
        else:
            raise UnitError(f"{what}: got {q:~P} with dimension {q.dimensionality}, expected "
                            "frequencies in Hz/THz, wavenumbers in 1/cm or quanta in meV")
    nu = np.atleast_1d(np.asarray(to_si(q, "1/s", what), dtype=float))
    return arguments.finite(nu, what, lambda a: a <= 0, unit="Hz",
                            expected="real vibrational frequencies > 0 Hz "
                            "(leave the imaginary transition-state mode out)")


# --------------------------------------------------------------------------- rate laws
def arrhenius(prefactor: Any, activation_energy: Any, temperature: Any) -> Any:
    """Arrhenius rate constant.

    k = A exp(-E_a / (k_B T))

    Parameters
    ----------
    prefactor : float, array_like or pint.Quantity
        A, >= 0, in the unit of the rate constant (plain numbers are returned as
        plain numbers; a quantity's unit is carried over to the result).
    activation_energy : float, array_like or pint.Quantity
        E_a in J per particle, or a quantity in eV or kJ/mol.
    temperature : float, array_like or pint.Quantity
        T in K, > 0.

    References
    ----------
    S. Arrhenius, Z. Phys. Chem. 4, 226 (1889); [CN2017]_ ch. 2.
    """
    if isinstance(prefactor, str):
        prefactor = parse_quantity(prefactor, "prefactor")
    mag = prefactor.magnitude if isinstance(prefactor, pint.Quantity) else prefactor
    arguments.finite(mag, "prefactor", lambda a: a < 0, unit="(rate-constant unit)",
                     expected="a finite prefactor >= 0")
    boltzmann = np.exp(-arguments.energy(activation_energy, "activation_energy")
                       / (k_B * arguments.temperature(temperature)))
    if isinstance(prefactor, pint.Quantity):
        return prefactor * boltzmann
    return scalar_or_array(np.asarray(mag, dtype=float) * boltzmann)


def eyring(free_energy_barrier: Any, temperature: Any) -> Any:
    """Eyring (transition-state theory) rate constant of a unimolecular step, in 1/s.

    k = (k_B T / h) exp(-dG‡ / (k_B T))   (transmission coefficient 1)

    Parameters
    ----------
    free_energy_barrier : float, array_like or pint.Quantity
        dG‡ in J per particle, or a quantity in eV or kJ/mol.
    temperature : float, array_like or pint.Quantity
        T in K, > 0.

    References
    ----------
    [Eyring1935]_; [CN2017]_ ch. 3 (transition state theory).
    """
    dG = arguments.energy(free_energy_barrier, "free_energy_barrier")
    kT = k_B * arguments.temperature(temperature)
    return scalar_or_array(kT / h * np.exp(-dG / kT))


def equilibrium_constant(reaction_free_energy: Any, temperature: Any) -> Any:
    """Equilibrium constant from a reaction free energy (dimensionless).

    K = exp(-dG / (k_B T))

    Parameters
    ----------
    reaction_free_energy : float, array_like or pint.Quantity
        dG in J per particle, or a quantity in eV or kJ/mol (standard state is
        the caller's: e.g. 1 bar for gases, free sites for adsorbates).
    temperature : float, array_like or pint.Quantity
        T in K, > 0.

    References
    ----------
    [CN2017]_ ch. 2 (equilibrium and the law of mass action).
    """
    dG = arguments.energy(reaction_free_energy, "reaction_free_energy")
    return scalar_or_array(np.exp(-dG / (k_B * arguments.temperature(temperature))))


def collision_adsorption_rate_constant(sticking_coefficient: Any, mass: Any,
                                       temperature: Any, site_area: Any) -> Any:
    """Adsorption rate constant per site from kinetic gas theory, in 1/(Pa s).

    k_ads = s_0 A_site / sqrt(2 pi m k_B T)

    so that r_ads = k_ads p theta_free is the adsorption rate per site (1/s).
    p / sqrt(2 pi m k_B T) is the Hertz-Knudsen impingement flux per unit area.

    Parameters
    ----------
    sticking_coefficient : float or array_like
        s_0, dimensionless, in [0, 1].
    mass : float, array_like or pint.Quantity
        Molecular mass m in kg, or a quantity (e.g. ``"28.0101 u"``, ``"28 Da"``).
    temperature : float, array_like or pint.Quantity
        Gas temperature T in K, > 0.
    site_area : float, array_like or pint.Quantity
        Area per adsorption site A_site in m^2 (a quantity in area/site is accepted).

    References
    ----------
    [CN2017]_ ch. 3 (collision theory, sticking).
    """
    s0 = arguments.sticking_coefficient(sticking_coefficient)
    m = arguments.molecular_mass(mass)
    area = arguments.site_area(site_area)
    return scalar_or_array(s0 * area / np.sqrt(2.0 * np.pi * m * k_B * arguments.temperature(temperature)))


# --------------------------------------------------------------------------- harmonic TST
@dataclass(frozen=True)
class TSTResult:
    """Harmonic transition-state theory result; all SI, broadcast over the inputs.

    rate_constant = prefactor * exp(-E_barrier / (k_B T))
                  = (k_B T / h) exp(-free_energy_barrier / (k_B T)).
    """

    rate_constant: Any       #: k in 1/s
    prefactor: Any           #: A = k exp(+E_barrier / k_B T), 1/s (Vineyard's nu* at high T)
    enthalpy_barrier: Any    #: dH‡ = E_barrier + dZPE + d(thermal vibrational energy), J
    entropy_barrier: Any     #: dS‡ (vibrational), J/K
    free_energy_barrier: Any  #: dG‡ = dH‡ - T dS‡, J
    zero_point_barrier: Any  #: E_barrier + dZPE, J (the T -> 0 limit of dH‡)


def _vibrational_sums(nu: np.ndarray, kT: np.ndarray):
    """Sums over modes (last axis) of x/2, x/(e^x-1), ln(1-e^-x) with x = h nu / kT."""
    x = h * nu / kT[..., None]
    boltz = np.exp(-x)
    small = x < np.log(2.0)  # accurate ln(1 - e^-x) on both sides (Maechler 2012)
    log_free = np.where(small, np.log(-np.expm1(-np.where(small, x, 1.0))), np.log1p(-boltz))
    thermal = x * boltz / -np.expm1(-x)
    return 0.5 * x.sum(-1), thermal.sum(-1), log_free.sum(-1)


def harmonic_tst(temperature: Any, initial_frequencies: Any, transition_frequencies: Any,
                 energy_barrier: Any) -> TSTResult:
    """Rate constant of a thermally activated step in quantum harmonic TST.

    With bottom-of-the-well referenced harmonic vibrational partition functions
    q = prod_i exp(-x_i/2) / (1 - exp(-x_i)), x_i = h nu_i / (k_B T),

        k = (k_B T / h) (q_TS / q_IS) exp(-E_b / (k_B T))
          = (k_B T / h) exp(-dG‡ / (k_B T)),
        dG‡ = E_b + dF_vib,  F_vib = sum_i [h nu_i / 2 + k_B T ln(1 - exp(-x_i))],
        dH‡ = E_b + dZPE + d sum_i h nu_i / (exp(x_i) - 1),   dS‡ = (dH‡ - dG‡) / T,

    where d means TS minus IS. The prefactor is defined against the *electronic*
    barrier, A = k exp(E_b / k_B T) = (k_B T / h) q_TS / q_IS. For k_B T >> h nu it
    tends to Vineyard's classical nu* = prod nu_IS / prod nu_TS (N IS modes, N - 1
    TS modes); with identical mode lists it is exactly k_B T / h and dG‡ = E_b.
    Only vibrations are counted (no translation/rotation, no PV term, no tunnelling,
    transmission coefficient 1), as for steps between adsorbed states.

    Parameters
    ----------
    temperature : float, array_like or pint.Quantity
        T in K, > 0. Broadcasts with the batch axes of the frequencies and E_b.
    initial_frequencies : array_like, pint.Quantity or list of quantities
        Real modes of the initial state (modes on the last axis), in Hz, or
        quantities in Hz/THz, 1/cm (nu = c * wavenumber) or meV (nu = E / h).
    transition_frequencies : same as ``initial_frequencies``
        Real modes of the transition state, imaginary mode excluded.
    energy_barrier : float, array_like or pint.Quantity
        Electronic (potential-energy) barrier E_b = E_TS - E_IS, J per particle,
        or a quantity in eV or kJ/mol.

    Returns
    -------
    TSTResult

    References
    ----------
    [Eyring1935]_; [Vineyard1957]_ eq. (25); [CN2017]_ ch. 3;
    D. A. McQuarrie, "Statistical Mechanics" (1976), ch. 6 (vibrational partition function).
    """
    T = np.asarray(arguments.temperature(temperature), dtype=float)
    nu_is = vibrational_frequencies(initial_frequencies, "initial_frequencies")
    nu_ts = vibrational_frequencies(transition_frequencies, "transition_frequencies")
    E_b = arguments.energy(energy_barrier, "energy_barrier")
    kT = k_B * T
    zpe_is, th_is, lf_is = _vibrational_sums(nu_is, kT)
    zpe_ts, th_ts, lf_ts = _vibrational_sums(nu_ts, kT)
    dF_over_kT = (zpe_ts - zpe_is) + (lf_ts - lf_is)        # dF_vib / (k_B T)
    zero_point = E_b + 0.5 * h * (nu_ts.sum(-1) - nu_is.sum(-1))
    dH = zero_point + kT * (th_ts - th_is)
    dG = E_b + kT * dF_over_kT
    dS = k_B * ((th_ts - th_is) - (lf_ts - lf_is))
    return TSTResult(rate_constant=scalar_or_array(kT / h * np.exp(-dG / kT)),
                     prefactor=scalar_or_array(kT / h * np.exp(-dF_over_kT)),
                     enthalpy_barrier=scalar_or_array(dH), entropy_barrier=scalar_or_array(dS),
                     free_energy_barrier=scalar_or_array(dG),
                     zero_point_barrier=scalar_or_array(np.broadcast_to(zero_point, np.shape(dG))))
