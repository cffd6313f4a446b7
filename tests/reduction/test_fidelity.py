"""Fidelity checks flag non-physical surrogates (negative, non-symmetric, entropy-producing) and pass physical ones.

Physics checked: a conductivity is positive; the tangent of Fourier's law
q = -K grad T is symmetric (Onsager reciprocity) and negative definite, and the
entropy production -q.grad T / T^2 is non-negative (second law); de Groot & Mazur
(1962), Non-Equilibrium Thermodynamics, ch. IV.
"""

import numpy as np
import pytest

from scalebridge.core import FunctionModel, InputError, Port, Scale, chain
from scalebridge.core.checks import check_fidelity, run_checks
from scalebridge.reduction import Declarations, fidelity_checks, fit_surrogate, load_surrogate, save

CELL = Scale("10 um", np.inf, "cell")
KB = 8.617333262e-5  # eV/K


def by_name(results):
    return {r.name: r for r in results}


def fourier(conductivity):
    """A FunctionModel q = -k(f) grad T with a given k(f)."""
    def law(volume_fraction, gradient):
        return {"flux": -conductivity(volume_fraction)[:, None] * gradient}
    return FunctionModel(law, {"volume_fraction": Port(""), "gradient": Port("K/m", (2,))},
                         {"flux": Port("W/m^2", (2,))}, CELL, "fourier")


FLUX_BOUNDS = {"volume_fraction": (0.1, 0.4), "gradient": (-100.0, 100.0)}
FOURIER_DECLARED = Declarations(symmetric=(("flux", "gradient"),), negative_definite=(("flux", "gradient"),),
                                dissipative=(("flux", "gradient"),), rtol=1e-4,
                                entropy_production={"fourier": lambda x, y: -np.sum(y["flux"] * x["gradient"], axis=1)})


def test_a_physical_heat_flux_surrogate_passes():
    s = fit_surrogate(fourier(lambda f: 1 + 3 * f), "gp", FLUX_BOUNDS, 64, held_out=16, declarations=FOURIER_DECLARED)
    results = by_name(fidelity_checks(s))
    assert set(results) == {"held-out error flux", "symmetric flux/gradient", "negative definite flux/gradient",
                            "dissipation flux.gradient", "entropy production fourier"}
    assert all(r.passed for r in results.values()), [r.message for r in results.values() if not r.passed]


def test_an_entropy_producing_flux_law_is_flagged():
    """k(f) = 1 - 3f < 0 for f > 1/3: a surrogate of it pumps heat up the gradient somewhere."""
    s = fit_surrogate(fourier(lambda f: 1 - 3 * f), "pce", FLUX_BOUNDS, 64, degree=3, declarations=FOURIER_DECLARED)
    results = by_name(fidelity_checks(s))
    assert not results["dissipation flux.gradient"].passed
    assert not results["entropy production fourier"].passed
    assert not results["negative definite flux/gradient"].passed
    assert results["symmetric flux/gradient"].passed
    assert results["dissipation flux.gradient"].data["max_flux_dot_gradient"] > 0


def test_a_non_symmetric_tangent_is_flagged():
    """q = -K g with K = [[2, 0.5], [0, 2]]: dissipative (K + K^T positive definite) but not symmetric."""
    K = np.array([[2.0, 0.5], [0.0, 2.0]])

    def law(gradient):
        return {"flux": -gradient @ K.T}, {("flux", "gradient"): np.broadcast_to(-K, (len(gradient), 2, 2))}

    model = FunctionModel(law, {"gradient": Port("K/m", (2,))}, {"flux": Port("W/m^2", (2,))}, CELL, "skewed")
    declared = Declarations(symmetric=(("flux", "gradient"),), negative_definite=(("flux", "gradient"),),
                            dissipative=(("flux", "gradient"),))
    results = by_name(fidelity_checks(model, declared, bounds={"gradient": (-1, 1)}))
    assert not results["symmetric flux/gradient"].passed
    # |K - K^T| / |K| in the Frobenius norm
    assert results["symmetric flux/gradient"].data["max_asymmetry"] == pytest.approx(np.sqrt(0.5 / 8.25))
    assert results["negative definite flux/gradient"].passed and results["dissipation flux.gradient"].passed


ARRHENIUS = FunctionModel(lambda temperature: {"conductivity": 1e5 * np.exp(-1.0 / (KB * temperature))},
                          {"temperature": Port("K")}, {"conductivity": Port("S/m")}, CELL, "ionic conductor")


def test_a_cubic_pce_of_an_arrhenius_conductivity_goes_negative_outside_its_box():
    """sigma = sigma0 exp(-Ea/kT), Ea = 1 eV, fitted on 550-650 K: fine inside, negative at ~500 K."""
    declared = Declarations(positive=("conductivity",), margin=0.5, monotone=(("conductivity", "temperature", 1),))
    pce = fit_surrogate(ARRHENIUS, "pce", {"temperature": ("550 K", "650 K")}, 32, degree=3, declarations=declared)
    results = by_name(fidelity_checks(pce))
    assert results["positive conductivity in the box"].passed
    outside = results["positive conductivity with margin 0.5 outside the box"]
    assert not outside.passed and outside.data["min_value"] < 0 and "at inputs" in outside.message
    assert results["monotone conductivity/temperature"].passed
    # a GP of ln(sigma) is positive by construction, also outside the box
    gp = fit_surrogate(ARRHENIUS, "gp", {"temperature": ("550 K", "650 K")}, 32, declarations=declared,
                       log_outputs=["conductivity"])
    assert all(r.passed for r in fidelity_checks(gp))


def test_wrong_monotonicity_and_held_out_tolerance_fail():
    declared = Declarations(monotone=(("conductivity", "temperature", -1),), tolerance=1e-9)
    s = fit_surrogate(ARRHENIUS, "pce", {"temperature": ("550 K", "650 K")}, 32, degree=4, held_out=8,
                      declarations=declared)
    results = by_name(fidelity_checks(s))
    assert not results["monotone conductivity/temperature"].passed
    assert not results["held-out error conductivity"].passed
    assert results["held-out error conductivity"].data["max_relative_error"] < 1e-2


def selectivity(x):
    """Two selectivities that must sum to one (a balance the surrogate has to keep)."""
    a = 1 / (1 + np.exp(-x))
    return {"selectivity_a": a, "selectivity_b": 1 - a}


SELECTIVITY = FunctionModel(selectivity, {"x": Port("")}, {"selectivity_a": Port(""), "selectivity_b": Port("")},
                            CELL, "selectivity")


def test_conservation_residual_must_vanish(tmp_path):
    """Least squares is linear in the data, so a PCE keeps a linear balance exactly."""
    def balance(x, y):
        return y["selectivity_a"] + y["selectivity_b"] - 1

    def wrong(x, y):
        return y["selectivity_a"] - y["selectivity_b"]

    declared = Declarations(conserved={"sum of selectivities": balance, "equal split": wrong})
    s = fit_surrogate(SELECTIVITY, "pce", {"x": (-2, 2)}, 32, degree=5, declarations=declared)
    results = by_name(fidelity_checks(s))
    assert results["conservation sum of selectivities"].passed
    assert results["conservation sum of selectivities"].data["max_residual"] < 1e-12
    assert not results["conservation equal split"].passed
    # functions are not saved: after loading they must be given again, else the check fails
    path = save(s, tmp_path / "selectivity.npz")
    unchecked = by_name(fidelity_checks(load_surrogate(path)))
    assert not unchecked["conservation sum of selectivities"].passed
    assert "load_surrogate" in unchecked["conservation sum of selectivities"].message
    restored = by_name(fidelity_checks(load_surrogate(path, functions={"sum of selectivities": balance,
                                                                       "equal split": wrong})))
    assert restored["conservation sum of selectivities"].passed


def test_run_checks_includes_the_fidelity_of_surrogates_in_a_tree():
    declared = Declarations(positive=("conductivity",), margin=0.5)
    pce = fit_surrogate(ARRHENIUS, "pce", {"temperature": ("550 K", "650 K")}, 32, degree=3, declarations=declared)
    resistor = FunctionModel(lambda conductivity: {"resistance": 1 / conductivity}, {"conductivity": Port("S/m")},
                             {"resistance": Port("ohm*m")}, Scale("1 cm", np.inf, "device"), "resistor")
    tree = chain(pce, resistor, name="device")
    fidelity = check_fidelity(tree)
    assert [r.name for r in fidelity] == [f"{pce.name}: positive conductivity in the box",
                                          f"{pce.name}: positive conductivity with margin 0.5 outside the box"]
    names = [r.name for r in run_checks(tree)]
    assert names[-2:] == [r.name for r in fidelity] and any(n.startswith("units") for n in names)


def test_declarations_are_checked():
    with pytest.raises(InputError, match="sign"):
        Declarations(monotone=(("y", "x", 2),))
    with pytest.raises(InputError, match="unknown ports"):
        fit_surrogate(ARRHENIUS, "pce", {"temperature": (550, 650)}, 16, degree=2,
                      declarations=Declarations(positive=("resistance",)))
    with pytest.raises(InputError, match="no input box"):
        fidelity_checks(ARRHENIUS, Declarations(positive=("conductivity",)))
