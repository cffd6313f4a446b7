r"""LG M50 21700 cell (NMC 811 / graphite-SiOx), Chen et al. (2020).

Parameter set of the Doyle–Fuller–Newman model of the LG M50 cell measured and fitted by

    C.-H. Chen, F. Brosa Planella, K. O'Regan, D. Gastol, W. D. Widanage, E. Kendrick,
    "Development of experimental techniques for parameterization of multi-scale
    lithium-ion battery models", J. Electrochem. Soc. 167, 080534 (2020),
    doi:10.1149/1945-7111/ab9050 (Table VII; OCP fits eqs. 8-9 / Fig. 5).

with the electrolyte (1 M LiPF6 in EC:EMC 3:7) transport of

    A. Nyman, M. Behm, G. Lindbergh, "Electrochemical characterisation and modelling of
    the mass transport phenomena in LiPF6-EC-EMC electrolyte", Electrochim. Acta 53,
    6356 (2008).

Every key carries its unit in brackets (dimensionless keys have none). The values were
checked against the publication and against PyBaMM's ``ParameterValues("Chen2020")``
(PyBaMM 26.10; facts only, no code): they agree key by key. Two entries are PyBaMM's
additions, not the paper's (which is isothermal at 25 degC): the activation energies of
the exchange-current densities (35 and 17.8 kJ/mol); they have no effect at the
reference temperature. The activation energies of the diffusivities and conductivities
are 0 here (no temperature dependence was measured); set them to couple a thermal model.

Functions take SI arrays, are written with NumPy ufuncs only (so that the models can
differentiate them by complex step, see
:func:`scalebridge.laws.electrochemistry.value_and_derivative`).
"""

import numpy as np

from ....laws.electrochemistry import GAS_CONSTANT

__all__ = ["PARAMETERS", "graphite_ocp", "nmc811_ocp", "graphite_exchange_current_density",
           "nmc811_exchange_current_density", "electrolyte_conductivity", "electrolyte_diffusivity"]

CITATION = ("C.-H. Chen et al., J. Electrochem. Soc. 167, 080534 (2020); "
            "A. Nyman et al., Electrochim. Acta 53, 6356 (2008)")


def graphite_ocp(sto):
    """OCP of the LG M50 graphite-SiOx anode in V vs Li/Li+, stoichiometry x in [0, 1] (Chen 2020, eq. 8)."""
    return (1.9793 * np.exp(-39.3631 * sto) + 0.2482 - 0.0909 * np.tanh(29.8538 * (sto - 0.1234))
            - 0.04478 * np.tanh(14.9159 * (sto - 0.2769)) - 0.0205 * np.tanh(30.4444 * (sto - 0.6103)))


def nmc811_ocp(sto):
    """OCP of the LG M50 NMC 811 cathode in V vs Li/Li+, stoichiometry y in [0, 1] (Chen 2020, eq. 9)."""
    return (-0.8090 * sto + 4.4875 - 0.0428 * np.tanh(18.5138 * (sto - 0.5542))
            - 17.7326 * np.tanh(15.7890 * (sto - 0.3117)) + 17.5842 * np.tanh(15.9308 * (sto - 0.3120)))


def _arrhenius(activation_energy, temperature):
    return np.exp(activation_energy / GAS_CONSTANT * (1.0 / 298.15 - 1.0 / temperature))


def graphite_exchange_current_density(c_e, c_s_surf, c_s_max, T):
    """j0 = m_n c_e^0.5 c_s^0.5 (c_max - c_s)^0.5 in A/m^2, m_n = 6.48e-7 A m^-2 (m^3/mol)^1.5 (Chen 2020)."""
    return 6.48e-7 * _arrhenius(35000.0, T) * c_e**0.5 * c_s_surf**0.5 * (c_s_max - c_s_surf) ** 0.5


def nmc811_exchange_current_density(c_e, c_s_surf, c_s_max, T):
    """j0 = m_p c_e^0.5 c_s^0.5 (c_max - c_s)^0.5 in A/m^2, m_p = 3.42e-6 A m^-2 (m^3/mol)^1.5 (Chen 2020)."""
    return 3.42e-6 * _arrhenius(17800.0, T) * c_e**0.5 * c_s_surf**0.5 * (c_s_max - c_s_surf) ** 0.5


def electrolyte_conductivity(c_e, T):
    """Conductivity of LiPF6 in EC:EMC (3:7) in S/m, c_e in mol/m^3 (Nyman 2008)."""
    c = c_e / 1000.0
    return 0.1297 * c**3 - 2.51 * c**1.5 + 3.329 * c


def electrolyte_diffusivity(c_e, T):
    """Salt diffusivity of LiPF6 in EC:EMC (3:7) in m^2/s, c_e in mol/m^3 (Nyman 2008)."""
    c = c_e / 1000.0
    return 8.794e-11 * c**2 - 3.972e-10 * c + 4.862e-10


#: The parameter set: key (with unit) -> value or function.
PARAMETERS = {
    # cell
    "Electrode height [m]": 0.065,
    "Electrode width [m]": 1.58,
    "Nominal cell capacity [A.h]": 5.0,
    "Lower voltage cut-off [V]": 2.5,
    "Upper voltage cut-off [V]": 4.2,
    "Reference temperature [K]": 298.15,
    "Ambient temperature [K]": 298.15,
    # negative electrode (graphite-SiOx)
    "Negative electrode thickness [m]": 85.2e-6,
    "Negative electrode porosity": 0.25,
    "Negative electrode active material volume fraction": 0.75,
    "Negative electrode Bruggeman coefficient (electrolyte)": 1.5,
    "Negative electrode Bruggeman coefficient (electrode)": 0.0,
    "Negative electrode conductivity [S.m-1]": 215.0,
    "Negative electrode conductivity activation energy [J.mol-1]": 0.0,
    "Negative particle radius [m]": 5.86e-6,
    "Negative particle diffusivity [m2.s-1]": 3.3e-14,
    "Negative particle diffusivity activation energy [J.mol-1]": 0.0,
    "Maximum concentration in negative electrode [mol.m-3]": 33133.0,
    "Initial concentration in negative electrode [mol.m-3]": 29866.0,
    "Negative electrode OCP [V]": graphite_ocp,
    "Negative electrode OCP entropic change [V.K-1]": 0.0,
    "Negative electrode exchange-current density [A.m-2]": graphite_exchange_current_density,
    "Negative electrode charge transfer coefficient": 0.5,
    # separator
    "Separator thickness [m]": 12e-6,
    "Separator porosity": 0.47,
    "Separator Bruggeman coefficient (electrolyte)": 1.5,
    # positive electrode (NMC 811)
    "Positive electrode thickness [m]": 75.6e-6,
    "Positive electrode porosity": 0.335,
    "Positive electrode active material volume fraction": 0.665,
    "Positive electrode Bruggeman coefficient (electrolyte)": 1.5,
    "Positive electrode Bruggeman coefficient (electrode)": 0.0,
    "Positive electrode conductivity [S.m-1]": 0.18,
    "Positive electrode conductivity activation energy [J.mol-1]": 0.0,
    "Positive particle radius [m]": 5.22e-6,
    "Positive particle diffusivity [m2.s-1]": 4e-15,
    "Positive particle diffusivity activation energy [J.mol-1]": 0.0,
    "Maximum concentration in positive electrode [mol.m-3]": 63104.0,
    "Initial concentration in positive electrode [mol.m-3]": 17038.0,
    "Positive electrode OCP [V]": nmc811_ocp,
    "Positive electrode OCP entropic change [V.K-1]": 0.0,
    "Positive electrode exchange-current density [A.m-2]": nmc811_exchange_current_density,
    "Positive electrode charge transfer coefficient": 0.5,
    # electrolyte (1 M LiPF6 in EC:EMC 3:7)
    "Initial concentration in electrolyte [mol.m-3]": 1000.0,
    "Cation transference number": 0.2594,
    "Thermodynamic factor": 1.0,
    "Electrolyte conductivity [S.m-1]": electrolyte_conductivity,
    "Electrolyte conductivity activation energy [J.mol-1]": 0.0,
    "Electrolyte diffusivity [m2.s-1]": electrolyte_diffusivity,
    "Electrolyte diffusivity activation energy [J.mol-1]": 0.0,
}
