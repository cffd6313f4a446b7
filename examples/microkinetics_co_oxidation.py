"""Mean-field microkinetics of CO oxidation on a Pt(111)-like surface.

Builds the three-step Langmuir-Hinshelwood mechanism

    CO_g + * <-> CO*          (collision-theory adsorption, Arrhenius desorption)
    O2_g + 2* <-> 2O*         (dissociative adsorption, recombinative desorption)
    CO* + O* -> CO2_g + 2*    (Langmuir-Hinshelwood surface reaction)

from a YAML mapping, solves the steady state for a batch of temperatures in one call,
and plots coverages, turnover frequency and degrees of rate control versus
temperature. Parameters are ILLUSTRATIVE, of the magnitude reported for Pt(111):
CO adsorption energy ~1.45 eV (Ertl), LH barrier ~1.0 eV (Campbell, Ertl, Kuipers,
Segner 1980, J. Chem. Phys. 73, 5862), sticking coefficients 0.8 (CO) and 0.07 (O2).

Usage: python examples/microkinetics_co_oxidation.py [OUTDIR]   (writes OUTDIR/microkinetics_coverages.png)
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scalebridge.figures import save_figure  # noqa: E402
from scalebridge.laws.mechanism import Mechanism  # noqa: E402
from scalebridge.laws.microkinetics import MicrokineticModel  # noqa: E402

MECHANISM = """
name: CO oxidation on Pt(111), illustrative parameters
site_area: 6.7e-20 m^2            # 1 / (1.5e19 Pt atoms per m^2)
masses: {CO_g: 28.01 u, O2_g: 32.00 u}
steps:
  - name: CO adsorption
    equation: CO_g + * <-> CO*
    forward: {collision: {sticking_coefficient: 0.8}}
    reverse: {arrhenius: {prefactor: 1e15 1/s, activation_energy: 1.45 eV}}
  - name: O2 adsorption
    equation: O2_g + 2* <-> 2O*
    forward: {collision: {sticking_coefficient: 0.07}}
    reverse: {arrhenius: {prefactor: 1e13 1/s, activation_energy: 2.1 eV}}
  - name: CO + O
    equation: CO* + O* -> CO2_g + 2*
    forward: {arrhenius: {prefactor: 1e13 1/s, activation_energy: 1.0 eV}}
"""

PRESSURES = {"CO_g": 100.0, "O2_g": 100.0, "CO2_g": 0.0}   # Pa


def main(outdir: str = ".") -> Path:
    model = MicrokineticModel(Mechanism.from_yaml(MECHANISM))
    T = np.linspace(350.0, 800.0, 91)
    state = model.steady_state(T, PRESSURES)                      # one batched solve
    tof = state.turnover_frequency("CO2_g")
    drc = model.degree_of_rate_control("CO2_g", T, PRESSURES)
    e_app = model.apparent_activation_energy("CO2_g", T, PRESSURES).electronvolt

    fig, ax = plt.subplots(1, 3, figsize=(13, 4), constrained_layout=True)
    for sp, label in (("CO*", r"$\theta_\mathrm{CO}$"), ("O*", r"$\theta_\mathrm{O}$"), ("*", r"$\theta_*$")):
        ax[0].semilogy(T, state.coverages[sp], label=label)
    ax[0].set(xlabel="T / K", ylabel="coverage", ylim=(1e-12, 2), title="steady-state coverages")
    ax[0].legend()
    ax[1].semilogy(T, tof, "k")
    ax[1].set(xlabel="T / K", ylabel=r"TOF(CO$_2$) / s$^{-1}$ site$^{-1}$", title="turnover frequency")
    tw = ax[1].twinx()
    tw.plot(T, e_app, "C3--")
    tw.set_ylabel(r"$E_\mathrm{app}$ / eV", color="C3")
    for name, x in drc.items():
        ax[2].plot(T, x, label=name)
    ax[2].plot(T, sum(drc.values()), "k:", label=r"$\sum_j X_j$")
    ax[2].set(xlabel="T / K", ylabel=r"$X_j$", title="degree of rate control")
    ax[2].legend()
    fig.suptitle(f"CO oxidation, p(CO) = p(O$_2$) = {PRESSURES['CO_g']:g} Pa (illustrative Pt(111) parameters)")
    path = save_figure(fig, outdir, "microkinetics_coverages")

    for i in range(0, T.size, 15):
        print(f"T = {T[i]:5.0f} K  theta_CO = {state.coverages['CO*'][i]:.4f}  "
              f"theta_O = {state.coverages['O*'][i]:.2e}  TOF = {tof[i]:.3e} 1/s  "
              f"E_app = {e_app[i]:.2f} eV  X_O2ads = {drc['O2 adsorption'][i]:.3f}")
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
