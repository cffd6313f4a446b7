"""Tests of the steady-state microkinetic model (E_app, reaction orders, degree of rate control)."""

import numpy as np
import pytest
from scipy.constants import e as eV, k as k_B

from scalebridge.core.errors import ConvergenceError, InputError, UnitError
from scalebridge.laws import kinetics
from scalebridge.laws.mechanism import Mechanism
from scalebridge.laws.microkinetics import ApparentActivationEnergy, MicrokineticModel

from example_mechanisms import A1, A2, AM1, ANALYTIC, CO_OX, CO_P, E1, E2, EM1


def _analytic_closed_form(T, p):
    k1, km1, k2 = A1 * np.exp(-E1 / (k_B * T)) * p, AM1 * np.exp(-EM1 / (k_B * T)), A2 * np.exp(-E2 / (k_B * T))
    D = k1 + km1 + k2
    theta = k1 / D
    return dict(theta=theta, tof=k2 * theta,
                e_app=E1 + E2 - (k1 * E1 + km1 * EM1 + k2 * E2) / D,
                order=1.0 - theta, x_ads=k2 / D, x_rxn=(k1 + km1) / D)


def _grid():
    T, p = np.meshgrid(np.linspace(450.0, 650.0, 9), np.logspace(-2, 4, 7), indexing="ij")
    return T, p


def test_eyring_tst_and_equilibrium_reverse():
    """Eyring and harmonic-TST specs give the kinetics functions; an 'equilibrium' reverse obeys
    kf/kr = K p0^(-1) for A_g + * <-> A*, so the steady state is the Langmuir isotherm
    theta = K p/p0 / (1 + K p/p0) (Langmuir 1918; Dumesic et al. 1993, ch. 2)."""
    spec = {"steps": [
        {"name": "ads", "equation": "A_g + * <-> A*",
         "forward": {"arrhenius": {"prefactor": "1e3 1/(Pa*s)", "activation_energy": "0 eV"}},
         "reverse": {"equilibrium": {"reaction_energy": "-0.8 eV", "reaction_entropy": "-1.5e-3 eV/K"}}},
        {"name": "hop", "equation": "A* + * <-> * + A*",
         "forward": {"eyring": {"barrier": "0.3 eV"}},
         "reverse": {"harmonic_tst": {"barrier": "0.3 eV", "initial_frequencies": ["10 THz", "12 THz"],
                                      "transition_frequencies": ["11 THz"]}}}]}
    mech = Mechanism.from_dict(spec)
    T = np.array([500.0, 700.0])
    kf, kr = mech.rate_constants(T)
    np.testing.assert_allclose(kf[:, 1], kinetics.eyring("0.3 eV", T), rtol=1e-12)
    tst = kinetics.harmonic_tst(T, ["10 THz", "12 THz"], ["11 THz"], "0.3 eV").rate_constant
    np.testing.assert_allclose(kr[:, 1], tst, rtol=1e-12)
    K = kinetics.equilibrium_constant(-0.8 * eV - T * (-1.5e-3 * eV), T)
    np.testing.assert_allclose(kf[:, 0] / kr[:, 0], K / 1e5, rtol=1e-12)
    p = 50.0
    st = MicrokineticModel(mech).steady_state(T, {"A_g": p})
    np.testing.assert_allclose(st.coverages["A*"], K * p / 1e5 / (1 + K * p / 1e5), rtol=1e-10)


def test_analytic_mechanism_steady_state():
    """A_g + * <-> A*, A* -> B_g + *: theta_A = kf p / (kf p + kr + k2), TOF = k2 theta_A (to 1e-10).

    Closed form (Dumesic et al. 1993, The Microkinetics of Heterogeneous Catalysis, ch. 2),
    over a 9 x 7 batch of temperatures (450-650 K) and pressures (1e-2-1e4 Pa).
    """
    T, p = _grid()
    st = MicrokineticModel(Mechanism.from_dict(ANALYTIC)).steady_state(T, {"A_g": p, "B_g": 0.0})
    ref = _analytic_closed_form(T, p)
    assert st.coverages["A*"].shape == T.shape
    np.testing.assert_allclose(st.coverages["A*"], ref["theta"], rtol=1e-10)
    np.testing.assert_allclose(st.turnover_frequency("B_g"), ref["tof"], rtol=1e-10)
    np.testing.assert_allclose(st.production_rates["A_g"], -ref["tof"], rtol=1e-10)
    np.testing.assert_allclose(st.coverages["*"] + st.coverages["A*"], 1.0, atol=1e-12)


def test_analytic_apparent_activation_energy_orders_and_drc():
    """Closed-form derivatives of ln TOF of the analytic mechanism:
    E_app = E1 + E2 - (k1 p E1 + k-1 E-1 + k2 E2)/D, order in A = 1 - theta_A,
    X_ads = k2/D, X_rxn = (k1 p + k-1)/D (Campbell 2001, J. Catal. 204, 520, eq. 1), sum X = 1.
    Central differences with step 1e-4: agreement to 1e-5 relative (E_app) / 1e-6 absolute."""
    T, p = _grid()
    model = MicrokineticModel(Mechanism.from_dict(ANALYTIC))
    P = {"A_g": p, "B_g": 0.0}
    ref = _analytic_closed_form(T, p)
    e = model.apparent_activation_energy("B", T, P)
    assert isinstance(e, ApparentActivationEnergy)
    np.testing.assert_allclose(e.joule, ref["e_app"], rtol=1e-5)
    np.testing.assert_allclose(e.electronvolt, ref["e_app"] / eV, rtol=1e-5)
    orders = model.reaction_orders("B_g", T, P)
    np.testing.assert_allclose(orders["A_g"], ref["order"], atol=1e-6)
    np.testing.assert_allclose(orders["B_g"], 0.0, atol=1e-12)
    x = model.degree_of_rate_control("B_g", T, P)
    np.testing.assert_allclose(x["ads"], ref["x_ads"], atol=1e-6)
    np.testing.assert_allclose(x["rxn"], ref["x_rxn"], atol=1e-6)
    np.testing.assert_allclose(x["ads"] + x["rxn"], 1.0, atol=1e-8)


def test_competitive_langmuir_hinshelwood():
    """A_g + * <-> A*, B_g + * <-> B* in quasi-equilibrium, A* + B* -> C_g + 2* slow:
    TOF = k3 K_A p_A K_B p_B / (1 + K_A p_A + K_B p_B)^2 (Langmuir-Hinshelwood rate law,
    Dumesic et al. 1993 ch. 2; Chorkendorff & Niemantsverdriet 2017 ch. 7). The quasi-equilibrium
    error is of order k3 / (desorption rate constants) <= 1e-7 here; tolerance 1e-6 relative.
    DRC: X_LH -> 1, adsorption steps -> 0 (Campbell 2001)."""
    spec = {"steps": [
        {"name": "A_ads", "equation": "A_g + * <-> A*",
         "forward": {"arrhenius": {"prefactor": "1e3 1/(Pa*s)", "activation_energy": "0 eV"}},
         "reverse": {"arrhenius": {"prefactor": "1e13 1/s", "activation_energy": "0.9 eV"}}},
        {"name": "B_ads", "equation": "B_g + * <-> B*",
         "forward": {"arrhenius": {"prefactor": "5e2 1/(Pa*s)", "activation_energy": "0 eV"}},
         "reverse": {"arrhenius": {"prefactor": "1e13 1/s", "activation_energy": "0.8 eV"}}},
        {"name": "LH", "equation": "A* + B* -> C_g + 2*",
         "forward": {"arrhenius": {"prefactor": "1e13 1/s", "activation_energy": "1.8 eV"}}}]}
    model = MicrokineticModel(Mechanism.from_dict(spec))
    T = np.array([450.0, 500.0, 550.0, 600.0])[:, None]
    pA, pB = np.array([[1.0, 10.0, 100.0]]), 30.0
    st = model.steady_state(T, {"A_g": pA, "B_g": pB, "C_g": 0.0})
    kT = k_B * T
    KA, KB = 1e3 / (1e13 * np.exp(-0.9 * eV / kT)), 5e2 / (1e13 * np.exp(-0.8 * eV / kT))
    k3 = 1e13 * np.exp(-1.8 * eV / kT)
    den = 1 + KA * pA + KB * pB
    assert np.all(k3 / np.minimum(1e13 * np.exp(-0.9 * eV / kT), 1e13 * np.exp(-0.8 * eV / kT)) < 1e-7)
    np.testing.assert_allclose(st.coverages["A*"], KA * pA / den, rtol=1e-6)
    np.testing.assert_allclose(st.turnover_frequency("C_g"), k3 * KA * pA * KB * pB / den ** 2, rtol=1e-6)
    x = model.degree_of_rate_control("C", T, {"A_g": pA, "B_g": pB, "C_g": 0.0})
    np.testing.assert_allclose(x["LH"], 1.0, atol=1e-6)
    np.testing.assert_allclose(x["A_ads"] + x["B_ads"] + x["LH"], 1.0, atol=1e-8)


def test_co_oxidation_drc_sums_to_one_and_branch_consistency():
    """For one overall reaction (CO + 1/2 O2 -> CO2) sum_j X_j = 1 (Campbell 2001;
    Stegelmann, Andreasen & Campbell 2009, JACS 131, 8077): scaling every k rescales time only."""
    model = MicrokineticModel(Mechanism.from_yaml(CO_OX))
    T = np.linspace(400.0, 750.0, 8)
    x = model.degree_of_rate_control("CO2_g", T, CO_P)
    np.testing.assert_allclose(sum(x.values()), 1.0, atol=1e-7)
    st = model.steady_state(T, CO_P)
    np.testing.assert_allclose(sum(st.coverages.values()), 1.0, atol=1e-12)
    assert np.all(st.result.converged) and np.all(st.result.residual < 1e-13)
    # CO poisoning at low T, mostly free/O-covered at high T
    assert st.coverages["CO*"][0] > 0.99 and st.coverages["CO*"][-1] < 0.5


def test_batch_equals_one_by_one():
    """The batched model gives the single-condition answers to rounding (1e-12 relative)."""
    model = MicrokineticModel(Mechanism.from_yaml(CO_OX))
    T = np.array([420.0, 520.0, 610.0, 700.0])
    st = model.steady_state(T, CO_P)
    for i, t in enumerate(T):
        one = model.steady_state(t, CO_P)
        for sp in ("*", "CO*", "O*"):
            np.testing.assert_allclose(one.coverages[sp], st.coverages[sp][i], rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(one.turnover_frequency("CO2"), st.turnover_frequency("CO2")[i], rtol=1e-12)


def test_condition_errors():
    model = MicrokineticModel(Mechanism.from_dict(ANALYTIC))
    with pytest.raises(InputError, match="pressure of A_g"):
        model.steady_state(500.0, {"A_g": -1.0, "B_g": 0.0})
    with pytest.raises(InputError, match="temperature"):
        model.steady_state(np.array([500.0, 0.0]), {"A_g": 1.0, "B_g": 0.0})
    with pytest.raises(InputError, match="temperature"):
        model.steady_state(-10.0, {"A_g": 1.0, "B_g": 0.0})
    with pytest.raises(InputError, match=r"unknown species \['C_g'\]"):
        model.steady_state(500.0, {"A_g": 1.0, "B_g": 0.0, "C_g": 1.0})
    with pytest.raises(InputError, match=r"missing \['B_g'\]"):
        model.steady_state(500.0, {"A_g": 1.0})
    with pytest.raises(InputError, match="unknown species 'C'"):
        model.turnover_frequency("C", 500.0, {"A_g": 1.0, "B_g": 0.0})
    with pytest.raises(InputError, match="not positive"):
        model.apparent_activation_energy("B", 500.0, {"A_g": 0.0, "B_g": 0.0})
    with pytest.raises(UnitError, match="pressure of A_g"):
        model.steady_state(500.0, {"A_g": "1 K", "B_g": 0.0})
    # quantities with units are accepted
    st = model.steady_state("500 K", {"A_g": "1 mbar", "B_g": 0.0})
    np.testing.assert_allclose(st.coverages["A*"], _analytic_closed_form(500.0, 100.0)["theta"], rtol=1e-10)


def test_non_convergence_is_a_convergence_error():
    model = MicrokineticModel(Mechanism.from_yaml(CO_OX), t_max=1e-15, max_newton=0)
    with pytest.raises(ConvergenceError, match="condition 0"):
        model.steady_state(500.0, CO_P)


def test_start_from_fully_covered_surface():
    """Starting from theta_O = 1 (a corner of the simplex where the linearisation misleads)
    reaches the same steady state as from the clean surface (1e-10 relative)."""
    model = MicrokineticModel(Mechanism.from_yaml(CO_OX))
    P = {"CO_g": np.logspace(-1, 2, 7), "O2_g": 100.0, "CO2_g": 0.0}
    clean = model.steady_state(600.0, P)
    oxide = model.steady_state(600.0, P, initial_coverages={"O*": 1.0})
    for sp in ("*", "CO*", "O*"):
        np.testing.assert_allclose(oxide.coverages[sp], clean.coverages[sp], rtol=1e-10)
    with pytest.raises(InputError, match="unknown species"):
        model.steady_state(600.0, P, initial_coverages={"X*": 1.0})
