"""Macro stress-strain loop of a plastic-matrix composite cell (nonlinear RVE of FE²).

A periodic 24 x 24 voxel cell, a stiff elastic SiC-like fibre (30 % area) in an
aluminium-like J2 elastoplastic matrix (E = 70 GPa, nu = 0.3, sigma_y = 100 MPa,
linear hardening H = 2 GPa), plane strain. The macro strain E11 is driven up to
0.6 % and back, under macro *uniaxial stress* Sigma22 = Sigma12 = 0: at every step the
two free macro strains are found by a macro Newton iteration with the condensed
consistent tangent of the cell, always from the last committed micro state, which is
committed only when the step has converged (the FE² protocol of Kouznetsova et al.
2001). Last, the cell is unloaded to zero mean stress: the residual macro strain is
the plastic strain of the composite. The homogeneous matrix (a one-phase cell: the
J2 point law) is shown for comparison.

Run: ``python examples/homogenization/plastic_rve.py [OUTDIR]``
"""

import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scalebridge.homogenization.nonlinear_cell import NonlinearCellModel  # noqa: E402
from scalebridge.solvers.tensors import isotropic_stiffness  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)
start = time.perf_counter()

n = 24
x = (np.arange(n) + 0.5) / n
X, Y = np.meshgrid(x, x, indexing="ij")
fibre = ((X - 0.5) ** 2 + (Y - 0.5) ** 2 < 0.3 / np.pi).astype(int)  # 30 % fibres
matrix = dict(bulk_modulus=70e9 / (3 * 0.4), shear_modulus=70e9 / 2.6, yield_stress=100e6, hardening_modulus=2e9)
sic = dict(stiffness=isotropic_stiffness(220e9, 190e9, 2))
cells = {"composite (30 % SiC fibres)": NonlinearCellModel(fibre, [matrix, sic]),
         "matrix alone (J2 point law)": NonlinearCellModel(np.zeros((2, 2), dtype=int), [matrix])}


def uniaxial_step(model, e11, guess, state):
    """Sigma22 = Sigma12 = 0 at prescribed E11: macro Newton with the condensed tangent."""
    E = np.array([e11, *guess])
    for _ in range(20):
        ev = model.evaluate({"strain": E[None]}, state)
        S, C = ev["stress"][0], ev.tangents[("stress", "strain")][0]
        if np.abs(S[1:]).max() < 1e-6 * max(1.0, abs(S[0])):
            return E, S, ev.state
        E[1:] -= np.linalg.solve(C[1:, 1:], S[1:])
    raise RuntimeError("macro Newton did not converge")


def unload_to_zero_stress(model, E, state):
    for _ in range(20):
        ev = model.evaluate({"strain": E[None]}, state)
        if np.abs(ev["stress"][0]).max() < 1e-3:
            return E
        E = E - np.linalg.solve(ev.tangents[("stress", "strain")][0], ev["stress"][0])
    raise RuntimeError("unloading did not converge")


path = np.concatenate([np.linspace(0, 6e-3, 16), np.linspace(6e-3, 4.5e-3, 6)[1:]])
fig, ax = plt.subplots(figsize=(6, 4.2))
for (label, model), colour in zip(cells.items(), ("C0", "C1")):
    state, free, curve = model.initial_state(1), np.zeros(2), []
    for e11 in path:
        E, S, new_state = uniaxial_step(model, e11, free, state)
        state, free = new_state, E[1:]  # commit: the macro step has converged
        curve.append((E[0], S[0]))
    residual = unload_to_zero_stress(model, E.copy(), state)
    curve = np.array(curve)
    ax.plot(100 * curve[:, 0], curve[:, 1] / 1e6, "o-", ms=3, color=colour, label=label)
    ax.plot([100 * curve[-1, 0], 100 * residual[0]], [curve[-1, 1] / 1e6, 0], ":", color=colour)
    ax.plot(100 * residual[0], 0, "x", color=colour, ms=8)
    print(f"{label}: peak Sigma11 = {curve[:, 1].max() / 1e6:.1f} MPa, residual E11 = {100 * residual[0]:.3f} %")
ax.set_xlabel("macro strain $E_{11}$ (%)")
ax.set_ylabel(r"macro stress $\Sigma_{11}$ (MPa)")
ax.set_title("Plastic-matrix composite cell: uniaxial macro stress, load / unload", fontsize=10)
ax.legend(frameon=False)
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(out / "plastic_rve.png", dpi=120)
print(f"wrote {out / 'plastic_rve.png'} in {time.perf_counter() - start:.1f} s")
