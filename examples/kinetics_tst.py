"""Harmonic transition-state theory for a surface hop: quantum vs classical rates.

From the electronic barrier and the vibrational frequencies of the initial and
transition states (what a DFT nudged-elastic-band + frequency calculation gives),
compute the rate constant over a range of temperatures with quantum harmonic TST,
compare it with Vineyard's classical prefactor and with a bare k_B T / h prefactor,
and plot it. The numbers are illustrative (an H atom hopping between hollow sites
of a metal surface), not taken from a particular calculation.

Usage::

    python examples/kinetics_tst.py [OUTDIR]     # writes OUTDIR/kinetics_tst.png
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scalebridge.core.units import ureg  # noqa: E402
from scalebridge.figures import save_figure  # noqa: E402
from scalebridge.laws.kinetics import eyring, harmonic_tst  # noqa: E402

EV = ureg("1 eV").to("J").magnitude

# Initial state: three real modes; transition state: two (the imaginary mode is left out).
initial = ureg.Quantity([1050.0, 780.0, 760.0], "1/cm")
transition = ureg.Quantity([1250.0, 560.0], "1/cm")
barrier = ureg("0.18 eV")


def main(outdir: Path) -> Path:
    T = np.linspace(80.0, 800.0, 200)
    tst = harmonic_tst(T, initial, transition, barrier)
    # Vineyard (1957): classical prefactor nu* = prod nu_IS / prod nu_TS, in Hz
    nu_is = (initial * ureg.speed_of_light).to("Hz").magnitude
    nu_ts = (transition * ureg.speed_of_light).to("Hz").magnitude
    nu_star = nu_is.prod() / nu_ts.prod()
    kT = (ureg.k_B * T * ureg.K).to("J").magnitude
    classical = nu_star * np.exp(-barrier.to("J").magnitude / kT)
    bare = eyring(barrier, T)

    for t in (100.0, 300.0, 600.0):
        r = harmonic_tst(t, initial, transition, barrier)
        print(f"T = {t:5.0f} K  k = {r.rate_constant:10.3e} 1/s  A = {r.prefactor:9.3e} 1/s  "
              f"dH = {r.enthalpy_barrier / EV:.4f} eV  dG = {r.free_energy_barrier / EV:.4f} eV")
    print(f"Vineyard nu* = {nu_star:.3e} Hz;  zero-point barrier = "
          f"{tst.zero_point_barrier[0] / EV:.4f} eV")

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.0, 3.6), constrained_layout=True)
    ax1.semilogy(1000.0 / T, tst.rate_constant, label="quantum harmonic TST")
    ax1.semilogy(1000.0 / T, classical, "--", label=r"classical (Vineyard $\nu^*$)")
    ax1.semilogy(1000.0 / T, bare, ":", label=r"$k_BT/h\,e^{-E_b/k_BT}$")
    ax1.set(xlabel="1000 / T  (1/K)", ylabel="k  (1/s)", title="Arrhenius plot")
    ax1.legend(fontsize=8)
    ax2.plot(T, np.full_like(T, barrier.to("eV").magnitude), "k:", label="$E_b$ (electronic)")
    ax2.plot(T, tst.zero_point_barrier / EV, "--", label=r"$E_b + \Delta$ZPE")
    ax2.plot(T, tst.enthalpy_barrier / EV, label=r"$\Delta H^\ddagger$")
    ax2.plot(T, tst.free_energy_barrier / EV, label=r"$\Delta G^\ddagger$")
    ax2.set(xlabel="T  (K)", ylabel="barrier  (eV)", title="Barriers")
    ax2.legend(fontsize=8)
    path = save_figure(fig, outdir, "kinetics_tst")
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
