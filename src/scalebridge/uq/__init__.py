"""Uncertainty quantification across scales: propagation and sensitivity."""
