"""Validation of nonlinear FE² against direct numerical simulation (DNS) of the resolved composite."""

import time

import numpy as np
import skfem

from scalebridge.coupling.fe2 import fe2_solve
from scalebridge.homogenization.nonlinear_cell import NonlinearCellModel
from scalebridge.solvers.fem import solve_macro
from scalebridge.solvers.plasticity import j2_return_mapping
from scalebridge.solvers.tensors import isotropic_stiffness

MATRIX = dict(bulk_modulus=58.3e9, shear_modulus=26.9e9, yield_stress=100e6, hardening_modulus=2e9)
FIBRE = dict(stiffness=isotropic_stiffness(220e9, 190e9, 2))
VOXELS, CELL = 8, 20e-6                      # 8x8 voxel cell, 20 um edge
NX, NY = 6, 16                               # strip of 6 x 16 tiled cells (96 cells)
MACRO = 3, 4                                 # FE² macro elements (the macro fields are uniform)
L, H = NX * CELL, NY * CELL
STRAIN = 0.006                               # end displacement / L at load factor 1
LOADS = [0.25, 0.5, 0.625, 0.75, 0.875, 1.0]
LEFT, RIGHT = (lambda x: np.isclose(x[0], 0.0)), (lambda x: np.isclose(x[0], L))
CORNER = lambda x: np.isclose(x[0], 0.0) & np.isclose(x[1], 0.0)  # noqa: E731


def cell_phases():
    """Centred square fibre (phase 1) of 4x4 voxels in an 8x8 matrix (phase 0): 25 % fibre."""
    phases = np.zeros((VOXELS, VOXELS), dtype=int)
    lo = VOXELS // 4
    phases[lo:VOXELS - lo, lo:VOXELS - lo] = 1
    return phases


BOUNDARY = dict(dirichlet={LEFT: {"x": 0.0}, CORNER: {"y": 0.0}, RIGHT: {"x": STRAIN * L}})


class _Recorder:
    """Mean point stress of the last material call (the converged state when ``commit`` is called)."""

    def __init__(self):
        self.last, self.history = None, []

    def commit(self, state):
        self.history.append(self.last)
        self.state = state


def dns():
    """Resolved composite: one bilinear quad per voxel, fibre elastic, matrix J2 (pointwise)."""
    n = VOXELS
    mesh = skfem.MeshQuad.init_tensor(np.linspace(0, L, NX * n + 1), np.linspace(0, H, NY * n + 1))
    centre = mesh.p[:, mesh.t].mean(axis=1)
    ix = np.floor(centre[0] / (CELL / n)).astype(int) % n
    iy = np.floor(centre[1] / (CELL / n)).astype(int) % n
    n_qp = 4  # intorder=2 on quads (checked below against the point count)
    phase = np.repeat(cell_phases()[ix, iy], n_qp)
    matrix, fibre = np.flatnonzero(phase == 0), np.flatnonzero(phase == 1)
    C = FIBRE["stiffness"]
    rec = _Recorder()
    rec.state = {"ep": np.zeros((matrix.size, 6)), "alpha": np.zeros(matrix.size)}

    def material(strain, state, step):
        assert strain.shape[0] == phase.size
        stress, tangent = np.empty_like(strain), np.empty((strain.shape[0], 3, 3))
        stress[fibre], tangent[fibre] = strain[fibre] @ C.T, C
        s, t, ep, alpha = j2_return_mapping(strain[matrix], state["ep"], state["alpha"], plane_strain=True,
                                            **MATRIX)
        stress[matrix], tangent[matrix] = s, t
        rec.last = stress.mean(axis=0)  # uniform mesh, equal Gauss weights: volume mean
        return stress, tangent, {"ep": ep, "alpha": alpha}

    sol = solve_macro(mesh, "mechanics", material, state=rec.state, commit=rec.commit, load_steps=LOADS,
                      **BOUNDARY)
    return sol, rec


class _RecordingModel:
    """Delegates to the RVE model and records the mean macro strain of the last call."""

    def __init__(self, model, rec):
        self.model, self.rec = model, rec
        self.inputs, self.outputs, self.name, self.scale = model.inputs, model.outputs, model.name, model.scale

    def evaluate(self, inputs, state=None):
        ev = self.model.evaluate(inputs, state)
        self.rec.last = np.asarray(ev["stress"]).mean(axis=0)
        return ev


def fe2():
    """Same beam, one macro element per cell, the cell as a NonlinearCellModel at every macro point."""
    rve = NonlinearCellModel(cell_phases(), [MATRIX, FIBRE], cell_size=f"{CELL * 1e6} um")
    mesh = skfem.MeshQuad.init_tensor(np.linspace(0, L, MACRO[0] + 1), np.linspace(0, H, MACRO[1] + 1))
    rec = _Recorder()
    rec.state = rve.initial_state(mesh.nelements * 4)
    sol = fe2_solve(mesh, "mechanics", _RecordingModel(rve, rec), state=rec.state, commit=rec.commit,
                    load_steps=LOADS, **BOUNDARY)
    return sol, rec


def end_force(sol, rec):
    """Right-edge force per unit thickness per load step: int sigma_xx dV = L * F (traction-free
    top/bottom, roller at x = 0), i.e. F = H * <sigma_xx>; the last step is checked against the reaction."""
    force = np.array([h[0] for h in rec.history]) * H
    assert np.isclose(sol.reactions[RIGHT][0], force[-1], rtol=1e-6), (sol.reactions[RIGHT], force[-1])
    return force


def test_fe2_matches_dns_force_displacement_within_2_percent():
    """Nonlinear FE² force–displacement within 2 % of DNS (issue 4).

    Cell: 8x8 voxels, 20 um, centred 4x4 elastic square fibre (25 %), J2 matrix (sigma_y = 100 MPa,
    H = 2 GPa), plane strain. DNS: strip of 6 x 16 tiled cells (48 x 128 voxel quads, pointwise
    j2_return_mapping); FE²: 3 x 4 macro quads with a NonlinearCellModel (periodic) at every
    point. Roller at x = 0, prescribed u_x = lambda * 0.006 L at x = L, top/bottom free. For the
    mirror-symmetric cell the x-edges carry no boundary layer; the only one is at the free
    top/bottom surfaces and scales as 1/N_y.

    Measured |F_FE2 - F_DNS| / F_DNS at lambda = 0.25, 0.5, 0.625, 0.75, 0.875, 1.0:
    0.39, 0.72, 0.88, 1.04, 1.20, 1.35 % (94 % of the DNS matrix points yielded; the last
    increment's stiffness is ~0.2x the first-step secant stiffness). The same setup with a 12 x 3
    beam gives 2.1 ... 7.7 % (mean end stress off by 16.5 / 8.3 / 4.2 MPa of 232 MPa for N_y = 3 / 6 / 12):
    the free-surface layer, which first-order homogenisation does not represent.
    Runtime ~15 s (DNS ~8 s, FE² ~5 s).
    """
    t0 = time.perf_counter()
    d_sol, d_rec = dns()
    t1 = time.perf_counter()
    f_sol, f_rec = fe2()
    t2 = time.perf_counter()
    f_dns, f_fe2 = end_force(d_sol, d_rec), end_force(f_sol, f_rec)
    rel = np.abs(f_fe2 - f_dns) / np.abs(f_dns)
    print(f"DNS {t1 - t0:.1f} s, FE2 {t2 - t1:.1f} s")
    for lam, a, b, r in zip(LOADS, f_dns, f_fe2, rel):
        print(f"lambda={lam:.3f} F_dns={a:.6e} F_fe2={b:.6e} rel={r:.4%}")
    print("plastic matrix points (DNS):", np.mean(d_rec.state["alpha"] > 0))
    assert np.max(d_rec.state["alpha"]) > 0 and np.max(f_rec.state["alpha"]) > 0
    first_secant, last_tangent = f_dns[0] / LOADS[0], (f_dns[-1] - f_dns[-2]) / (LOADS[-1] - LOADS[-2])
    assert last_tangent < 0.5 * first_secant  # well into the plastic regime
    assert np.all(rel < 0.02), rel
