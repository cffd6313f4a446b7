"""Adaptive FE²: a Gaussian-process surrogate learns the RVE where the macro problem needs it.

Steady nonlinear conduction on the L-shaped domain (T = 0 on x = -1, T = 1 on y = 1).
The material at every macro quadrature point is a periodic cell with a field-dependent
matrix, k = 1 + 0.5 |g|^2, and 30 % inclusions of k = 10 (``NonlinearCellModel``). It
is solved twice: on the fly (one cell solve per point per Newton iteration) and with
``Adaptive``, which answers from a GP surrogate where its calibrated relative std is
below 1e-2 of its answer and otherwise solves the cell, learns, and refits. The figure shows the
macro temperature, and the macro gradients requested (grey) against the few where a
cell was solved (red).

Run: ``python examples/coupling/adaptive_fe2.py [OUTDIR]``
"""

import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import skfem  # noqa: E402
from scipy.stats import qmc  # noqa: E402

from scalebridge.coupling.adaptive import Adaptive  # noqa: E402
from scalebridge.coupling.fe2 import fe2_solve  # noqa: E402
from scalebridge.coupling.on_the_fly import OnTheFly  # noqa: E402
from scalebridge.homogenization.microstructure import random_inclusions  # noqa: E402
from scalebridge.homogenization.nonlinear_cell import NonlinearCellModel  # noqa: E402
from scalebridge.reduction.surrogate import GaussianProcessSurrogate  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)
cell = NonlinearCellModel(random_inclusions(8, 0.3, 0.25, dim=2, seed=1),
                          [dict(conductivity=1.0, nonlinearity=0.5), dict(conductivity=10.0, nonlinearity=0.0)],
                          problem="conduction", cell_size="20 um")
mesh = skfem.MeshTri.init_lshaped().refined(2)
bc = {"dirichlet": {(lambda x: np.isclose(x[0], -1)): 0.0, (lambda x: np.isclose(x[1], 1)): 1.0}}

start = time.perf_counter()
reference = fe2_solve(mesh, "conduction", OnTheFly(cell, cache=False), **bc)
t_reference = time.perf_counter() - start

initial = {"gradient": qmc.scale(qmc.Sobol(2, seed=0).random(16), [-3, -3], [3, 3])}  # K/m (domain of size 1 m)
strategy = Adaptive(cell, GaussianProcessSurrogate(cell), tolerance=1e-2, initial=initial)
start = time.perf_counter()
sol = fe2_solve(mesh, "conduction", strategy, newton_tol=1e-7, **bc)
t_adaptive = time.perf_counter() - start

stats = strategy.statistics
error = np.abs(sol.u - reference.u).max() / np.abs(reference.u).max()
print(f"on the fly: {reference.timings['micro_solves']} cell solves, {t_reference:.1f} s")
print(f"adaptive  : {stats['fine_evaluations']} cell solves ({reference.timings['micro_solves'] / stats['fine_evaluations']:.0f}x "
      f"fewer), {stats['refits']} refits, {t_adaptive:.1f} s; max |T - T_ref| / max T = {error:.1e}; "
      f"largest relative std answered {stats['max_relative_std']:.1e} (tolerance {stats['tolerance']:g})")

fig, axes = plt.subplots(1, 2, figsize=(11, 4.4))
tri = axes[0].tripcolor(mesh.p[0], mesh.p[1], mesh.t.T, sol.u, shading="gouraud", cmap="magma")
axes[0].set_aspect("equal")
axes[0].set_title("macro temperature, adaptive FE²", fontsize=9)
fig.colorbar(tri, ax=axes[0], shrink=0.8)
trained, _ = strategy.surrogate.training_set
axes[1].scatter(*sol.gradients.T, s=3, c="0.6", label=f"requested at the last iteration ({len(sol.gradients)})")
axes[1].scatter(*trained["gradient"].T, s=25, c="crimson", marker="x",
                label=f"cell solves ({stats['fine_evaluations']}, initial design included)")
axes[1].set_xlabel("macro gradient g_x [K/m]")
axes[1].set_ylabel("g_y [K/m]")
axes[1].legend(fontsize=8, loc="lower left")
axes[1].set_title(f"{reference.timings['micro_solves']} on-the-fly cell solves vs {stats['fine_evaluations']} adaptive",
                  fontsize=9)
fig.savefig(out / "adaptive_fe2.png", dpi=110, bbox_inches="tight")
