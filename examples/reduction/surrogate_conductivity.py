"""Surrogates of a homogenised conductivity, with cross-validated error and fidelity checks.

Usage::

    python examples/reduction/surrogate_conductivity.py [OUTDIR]

The fine model is the effective conductivity of a square array of discs in a matrix
(matrix conductivity 1 W/(m K)) as a function of the disc area fraction f in
[0.05, 0.45] and the disc/matrix contrast in [2, 50], from the closed form of
Rayleigh's multipole method as truncated by Perrins, McKenzie & McPhedran (1979),
Proc. R. Soc. Lond. A 369, 207. A Gaussian process (scikit-learn) and a degree-6
polynomial chaos expansion (chaospy) are fitted to 64 Sobol' points (contrast
sampled and modelled in log), 5-fold cross-validated, and checked: held-out error
<= 1 %, conductivity positive (also 20 % outside the box), increasing with f and
with the contrast. Writes ``surrogates.png`` to OUTDIR (default: current directory).

References: Rasmussen & Williams (2006), Gaussian Processes for Machine Learning;
Xiu & Karniadakis (2002), SIAM J. Sci. Comput. 24, 619.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scalebridge.core import FunctionModel, Port, Scale  # noqa: E402
from scalebridge.reduction import Declarations, cross_validate, fit_surrogate  # noqa: E402


def perrins_square_array(f, contrast):
    """k_eff / k_matrix of a square array of discs (Perrins, McKenzie & McPhedran 1979)."""
    T = (1.0 + contrast) / (1.0 - contrast)
    return 1.0 - 2.0 * f / (T + f - 0.305827 * f**4 * T / (T**2 - 1.402958 * f**8) - 0.013362 * f**8)


FINE = FunctionModel(
    lambda volume_fraction, contrast: {"conductivity": perrins_square_array(volume_fraction, contrast)},
    {"volume_fraction": Port("", description="disc area fraction"),
     "contrast": Port("", description="disc / matrix conductivity")},
    {"conductivity": Port("W/(m*K)", description="effective conductivity")},
    Scale("10 um", np.inf, "disc array cell"), "square array of discs")
BOUNDS = {"volume_fraction": (0.05, 0.45), "contrast": (2.0, 50.0)}
DECLARED = Declarations(positive=("conductivity",), margin=0.2, tolerance=0.01,
                        monotone=(("conductivity", "volume_fraction", 1), ("conductivity", "contrast", 1)))


def main(outdir: Path) -> None:
    surrogates = {
        "Gaussian process": fit_surrogate(FINE, "gp", BOUNDS, 64, log_inputs=["contrast"], held_out=64,
                                          declarations=DECLARED),
        "PCE, degree 6": fit_surrogate(FINE, "pce", BOUNDS, 64, log_inputs=["contrast"], held_out=64, degree=6,
                                       declarations=DECLARED),
    }
    failed = []
    for label, s in surrogates.items():
        cv = cross_validate(s, *s.training_set, k=5, seed=0)
        print(f"{label}: 5-fold CV relative error rms {cv.rms_relative_error['conductivity']:.2e}, "
              f"max {cv.max_relative_error['conductivity']:.2e}")
        for check in s.fidelity_checks():
            print(f"  {'pass' if check.passed else 'FAIL'}  {check.name}: {check.message}")
            failed += [] if check.passed else [check.name]

    gp, pce = surrogates["Gaussian process"], surrogates["PCE, degree 6"]
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
    f = np.linspace(0.0, 0.5, 101)
    for contrast, color in ((5.0, "C0"), (50.0, "C3")):
        x = {"volume_fraction": f, "contrast": np.full_like(f, contrast)}
        ev = gp.evaluate(x)
        axes[0].plot(f, FINE.evaluate(x)["conductivity"], color=color, lw=3, alpha=0.35,
                     label=f"closed form, contrast {contrast:g}")
        axes[0].plot(f, ev["conductivity"], "--", color=color, label="GP mean")
        axes[0].plot(f, pce.evaluate(x)["conductivity"], ":", color="k", lw=1)
        band = 2 * ev.info["std"]["conductivity"]
        axes[0].fill_between(f, ev["conductivity"] - band, ev["conductivity"] + band, color=color, alpha=0.2)
    axes[0].axvspan(0.0, 0.05, color="0.9")
    axes[0].axvspan(0.45, 0.5, color="0.9")
    axes[0].set(xlabel="disc area fraction f", ylabel="k_eff / k_matrix", title="fine vs surrogates (PCE dotted)")
    axes[0].legend(fontsize=7)

    ff, cc = np.meshgrid(np.linspace(0.0, 0.5, 81), np.geomspace(1.5, 70, 81))
    grid = {"volume_fraction": ff.ravel(), "contrast": cc.ravel()}
    std = gp.evaluate(grid).info["std"]["conductivity"].reshape(ff.shape)
    exact = FINE.evaluate(grid)["conductivity"].reshape(ff.shape)
    im = axes[1].pcolormesh(ff, cc, np.log10(std / exact), shading="auto", cmap="viridis")
    fig.colorbar(im, ax=axes[1], label="log10 (GP std / k_eff)")
    err = np.abs(pce.evaluate(grid)["conductivity"].reshape(ff.shape) / exact - 1)
    im = axes[2].pcolormesh(ff, cc, np.log10(np.maximum(err, 1e-8)), shading="auto", cmap="magma")
    fig.colorbar(im, ax=axes[2], label="log10 |PCE / closed form - 1|")
    x_train = gp.training_set.inputs
    for ax, title in ((axes[1], "GP predictive std"), (axes[2], "PCE relative error")):
        ax.plot(x_train["volume_fraction"], x_train["contrast"], "w.", ms=4)
        ax.add_patch(plt.Rectangle((0.05, 2.0), 0.4, 48.0, fill=False, ec="w", ls="--"))
        ax.set(yscale="log", xlabel="disc area fraction f", ylabel="contrast", title=title + " (dots: training)")
    fig.tight_layout()
    outdir.mkdir(parents=True, exist_ok=True)
    fig.savefig(outdir / "surrogates.png", dpi=120)
    print(f"wrote {outdir / 'surrogates.png'}")
    if failed:
        raise SystemExit(f"fidelity checks failed: {failed}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
