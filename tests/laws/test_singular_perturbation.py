"""Matched asymptotics of eps y' + y = f(t): outer, inner and composite solutions."""

import numpy as np
import pytest

from scalebridge.core import InputError
from scalebridge.laws.singular_perturbation import relaxation_exact, relaxation_layer

Y0 = 2.0


def _exact_cosine(t, eps):
    """Closed form for f = cos t: y = (cos t + eps sin t)/(1 + eps^2) + (y0 - 1/(1 + eps^2)) exp(-t/eps)."""
    return (np.cos(t) + eps * np.sin(t)) / (1 + eps ** 2) + (Y0 - 1 / (1 + eps ** 2)) * np.exp(-t / eps)


@pytest.mark.parametrize("eps", [0.1, 0.01])
def test_composite_error_is_order_eps_to_the_n_plus_one(eps):
    """Bender & Orszag 1999, §9.3: the composite outer + inner - match of order N is uniformly valid with
    error O(eps^(N+1)); for f = cos t the leading coefficient is 1 (error -> eps^(N+1) max|f^(N+1)|)."""
    t = np.linspace(0.0, 10.0, 4001)
    exact = _exact_cosine(t, eps)
    derivs = [lambda s: -np.sin(s), lambda s: -np.cos(s)]
    for order in range(3):
        m = relaxation_layer(np.cos, t, eps, Y0, derivs[:order])
        err = np.max(np.abs(m.composite - exact))
        assert 0.5 * eps ** (order + 1) < err < 1.5 * eps ** (order + 1), (order, err)
        assert m.order == order and m.layer_thickness == eps


def test_outer_fails_in_the_layer_and_inner_fails_outside_it():
    """Outer solution misses the initial condition (error y0 - f(0) at t = 0), is O(eps) accurate for t >> eps;
    the inner solution is accurate for t = O(eps) only (Bender & Orszag 1999, §9.1)."""
    eps = 0.01
    t = np.linspace(0.0, 3.0, 3001)
    exact = _exact_cosine(t, eps)
    m = relaxation_layer(np.cos, t, eps, Y0)
    assert abs(m.outer[0] - exact[0]) == pytest.approx(Y0 - 1.0)
    assert np.max(np.abs(m.outer - exact)[t > 10 * eps]) < 1.5 * eps
    assert np.max(np.abs(m.inner - exact)[t <= eps]) < eps ** 2
    assert np.max(np.abs(m.inner - exact)) > 0.5                # far from the layer cos t has moved away


def test_exact_convolution_matches_the_closed_form():
    """y = y0 e^{-t/eps} + (1/eps) int_0^t e^{-(t-s)/eps} f(s) ds against the closed form for f = cos."""
    t = np.linspace(0.0, 5.0, 101)
    for eps in (0.3, 0.003):
        np.testing.assert_allclose(relaxation_exact(np.cos, t, eps, Y0), _exact_cosine(t, eps), atol=1e-10)


def test_bad_input():
    with pytest.raises(InputError, match="epsilon"):
        relaxation_layer(np.cos, [0.0, 1.0], 0.0, 1.0)
    with pytest.raises(InputError, match="time"):
        relaxation_layer(np.cos, [-1.0, 1.0], 0.1, 1.0)
