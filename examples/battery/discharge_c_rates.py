"""LG M50 cell (Chen et al. 2020): DFN and SPMe discharges at several C-rates, and the DFN's profiles.

Usage: python examples/battery/discharge_c_rates.py OUTPUT_DIR  (writes discharge_c_rates.png)
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scalebridge.apps.battery import DFN, SPMe, ConstantCurrent  # noqa: E402


def main(out_dir):
    dfn, spme = DFN("Chen2020"), SPMe("Chen2020")
    fig, ax = plt.subplots(1, 3, figsize=(15, 4.2))
    for rate, colour in ((0.5, "C0"), (1.0, "C1"), (2.0, "C3")):
        t = np.linspace(0, 1.2 * 3600 / rate, 300)
        d = dfn.solve(ConstantCurrent(c_rate=rate), t_eval=t)
        s = spme.solve(ConstantCurrent(c_rate=rate), t_eval=t)
        ax[0].plot(d.discharge_capacity, d.voltage, color=colour, label=f"DFN {rate:g}C")
        ax[0].plot(s.discharge_capacity, s.voltage, "--", color=colour, label=f"SPMe {rate:g}C")
        print(f"{rate:g}C: DFN {d.discharge_capacity[-1]:.3f} A h ({d.termination}), "
              f"SPMe {s.discharge_capacity[-1]:.3f} A h; {d.counters['steps']} steps, {d.timings['solve']:.2f} s")
        if rate == 1.0:
            one_c = d
    ax[0].set(xlabel="discharge capacity [A h]", ylabel="terminal voltage [V]", title="LG M50 (Chen2020)")
    ax[0].legend(fontsize=8, ncol=2)
    x = dfn.x * 1e6
    ce = one_c.electrolyte_concentration
    cs = one_c.particle_concentration[:, -1, :]
    for i, k in enumerate(np.linspace(1, one_c.t.size - 1, 5).astype(int)):
        label = f"t = {one_c.t[k] / 60:.1f} min"
        ax[1].plot(x, ce[:, k], color=f"C{i}", label=label)
        sto = cs[:, k] / dfn.c_max_e
        ax[2].plot(x[dfn.xe[: dfn.nn]], sto[: dfn.nn], color=f"C{i}")
        ax[2].plot(x[dfn.xe[dfn.nn:]], sto[dfn.nn:], color=f"C{i}", label=label)
    ax[1].set(xlabel="x [um]", ylabel="electrolyte concentration [mol/m^3]", title="DFN at 1C")
    ax[2].set(xlabel="x [um]", ylabel="outer-shell stoichiometry c_s/c_max", title="DFN at 1C (particles)")
    ax[1].legend(fontsize=8)
    fig.tight_layout()
    path = Path(out_dir) / "discharge_c_rates.png"
    fig.savefig(path, dpi=110)
    print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
