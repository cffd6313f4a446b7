"""Homogenization of heterogeneous media: bounds, mixing rules, RVE cell problems."""
