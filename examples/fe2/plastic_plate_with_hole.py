"""Nonlinear FE²: a composite plate with a hole, elastoplastic RVE at every macro point.

A quarter of a square plate (half-width W = 10 mm) with a central hole (radius 2.5 mm)
in plane strain, pulled by a remote traction along x that is ramped in load increments
and then removed. The material at every macro quadrature point is a 16^2-voxel RVE of
30 % elastic SiC fibres in an aluminium-like J2 matrix (yield 100 MPa, linear
hardening 2 GPa), solved by Newton with the consistent condensed tangent
(``NonlinearCellModel`` behind ``OnTheFly``); the micro state is committed only at
converged macro steps. The script prints the stress concentration at the hole in the
first (elastic) increment against Kirsch's factor 3 of an infinite plate, then plots
the macro stress at peak load and, for the most loaded point, the RVE's micro stress
and the equivalent plastic strain left after unloading.

Run: ``python examples/fe2/plastic_plate_with_hole.py [OUTDIR]``
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import skfem  # noqa: E402

from scalebridge.coupling.fe2 import fe2_solve  # noqa: E402
from scalebridge.coupling.on_the_fly import OnTheFly  # noqa: E402
from scalebridge.homogenization.microstructure import random_inclusions  # noqa: E402
from scalebridge.homogenization.nonlinear_cell import NonlinearCellModel  # noqa: E402
from scalebridge.solvers.fem.nonlinear_cell import solve_nonlinear_cell  # noqa: E402
from scalebridge.solvers.tensors import isotropic_stiffness  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)
W, R, REMOTE = 10e-3, 2.5e-3, 120e6        # half-width [m], hole radius [m], peak traction [Pa]


def quarter_plate_with_hole(n_theta=6, n_radial=4):
    """Structured quad mesh of the quarter plate: rays from the hole to the square edge,
    graded towards the hole (transfinite map)."""
    theta = np.linspace(0.0, np.pi / 2, n_theta + 1)
    s = np.linspace(0.0, 1.0, n_radial + 1) ** 1.5
    inner = R * np.stack([np.cos(theta), np.sin(theta)])
    outer = np.where(theta <= np.pi / 4, [np.full_like(theta, W), W * np.tan(theta)],
                     [W / np.tan(np.maximum(theta, 1e-300)), np.full_like(theta, W)])
    p = (inner[:, :, None] * (1 - s) + outer[:, :, None] * s).reshape(2, -1)   # node (i, j) -> i * (nr+1) + j
    i, j = np.meshgrid(np.arange(n_theta), np.arange(n_radial), indexing="ij")
    node = lambda a, b: (a * (n_radial + 1) + b).ravel()  # noqa: E731
    t = np.stack([node(i, j), node(i, j + 1), node(i + 1, j + 1), node(i + 1, j)])  # counter-clockwise
    return skfem.MeshQuad(p, t)


phases = random_inclusions(16, 0.3, 0.15, dim=2, seed=5)
matrix = dict(bulk_modulus=58.3e9, shear_modulus=26.9e9, yield_stress=100e6, hardening_modulus=2e9)
fibre = dict(stiffness=isotropic_stiffness(220e9, 190e9, 2))
rve = NonlinearCellModel(phases, [matrix, fibre], cell_size="40 um")
mesh = quarter_plate_with_hole()
n_points = mesh.nelements * 4
committed = {"state": rve.initial_state(n_points), "peak": None}


def commit(state):
    committed["state"] = state


boundary = dict(dirichlet={(lambda x: np.isclose(x[0], 0.0)): {"x": 0.0},     # symmetry planes
                           (lambda x: np.isclose(x[1], 0.0)): {"y": 0.0}},
                neumann={(lambda x: np.isclose(x[0], W)): [REMOTE, 0.0]})
material = OnTheFly(rve, cache=False)
first = fe2_solve(mesh, "mechanics", material, load_steps=[0.25], **boundary)
kt = first.fluxes[:, 0].max() / (0.25 * REMOTE)
print(f"elastic step (remote {0.25 * REMOTE / 1e6:.0f} MPa): max sigma_xx / remote = {kt:.2f} at the quadrature "
      f"point nearest the hole top; hole edge: Kirsch 3 (infinite plate), Heywood (2 + (1 - d/w)^3) / (1 - d/w) "
      f"= {(2 + 0.75**3) / 0.75:.2f} for a strip with d/w = 0.25")

peak = fe2_solve(mesh, "mechanics", material, load_steps=[0.25, 0.5, 0.75, 1.0], state=committed["state"],
                 commit=commit, **boundary)
at_peak = committed["state"]
k = int(np.argmax(np.abs(peak.fluxes[:, 0])))
print(f"peak load: {len(peak.load_factors)} increments, Newton iterations {peak.iterations.tolist()}, "
      f"{peak.timings['micro_solves']} micro solves ({peak.timings['micro_solves_per_second']:.0f}/s); "
      f"most loaded point {k} at {np.round(peak.points[k] * 1e3, 2)} mm, sigma_xx = {peak.fluxes[k, 0] / 1e6:.0f} MPa")

unloaded = fe2_solve(mesh, "mechanics", material, load_steps=[0.5, 0.0], state=at_peak, commit=commit, **boundary)
ux = lambda sol: sol.u[sol.basis.nodal_dofs[0]].max()  # noqa: E731  end displacement of the pulled edge
print(f"pulled edge: u_x = {ux(peak) * 1e6:.2f} um at peak, {ux(unloaded) * 1e6:.2f} um left after unloading; "
      f"max equivalent plastic strain in the most loaded RVE = {committed['state']['alpha'][k].max():.2e}")

micro = solve_nonlinear_cell(phases, [matrix, fibre], peak.gradients[k],
                             {key: v[k:k + 1] for key, v in at_peak.items()}, return_fields=True).fields[0]
fig, axes = plt.subplots(1, 3, figsize=(14, 4))
sc = axes[0].scatter(peak.points[:, 0] * 1e3, peak.points[:, 1] * 1e3, c=peak.fluxes[:, 0] / 1e6, cmap="coolwarm", s=18)
axes[0].add_patch(plt.Circle((0, 0), R * 1e3, color="0.85"))
axes[0].set_aspect("equal")
axes[0].set_xlim(0, W * 1e3)
axes[0].set_ylim(0, W * 1e3)
axes[0].set_xlabel("x [mm]")
axes[0].set_ylabel("y [mm]")
axes[0].set_title(f"macro σ_xx at peak load (remote {REMOTE / 1e6:.0f} MPa)", fontsize=9)
fig.colorbar(sc, ax=axes[0], label="MPa", shrink=0.8)

def voxel_image(values):
    """Mean over each voxel element's quadrature points, as an image of the cell."""
    n = phases.shape[0]
    per_element = values.reshape(n * n, -1).mean(axis=1)
    centre = micro["points"].reshape(2, n * n, -1).mean(axis=2)
    image = np.empty((n, n))
    image[tuple(np.floor(centre * n).astype(int))] = per_element
    return image.T


for ax, values, title in ((axes[1], micro["stress"][0] / 1e6, "micro σ_xx at peak [MPa]"),
                          (axes[2], committed["state"]["alpha"][k], "equivalent plastic strain after unloading")):
    im = ax.imshow(voxel_image(values), origin="lower", cmap="viridis")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"RVE at the most loaded point:\n{title}", fontsize=8)
    fig.colorbar(im, ax=ax, shrink=0.8)
fig.savefig(out / "plastic_plate_with_hole.png", dpi=110, bbox_inches="tight")
