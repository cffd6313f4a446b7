"""FE² cantilever: a fibre-composite beam whose stress comes from an RVE at every point.

A 10 x 1 (cm) plane-strain cantilever, clamped on the left, loaded by a downward
traction on the right end. The material at every macro quadrature point is a random
SiC/aluminium fibre cell (30 %, 32^2 voxels) solved by FFT for that point's strain
(``CellModel(per_point=True)`` behind ``rve_model``). The script plots the macro
axial stress and the micro stress field in the RVE at the most loaded point.
Run: ``python examples/fe2/composite_beam.py [OUTDIR]``
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import skfem  # noqa: E402

from scalebridge.core import Scale  # noqa: E402
from scalebridge.coupling.fe2 import fe2_solve  # noqa: E402
from scalebridge.homogenization.cell import CellModel, homogenize, rve_model  # noqa: E402
from scalebridge.homogenization.microstructure import random_inclusions  # noqa: E402
from scalebridge.solvers.tensors import isotropic_stiffness  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
phases = random_inclusions(32, 0.3, 0.1, dim=2, seed=5)
stiffness = isotropic_stiffness(np.array([76e9, 220e9]), np.array([26e9, 180e9]), dim=2)  # Al, SiC [Pa]
cell = CellModel(phases, stiffness, "elasticity", method="fft", cell_size="0.5 mm", property_unit="Pa",
                 per_point=True, tol=1e-10)
material = rve_model(cell, scale=Scale("10 cm", np.inf, "beam"))

mesh = skfem.MeshQuad.init_tensor(np.linspace(0, 0.1, 41), np.linspace(0, 0.01, 5))
sol = fe2_solve(mesh, "mechanics", material,
                dirichlet={(lambda x: np.isclose(x[0], 0.0)): {"x": 0.0, "y": 0.0}},
                neumann={(lambda x: np.isclose(x[0], 0.1)): [0.0, -2e6]})
sxx = sol.fluxes[:, 0]
k = int(np.argmax(np.abs(sxx)))
print(f"macro points: {len(sxx)}, Newton iterations {sol.iterations}, max |sigma_xx| = {abs(sxx[k]) / 1e6:.1f} MPa "
      f"at x = {sol.points[k]}")
# Euler-Bernoulli check: sigma_max = 6 P L / h^2 (P per unit depth = t h)
P, L, h = 2e6 * 0.01, 0.1, 0.01
print(f"Euler-Bernoulli root stress 6PL/h^2 = {6 * P * L / h**2 / 1e6:.1f} MPa (FE² at the outermost quadrature point)")

micro = homogenize(phases, stiffness, "elasticity", method="fft", loads=sol.gradients[k:k + 1], return_fields=True)
fig, axes = plt.subplots(1, 2, figsize=(12, 3.6), gridspec_kw={"width_ratios": [3, 1]})
sc = axes[0].scatter(sol.points[:, 0] * 100, sol.points[:, 1] * 100, c=sxx / 1e6, cmap="coolwarm", s=12)
axes[0].set_aspect("equal")
axes[0].set_xlabel("x [cm]")
axes[0].set_ylabel("y [cm]")
axes[0].set_title("macro axial stress at the quadrature points (FE², one RVE solve per point)", fontsize=9)
fig.colorbar(sc, ax=axes[0], label="σ_xx [MPa]", shrink=0.8)
im = axes[1].imshow(micro.fields["stress"][0, 0].T / 1e6, origin="lower", cmap="coolwarm")
axes[1].set_title("micro σ_xx in the RVE\nat the most loaded point [MPa]", fontsize=9)
axes[1].set_xticks([])
axes[1].set_yticks([])
fig.colorbar(im, ax=axes[1], shrink=0.8)
fig.savefig(out / "composite_beam.png", dpi=110, bbox_inches="tight")
