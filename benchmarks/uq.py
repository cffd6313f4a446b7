"""Model evaluations needed by PCE vs MC for 1 % accuracy, on the CO-oxidation microkinetic chain.

Case (a): the turnover frequency (TOF) of CO oxidation on Pt (the shipped
mechanism of ``apps/catalysis``, Deutschmann et al. 1996) at 650 K, 20 Pa CO and
21 kPa O2, with three uncertain barrier shifts, each uniform on +-0.15 eV: CO
desorption, O2 desorption and CO oxidation (rate constants multiplied by
exp(-dE / k_B T)). Every evaluation is one steady-state solve of the mean-field
network (batched). The reference is a Gauss-quadrature PCE of order 14 (15^3 nodes),
checked against order 12.

* PCE by regression, order p = 1, 2, ...: evaluations (the power of 2 at or above
  2P) until the mean TOF is within 1 % and every Sobol' index within 0.01 of the reference.
* MC: evaluations for a 95 % confidence half-width of 1 % of the mean,
  N = (1.96 CV / 0.01)^2 (CV from the reference), checked on 8 seeded runs.
* Saltelli sampling (Sobol' points): N (d + 2) evaluations until every index is within 0.01.

Case (b): first-order and total Sobol' indices from the coefficients of a 3-input,
order-8 expansion (165 terms, Ishigami function): ours
(``PolynomialChaosSurrogate.sobol_indices``) vs chaospy's generic ``Sens_m`` on the
same expansion. Prints tables and the machine. Run: ``python benchmarks/uq.py``.
"""

import os
import platform
import time

import numpy as np
import yaml
from scipy.constants import k as k_B

from scalebridge.apps.catalysis import SCENARIOS
from scalebridge.core import FunctionModel, Port, Scale
from scalebridge.laws.mechanism import Mechanism
from scalebridge.uq import Uncertain, Uniform, propagate, saltelli

T, PRESSURES, WIDTH = 650.0, {"CO_g": 20.0, "O2_g": 2.1e4, "CO2_g": 0.0}, 0.15
SHIFTS = ("co_desorption", "o2_desorption", "co_oxidation")


def catalysis_model() -> FunctionModel:
    """TOF (1/s per site) of the shipped CO-oxidation mechanism as a function of three barrier shifts (J)."""
    mechanism = Mechanism.from_dict(yaml.safe_load(SCENARIOS["co_oxidation"].read_text())["mechanism"])
    kf, kr = mechanism.rate_constants(np.array([T]), PRESSURES)
    stoich = (mechanism.gas_product_orders - mechanism.gas_reactant_orders)[:, mechanism.gases.index("CO2_g")]

    def co_oxidation_tof(co_desorption, o2_desorption, co_oxidation):
        n = len(co_desorption)
        forward, reverse = np.repeat(kf, n, axis=0), np.repeat(kr, n, axis=0)
        reverse[:, 0] *= np.exp(-co_desorption / (k_B * T))
        reverse[:, 1] *= np.exp(-o2_desorption / (k_B * T))
        forward[:, 2] *= np.exp(-co_oxidation / (k_B * T))
        return {"tof": mechanism.network.steady_state(forward, reverse).net_rates @ stoich}

    return FunctionModel(co_oxidation_tof, {k: Port("eV") for k in SHIFTS}, {"tof": Port("1/s")},
                         Scale(5e-8, float("inf"), "surface"), "co_oxidation_tof")


INPUTS = [Uncertain(k, Uniform(f"{-WIDTH} eV", f"{WIDTH} eV"), "epistemic") for k in SHIFTS]


def indices(first, total):
    return np.array([[float(first["tof"][k]) for k in SHIFTS], [float(total["tof"][k]) for k in SHIFTS]])


def catalysis_case(model):
    t0 = time.perf_counter()
    reference = propagate(model, INPUTS, "pce", order=14, rule="quadrature")
    check = propagate(model, INPUTS, "pce", order=12, rule="quadrature")
    mean, std = float(reference.mean["tof"]), float(reference.std["tof"])
    s_ref = indices(reference.sobol_first, reference.sobol_total)
    print(f"reference: PCE quadrature order 14 ({reference.n_evaluations} evaluations, "
          f"{time.perf_counter() - t0:.1f} s for both reference fits): mean TOF {mean:.4g} 1/s, "
          f"CV {std / mean:.3f}; order 12 differs by {abs(check.mean['tof'] / mean - 1):.1e} (mean), "
          f"{np.abs(indices(check.sobol_first, check.sobol_total) - s_ref).max():.1e} (indices)")
    print("Sobol' indices (first; total): " + ", ".join(f"{k} {a:.3f}; {b:.3f}" for k, a, b in
                                                          zip(SHIFTS, *s_ref)))

    print(f"\n{'PCE regression order':<22}{'evaluations':>12}{'mean rel. error':>17}{'max index error':>17}")
    pce_mean = pce_sobol = None
    for order in range(1, 11):
        r = propagate(model, INPUTS, "pce", order=order, seed=1)
        err_mean = abs(float(r.mean["tof"]) / mean - 1)
        err_s = np.abs(indices(r.sobol_first, r.sobol_total) - s_ref).max()
        print(f"{order:<22}{r.n_evaluations:>12}{err_mean:>17.2e}{err_s:>17.3f}")
        pce_mean = pce_mean or (r.n_evaluations if err_mean < 0.01 else None)
        pce_sobol = pce_sobol or (r.n_evaluations if err_s < 0.01 else None)
        if pce_mean and pce_sobol:
            break

    n_mc = int(np.ceil((1.96 * std / mean / 0.01) ** 2))
    runs = [propagate(model, INPUTS, "mc", n=n_mc, seed=s) for s in range(8)]
    within = np.mean([abs(float(r.mean["tof"]) / mean - 1) < 0.01 for r in runs])

    print(f"\n{'Saltelli N':<22}{'evaluations':>12}{'max index error':>17}{'max CI width':>14}")
    sal = None
    for k in range(6, 13):
        s = saltelli(model, INPUTS, n=2**k, seed=k)
        err = np.abs(indices(s.first, s.total) - s_ref).max()
        width = max(float(np.ptp(iv["tof"][j])) for iv in (s.first_interval, s.total_interval) for j in SHIFTS)
        print(f"{2**k:<22}{s.n_evaluations:>12}{err:>17.3f}{width:>14.3f}")
        sal = None if err >= 0.01 else (sal or s.n_evaluations)
    return pce_mean, pce_sobol, n_mc, within, sal


def sobol_timing():
    import chaospy

    def ishigami(x1, x2, x3):
        return {"y": np.sin(x1) + 7 * np.sin(x2) ** 2 + 0.1 * x3**4 * np.sin(x1)}

    model = FunctionModel(ishigami, {k: Port("") for k in ("x1", "x2", "x3")}, {"y": Port("")}, Scale(1, 1), "ish")
    r = propagate(model, [Uncertain(k, Uniform(-np.pi, np.pi)) for k in ("x1", "x2", "x3")], "pce", order=8)
    pce = r.surrogate
    best = np.inf
    for _ in range(5):
        t0 = time.perf_counter()
        ours = (pce.sobol_indices(), pce.sobol_indices(total=True))
        best = min(best, time.perf_counter() - t0)
    joint = chaospy.J(*[chaospy.Uniform(-np.pi, np.pi) for _ in range(3)])
    x = np.stack([r.inputs[k] for k in ("x1", "x2", "x3")])
    poly = chaospy.fit_regression(chaospy.generate_expansion(8, joint, normed=True), x, r.outputs["y"])
    t0 = time.perf_counter()
    theirs = chaospy.Sens_m(poly, joint)
    t_chaospy = time.perf_counter() - t0
    diff = np.abs(np.array([ours[0]["y"][k] for k in ("x1", "x2", "x3")]) - theirs).max()
    return len(pce.exponents), best, t_chaospy, diff


def main():
    print(f"machine: {platform.machine()} {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"(a) CO oxidation on Pt, {T:g} K: TOF with 3 barrier shifts ~ U(-{WIDTH}, {WIDTH}) eV\n")
    model = catalysis_model()
    t0 = time.perf_counter()
    model.evaluate({k: np.zeros(1024) for k in SHIFTS})
    per_eval = (time.perf_counter() - t0) / 1024
    pce_mean, pce_sobol, n_mc, within, sal = catalysis_case(model)
    print(f"\n{'target (1 %)':<34}{'PCE evaluations':>16}{'sampling evaluations':>22}{'ratio':>8}")
    print(f"{'mean TOF within 1 %':<34}{pce_mean:>16}{n_mc:>22}{n_mc / pce_mean:>8.1f}"
          f"   (MC: {within:.0%} of 8 runs within 1 %)")
    print(f"{'Sobol indices within 0.01':<34}{pce_sobol:>16}{sal:>22}{sal / pce_sobol:>8.1f}"
          "   (Saltelli, Sobol' points)")
    print(f"one batched steady-state evaluation: {1e3 * per_eval:.2f} ms")

    terms, ours, theirs, diff = sobol_timing()
    print(f"\n(b) Sobol' indices from a 3-input order-8 PCE ({terms} terms)")
    print(f"{'case':<44}{'time [s]':>12}{'ratio':>10}")
    print(f"{'ours: first + total from coefficients':<44}{ours:>12.2e}{1.0:>10.1f}")
    print(f"{'chaospy.Sens_m (first order only)':<44}{theirs:>12.2e}{theirs / ours:>10.0f}")
    print(f"max difference of first-order indices: {diff:.1e}")


if __name__ == "__main__":
    main()
