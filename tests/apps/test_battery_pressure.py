"""Single-particle charging under pressure: rate limitation and minimum charging time (apps.battery.pressure)."""

import numpy as np
import pytest

from scalebridge.apps.battery.pressure import (FARADAY, ChargingParticle, charge_particle, max_charging_rate,
                                               pressure_study, pressure_study_figure)
from scalebridge.core.errors import InputError


def test_activation_volume_laws():
    """D(p) = D0 exp(-p dV_D/RT), k(p) = k0 exp(-p dV_k/RT) (Glasstone, Laidler & Eyring 1941, ch. 8)."""
    part = ChargingParticle()
    D, k = part.at_pressure(1e9)
    RT = 8.314462618 * part.temperature
    assert D == pytest.approx(part.diffusivity * np.exp(-1e9 * 4e-6 / RT))
    assert k == pytest.approx(part.rate_constant * np.exp(-1e9 * 1e-6 / RT))


def test_slow_charge_reaches_target_with_parabolic_gap():
    """At 0.3 C the charge stops at the target after Q/i exactly (conservation), with the quasi-steady surface
    excess c_s - c_avg = i R/(5 F D) (Crank 1975, sec. 6.3, parabolic profile) within 1 %."""
    part = ChargingParticle()
    res = charge_particle(part, 0.3)
    assert res.cutoff == "target"
    assert res.time == pytest.approx(0.6 * 3600 / 0.3, rel=1e-9)
    gap = res.current_density * part.radius / (5 * FARADAY * part.diffusivity * part.max_concentration)
    assert res.surface_stoichiometry[-1] - res.mean_stoichiometry[-1] == pytest.approx(gap, rel=0.01)


def test_limits_match_closed_forms():
    """Diffusion-limited (eta_max = 10 V): max rate = 5 F D c_max (x_sat - x_t)/R (parabolic profile) within 1.5 %;
    kinetics-limited (D x 1e4): max rate = 2 i0(x_t) sinh(F eta_max/2RT) (Butler–Volmer) within 1.5 %."""
    part = ChargingParticle(max_overpotential=10.0)
    rate, cut = max_charging_rate(part, bracket=(0.5, 20.0), rtol=2e-3, n_steps=300)
    i_D = 5 * FARADAY * part.diffusivity * part.max_concentration * (0.9014 - 0.8) / part.radius
    assert cut == "saturation" and rate == pytest.approx(i_D / part.one_c_current, rel=0.015)
    fast = ChargingParticle(diffusivity=3.3e-10)
    rate, cut = max_charging_rate(fast, bracket=(0.1, 10.0), rtol=2e-3)
    i0 = fast.rate_constant * np.sqrt(1000.0 * 0.8 * 0.2) * fast.max_concentration
    i_k = 2 * i0 * np.sinh(FARADAY * 0.1 / (2 * 8.314462618 * 298.15))
    assert cut == "overpotential" and rate == pytest.approx(i_k / fast.one_c_current, rel=0.015)


def test_pressure_study_switches_from_kinetics_to_diffusion(tmp_path):
    """With dV_D > dV_k, rising pressure slows diffusion faster than kinetics: the limitation switches from the
    overpotential to the saturation cut-off, near where the closed-form limits cross, and the minimum charging time
    rises monotonically."""
    study = pressure_study([0.0, 1.0e9, 2.0e9], rtol=1e-2, n_steps=120)
    assert study.limiting[0] == "kinetics" and study.limiting[-1] == "diffusion"
    assert np.all(np.diff(study.min_charging_time) > 0)
    assert np.all(np.diff(study.diffusion_time / study.kinetic_time) > 0)
    assert study.crossover_bracket[0] <= 1.0e9 and 1.0e9 <= study.crossover_estimate <= 2.0e9
    fig = pressure_study_figure(study)
    fig.savefig(tmp_path / "pressure.png")


def test_bad_input_is_named():
    with pytest.raises(InputError, match="stoichiometry"):
        ChargingParticle(target_stoichiometry=0.95)
    with pytest.raises(InputError, match="pressure"):
        ChargingParticle().at_pressure(-1.0)
    with pytest.raises(InputError, match="pressures"):
        pressure_study([np.nan])
