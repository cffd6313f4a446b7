"""Mechanisms shared by test_mechanism.py and test_microkinetics.py (not a test module)."""

from scipy.constants import e as eV

# Analytic mechanism A_g + * <-> A*, A* -> B_g + *, all Arrhenius.
A1, E1 = 2.0e3, 0.05 * eV       # adsorption, 1/(Pa s)
AM1, EM1 = 1.0e13, 1.10 * eV    # desorption, 1/s
A2, E2 = 1.0e13, 1.00 * eV      # surface reaction, 1/s
ANALYTIC = {
    "name": "A to B",
    "steps": [
        {"name": "ads", "equation": "A_g + * <-> A*",
         "forward": {"arrhenius": {"prefactor": f"{A1} 1/(Pa*s)", "activation_energy": f"{E1 / eV} eV"}},
         "reverse": {"arrhenius": {"prefactor": f"{AM1} 1/s", "activation_energy": f"{EM1 / eV} eV"}}},
        {"name": "rxn", "equation": "A* -> B_g + *",
         "forward": {"arrhenius": {"prefactor": f"{A2} 1/s", "activation_energy": f"{E2 / eV} eV"}}},
    ],
}

CO_OX = """
name: CO oxidation (illustrative)
site_area: 6.7e-20 m^2
masses: {CO_g: 28.01 u, O2_g: 32.00 u}
steps:
  - name: CO_ads
    equation: CO_g + * <-> CO*
    forward: {collision: {sticking_coefficient: 0.8}}
    reverse: {arrhenius: {prefactor: 1e15 1/s, activation_energy: 1.45 eV}}
  - name: O2_ads
    equation: O2_g + 2* <-> 2O*
    forward: {collision: {sticking_coefficient: 0.07}}
    reverse: {arrhenius: {prefactor: 1e13 1/s, activation_energy: 2.1 eV}}
  - name: LH
    equation: CO* + O* -> CO2_g + 2*
    forward: {arrhenius: {prefactor: 1e13 1/s, activation_energy: 1.0 eV}}
"""
CO_P = {"CO_g": 100.0, "O2_g": 100.0, "CO2_g": 0.0}
