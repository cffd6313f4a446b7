"""Bridging laws and closures as small documented functions.

``kinetics``: Arrhenius, Eyring and harmonic transition-state theory, collision theory;
``adsorption``: Langmuir isotherms; ``microkinetics``: mechanisms and mean-field kinetics;
``transport``: Thiele modulus, effectiveness factors, effective diffusivity.
"""
