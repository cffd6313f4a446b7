"""How scales talk: hierarchical, on-the-fly, adaptive, HMM, FE², equation-free, domain coupling.

Strategies here take a ``Model`` and return a ``Model`` (see DESIGN.md, "Strategies").
"""
