"""Coupled atomistic/continuum vs fully atomistic nano-indentation: degrees of freedom and solve time.

A cylindrical indenter (Kelchner et al. 1998) presses a Lennard-Jones triangular slab; the coupled model
keeps an atomistic disc and replaces the rest by graded linear Cauchy-Born P1 elements
(scalebridge.coupling.handshake_2d). For growing slabs (same disc) it reports, in one run, the DOF
ratio, the solve-time ratio (same Newton solver, same load steps) and the relative L2 error over the disc.

Run: ``python benchmarks/domain_coupling.py`` (about a minute).
"""

import numpy as np

from scalebridge.coupling.handshake_2d import AtomisticSlab, CoupledSlab, Indenter, indent
from scalebridge.coupling.pair_potentials import LennardJones

lj = LennardJones()
a = lj.spacing
print(f"{'slab':>10} {'dofs full':>10} {'dofs coupled':>12} {'ratio':>6} {'t full':>8} {'t coupled':>9} "
      f"{'speed-up':>8} {'L2 err':>7}")
for nx, ny in ((81, 47), (121, 70), (161, 93), (241, 139)):
    top = (ny - 1) * a * np.sqrt(3) / 2
    cx = (nx // 2) * a
    coupled = CoupledSlab(lj, nx, ny, (cx, top), 8 * a)
    full = AtomisticSlab(lj, nx, ny)
    ind = Indenter(radius=10 * a, stiffness=10.0, center_x=cx, surface_y=top)
    r = indent(coupled, full, ind, np.linspace(0.25, 1.0, 4) * a)
    print(f"{nx:>4} x {ny:<3} {r.dofs_atomistic:>10} {r.dofs_coupled:>12} {r.dofs_atomistic / r.dofs_coupled:>6.1f} "
          f"{r.time_atomistic:>7.2f}s {r.time_coupled:>8.3f}s {r.time_atomistic / r.time_coupled:>8.1f} "
          f"{100 * r.relative_l2_error:>6.2f}%")
