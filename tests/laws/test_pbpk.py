"""PBPK and QSP laws: mass balance, one-compartment and well-stirred closed forms, Css = R/CL, occupancy, Loewe."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.laws.pharmacodynamics import (BindingParameters, loewe_combination_index, simulate_qsp,
                                               steady_state_effect, steady_state_occupancy)
from scalebridge.laws.pharmacokinetics import (Dose, DrugDisposition, Physiology, one_compartment_system,
                                               pbpk_system, simulate_linear, steady_state_concentration)

H, L, MG = 3600.0, 1e-3, 1e-6
PHYS = Physiology.reference_man()
DRUG = DrugDisposition({"liver": 3.0, "kidney": 2.5, "muscle": 1.5, "adipose": 4.0, "rest": 2.0, "lung": 2.0},
                       {"liver": 60 * L / H, "kidney": 8 * L / H}, absorption_rate=1.0 / H, bioavailability=0.6)


def test_mass_balance_of_mixed_regimen():
    """Sum over all compartments + eliminated + unabsorbed = dose given so far, to 1e-10 (exact propagation)."""
    doses = [Dose("iv_bolus", amount=20 * MG), Dose("infusion", start=2 * H, rate=3 * MG / H, duration=6 * H,
                                                    interval=24 * H, count=3),
             Dose("oral", start=1 * H, amount=50 * MG, interval=12 * H, count=6)]
    sol = simulate_linear(pbpk_system(PHYS, DRUG), doses, np.linspace(0, 80 * H, 641))
    assert sol.mass_balance_error.max() < 1e-10
    assert sol.dosed[-1] == pytest.approx((20 + 3 * 18 + 300) * MG)
    assert np.all(sol.amounts > -1e-18)


def test_one_compartment_reproduces_exponential_decay():
    """C(t) = D/V exp(-CL t / V) (e.g. Rowland & Tozer 2011, ch. 3) to 1e-12 relative."""
    V, CL, D = 40 * L, 5 * L / H, 100 * MG
    t = np.linspace(0, 48 * H, 97)
    c = simulate_linear(one_compartment_system(V, CL), [Dose("iv_bolus", amount=D)], t).concentration("central")
    assert np.max(np.abs(c - D / V * np.exp(-CL / V * t))) < 1e-12 * D / V


def test_oral_one_compartment_bateman():
    """Oral dose, first-order absorption: the Bateman function F D ka/(V(ka-k)) (e^-kt - e^-ka t)."""
    V, CL, D, ka = 40 * L, 5 * L / H, 100 * MG, 1.2 / H
    system = one_compartment_system(V, CL)
    # a depot feeding the central compartment: extend the one-compartment matrix
    M = np.zeros((3, 3))
    M[:2, :2] = system.matrix
    M[2, 2], M[0, 2] = -ka, ka
    from scalebridge.laws.pharmacokinetics import PBPKSystem
    s = PBPKSystem(M, ["central", "eliminated", "gut"], np.array([V, np.nan, np.nan]), 0, 2, np.array([1, np.nan, np.nan]))
    t = np.linspace(0, 24 * H, 49)
    c = simulate_linear(s, [Dose("oral", amount=D)], t).concentration("central")
    k = CL / V
    assert np.max(np.abs(c - D * ka / (V * (ka - k)) * (np.exp(-k * t) - np.exp(-ka * t)))) < 1e-12 * D / V


def test_well_stirred_limit_is_one_compartment():
    """Blood flows 1e6 x the reference: every organ equilibrates and the PBPK model is one compartment with
    V = V_ss = sum K_p V and CL = sum CL_int. The correction is first order in CL/Q (~1e-9 per organ, times
    k t ~ 10 over the day): agreement to 1e-4 after distribution."""
    fast = Physiology(PHYS.arterial_volume, PHYS.venous_volume, PHYS.lung_volume, PHYS.organ_volumes,
                      {k: 1e6 * q for k, q in PHYS.organ_flows.items()})
    system = pbpk_system(fast, DRUG)
    Vss = PHYS.arterial_volume + PHYS.venous_volume + 2.0 * PHYS.lung_volume + sum(
        DRUG.partition[o] * v for o, v in PHYS.organ_volumes.items())
    CL = sum(DRUG.intrinsic_clearance.values())
    D = 100 * MG
    t = np.linspace(1 * H, 24 * H, 24)
    c = simulate_linear(system, [Dose("iv_bolus", amount=D)], t).concentration("arterial")
    assert np.max(np.abs(c / (D / Vss * np.exp(-CL / Vss * t)) - 1)) < 1e-4


def test_steady_state_infusion_css_equals_rate_over_clearance():
    """Css = R / sum_i Q_i CL_int,i/(Q_i + CL_int,i) (well-stirred clearance, Rowland, Benet & Graham 1973)."""
    R = 5 * MG / H
    sol = simulate_linear(pbpk_system(PHYS, DRUG), [Dose("infusion", rate=R, duration=2000 * H)], np.array([1500 * H]))
    css = steady_state_concentration(R, PHYS, DRUG)
    assert sol.concentration("arterial")[0] == pytest.approx(css, rel=1e-10)


def test_occupancy_relaxes_to_emax_closed_form():
    """Constant concentration: o -> c/(c + K_D) (Langmuir/Hill); competitive: (c/K1)/(1 + c1/K1 + c2/K2) (Gaddum 1937)."""
    drugs = [BindingParameters(1e2, 1e-2), BindingParameters(4e2, 1e-2)]
    t = np.linspace(0, 4 * H, 17)
    c = np.zeros((3, 2, t.size))
    c[0, 0], c[1, 1], c[2] = 2e-4, 5e-5, 1e-4
    for mechanism in ("independent_targets", "shared_target"):
        sol = simulate_qsp(t, c, drugs, mechanism, 0.0, 0.0)
        expected = steady_state_occupancy(c[:, :, -1], drugs, mechanism)
        assert np.allclose(sol.occupancy[:, :, -1], expected, rtol=1e-6, atol=1e-9)


def test_tumour_log_kill_at_constant_effect():
    """Constant occupancy -> constant effect E: N/N0 = exp((k_g - k_max E) t)."""
    d = BindingParameters(1e2, 1e-2, 0.5, 2.0)
    t = np.linspace(0, 48 * H, 49)
    c = np.full((1, 1, t.size), 1e-4)
    kg, kmax = np.log(2) / (5 * 24 * H), 0.6 / (24 * H)
    sol = simulate_qsp(t, c, [d], "independent_targets", kg, kmax)
    E = steady_state_effect(np.array([1e-4]), [d], "independent_targets")
    late = t > 2 * H   # after binding equilibrates (1/(kon c + koff) = 50 s)
    rate = np.diff(np.log(sol.tumour[0, late])) / np.diff(t[late])
    assert np.allclose(rate, kg - kmax * E, rtol=1e-5)


def test_sham_combination_has_combination_index_one():
    """A drug combined with itself is Loewe additive: CI = 1 (Loewe & Muischnek 1926; Berenbaum 1989)."""
    d = BindingParameters(1e2, 1e-2, 0.4, 1.7)
    c1, c2 = np.meshgrid(np.linspace(0, 1e-3, 25), np.linspace(0, 1e-3, 25), indexing="ij")
    effect = steady_state_effect(np.stack([c1, c2], -1), [d, d], "shared_target")
    ci = loewe_combination_index(c1, c2, effect, d, d)
    assert np.nanmax(np.abs(ci - 1)) < 1e-12
    assert np.isnan(ci[0, 0]) and np.isfinite(ci[1:, 1:]).all()


def test_bad_inputs_name_the_key():
    with pytest.raises(InputError, match="partition"):
        pbpk_system(PHYS, DrugDisposition({"liver": 1.0}, {}))
    with pytest.raises(InputError, match="infusion"):
        Dose("infusion", rate=1e-9)
    with pytest.raises(InputError, match="koff"):
        BindingParameters(1.0, -1.0)
