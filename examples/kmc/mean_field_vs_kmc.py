"""Mean field vs lattice kMC of the shipped CO-oxidation-on-Pt mechanism over a CO pressure and a temperature sweep.

The same Mechanism (Deutschmann et al. 1996 rate laws) is solved as mean-field
microkinetics and as lattice kMC (scalebridge.laws.lattice_mechanism) with 21 kPa O2,
fast CO/O hops (1e7 1/s) and an O-O attraction of -0.1 eV: over CO pressure at 750 K,
and over temperature (650-900 K) at 200 Pa CO. The shaded points are where the two
disagree beyond 3 standard errors and 5 %: the O-rich side, where O islands form.

Usage: python examples/kmc/mean_field_vs_kmc.py [OUTDIR]
(writes OUTDIR/kmc_vs_mean_field.png and OUTDIR/kmc_vs_mean_field_temperature.png)
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import yaml  # noqa: E402

from scalebridge.apps.catalysis import SCENARIOS  # noqa: E402
from scalebridge.apps.catalysis.figures import kmc_comparison_figure  # noqa: E402
from scalebridge.apps.catalysis.kmc_study import compare_mean_field_and_kmc  # noqa: E402
from scalebridge.laws.mechanism import Mechanism  # noqa: E402

mechanism = Mechanism.from_dict(yaml.safe_load(SCENARIOS["co_oxidation"].read_text())["mechanism"])
T, feed = 750.0, {"CO_g": 200.0, "O2_g": 21e3, "CO2_g": 0.0}
study = compare_mean_field_and_kmc(mechanism, "CO2_g", T, feed, "CO_g", np.geomspace(60, 800, 7), lattice_size=16,
                                   hop_rate=1e7, interactions={("O*", "O*"): "-0.1 eV"}, events=200_000, seed=0)
for p, mf, tof, err, bad in zip(study.values, study.tof_mean_field, study.tof_kmc, study.tof_kmc_error,
                                study.disagree):
    print(f"p_CO = {p:6.1f} Pa: TOF mean field {mf:.3e}, kMC {tof:.3e} +- {err:.1e} 1/s{'  disagree' if bad else ''}")
warm = compare_mean_field_and_kmc(mechanism, "CO2_g", T, feed, "temperature", np.linspace(650, 900, 6),
                                  lattice_size=16, hop_rate=1e7, interactions={("O*", "O*"): "-0.1 eV"},
                                  events=200_000, seed=0)
for t, mf, tof, bad in zip(warm.values, warm.tof_mean_field, warm.tof_kmc, warm.disagree):
    print(f"T = {t:5.0f} K: TOF mean field {mf:.3e}, kMC {tof:.3e} 1/s{'  disagree' if bad else ''}")
out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "docs" / "figures"
out.mkdir(parents=True, exist_ok=True)
for name, result in (("kmc_vs_mean_field", study), ("kmc_vs_mean_field_temperature", warm)):
    kmc_comparison_figure(result, T).savefig(out / f"{name}.png", dpi=120)
    print(f"wrote {out / name}.png")
