"""How scales talk: hierarchical, on-the-fly, adaptive, HMM, FE², equation-free, domain coupling.

Strategies here take a ``Model`` and return a ``Model`` (see DESIGN.md, "Strategies").
Equation-free: ``equation_free`` (coarse time-stepper, projective integration), ``coarse_fixed_points``
(Newton-Krylov, pseudo-arclength continuation), ``gap_tooth`` (gap-tooth scheme, patch dynamics).
"""
