"""Atomistic engines benchmark: force evaluations per atom per second, ours vs ASE's calculators.

1. Force throughput on the same configuration (4,000-atom fcc, 10^3 conventional cells,
   Gaussian thermal noise of 0.05 Å, fixed seed):
   - our Lennard-Jones (shifted, r_c = 2.5 sigma, Verlet list with 0.3 sigma skin) vs
     ``ase.calculators.lj.LennardJones`` (same cut-off, smooth=False), argon-like units;
   - our Finnis–Sinclair EAM (Mo, bcc 10^3 cells = 2,000 atoms x 2 = 4,000 atoms... see below)
     and ASE's EMT (Cu fcc, 4,000 atoms), both many-body embedded-atom forms.
   "Fresh" calls rebuild the neighbour list (a new configuration); "MD-like" calls move the atoms
   by 0.01 Å between calls, so our Verlet list is reused (ASE keeps its own list too).
2. (later) coupled vs fully atomistic solve time: another section function, called from main().

Run: ``python benchmarks/atomistic.py`` (about a minute).
"""

import os
import platform

import numpy as np

from scalebridge.solvers.atomistic import FinnisSinclair, LennardJones, cubic_supercell, to_atoms
from timing import timed


def thermal_crystal(kind, a, reps, noise=0.05, seed=0):
    c = cubic_supercell(kind, a, reps)
    rng = np.random.default_rng(seed)
    return c.basis + noise * rng.standard_normal(c.basis.shape), c.cell


def _rate(fn, n_atoms, repeat):
    t, _ = timed(fn, repeat=repeat)
    return n_atoms / t


def _md_like(compute, positions, calls=5, step=0.01, seed=1):
    """Per-call time over ``calls`` small moves (neighbour lists reused between calls)."""
    rng = np.random.default_rng(seed)
    moves = step * rng.standard_normal((calls,) + positions.shape) / np.sqrt(3)

    def run():
        p = positions.copy()
        for m in moves:
            p += m
            compute(p)
    t, _ = timed(run, repeat=1)
    return t / calls


def force_throughput():
    from ase.calculators.emt import EMT
    from ase.calculators.lj import LennardJones as AseLJ

    print("1. force evaluations per atom per second (higher is better), one configuration each")
    print(f"   {'engine':<44}{'fresh':>14}{'MD-like':>14}{'ours / ASE':>14}")
    rows = []
    # Lennard-Jones, reduced units with sigma = 3.4 Å like argon
    pos, cell = thermal_crystal("fcc", 1.56 * 3.4, 10, noise=0.05)
    n = len(pos)
    ours = LennardJones(0.0104, 3.4, 2.5 * 3.4, "shifted", skin=0.3)
    ours.compute(pos, cell)                                     # warm-up
    fresh_ours = n / timed(lambda: LennardJones(0.0104, 3.4, 2.5 * 3.4, "shifted").compute(pos, cell), 3)[0]
    md_ours = n / _md_like(lambda p: ours.compute(p, cell), pos)
    atoms = to_atoms(pos, cell, True, "Ar")

    def ase_lj(p=None):
        if p is not None:
            atoms.set_positions(p)
        return atoms.get_forces()
    atoms.calc = AseLJ(epsilon=0.0104, sigma=3.4, rc=2.5 * 3.4, smooth=False)
    ase_lj()
    fresh_ase = n / timed(lambda: (setattr(atoms, "calc", AseLJ(epsilon=0.0104, sigma=3.4, rc=2.5 * 3.4,
                                                                 smooth=False)), ase_lj()), 2)[0]
    md_ase = n / _md_like(ase_lj, pos)
    rows += [(f"our LennardJones ({n} atoms)", fresh_ours, md_ours, md_ours / md_ase),
             (f"ASE LennardJones ({n} atoms)", fresh_ase, md_ase, 1.0)]
    # EAM: our Finnis–Sinclair Mo (bcc, 2 x 12.6^3 ... 4,394 atoms ~ 4,000) vs ASE EMT Cu (fcc, 4,000 atoms)
    pos_mo, cell_mo = thermal_crystal("bcc", 3.1472, 13, noise=0.05)
    fs = FinnisSinclair.published("Mo")
    fs.compute(pos_mo, cell_mo)
    fresh_fs = len(pos_mo) / timed(lambda: FinnisSinclair.published("Mo").compute(pos_mo, cell_mo), 3)[0]
    md_fs = len(pos_mo) / _md_like(lambda p: fs.compute(p, cell_mo), pos_mo)
    pos_cu, cell_cu = thermal_crystal("fcc", 3.59, 10, noise=0.05)
    cu = to_atoms(pos_cu, cell_cu, True, "Cu")

    def emt(p=None):
        if p is not None:
            cu.set_positions(p)
        return cu.get_forces()
    cu.calc = EMT()
    emt()
    fresh_emt = len(pos_cu) / timed(lambda: (setattr(cu, "calc", EMT()), emt()), 1)[0]
    md_emt = len(pos_cu) / _md_like(emt, pos_cu, calls=3)
    rows += [(f"our Finnis-Sinclair Mo ({len(pos_mo)} atoms)", fresh_fs, md_fs, md_fs / md_emt),
             (f"ASE EMT Cu ({len(pos_cu)} atoms)", fresh_emt, md_emt, 1.0)]
    for name, fresh, md, ratio in rows:
        print(f"   {name:<44}{fresh:>14.3e}{md:>14.3e}{ratio:>14.1f}")
    print(f"   LJ fresh-call ratio ours/ASE: {fresh_ours / fresh_ase:.1f}; EAM/EMT fresh-call ratio: "
          f"{fresh_fs / fresh_emt:.1f}")
    return {"lj": md_ours / md_ase, "eam_vs_emt": md_fs / md_emt}


def main():
    print(f"atomistic benchmark on {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    force_throughput()


if __name__ == "__main__":
    main()
