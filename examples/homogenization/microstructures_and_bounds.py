"""Periodic microstructures, and the bounds and estimates an analyst checks before any cell solve.

Usage::

    python examples/homogenization/microstructures_and_bounds.py [OUTDIR]

Writes ``microstructures.png`` (a laminate, a checkerboard, random discs and a Voronoi
polycrystal) and ``conductivity_bounds.png`` (bounds and estimates for alumina particles
in epoxy against the particle fraction) to OUTDIR (default: the current directory), and
prints the bounds and estimates at 30 % particles, plus the Voigt/Reuss/Hill moduli of
randomly textured copper.

References: Hashin & Shtrikman (1962), J. Appl. Phys. 33, 3125 and (1963), J. Mech. Phys.
Solids 11, 127; Bruggeman (1935), Ann. Phys. 416, 636; Hill (1952), Proc. Phys. Soc. A
65, 349; Simmons & Wang (1971), Single Crystal Elastic Constants (copper).
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scalebridge.homogenization.bounds import (hashin_shtrikman_conductivity,  # noqa: E402
                                               hashin_shtrikman_elastic, reuss_bound, voigt_bound)
from scalebridge.homogenization.effective_medium import (bruggeman_conductivity,  # noqa: E402
                                                         maxwell_garnett_conductivity, mori_tanaka_elastic,
                                                         self_consistent_elastic)
from scalebridge.homogenization.microstructure import (checkerboard, laminate, random_inclusions,  # noqa: E402
                                                       volume_fractions, voronoi_polycrystal)
from scalebridge.homogenization.texture import (isotropic_moduli, orientation_average,  # noqa: E402
                                                random_orientations)
from scalebridge.solvers.tensors import cubic_stiffness  # noqa: E402

K_EPOXY, K_ALUMINA = 0.2, 30.0                      # W/(m K), thermal conductivities
EPOXY, GLASS = (3.5e9, 1.2e9), (43.5e9, 30.0e9)     # (K, G) in Pa
FRACTION = 0.3                                      # particle volume fraction


def plot_microstructures(outdir: Path) -> Path:
    maps = {
        "laminate, f = 0.3": laminate(128, 0.3, axis=1),
        "checkerboard": checkerboard(128),
        "random discs, f = 0.3, r = 0.05": random_inclusions(128, 0.3, 0.05, seed=1, min_gap=0.01),
        "Voronoi polycrystal, 24 grains": voronoi_polycrystal(128, 24, seed=2),
    }
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.6))
    for ax, (title, phases) in zip(axes, maps.items()):
        cmap = "tab20" if phases.max() > 1 else "Greys"
        ax.imshow(phases.T, origin="lower", extent=(0, 1, 0, 1), cmap=cmap, interpolation="nearest")
        ax.set_title(title, fontsize=10)
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
    fig.tight_layout()
    path = outdir / "microstructures.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    f1 = volume_fractions(maps["random discs, f = 0.3, r = 0.05"])[1]
    print(f"random discs: voxel volume fraction {f1:.4f} (target 0.3)")
    return path


def plot_conductivity_bounds(outdir: Path) -> Path:
    f = np.linspace(0.0, 1.0, 101)
    fractions, k = np.stack([1 - f, f], -1), [K_EPOXY, K_ALUMINA]
    low, up = hashin_shtrikman_conductivity(fractions, k)
    fig, ax = plt.subplots(figsize=(5.5, 4))
    ax.fill_between(f, low, up, color="0.85", label="Hashin–Shtrikman bounds")
    ax.plot(f, voigt_bound(fractions, k), "k--", lw=1, label="Voigt (parallel)")
    ax.plot(f, reuss_bound(fractions, k), "k:", lw=1, label="Reuss (series)")
    ax.plot(f, maxwell_garnett_conductivity(K_EPOXY, K_ALUMINA, f), "C0", label="Maxwell Garnett (= HS lower)")
    ax.plot(f, bruggeman_conductivity(fractions, k), "C3", label="Bruggeman")
    ax.set_yscale("log")
    ax.set_xlabel("alumina volume fraction")
    ax.set_ylabel("effective conductivity (W/(m K))")
    ax.legend(fontsize=8)
    fig.tight_layout()
    path = outdir / "conductivity_bounds.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def print_example() -> None:
    fractions, k = [1 - FRACTION, FRACTION], [K_EPOXY, K_ALUMINA]
    low, up = hashin_shtrikman_conductivity(fractions, k)
    print(f"\nalumina particles ({FRACTION:.0%}) in epoxy, thermal conductivity in W/(m K):")
    print(f"  Reuss {reuss_bound(fractions, k):.4f} <= HS- {low:.4f} <= HS+ {up:.4f} "
          f"<= Voigt {voigt_bound(fractions, k):.4f}")
    print(f"  Maxwell Garnett {maxwell_garnett_conductivity(K_EPOXY, K_ALUMINA, FRACTION):.4f}, "
          f"Bruggeman {bruggeman_conductivity(fractions, k):.4f}")
    (kl, ku), (gl, gu) = hashin_shtrikman_elastic(fractions, [EPOXY[0], GLASS[0]], [EPOXY[1], GLASS[1]])
    K_mt, G_mt = mori_tanaka_elastic(*EPOXY, *GLASS, FRACTION)
    K_sc, G_sc = self_consistent_elastic(fractions, [EPOXY[0], GLASS[0]], [EPOXY[1], GLASS[1]])
    print(f"glass spheres ({FRACTION:.0%}) in epoxy, GPa:")
    print(f"  K: HS [{kl / 1e9:.3f}, {ku / 1e9:.3f}], Mori-Tanaka {K_mt / 1e9:.3f}, self-consistent {K_sc / 1e9:.3f}")
    print(f"  G: HS [{gl / 1e9:.3f}, {gu / 1e9:.3f}], Mori-Tanaka {G_mt / 1e9:.3f}, self-consistent {G_sc / 1e9:.3f}")
    average = orientation_average(cubic_stiffness(168.4, 121.4, 75.4), random_orientations(2000, seed=0))
    print("randomly textured copper (2000 grains), GPa:")
    for name, c in zip(average._fields, average):
        iso = isotropic_moduli(c)
        print(f"  {name:5s}: K = {iso.bulk_modulus:.2f}, G = {iso.shear_modulus:.2f}, "
              f"anisotropy {iso.anisotropy:.2%}")


def main(outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    for path in (plot_microstructures(outdir), plot_conductivity_bounds(outdir)):
        print(f"wrote {path}")
    print_example()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
