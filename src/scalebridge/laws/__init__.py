"""Bridging laws and closures as small documented functions.

``kinetics``: Arrhenius, Eyring and harmonic transition-state theory, collision theory;
``adsorption``: Langmuir isotherms; ``mechanism``: reaction mechanisms and their rate
constants; ``microkinetics``: mean-field steady states and their derivatives;
``transport``: Thiele modulus, effectiveness factors, effective diffusivity;
``arguments``: the argument checks the laws share.
``viscoelasticity``: Prony series, their NNLS fit, exact recursive stress update, standard linear solid;
``memory_kernel``: Mori–Zwanzig memory kernels of a harmonic heat bath (closed form, from the bath, Volterra);
``fast_variables``: time scales of mass-action networks, QSSA and partial-equilibrium reduction;
``singular_perturbation``: outer, inner and composite solutions of eps y' + y = f(t).
"""
