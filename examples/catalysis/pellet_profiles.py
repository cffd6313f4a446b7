"""Concentration profiles in the catalyst pellet along the packed bed (CO oxidation on Pt).

Builds the shipped chain from Python, walks its model tree to the pellet, and plots
the CO profile inside pellets at three positions of the bed.

Run: ``python examples/catalysis/pellet_profiles.py [OUTDIR]``
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import yaml  # noqa: E402

from scalebridge.apps.catalysis import SCENARIOS, Scenario, build  # noqa: E402
from scalebridge.apps.catalysis.chain import feed_concentration  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
scenario = Scenario.model_validate(yaml.safe_load(SCENARIOS["co_oxidation"].read_text()))
reactor = build(scenario)
bed = reactor.profile(feed_concentration(scenario))
pellet = reactor.fine

fig, ax = plt.subplots(figsize=(6, 4))
for z in (0.0, 0.05, 0.10):
    c_bulk = np.interp(z, bed.z, bed.concentration)
    sol = pellet.solve(c_bulk)
    ax.semilogy(sol.radii / pellet.radius, sol.concentrations / c_bulk, label=f"z = {100 * z:.0f} cm")
    print(f"z = {z:5.2f} m: X = {np.interp(z, bed.z, bed.conversion):.4f}, eta = {sol.effectiveness_factor:.4e}")
ax.set_xlabel("r / R [-]")
ax.set_ylabel("c / c_bulk [-]")
ax.set_ylim(1e-6, 1.5)
ax.legend()
ax.set_title("CO inside the pellet: a thin reactive shell")
fig.savefig(out / "pellet_profiles.png", dpi=120, bbox_inches="tight")
