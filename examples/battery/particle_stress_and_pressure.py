"""Battery building blocks: tortuosity from sphere packings, particle stresses, charging under pressure.

Writes three figures to OUTDIR:

* ``battery_tortuosity.png``: tortuosity factor of the pore phase (FFT cell problem) vs porosity for random
  non-overlapping and overlapping sphere packings, with Bruggeman eps^-1/2 and the Hashin–Shtrikman bound;
* ``battery_particle_stress.png``: radial and hoop stress through a particle during galvanostatic lithiation
  and delithiation, with and without stress-enhanced diffusion;
* ``battery_pressure_study.png``: diffusion and kinetic time scales and the fastest charge vs pressure.

Run: ``python examples/battery/particle_stress_and_pressure.py [OUTDIR]``
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scalebridge.apps.battery.mechanics import ParticleMechanics, assess_cracking, solve_particle_diffusion  # noqa: E402
from scalebridge.apps.battery.microstructure import pore_transport, sphere_packing  # noqa: E402
from scalebridge.apps.battery.pressure import pressure_study, pressure_study_figure  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)

# 1. tortuosity factor vs porosity (48^3 voxels, radius 5 voxels)
fig, ax = plt.subplots(figsize=(6, 4.2))
for overlapping, fractions, marker, label in ((False, (0.15, 0.25, 0.35), "o", "non-overlapping spheres (RSA)"),
                                             (True, (0.5, 0.6, 0.7), "s", "overlapping spheres (Boolean)")):
    for k, fs in enumerate(fractions):
        for seed in ((0, 1) if not overlapping else (0,)):  # overlapping: more CG iterations, one seed
            tr = pore_transport(sphere_packing(48, fs, 5.0, overlapping=overlapping, seed=seed))
            ax.plot(tr.volume_fraction, tr.tortuosity_factor, marker, color="C0" if not overlapping else "C3",
                    label=label if (k, seed) == (0, 0) else None)
            print(f"{'overlap' if overlapping else 'RSA':8s} eps = {tr.volume_fraction:.3f}: tau = "
                  f"{tr.tortuosity_factor:.3f}, Bruggeman {tr.bruggeman:.3f} ({tr.tortuosity_factor / tr.bruggeman - 1:+.1%})")
eps = np.linspace(0.25, 0.9, 100)
ax.plot(eps, eps**-0.5, "k-", label=r"Bruggeman $\tau = \varepsilon^{-1/2}$")
ax.plot(eps, (3 - eps) / 2, "k:", label="Hashin–Shtrikman lower bound on τ")
ax.set_xlabel("porosity ε [-]")
ax.set_ylabel("tortuosity factor τ = ε D / D_eff [-]")
ax.legend(fontsize=8)
ax.set_title("pore-phase tortuosity of sphere packings (FFT, 48³)")
fig.savefig(out / "battery_tortuosity.png", dpi=120, bbox_inches="tight")

# 2. stress profiles through a particle (LiMn2O4-like constants, Zhang, Shyy & Sastry 2007)
mech = ParticleMechanics(youngs_modulus=10e9, poisson_ratio=0.3, partial_molar_volume=3.497e-6)
R, D = 5e-6, 1e-14
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, j, c0, title in ((axes[0], 1e-5, 2000.0, "lithiation"), (axes[1], -1e-5, 20000.0, "delithiation")):
    for coupled, ls in ((False, "--"), (True, "-")):
        hist = solve_particle_diffusion(R, D, j, 0.4 * R**2 / D, initial_concentration=c0, mechanics=mech,
                                        stress_coupling=coupled, n_cells=40, n_steps=200)
        st = hist.stress()
        for k, colour in zip((20, 80, 200), ("C0", "C1", "C2")):
            ax.plot(hist.radii / R, st.radial[k] / 1e6, ls, color=colour, lw=1,
                    label=f"σ_r, t = {hist.t[k] * D / R**2:.2f} R²/D" if coupled else None)
            ax.plot(hist.radii / R, st.hoop[k] / 1e6, ls, color=colour, lw=2,
                    label="σ_θ (thick); dashed: no stress coupling" if (coupled and k == 200) else None)
        if coupled and j < 0:
            crack = assess_cracking(hist, fracture_strength=100e6, fracture_toughness=1e6)
            print(f"delithiation: max hoop {crack.max_tensile_hoop / 1e6:.1f} MPa at r = {crack.at_radius / R:.2f} R, "
                  f"indicator {crack.indicator:.2f}, Griffith flaw {crack.critical_flaw_size * 1e6:.1f} um")
    ax.axhline(0, color="grey", lw=0.5)
    ax.set_xlabel("r / R [-]")
    ax.set_title(f"galvanostatic {title}, |j| = 1e-5 mol/m²s")
axes[0].set_ylabel("stress [MPa] (tensile > 0)")
axes[0].legend(fontsize=7)
fig.tight_layout()
fig.savefig(out / "battery_particle_stress.png", dpi=120, bbox_inches="tight")

# 3. pressure study (graphite of Chen et al. 2020, illustrative activation volumes)
study = pressure_study(np.linspace(0.0, 2e9, 9), rtol=1e-2)
for p, rate, t, lim in zip(study.pressure, study.max_c_rate, study.min_charging_time, study.limiting):
    print(f"p = {p / 1e9:4.2f} GPa: max {rate:.3f} C, min charging time {t / 60:6.1f} min, {lim}-limited")
print(f"crossover: closed forms {study.crossover_estimate / 1e9:.2f} GPa, simulated between "
      f"{study.crossover_bracket[0] / 1e9:.2f} and {study.crossover_bracket[1] / 1e9:.2f} GPa")
pressure_study_figure(study).savefig(out / "battery_pressure_study.png", dpi=120, bbox_inches="tight")
