"""ZGB CO oxidation: lattice kMC phase diagram vs the mean-field rate equations.

Sweeps the CO fraction y of the gas on a 48^2 square lattice (Ziff, Gulari & Barshad
1986), averages coverages and CO2 production over the second half of each run, and
draws them with the mean-field (site approximation, Dickman 1986) steady state.
Lattice kMC poisons with O below y1 = 0.3874 and with CO above y2 = 0.5256; mean
field stays reactive up to y = 2/3 and has no O-poisoning transition.

Usage: python examples/kmc/zgb_phase_diagram.py [OUTDIR]   (writes OUTDIR/kmc.png)
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scalebridge.solvers.kmc import ZGB_Y1, ZGB_Y2, mean_field_zgb, run_zgb, square_lattice  # noqa: E402

LAT, MCS = square_lattice(48), 800
ys = np.round(np.arange(0.30, 0.601, 0.01), 3)
cov, tof = [], []
for y in ys:
    r = run_zgb(LAT, y, MCS, seed=1)
    if r.poisoned:
        cov.append(r.coverages[-1])
        tof.append(0.0)
    else:
        cov.append(r.coverages[MCS // 2:].mean(axis=0))
        tof.append(r.co2_per_site[MCS // 2:].mean())
cov, tof = np.array(cov), np.array(tof)
yf = np.linspace(0.0, 0.7, 141)
theta_mf, tof_mf = mean_field_zgb(yf)
snap = run_zgb(LAT, 0.52, 300, seed=3).snapshot

fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(13, 4))
ax1.plot(ys, cov[:, 1], "o-", ms=3, label="CO (kMC)")
ax1.plot(ys, cov[:, 2], "s-", ms=3, label="O (kMC)")
ax1.plot(ys, cov[:, 0], "^-", ms=3, label="empty (kMC)")
ax1.plot(yf, theta_mf, "k--", label="empty (mean field)")
ax2.plot(ys, tof, "o-", ms=3, label="kMC 48$^2$")
ax2.plot(yf, tof_mf, "k--", label="mean field")
for ax in (ax1, ax2):
    for y0, name in ((ZGB_Y1[0], "$y_1$"), (ZGB_Y2[0], "$y_2$")):
        ax.axvline(y0, color="grey", lw=0.8)
        ax.text(y0, 1.02, name, transform=ax.get_xaxis_transform(), ha="center")
    ax.set_xlabel("CO fraction in the gas, y")
    ax.legend(fontsize=8)
ax1.set_ylabel("coverage")
ax2.set_ylabel("CO$_2$ per site per MCS")
ax3.imshow(snap, cmap=matplotlib.colors.ListedColormap(["white", "tab:blue", "tab:orange"]), vmin=0, vmax=2)
ax3.set_title("lattice at y = 0.52 (blue CO, orange O)")
ax3.set_axis_off()
fig.tight_layout()
out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "docs" / "figures"
out.mkdir(parents=True, exist_ok=True)
fig.savefig(out / "kmc.png", dpi=120)
print(f"wrote {out / 'kmc.png'}")
