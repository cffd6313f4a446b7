"""Reduced basis model of the 3x3 thermal block: weak greedy, error bound vs true error.

Usage::

    python examples/reduction/thermal_block_rom.py [OUTDIR]

Builds the thermal block (9 conductivities in [0.1, 1], P1 triangles, 2,209 unknowns),
a weak greedy reduced basis over 500 random training parameters, and compares, on 50
independent random test parameters, the rigorous error bound Delta_N(mu) with the true
X-norm error of the reduced solution for every basis size N (the basis is
hierarchical). Writes ``rom_thermal_block.png`` to OUTDIR (default: the current
directory): (a) largest relative bound and true error over the test set vs N, with
the greedy's training maximum; (b) the reduced solution at one test parameter.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scalebridge.reduction import thermal_block, weak_greedy  # noqa: E402


def main(outdir: Path) -> None:
    problem = thermal_block(blocks=3, cells=48)
    result = weak_greedy(problem, problem.sample(500, seed=0), tol=1e-6, max_size=120)
    model = result.model
    mu = problem.sample(50, seed=1)
    u = problem.solve(mu)
    u_norm = problem.norm(u)
    sizes = np.arange(1, model.size + 1)
    bound, error, effectivity = [], [], []
    for N in sizes:
        sol = model.solve(mu, size=N)
        err = problem.norm(u - model.reconstruct(sol.coefficients))
        bound.append(np.max(sol.error_bound / u_norm))
        error.append(np.max(err / u_norm))
        effectivity.append((np.min(sol.error_bound / err), np.max(sol.error_bound / err)))
    effectivity = np.array(effectivity)
    print(f"thermal block 3x3, {problem.n} unknowns; greedy basis size N = {model.size} "
          f"(largest training bound {result.max_estimates[-1]:.2e})")
    print(f"test set of {len(mu)}: max relative error {error[-1]:.2e}, max relative bound {bound[-1]:.2e}, "
          f"effectivity in [{effectivity[-1, 0]:.2f}, {effectivity[-1, 1]:.2f}] "
          f"(min over all N: {effectivity[:, 0].min():.2f})")

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.semilogy(sizes, bound, "-", label="error bound $\\Delta_N/\\|u\\|_X$ (max, test)")
    ax1.semilogy(sizes, error, "-", label="true error $\\|u-u_N\\|_X/\\|u\\|_X$ (max, test)")
    ax1.semilogy(np.arange(1, len(result.max_estimates)), result.max_estimates[1:], "k:", lw=1,
                 label="greedy: max bound over training set")
    ax1.set(xlabel="basis size N", ylabel="relative error in the energy norm",
            title="(a) weak greedy on the 3x3 thermal block")
    ax1.legend(fontsize=8)
    sol = model.solve(mu[0])
    field = problem.full_field(model.reconstruct(sol.coefficients))[0]
    mesh = problem.basis.mesh
    art = ax2.tripcolor(mesh.p[0], mesh.p[1], mesh.t.T, field, shading="gouraud", cmap="magma")
    for x in (1 / 3, 2 / 3):
        ax2.axvline(x, color="w", lw=0.6)
        ax2.axhline(x, color="w", lw=0.6)
    for q, m in enumerate(mu[0]):
        ax2.text((q % 3 + 0.5) / 3, (q // 3 + 0.5) / 3, f"{m:.2f}", color="c", ha="center", va="center", fontsize=8)
    ax2.set(aspect="equal", title=f"(b) $u_N$ at a test parameter (N = {model.size}), $\\mu_q$ shown")
    fig.colorbar(art, ax=ax2, shrink=0.8)
    fig.tight_layout()
    outdir.mkdir(parents=True, exist_ok=True)
    fig.savefig(outdir / "rom_thermal_block.png", dpi=120)
    print(f"wrote {outdir / 'rom_thermal_block.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
