"""Effectiveness factor of a catalyst pellet: finite volumes against Thiele's closed forms.

Usage::

    python examples/pellet_effectiveness.py [OUTDIR]

Writes ``effectiveness_factor.png`` to OUTDIR (default: the current directory) and
prints the numerical and closed-form effectiveness factors of a first-order reaction
in a sphere. Also solves a Langmuir-Hinshelwood rate law and places it on the
generalized-modulus axis of Aris (1957) and Bischoff (1965).

References: Thiele (1939), Ind. Eng. Chem. 31, 916; Aris (1975), The Mathematical
Theory of Diffusion and Reaction in Permeable Catalysts, vol. 1, ch. 3; Fogler,
Elements of Chemical Reaction Engineering, ch. 15.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scalebridge.figures import save_figure  # noqa: E402
from scalebridge.laws.transport import (  # noqa: E402
    GEOMETRIES,
    effective_diffusivity,
    effectiveness_factor,
    generalized_thiele_modulus,
    thiele_modulus,
    volume_to_surface_ratio,
)
from scalebridge.solvers.fv import solve_spherical_pellet  # noqa: E402

RADIUS = 1.5e-3                                  # m, pellet radius
DIFFUSIVITY = effective_diffusivity(1e-5, 0.4)   # m^2/s, Bruggeman, eps = 0.4
C_SURFACE = 10.0                                 # mol/m^3


def first_order_points(phis: np.ndarray, n_cells: int = 200) -> np.ndarray:
    """Numerical eta of the sphere at each Thiele modulus (first order, r = k c)."""
    etas = []
    for phi in phis:
        k = (phi / RADIUS) ** 2 * DIFFUSIVITY
        sol = solve_spherical_pellet(lambda c, k=k: (k * c, np.full_like(c, k)),
                                     RADIUS, DIFFUSIVITY, C_SURFACE, n_cells=n_cells)
        etas.append(sol.effectiveness_factor)
    return np.array(etas)


def langmuir_hinshelwood_points(scales: np.ndarray, n_cells: int = 200):
    """eta and phi_gen of r = k c/(1 + K c)^2 with K c_s = 2 for several k."""
    K = 2.0 / C_SURFACE
    etas, moduli = [], []
    vs = volume_to_surface_ratio(RADIUS, "sphere")
    for scale in scales:
        k = scale * DIFFUSIVITY / RADIUS**2

        def rate(c, k=k):
            return k * c / (1 + K * c) ** 2, k * (1 - K * c) / (1 + K * c) ** 3

        sol = solve_spherical_pellet(rate, RADIUS, DIFFUSIVITY, C_SURFACE, n_cells=n_cells)
        etas.append(sol.effectiveness_factor)
        moduli.append(generalized_thiele_modulus(rate, C_SURFACE, DIFFUSIVITY, vs))
    return np.array(moduli), np.array(etas)


def main(outdir: str = ".") -> Path:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)

    phis = np.array([0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0])
    numerical = first_order_points(phis)
    exact = effectiveness_factor(phis, "sphere")
    print(f"D_eff = {DIFFUSIVITY:.3e} m^2/s, R = {RADIUS:.1e} m, 200 graded cells")
    header = ("phi", "k [1/s]", "eta (FV)", "eta (exact)", "abs err", "rel err")
    print("{:>8} {:>11} {:>12} {:>12} {:>9} {:>9}".format(*header))
    for phi, eta_n, eta_e in zip(phis, numerical, exact):
        k = (phi / RADIUS) ** 2 * DIFFUSIVITY
        assert np.isclose(thiele_modulus(RADIUS, k, DIFFUSIVITY), phi)
        print(f"{phi:8.1f} {k:11.4g} {eta_n:12.8f} {eta_e:12.8f} "
              f"{abs(eta_n - eta_e):9.2e} {abs(eta_n / eta_e - 1):9.2e}")

    lh_phi, lh_eta = langmuir_hinshelwood_points(np.geomspace(1.0, 1e5, 9))

    fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 4.2), constrained_layout=True)
    curve = np.geomspace(1e-2, 2e3, 400)
    styles = {"slab": "C0", "cylinder": "C1", "sphere": "C2"}
    for geometry in GEOMETRIES:
        left.loglog(curve, effectiveness_factor(curve, geometry), color=styles[geometry],
                    label=f"{geometry} (closed form)")
    left.loglog(phis, numerical, "o", mfc="none", color="k", label="sphere, finite volumes")
    left.loglog(curve[curve > 3], 3 / curve[curve > 3], ":", color="grey", label=r"$3/\phi$")
    left.set(xlabel=r"Thiele modulus $\phi = R\sqrt{k/D}$ (half thickness for the slab)",
             ylabel=r"effectiveness factor $\eta$", ylim=(1e-3, 2),
             title="First order: Thiele (1939)")
    left.legend(fontsize=8, loc="lower left")

    gen = np.geomspace(1e-2, 2e3, 400)
    for geometry, factor in (("slab", 1.0), ("cylinder", 2.0), ("sphere", 3.0)):
        right.loglog(gen, effectiveness_factor(factor * gen, geometry), color=styles[geometry],
                     label=f"{geometry}, first order")
    right.loglog(lh_phi, lh_eta, "s", mfc="none", color="C3",
                 label=r"sphere, $r = kc/(1+Kc)^2$, FV")
    right.loglog(gen[gen > 1], 1 / gen[gen > 1], ":", color="grey", label=r"$1/\phi_{gen}$")
    right.set(xlabel=r"generalized modulus $\phi_{gen}$ (Aris 1957, Bischoff 1965)",
              ylabel=r"$\eta$", ylim=(1e-3, 2), title="Any rate law, any shape")
    right.legend(fontsize=8, loc="lower left")

    path = save_figure(fig, out, "effectiveness_factor", dpi=130)
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
