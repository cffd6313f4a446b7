"""Bridging laws and closures as small documented functions.

``kinetics``: Arrhenius, Eyring and harmonic transition-state theory, collision theory;
``adsorption``: Langmuir isotherms; ``mechanism``: reaction mechanisms and their rate
constants; ``microkinetics``: mean-field steady states and their derivatives;
``transport``: Thiele modulus, effectiveness factors, effective diffusivity;
``arguments``: the argument checks the laws share.
"""
