"""Mori-Zwanzig memory kernel of a chain end: closed form against three computations from the bath."""

import numpy as np
import pytest

from scalebridge.core import InputError, ShapeError
from scalebridge.laws.memory_kernel import (chain_bath_oscillators, chain_end_velocity_autocorrelation,
                                            kernel_from_bath_release, kernel_from_velocity_autocorrelation,
                                            oscillator_bath_kernel, semi_infinite_chain_kernel)

K_SPRING, MASS = 4.0, 1.0          # N/m, kg: omega_0 = 2 rad/s, K(0) = k/m = 4 s^-2


def test_closed_form_limits():
    """K(0) = k/m (J1(z)/z -> 1/2) and the first zero of J1 at z = 3.8317 (Abramowitz & Stegun 1964, Table 9.5)."""
    assert semi_infinite_chain_kernel(0.0, K_SPRING, MASS) == pytest.approx(K_SPRING / MASS, rel=1e-15)
    w0 = np.sqrt(K_SPRING / MASS)
    assert semi_infinite_chain_kernel(3.831705970207512 / (2 * w0), K_SPRING, MASS) == pytest.approx(0, abs=1e-14)


def test_normal_mode_kernel_of_a_long_bath_matches_the_closed_form():
    """Zwanzig's formula K = sum c_q^2 cos(w_q t) / (M m w_q^2) over the normal modes of a 200-site chain bath
    equals (k/m) J1(2 w0 t)/(w0 t) (Adelman & Doll 1976, J. Chem. Phys. 64, 2375) until the echo from the far
    end at t ~ 2N/w0; error at rounding level before it, O(1) after it."""
    t = np.linspace(0.0, 150.0, 1501)                    # 2N/w0 = 200 s
    w, c = chain_bath_oscillators(200, K_SPRING, MASS)
    k_modes = oscillator_bath_kernel(t, w, c, MASS, MASS)
    closed = semi_infinite_chain_kernel(t, K_SPRING, MASS)
    assert np.max(np.abs(k_modes - closed)) < 1e-12 * K_SPRING
    echo = oscillator_bath_kernel(np.linspace(195, 215, 201), w, c, MASS, MASS)
    assert np.max(np.abs(echo - semi_infinite_chain_kernel(np.linspace(195, 215, 201), K_SPRING, MASS))) > 1e-3


def test_simulated_bath_release_gives_the_kernel_with_second_order_error():
    """The bath simulated by velocity Verlet (release from its static response to a unit force on site 1) gives
    K(t) = k^2 x_1(t)/m; error O((w0 dt)^2): below 2e-4 K(0) at w0 dt = 0.02 and falling 4x when dt halves
    (Swope et al. 1982; closed form of Adelman & Doll 1976)."""
    errs = []
    for dt in (0.01, 0.005):
        t, k_sim = kernel_from_bath_release(dt, int(round(40.0 / dt)), 100, K_SPRING, MASS)
        errs.append(np.max(np.abs(k_sim - semi_infinite_chain_kernel(t, K_SPRING, MASS))) / K_SPRING)
    assert errs[0] < 2e-4
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.05)


def test_volterra_inversion_of_the_end_velocity_autocorrelation_gives_the_kernel():
    """The exact thermal VACF of the end of a 101-particle free chain, inverted through
    C'(t) = -int_0^t K(s) C(t-s) ds (Berne & Harp 1970; Zwanzig 2001, ch. 8) by the second-kind trapezoidal
    scheme, reproduces the closed-form kernel (Adelman & Doll 1976) with O(dt^2) error: < 2e-4 K(0) at
    w0 dt = 0.02 and 4x smaller at half the step."""
    errs = []
    for dt in (0.01, 0.005):
        t = np.arange(int(round(40.0 / dt)) + 2) * dt
        vacf = chain_end_velocity_autocorrelation(t, 101, K_SPRING, MASS)
        k_vacf = kernel_from_velocity_autocorrelation(vacf, dt)
        errs.append(np.max(np.abs(k_vacf - semi_infinite_chain_kernel(t[:-1], K_SPRING, MASS))) / K_SPRING)
    assert errs[0] < 2e-4
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.05)


def test_bad_input():
    with pytest.raises(InputError, match="spring"):
        semi_infinite_chain_kernel([0.0, 1.0], -1.0, 1.0)
    with pytest.raises(InputError, match="time"):
        semi_infinite_chain_kernel([-1.0], 1.0, 1.0)
    with pytest.raises(InputError, match="C\\(0\\)"):
        kernel_from_velocity_autocorrelation([0.0, 1.0, 2.0], 0.1)
    with pytest.raises(ShapeError):
        oscillator_bath_kernel([0.0], [1.0, 2.0], [1.0], 1.0, 1.0)
