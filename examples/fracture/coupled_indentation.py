"""Nano-indentation of a 2-D Lennard-Jones crystal: atoms under the indenter, Cauchy-Born elements elsewhere.

Compares the coupled model (atomistic disc of radius 8a + graded linear P1 elements whose nodes are
lattice sites) with the fully atomistic slab, and shows the 1-D ghost forces of QCE against the
corrected couplings. Usage: ``python coupled_indentation.py OUTPUT_DIR`` (writes coupled_indentation.png).
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scalebridge.coupling.domain import QCE, QCF, QNL, BlendedQC  # noqa: E402
from scalebridge.coupling.handshake_2d import AtomisticSlab, CoupledSlab, Indenter, indent  # noqa: E402
from scalebridge.coupling.pair_potentials import HarmonicBonds, LennardJones  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)

# --- 1-D: ghost forces of QCE vs corrected couplings under 2 % uniform stretch (NN + NNN springs)
springs = HarmonicBonds((1.0, 0.25), 1.0)
ghost = {}
for cls in (QCE, QNL, QCF, BlendedQC):
    c = cls(springs, 61, (20, 40), element_size=4)
    f = c.forces(0.02 * c.reference_positions)[:, 0]
    f[c.fixed_nodes] = np.nan
    ghost[cls.__name__] = (c.sites, f)

# --- 2-D: indentation, coupled vs fully atomistic
lj = LennardJones()
a = lj.spacing
nx, ny = 161, 90
top = (ny - 1) * a * np.sqrt(3) / 2
coupled = CoupledSlab(lj, nx, ny, (80 * a, top), 10 * a)
full = AtomisticSlab(lj, nx, ny)
indenter = Indenter(radius=12 * a, stiffness=10.0, center_x=80 * a, surface_y=top)
res = indent(coupled, full, indenter, np.linspace(0.25, 1.0, 4) * a)
print(f"relative L2 error over the atomistic disc: {res.relative_l2_error:.4f}")
print(f"dofs: coupled {res.dofs_coupled}, atomistic {res.dofs_atomistic} "
      f"(ratio {res.dofs_atomistic / res.dofs_coupled:.1f}); time {res.time_coupled:.2f} s vs "
      f"{res.time_atomistic:.2f} s (speed-up {res.time_atomistic / res.time_coupled:.1f})")
print("load coupled / atomistic:", np.round(res.load_coupled, 3), np.round(res.load_atomistic, 3))

fig, ax = plt.subplots(1, 3, figsize=(15, 4.2))
for name, (sites, f) in ghost.items():
    ax[0].plot(sites, f, "o-" if name == "QCE" else ".--", ms=3, label=name)
ax[0].set(xlabel="site", ylabel="force on node (k a units)", title="1-D patch test, 2 % stretch")
ax[0].legend()
P, ua = full.reference_positions, res.u_atomistic
sel = np.linalg.norm(P - [80 * a, top], axis=1) < 30 * a
sc = ax[1].scatter(P[sel, 0], P[sel, 1], c=-ua[sel, 1], s=4, cmap="viridis")
ax[1].triplot(coupled.reference_positions[:, 0], coupled.reference_positions[:, 1], coupled.triangles, lw=0.2, c="k")
ax[1].set(xlim=(50 * a, 110 * a), ylim=(top - 30 * a, top + 2 * a), aspect="equal",
          title="atomistic -u_y and the coupled mesh")
fig.colorbar(sc, ax=ax[1], shrink=0.7)
line = np.where((np.abs(full.site_ij[:, 1] - (ny - 1)) == 0))[0]
line = line[np.abs(P[line, 0] - 80 * a) < 40 * a]
cn = coupled.sites
onc = np.isin(line, cn)
ax[2].plot(P[line, 0] - 80 * a, ua[line, 1], "k-", label="fully atomistic")
ax[2].plot(P[line[onc], 0] - 80 * a, res.u_coupled[np.searchsorted(cn, line[onc]), 1], "r.", label="coupled")
ax[2].axvspan(-10 * a, 10 * a, color="0.9", label="atomistic disc")
ax[2].set(xlabel="x - x_indenter", ylabel="surface u_y",
          title=f"surface profile, L2 error {100 * res.relative_l2_error:.2f} %")
ax[2].legend()
fig.tight_layout()
fig.savefig(out / "coupled_indentation.png", dpi=110)
