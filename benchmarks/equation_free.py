"""Equation-free benchmark: fine steps and wall time, projective integration vs the full fine simulation.

1. Fisher-KPP u_t = u_xx + 10 u (1 - u) on [0, 1] (no-flux), D1Q3 lattice Boltzmann with 256
   nodes as the fine model, 16 coarse cell averages, horizon t = 0.3 (117,965 fine steps):
   projective forward Euler, projective RK2 and adaptive projective RK2 against running the
   lattice for the whole horizon. Error = max over output times of max|U - U_fine| / max|U_fine|.
2. Gap-tooth: 16 patches on 10 % of the periodic domain vs the full lattice (640 nodes), and patch
   dynamics (gap-tooth + projective forward Euler).
3. Coarse steady state of the Bratu LBM (33 nodes, lambda = 1): Newton-Krylov on the coarse
   time-stepper vs time stepping the lattice until |rho^{n+1} - rho^n| < 1e-12.

Run: ``python benchmarks/equation_free.py`` (about 20 s).
"""

import os
import platform

import numpy as np

from scalebridge.coupling.coarse_fixed_points import newton_krylov_fixed_point
from scalebridge.coupling.equation_free import (CoarseTimeStepper, cell_average, conservative_interpolation,
                                                projective_integrate)
from scalebridge.coupling.gap_tooth import GapToothDynamics, gap_tooth, lattice_boltzmann_patches
from scalebridge.solvers.lattice_boltzmann import LatticeBoltzmann
from timing import timed


def projective():
    lb = LatticeBoltzmann(1.0, 256, 1.0, reaction=lambda u: 10.0 * u * (1 - u), boundary="flux")
    u0 = cell_average(0.8 * np.exp(-((lb.nodes - 0.25) / 0.15) ** 2), 16)
    f0 = lb.equilibrium(conservative_interpolation(u0, 256))
    stepper = CoarseTimeStepper(lb, lambda U, rng: lb.equilibrium(conservative_interpolation(U, 256)),
                                lambda f: cell_average(lb.density(f), 16), dt=lb.time_step, healing_steps=10,
                                burst_steps=4)
    horizon = 0.3
    n_full = int(round(horizon / lb.time_step))
    t_full, f_end = timed(lambda: lb.run(f0, n_full), repeat=3)
    print(f"1. projective integration, Fisher-KPP by LBM (256 nodes -> 16 cells), t = {horizon}")
    print(f"   {'method':<30}{'fine steps':>12}{'fewer by':>10}{'wall s':>9}{'faster':>8}{'max error':>11}")
    print(f"   {'full fine simulation':<30}{n_full:>12,d}{1:>10.1f}{t_full:>9.3f}{1:>8.1f}{0:>11.1e}")
    cases = (("projective Euler, jump 150", dict(method="forward_euler", projective_step=150 * lb.time_step)),
             ("projective RK2, jump 300", dict(method="rk2", projective_step=300 * lb.time_step)),
             ("adaptive RK2, tol 1e-3", dict(method="rk2", projective_step=3000 * lb.time_step, tol=1e-3)))
    for label, options in cases:
        t, res = timed(lambda: projective_integrate(stepper.with_(), u0, horizon, **options), repeat=3)
        f, done, worst = f0, 0, 0.0
        for ti, ui in zip(res.t, res.u):
            n = int(round(ti / lb.time_step))
            f, done = lb.run(f, n - done), n
            ref = cell_average(lb.density(f), 16)
            worst = max(worst, np.abs(ui - ref).max() / np.abs(ref).max())
        print(f"   {label:<30}{res.fine_steps:>12,d}{n_full / res.fine_steps:>10.1f}{t:>9.3f}{t_full / t:>8.1f}"
              f"{worst:>11.2e}")


def gap_tooth_case():
    n_p, n_nodes, h = 16, 4, 0.1 / 16
    full = LatticeBoltzmann(1.0, int(round(n_nodes / h)), 1.0)
    m = full.n_nodes // n_p

    def boxes(rho):
        return rho.reshape(n_p, m)[:, m // 2 - n_nodes // 2: m // 2 + n_nodes // 2].mean(axis=1)

    f0 = full.equilibrium(1 + 0.5 * np.cos(2 * np.pi * full.nodes) + 0.25 * np.sin(4 * np.pi * full.nodes))
    u0 = boxes(full.density(f0))
    lift, restrict = lattice_boltzmann_patches(1.0, h, n_nodes)
    k, steps = 1200, 20
    t_full, f = timed(lambda: full.run(f0, k * steps), repeat=3)
    ref = boxes(full.density(f))
    t_gt, res = timed(lambda: gap_tooth(lift, restrict, u0, length=1.0, patch_width=h, coarse_step=k * full.time_step,
                                        t_end=k * steps * full.time_step), repeat=3)
    stepper = CoarseTimeStepper(GapToothDynamics(lift, restrict, 1 / n_p, h), lambda u, rng: np.array(u),
                                lambda u: u, dt=40 * full.time_step, burst_steps=2)
    t_pd, pd = timed(lambda: projective_integrate(stepper.with_(), u0, k * steps * full.time_step,
                                                  projective_step=400 * full.time_step), repeat=3)
    scale = np.abs(ref - ref.mean()).max()
    print(f"2. gap-tooth, periodic diffusion, {n_p} patches on 10 % of the domain, {k * steps:,d} fine steps")
    print(f"   {'method':<30}{'node-steps':>12}{'wall s':>9}{'faster':>8}{'max error':>11}")
    print(f"   {'full fine lattice':<30}{full.n_nodes * k * steps:>12,d}{t_full:>9.3f}{1:>8.1f}{0:>11.1e}")
    print(f"   {'gap-tooth':<30}{n_p * n_nodes * k * steps:>12,d}{t_gt:>9.3f}{t_full / t_gt:>8.1f}"
          f"{np.abs(res.u[-1] - ref).max() / scale:>11.2e}")
    node_steps = n_p * n_nodes * pd.fine_steps * 40
    print(f"   {'patch dynamics (+ PFE)':<30}{node_steps:>12,d}{t_pd:>9.3f}{t_full / t_pd:>8.1f}"
          f"{np.abs(pd.u[-1] - ref).max() / scale:>11.2e}")


def steady_state():
    lb = LatticeBoltzmann(1.0, 33, 1.0, boundary="dirichlet", reaction=np.exp)
    stepper = CoarseTimeStepper(lb, lambda U, rng: lb.equilibrium(np.concatenate([[0.0], U, [0.0]])),
                                lambda f: lb.density(f)[1:-1], dt=lb.time_step)

    def relax():
        f, n = lb.equilibrium(np.zeros(33)), 0
        while True:
            g = lb.run(f, 100)
            n += 100
            if np.abs(lb.density(g) - lb.density(f)).max() < 1e-12:
                return n, lb.density(g)[1:-1]
            f = g

    t_relax, (n_relax, u_relax) = timed(relax)
    t_nk, res = timed(lambda: newton_krylov_fixed_point(lambda U: stepper.evolve(U, 100 * lb.time_step),
                                                        np.zeros(31), tol=1e-10))
    n_nk = res.map_evaluations * 100
    print("3. coarse steady state, Bratu LBM (33 nodes, lambda = 1)")
    print(f"   time stepping to 1e-12: {n_relax:,d} fine steps, {t_relax:.3f} s")
    print(f"   Newton-Krylov (T = 100 steps): {n_nk:,d} fine steps ({res.newton_iterations} Newton, "
          f"{res.gmres_iterations} GMRES), {t_nk:.3f} s: {n_relax / n_nk:.1f}x fewer steps, "
          f"{t_relax / t_nk:.1f}x faster; max |difference| = {np.abs(res.u - u_relax).max():.1e}")


if __name__ == "__main__":
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    projective()
    gap_tooth_case()
    steady_state()
