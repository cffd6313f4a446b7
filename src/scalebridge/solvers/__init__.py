"""Numerical engines: plain arrays in, arrays out; they know nothing of ``Model``.

``fv``: finite-volume reaction-diffusion in a sphere; ``ode``: plug-flow reactor;
``microkinetics``: batched mean-field surface kinetics to steady state; ``dae``: a
variable-order BDF integrator for index-1 DAEs with events; ``advection_diffusion``;
``lattice_boltzmann``, ``random_walk``, ``harmonic_bath``, ``maxwell_stefan``; and the
packages ``fem`` (scikit-fem), ``kmc`` (numba) and ``atomistic``.
"""
