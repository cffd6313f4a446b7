"""Numerical engines: plain arrays in, arrays out; they know nothing of ``Model``.

``fv``: finite-volume reaction-diffusion in a sphere; ``ode``: plug-flow reactor;
``microkinetics``: batched mean-field surface kinetics to steady state.
"""
