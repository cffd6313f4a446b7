"""Kill a nonlinear FE² run with SIGKILL, resume it from its checkpoint: the same curve, bitwise.

A quarter plate with a hole (plane strain) whose material at every macro quadrature
point is an elastoplastic RVE (10^2 voxels, 30 % elastic fibres in a J2 matrix)
solved on the fly, is loaded in four increments and unloaded in four. The script

1. solves it once, uninterrupted;
2. starts the same solve in a child process with ``checkpoint=..., checkpoint_every=1,
   resume=True`` (this file with ``--solve``), waits until three load steps have
   converged and kills the child with SIGKILL;
3. runs the identical call again, which continues from the checkpoint;

and checks that the resumed run ends with bitwise the same displacements, stresses
and plastic state as the uninterrupted one. The figure plots the macro
load–displacement curve (remote traction vs. mean displacement of the pulled edge)
of both runs, marking the steps of the killed child and of the resumed run.

Run: ``python examples/fault_tolerance/resume_fe2.py [OUTDIR]``
One solve: ``python examples/fault_tolerance/resume_fe2.py --solve CHECKPOINT RESULT.npz [CURVE.txt]``
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import skfem

from scalebridge.coupling.fe2 import fe2_solve
from scalebridge.coupling.on_the_fly import OnTheFly
from scalebridge.homogenization.microstructure import random_inclusions
from scalebridge.homogenization.nonlinear_cell import NonlinearCellModel
from scalebridge.solvers.tensors import isotropic_stiffness

W, R, REMOTE = 10e-3, 2.5e-3, 140e6           # half-width [m], hole radius [m], peak traction [Pa]
LOAD_PATH = [0.25, 0.5, 0.75, 1.0, 0.75, 0.5, 0.25, 0.0]


def quarter_plate_with_hole(n_theta=3, n_radial=2):
    """Structured quad mesh of the quarter plate, graded towards the hole."""
    theta = np.linspace(0.0, np.pi / 2, n_theta + 1)
    s = np.linspace(0.0, 1.0, n_radial + 1) ** 1.5
    inner = R * np.stack([np.cos(theta), np.sin(theta)])
    outer = np.where(theta <= np.pi / 4, [np.full_like(theta, W), W * np.tan(theta)],
                     [W / np.tan(np.maximum(theta, 1e-300)), np.full_like(theta, W)])
    p = (inner[:, :, None] * (1 - s) + outer[:, :, None] * s).reshape(2, -1)
    i, j = np.meshgrid(np.arange(n_theta), np.arange(n_radial), indexing="ij")
    node = lambda a, b: (a * (n_radial + 1) + b).ravel()  # noqa: E731
    return skfem.MeshQuad(p, np.stack([node(i, j), node(i, j + 1), node(i + 1, j + 1), node(i + 1, j)]))


def solve(checkpoint=None, curve=None):
    """The FE² solve; with ``checkpoint`` it checkpoints every step and resumes if the file exists."""
    phases = random_inclusions(10, 0.3, 0.2, dim=2, seed=5)
    matrix = dict(bulk_modulus=58.3e9, shear_modulus=26.9e9, yield_stress=100e6, hardening_modulus=2e9)
    rve = NonlinearCellModel(phases, [matrix, dict(stiffness=isotropic_stiffness(220e9, 190e9, 2))],
                             cell_size="40 um")
    mesh = quarter_plate_with_hole()
    edge = np.flatnonzero(np.isclose(mesh.p[0], W))

    def progress(info):  # one line per converged step: load factor, mean u_x of the pulled edge
        if curve is not None:
            with open(curve, "a") as f:
                f.write(f"{float(info['load_factor'])!r} {float(info['u'][2 * edge].mean())!r}\n")

    return fe2_solve(mesh, "mechanics", OnTheFly(rve, cache=False), load_steps=LOAD_PATH,
                     state=rve.initial_state(mesh.nelements * 4), progress=progress,
                     dirichlet={(lambda x: np.isclose(x[0], 0.0)): {"x": 0.0},
                                (lambda x: np.isclose(x[1], 0.0)): {"y": 0.0}},
                     neumann={(lambda x: np.isclose(x[0], W)): [REMOTE, 0.0]},
                     checkpoint=checkpoint, checkpoint_every=1, resume=checkpoint is not None)


def arrays(sol) -> dict:
    """The results compared bitwise."""
    return {"u": sol.u, "fluxes": sol.fluxes, "load_factors": sol.load_factors, "iterations": sol.iterations,
            "residuals": np.concatenate(sol.residuals), **{f"state_{k}": v for k, v in sol.state.items()}}


def read_curve(path):
    """Complete lines (load factor, displacement) of a curve file."""
    lines = Path(path).read_text().splitlines(keepends=True) if Path(path).exists() else []
    return np.array([line.split() for line in lines if line.endswith("\n")], dtype=float).reshape(-1, 2)


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "--solve":
    sol = solve(sys.argv[2], sys.argv[4] if len(sys.argv) > 4 else None)
    np.savez(sys.argv[3], resumed_from=sol.resumed_from, **arrays(sol))
    sys.exit(0)

if __name__ == "__main__":
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    work = out / "resume_fe2_work"
    work.mkdir(exist_ok=True)
    checkpoint, killed_curve, resumed_curve, full_curve = (work / n for n in ("fe2.ckpt", "killed.txt", "resumed.txt",
                                                                              "uninterrupted.txt"))
    for f in (checkpoint, killed_curve, resumed_curve, full_curve):
        f.unlink(missing_ok=True)

    t0 = time.perf_counter()
    reference = solve(curve=full_curve)
    print(f"uninterrupted: {len(reference.load_factors)} steps in {time.perf_counter() - t0:.1f} s")

    child = subprocess.Popen([sys.executable, __file__, "--solve", str(checkpoint), str(work / "child.npz"),
                              str(killed_curve)])
    deadline = time.monotonic() + 120
    while len(read_curve(killed_curve)) < 3 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # polling for the child's third converged step
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    steps = len(read_curve(killed_curve))
    print(f"child killed with SIGKILL after {steps} converged steps (exit status {child.returncode})")

    resumed = solve(checkpoint, curve=resumed_curve)
    same = all(np.array_equal(a, b) for a, b in zip(arrays(resumed).values(), arrays(reference).values()))
    print(f"resumed from step {resumed.resumed_from}: results bitwise identical to the uninterrupted run: {same}")
    if not same:
        sys.exit("resumed run differs from the uninterrupted one")

    fig, ax = plt.subplots(figsize=(5.5, 4))
    ref, killed, rest = read_curve(full_curve), read_curve(killed_curve), read_curve(resumed_curve)
    ax.plot(np.r_[0, ref[:, 1]] * 1e6, np.r_[0, ref[:, 0]] * REMOTE / 1e6, "k-", lw=3, alpha=0.3,
            label="uninterrupted run")
    ax.plot(killed[:, 1] * 1e6, killed[:, 0] * REMOTE / 1e6, "o", mfc="none", ms=9, color="C3",
            label=f"run killed (SIGKILL) after step {len(killed)}")
    ax.plot(rest[:, 1] * 1e6, rest[:, 0] * REMOTE / 1e6, "s", ms=5, color="C0",
            label=f"resumed from checkpoint (step {resumed.resumed_from})")
    ax.set_xlabel("mean displacement of the pulled edge [µm]")
    ax.set_ylabel("remote traction [MPa]")
    ax.set_title("FE² (elastoplastic RVE per point): kill and resume", fontsize=9)
    ax.legend(fontsize=8)
    fig.savefig(out / "resume_fe2.png", dpi=110, bbox_inches="tight")
    print(f"wrote {out / 'resume_fe2.png'}")
