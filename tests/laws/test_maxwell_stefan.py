"""Maxwell–Stefan matrices and Chapman–Enskog diffusivities."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.laws.maxwell_stefan import (chapman_enskog_diffusivity, diffusivity_matrix, fick_matrix,
                                             maxwell_stefan_B, mixture_averaged_diffusivity)

SPECIES = ["H2", "N2", "CO2"]
DT = {"H2-N2": 83.3e-6, "H2-CO2": 68.0e-6, "N2-CO2": 16.8e-6}


@pytest.mark.parametrize("pair, published, tol", [("H2-N2", 83.3e-6, 0.07), ("H2-CO2", 68.0e-6, 0.04),
                                                  ("N2-CO2", 16.8e-6, 0.03)])
def test_chapman_enskog_checks_the_duncan_toor_diffusivities(pair, published, tol):
    """Kinetic theory (Poling et al. 2001, eq. 11-3.1, Lennard-Jones parameters of App. B) vs the binary
    diffusivities of Duncan & Toor (1962) at 35.2 degC, 1 atm: 78.4, 65.8, 16.5 mm^2/s (-5.9, -3.3, -2.1 %)."""
    a, b = pair.split("-")
    assert chapman_enskog_diffusivity(308.35, 101325.0, a, b) == pytest.approx(published, rel=tol)


def test_binary_reduces_to_fick_and_equal_diffusivities_decouple():
    """Taylor & Krishna (1993, sec. 2.1): for n = 2, [B] = 1/Ð; with all Ð equal, [D] = Ð I (no coupling)."""
    D2 = diffusivity_matrix({"A-B": 2e-5}, ["A", "B"])
    assert maxwell_stefan_B(np.array([0.3, 0.7]), D2) == pytest.approx(np.array([[1 / 2e-5]]))
    Deq = diffusivity_matrix({"H2-N2": 3e-5, "H2-CO2": 3e-5, "N2-CO2": 3e-5}, SPECIES)
    assert fick_matrix(np.array([0.2, 0.5, 0.3]), Deq) == pytest.approx(3e-5 * np.eye(2), rel=1e-12)
    assert mixture_averaged_diffusivity(np.array([0.2, 0.5, 0.3]), Deq) == pytest.approx(np.full(3, 3e-5))


def test_batched_B_is_consistent_with_the_maxwell_stefan_equations():
    """-c grad x_i = sum_j (x_j J_i - x_i J_j)/Ð_ij holds for J = -c [B]^-1 grad x (all n species, sum J = 0)."""
    D = diffusivity_matrix(DT, SPECIES)
    rng = np.random.default_rng(0)
    x = rng.dirichlet(np.ones(3), size=5)
    grad = rng.normal(size=(5, 2))
    grad = np.concatenate([grad, -grad.sum(axis=1, keepdims=True)], axis=1)
    J = -np.linalg.solve(maxwell_stefan_B(x, D), grad[:, :2, None])[..., 0]
    J = np.concatenate([J, -J.sum(axis=1, keepdims=True)], axis=1)
    inv = np.where(np.eye(3, dtype=bool), 0, 1 / np.where(np.eye(3, dtype=bool), 1, D))
    lhs = -grad
    rhs = np.einsum("bj,bi,ij->bi", x, J, inv) - np.einsum("bi,bj,ij->bi", x, J, inv)
    assert rhs == pytest.approx(lhs, abs=1e-12 * np.abs(lhs).max())


def test_bad_pairs():
    with pytest.raises(InputError, match="missing"):
        diffusivity_matrix({"H2-N2": 1e-5}, SPECIES)
