"""Fast-variable elimination: Michaelis-Menten QSSA and partial equilibrium from mass action."""

import numpy as np
import pytest

from scalebridge.core import InputError, ScaleSeparationError
from scalebridge.laws.fast_variables import (MassActionSystem, check_reduction, michaelis_menten_epsilon,
                                             partial_equilibrium_reduction, reduce_stiff_network,
                                             time_scale_analysis)

K1, KM1, K2, S0 = 1.0, 0.5, 0.5, 1.0      # m^3/(mol s), 1/s, 1/s, mol/m^3: K_M = 1 mol/m^3


def _michaelis_menten(k1=K1, km1=KM1, k2=K2):
    return MassActionSystem(["E + S <-> C", "C -> E + P"], [(k1, km1), k2], name="Michaelis-Menten")


def test_mass_action_jacobian_and_conservation_laws():
    """Analytic Jacobian equals finite differences; E + C and S + C + P are conserved (L S^T = 0)."""
    mm = _michaelis_menten()
    c = np.array([0.3, 0.7, 0.2, 0.1])
    h = 1e-7
    fd = np.column_stack([(mm.rhs(c + h * e) - mm.rhs(c - h * e)) / (2 * h) for e in np.eye(4)])
    np.testing.assert_allclose(mm.jacobian(c), fd, atol=1e-8)
    L = mm.conservation_laws()
    assert L.shape == (2, 4)
    for total in ([1, 0, 1, 0], [0, 1, 1, 1]):                   # E + C, S + C + P in (E, S, C, P)
        assert np.linalg.matrix_rank(np.vstack([L, total])) == 2


def test_selector_picks_the_complex_with_segel_slemrod_time_scales():
    """After eliminating E = E0 - C and P (conservation), the complex's lifetime is Segel & Slemrod's
    t_C = 1/(k1 (S0 + K_M)) and the spectral eps <= E0/(S0 + K_M) (Segel & Slemrod 1989, SIAM Rev. 31, 446, §3);
    the automatic selector picks C only, and no partial equilibrium (k2 = k-1: E + S <-> C is not dominant)."""
    e0 = 0.02
    a = time_scale_analysis(_michaelis_menten(), {"E": e0, "S": S0})
    assert a.fast_species == ["C"] and sorted(a.dependent) == ["E", "P"]
    k_m = (KM1 + K2) / K1
    assert a.lifetimes["C"] == pytest.approx(1 / (K1 * (S0 + k_m)), rel=1e-12)
    eps_ss = michaelis_menten_epsilon(e0, S0, K1, KM1, K2)
    assert eps_ss == pytest.approx(0.01)
    assert a.epsilon <= eps_ss and a.damkohler["C"] > 100
    assert a.equilibrium_reactions == []


def test_qssa_error_decreases_with_the_time_scale_ratio():
    """Standard QSSA dS/dt = -k2 E0 S/(K_M + S) against the full mass-action solution over 5 substrate times
    t_S = (S0 + K_M)/(k2 E0): the product error is O(eps), eps = E0/(S0 + K_M) (Segel & Slemrod 1989, §4):
    measured error/eps within [0.5, 1.5] for eps = 0.1, 0.01, 0.001, each 10x smaller than the last (+-30 %);
    every species within 2 eps of the full solution after the initial layer of C (10 t_C)."""
    errors = []
    for e0 in (0.2, 0.02, 0.002):
        mm = _michaelis_menten()
        reduced, analysis = reduce_stiff_network(mm, {"E": e0, "S": S0})
        assert reduced.method == "QSSA" and reduced.eliminated == ["C"]
        eps = michaelis_menten_epsilon(e0, S0, K1, KM1, K2)
        t_s = (S0 + (KM1 + K2) / K1) / (K2 * e0)
        t_c = 1 / (K1 * (S0 + (KM1 + K2) / K1))                  # initial layer of C, skipped
        result = check_reduction(reduced, np.linspace(0.0, 5 * t_s, 300), tolerance=2 * eps, skip_layer=10 * t_c)
        assert result.passed, result.message
        err = result.data["errors"]["P"]
        assert 0.5 < err / eps < 1.5, (eps, err)
        errors.append(err)
        # the reduced model conserves enzyme and substrate exactly
        red = result.data["reduced"]
        np.testing.assert_allclose(red[:, 0] + red[:, 2], e0, rtol=1e-12)
        np.testing.assert_allclose(red[:, 1] + red[:, 2] + red[:, 3], S0, rtol=1e-12)
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    assert np.all((ratios > 7) & (ratios < 13)), ratios


def test_partial_equilibrium_for_rapid_binding():
    """k2 << k-1 (rapid equilibrium, Michaelis & Menten 1913): E + S <-> C is selected for partial equilibrium
    and the reduced model matches the full one within k2/k-1 = 1e-3 (x2) after the binding layer."""
    mm = _michaelis_menten(k1=1.0, km1=10.0, k2=0.01)
    c0 = {"E": 0.01, "S": S0}
    reduced, analysis = reduce_stiff_network(mm, c0, method="partial equilibrium")
    assert analysis.equilibrium_reactions == ["E + S <-> C"]
    t = np.concatenate([np.linspace(0, 2, 41), np.linspace(2, 1e5, 200)[1:]])
    result = check_reduction(reduced, t, tolerance=2e-3, skip_layer=1.0)
    assert result.passed, result.message


def test_no_gap_refuses_to_reduce_and_bad_input_is_named():
    """E0 comparable to S0 + K_M: the scales collide, nothing is eliminated."""
    mm = _michaelis_menten(k1=1.0, km1=0.5, k2=2.0)
    with pytest.raises(ScaleSeparationError, match="no fast species"):
        reduce_stiff_network(mm, {"E": 3.0, "S": S0})
    with pytest.raises(InputError, match="unknown species"):
        mm.concentrations({"X": 1.0})
    with pytest.raises(InputError, match="reversible"):
        partial_equilibrium_reduction(mm, ["C -> E + P"], {"E": 1.0, "S": 1.0})
    with pytest.raises(InputError, match="rate constants"):
        MassActionSystem(["A <-> B"], [1.0])
    with pytest.raises(InputError, match="no '<->'"):
        MassActionSystem(["A = B"], [1.0])
