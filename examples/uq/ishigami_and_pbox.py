"""Sobol' indices of the Ishigami function and the p-box of an interval-shifted Gaussian.

Usage::

    python examples/uq/ishigami_and_pbox.py [OUTDIR]

Left: first-order and total Sobol' indices of the Ishigami function
y = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1, x_i ~ U(-pi, pi) (Ishigami & Homma 1990),
from an order-12 polynomial chaos expansion (2048 evaluations) and from Saltelli
sampling with 95 % bootstrap intervals (N = 4096, 20480 evaluations), against the
closed forms of Sobol' & Levitan (1999). Right: nested propagation of y = e + x with
e in [-0.5, 1] eV (epistemic interval) and x ~ N(0, 1 eV) (aleatoric): the p-box,
with the analytic envelopes Phi(y - e2) <= F(y) <= Phi(y - e1) (Ferson et al. 2003).
Writes ``uq.png`` to OUTDIR (default: current directory).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from scipy import stats

from scalebridge.core import FunctionModel, Port, Scale
from scalebridge.uq import (Interval, Normal, Uncertain, Uniform, nested, plot_pbox, plot_sobol, propagate, saltelli,
                            sobol_from_chaos)

A, B = 7.0, 0.1
EV = 1.602176634e-19


def ishigami(x1, x2, x3):
    return {"y": np.sin(x1) + A * np.sin(x2) ** 2 + B * x3**4 * np.sin(x1)}


def ishigami_exact():
    """Sobol' & Levitan (1999): V1 = (1 + b pi^4/5)^2/2, V2 = a^2/8, V13 = 8 b^2 pi^8/225."""
    v1, v2, v13 = 0.5 * (1 + B * np.pi**4 / 5) ** 2, A**2 / 8, 8 * B**2 * np.pi**8 / 225
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def shifted(e, x):
    return {"y": e + x}


def main(outdir: Path) -> None:
    model = FunctionModel(ishigami, {k: Port("") for k in ("x1", "x2", "x3")}, {"y": Port("")}, Scale(1, 1),
                          "ishigami")
    inputs = [Uncertain(k, Uniform(-np.pi, np.pi)) for k in ("x1", "x2", "x3")]
    pce = sobol_from_chaos(propagate(model, inputs, "pce", n=2048, order=12, seed=1).surrogate)
    sampled = saltelli(model, inputs, n=4096, seed=3)
    first, total = ishigami_exact()
    for name, s in (("PCE", pce), ("Saltelli", sampled)):
        err = max(abs(s.first["y"][k] - f) for k, f in zip(("x1", "x2", "x3"), first))
        print(f"{name:9s} S1 {[round(float(s.first['y'][k]), 4) for k in ('x1', 'x2', 'x3')]}  "
              f"ST {[round(float(s.total['y'][k]), 4) for k in ('x1', 'x2', 'x3')]}  max |S1 error| {err:.4f}")

    pmodel = FunctionModel(shifted, {"e": Port("eV"), "x": Port("eV")}, {"y": Port("eV")}, Scale(1e-9, 1e-12),
                           "shift")
    pbox = nested(pmodel, [Uncertain("e", Interval("-0.5 eV", "1 eV"), "epistemic"),
                           Uncertain("x", Normal("0 eV", "1 eV"))], inner=2048, seed=0)["y"]

    fig = Figure(figsize=(10, 3.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    plot_sobol(sampled, "y", ax=left)
    x = np.arange(3)
    left.plot(x - 0.2, first, "k_", ms=18, mew=2, label="analytic")
    left.plot(x + 0.2, total, "k_", ms=18, mew=2)
    left.plot(x - 0.2, [pce.first["y"][k] for k in ("x1", "x2", "x3")], "wo", mec="k", ms=5, label="PCE order 12")
    left.plot(x + 0.2, [pce.total["y"][k] for k in ("x1", "x2", "x3")], "wo", mec="k", ms=5)
    left.legend(frameon=False, fontsize="small")
    left.set_title("Ishigami: Saltelli (bars, 95 % CI), PCE, analytic", fontsize="small")
    plot_pbox(pbox, ax=right, confidence=0.99,
              analytic=lambda y: (stats.norm.cdf(y / EV - 1.0), stats.norm.cdf(y / EV + 0.5)))
    right.set_title("p-box of y = e + x, e in [-0.5, 1] eV, x ~ N(0, 1 eV)", fontsize="small")
    outdir.mkdir(parents=True, exist_ok=True)
    fig.savefig(outdir / "uq.png", dpi=120)
    print(f"wrote {outdir / 'uq.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
