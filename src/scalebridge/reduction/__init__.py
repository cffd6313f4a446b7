"""Model reduction and surrogates: POD-Galerkin ROMs, GPR and PCE surrogates, fidelity checks."""
