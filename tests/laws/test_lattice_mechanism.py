"""One mechanism, two descriptions: the shipped CO-oxidation mechanism as lattice kMC processes."""

import numpy as np
import pytest
import yaml

pytest.importorskip("numba")

from scalebridge.apps.catalysis import SCENARIOS  # noqa: E402
from scalebridge.core.errors import InputError  # noqa: E402
from scalebridge.laws.lattice_mechanism import lattice_mechanism  # noqa: E402
from scalebridge.laws.mechanism import Mechanism  # noqa: E402
from scalebridge.laws.microkinetics import MicrokineticModel  # noqa: E402
from scalebridge.solvers.kmc import PairProcess, SiteProcess, sample_steady_state_events, square_lattice  # noqa: E402

# a reactive condition of the Deutschmann (1996) Pt mechanism: theta_* = 0.18, CO* 0.09, O* 0.73 in mean field
T, FEED = 750.0, {"CO_g": 200.0, "O2_g": 21e3, "CO2_g": 0.0}


@pytest.fixture(scope="module")
def mechanism():
    return Mechanism.from_dict(yaml.safe_load(SCENARIOS["co_oxidation"].read_text())["mechanism"])


def test_steps_become_site_and_pair_processes_with_the_mean_field_rate_constants(mechanism):
    lm = lattice_mechanism(mechanism, T, FEED, hop_rate=1e6, interactions={("CO*", "CO*"): "0.1 eV"})
    kf, kr = mechanism.rate_constants(T, FEED)
    p = {x.name: x for x in lm.processes}
    assert lm.species == ["CO*", "O*"]
    assert p["CO_adsorption forward"] == SiteProcess("CO_adsorption forward", "*", "CO*", kf[0], False, {"CO_g": -1})
    assert p["CO_adsorption reverse"] == SiteProcess("CO_adsorption reverse", "CO*", "*", kr[0], True, {"CO_g": 1})
    assert p["O2_adsorption forward"] == PairProcess("O2_adsorption forward", ("*", "*"), ("O*", "O*"), kf[1],
                                                     False, {"O2_g": -1})
    assert p["CO_oxidation forward"] == PairProcess("CO_oxidation forward", ("CO*", "O*"), ("*", "*"), kf[2],
                                                    True, {"CO2_g": 1})
    assert "CO_oxidation reverse" not in p
    assert p["O* hop"].initial == ("O*", "*") and p["O* hop"].rate == 1e6
    # 0.1 eV / k_B T at 750 K
    assert lm.interactions[("CO*", "CO*")] == pytest.approx(0.1 / (8.617333262e-5 * 750), rel=1e-9)


def test_bad_input_is_named(mechanism):
    with pytest.raises(InputError, match="pair of adsorbates"):
        lattice_mechanism(mechanism, T, FEED, interactions={("CO*", "X*"): 0.0})
    with pytest.raises(InputError, match="unknown adsorbate"):
        lattice_mechanism(mechanism, T, FEED, hop_rate={"H*": 1.0})
    three = Mechanism.from_dict({"steps": [{"equation": "A_g + 3* -> 3A*", "forward": {"arrhenius": {
        "prefactor": "1 1/(s*Pa)", "activation_energy": "0 eV"}}}]})
    with pytest.raises(InputError, match="involves 3 sites"):
        lattice_mechanism(three, T, {"A_g": 1.0})


def test_well_mixed_kmc_tof_matches_the_mean_field_steady_state(mechanism):
    """Fast diffusion (Da = k_LH / Gamma = 0.01), no interactions: kMC TOF and coverages = the mean-field
    steady state of the same mechanism (Jansen 2012, sec. 4.5: mean field is the kMC master equation
    without pair correlations) within 3 block standard errors. Measured (seed 0): TOF 3.05e4 +- 0.06e4
    vs 3.155e4 1/s."""
    mf = MicrokineticModel(mechanism).steady_state(T, FEED)
    sim = lattice_mechanism(mechanism, T, FEED, hop_rate=5e7).simulation(square_lattice(20), seed=0)
    s = sample_steady_state_events(sim, 3_000_000)
    tof, err, tof_mf = s.tof["CO2_g"], s.tof_errors["CO2_g"], float(mf.turnover_frequency("CO2_g"))
    print(f"kMC TOF {tof:.4e} +- {err:.2e}, mean field {tof_mf:.4e}")
    assert err / tof < 0.03
    assert abs(tof - tof_mf) < 3 * err
    for sp in ("*", "CO*", "O*"):
        assert abs(s.coverages[sp] - float(mf.coverages[sp])) < 3 * s.coverage_errors[sp] + 1e-3


STEPPED = {"name": "A on terraces and step edges", "steps": [
    {"name": "terrace", "equation": "A_g + * <-> A*",
     "forward": {"arrhenius": {"prefactor": "1 1/(s*Pa)", "activation_energy": "0 eV"}},
     "reverse": {"arrhenius": {"prefactor": "300 1/s", "activation_energy": "0 eV"}}},
    {"name": "step", "equation": "A_g + * <-> A*",
     "forward": {"arrhenius": {"prefactor": "1 1/(s*Pa)", "activation_energy": "0 eV"}},
     "reverse": {"arrhenius": {"prefactor": "20 1/s", "activation_energy": "0 eV"}}},
    {"name": "B2_ads", "equation": "B2_g + 2* <-> 2B*",
     "forward": {"arrhenius": {"prefactor": "1 1/(s*Pa)", "activation_energy": "0 eV"}},
     "reverse": {"arrhenius": {"prefactor": "100 1/s", "activation_energy": "0 eV"}}}]}


def test_site_types_give_the_langmuir_isotherm_of_each_kind_of_site():
    """Terraces (3 rows of 4) bind A weakly (K = 1/300 1/Pa), step edges (every fourth row) strongly
    (K = 1/20 1/Pa); without interactions the sites are independent, so the total coverage is the
    site-fraction-weighted Langmuir isotherm theta = 3/4 K_t p/(1 + K_t p) + 1/4 K_s p/(1 + K_s p)
    (Langmuir 1918; Masel 1996, Principles of Adsorption and Reaction on Solid Surfaces, sec. 4.6):
    0.1875 + 0.2083 = 0.3958 at p = 100 Pa (measured 0.3964 +- 0.0005, seed 1). B2 adsorbs only on a pair of step sites, so no B* is ever on a
    terrace."""
    from scalebridge.laws.lattice_mechanism import row_site_types

    mech = Mechanism.from_dict(STEPPED)
    lm = lattice_mechanism(mech, 300.0, {"A_g": 100.0, "B2_g": 0.0}, sites={"terrace": 0, "step": 1,
                                                                          "B2_ads": ((1,), (1,))})
    types = row_site_types(16, (0, 0, 0, 1))
    assert types.reshape(16, 16)[:, 0].tolist() == [0, 0, 0, 1] * 4
    sim = lm.simulation(square_lattice(16), seed=1, site_types=types)
    s = sample_steady_state_events(sim, 400_000)
    exact = 0.75 * (100 / 300) / (1 + 100 / 300) + 0.25 * (100 / 20) / (1 + 100 / 20)
    print(f"theta_A kMC {s.coverages['A*']:.4f} +- {s.coverage_errors['A*']:.4f}, exact {exact:.4f}")
    assert abs(s.coverages["A*"] - exact) < 3 * s.coverage_errors["A*"]

    lm = lattice_mechanism(mech, 300.0, {"A_g": 0.0, "B2_g": 100.0}, sites={"B2_ads": ((1,), (1,))})
    sim = lm.simulation(square_lattice(16), seed=2, site_types=types)
    sim.run(max_events=20_000)
    on = sim.snapshot().ravel() == lm.species.index("B*") + 1
    assert on.any() and np.all(types[on] == 1)


def test_site_types_of_unknown_steps_or_bad_rows_are_named():
    from scalebridge.laws.lattice_mechanism import row_site_types

    with pytest.raises(InputError, match=r"unknown step\(s\) \['kink'\]"):
        lattice_mechanism(Mechanism.from_dict(STEPPED), 300.0, {"A_g": 1.0, "B2_g": 0.0}, sites={"kink": 2})
    with pytest.raises(InputError, match="divides L"):
        row_site_types(10, (0, 0, 1))
