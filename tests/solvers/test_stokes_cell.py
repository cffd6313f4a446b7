"""Stokes cell permeability of a square array of cylinders against closed forms."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.solvers.fem.stokes_cell import drummond_tahir_permeability, gebart_permeability, solve_stokes_cell


@pytest.mark.parametrize("radius", [0.1, 0.15, 0.2])
def test_dilute_array_matches_sangani_acrivos_drummond_tahir(radius):
    """Sangani & Acrivos (1982, eq. 24) = Drummond & Tahir (1984, eq. 52), c <= 0.13: within 1 %."""
    s = solve_stokes_cell(radius, 32)
    assert s.permeability[0, 0] == pytest.approx(drummond_tahir_permeability(s.solid_fraction), rel=0.01)
    edges = 8 * round(radius * 32)                 # the disc is the polygon of its wall nodes
    assert s.solid_fraction == pytest.approx(np.pi * radius ** 2 * edges / (2 * np.pi) * np.sin(2 * np.pi / edges),
                                             rel=2e-3)


@pytest.mark.parametrize("radius, tol", [(0.47, 0.04), (0.48, 0.03)])
def test_dense_array_approaches_gebart_lubrication_limit(radius, tol):
    """Gebart (1992, eq. 36), narrow gaps (c = 0.69, 0.72): within a few %, closer as the gap closes."""
    s = solve_stokes_cell(radius, 48)
    assert s.permeability[0, 0] == pytest.approx(gebart_permeability(s.solid_fraction), rel=tol)


def test_isotropic_symmetric_divergence_free_and_mesh_converged():
    """Square symmetry: K = K_xx I; the P2/P1 velocity is weakly divergence free; n = 24 vs 48 within 0.5 %."""
    coarse, fine = solve_stokes_cell(0.3, 24), solve_stokes_cell(0.3, 48)
    K = fine.permeability
    assert K[1, 1] == pytest.approx(K[0, 0], rel=1e-8)
    assert abs(K[0, 1]) < 1e-4 * K[0, 0]
    assert fine.divergence < 1e-3 and fine.info["residual"] < 1e-10
    assert coarse.permeability[0, 0] == pytest.approx(K[0, 0], rel=5e-3)


def test_bad_radius():
    with pytest.raises(InputError, match="radius"):
        solve_stokes_cell(0.5)
