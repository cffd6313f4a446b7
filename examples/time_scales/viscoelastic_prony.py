"""Memory bridged up: a Prony series fitted to fine-scale relaxation data, and a bath's memory kernel.

Left: the relaxation modulus of a "fine model" with a broad, stretched-exponential
(Kohlrausch-Williams-Watts) spectrum, G(t) = G_inf + G_1 exp(-(t/tau)^0.4), is fitted by
a Prony series (NNLS, 2 terms per decade). Middle: the fitted law is stepped at 2000
macro points at once through a ramp-and-hold strain with the exact recursive update,
and the standard linear solid (one Prony term) is checked against its closed form.
Right: the Mori-Zwanzig memory kernel of the end of a harmonic chain, from its bath
simulated by velocity Verlet and from the Volterra inversion of its velocity
autocorrelation, against (k/m) J1(2 w0 t)/(w0 t) (Adelman & Doll 1976).

Usage::

    python examples/time_scales/viscoelastic_prony.py [OUTDIR]   # writes OUTDIR/memory_kernels.png
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scalebridge.figures import save_figure  # noqa: E402
from scalebridge.laws.memory_kernel import (chain_end_velocity_autocorrelation, kernel_from_bath_release,  # noqa: E402
                                            kernel_from_velocity_autocorrelation, semi_infinite_chain_kernel)
from scalebridge.laws.viscoelasticity import (PronySeries, fit_prony_series, prony_stress_history,  # noqa: E402
                                              standard_linear_solid_ramp_stress)


def main(outdir: Path) -> Path:
    # fine-scale relaxation data: a stretched exponential, G in GPa-range Pa, t in s
    t_data = np.logspace(-3, 4, 200)
    g_data = 0.5e9 + 2.5e9 * np.exp(-(t_data / 1.0) ** 0.4)
    fit = fit_prony_series(t_data, g_data, terms_per_decade=2)
    print(f"Prony fit: {fit.series.moduli.size} terms, rms relative error {fit.relative_rms_error:.2e}, "
          f"max {fit.max_relative_error:.2e}")

    # macro: 2000 points, ramp to strain 1e-3 * (1 .. 2) in 10 s, hold to 100 s, 60 steps
    t_macro = np.concatenate([np.linspace(0, 10, 21), np.geomspace(10, 100, 41)[1:]])
    amplitude = 1e-3 * np.linspace(1, 2, 2000)
    strain = np.minimum(t_macro, 10.0)[:, None] / 10.0 * amplitude
    stress = prony_stress_history(fit.series, t_macro, strain)

    sls = PronySeries(1e9, [2e9], [3.0])
    sls_num = prony_stress_history(sls, t_macro, np.minimum(t_macro, 10.0) * 1e-4)
    t_fine = np.linspace(0, 100, 1001)
    sls_closed = standard_linear_solid_ramp_stress(t_fine, 1e9, 2e9, 3.0, 1e-4, 10.0)
    err = np.max(np.abs(sls_num - standard_linear_solid_ramp_stress(t_macro, 1e9, 2e9, 3.0, 1e-4, 10.0)))
    print(f"standard linear solid, 60 macro steps: max |error| = {err / np.max(np.abs(sls_num)):.1e} (relative)")

    k, m = 1.0, 1.0
    t_k, k_release = kernel_from_bath_release(0.01, 3000, 100, k, m)
    dt = 0.01
    vacf = chain_end_velocity_autocorrelation(np.arange(3002) * dt, 101, k, m)
    k_vacf = kernel_from_velocity_autocorrelation(vacf, dt)
    k_closed = semi_infinite_chain_kernel(t_k, k, m)
    print(f"memory kernel: release error {np.max(np.abs(k_release - k_closed)):.1e}, "
          f"Volterra error {np.max(np.abs(k_vacf - k_closed)):.1e} (units of k/m)")

    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(12.5, 3.6), constrained_layout=True)
    a1.semilogx(t_data, g_data / 1e9, "k.", ms=3, label="fine model (KWW)")
    a1.semilogx(t_data, fit.series.relaxation_modulus(t_data) / 1e9, label=f"Prony, {fit.series.moduli.size} terms")
    for tau in fit.series.relaxation_times:
        a1.axvline(tau, color="0.85", lw=0.6, zorder=0)
    a1.set(xlabel="t (s)", ylabel="G(t) (GPa)", title="NNLS Prony fit")
    a1.legend(fontsize=8)
    for i in (0, 999, 1999):
        a2.plot(t_macro, stress[:, i] / 1e6, ".-", ms=3, lw=0.8, label=f"KWW law, point {i}")
    a2.plot(t_fine, sls_closed / 1e6, "k-", lw=1, label="SLS closed form")
    a2.plot(t_macro, sls_num / 1e6, "ko", mfc="none", ms=4, label="SLS recursive update")
    a2.set(xlabel="t (s)", ylabel="stress (MPa)", title="ramp and hold, 2000 points")
    a2.legend(fontsize=7)
    a3.plot(t_k, k_closed, "k-", lw=1.2, label=r"$(k/m)\,J_1(2\omega_0t)/(\omega_0t)$")
    a3.plot(t_k[::40], k_release[::40], "o", mfc="none", ms=4, label="bath simulated (Verlet)")
    a3.plot(t_k[20::40], k_vacf[20::40], "x", ms=4, label="Volterra from VACF")
    a3.set(xlabel=r"t ($\sqrt{m/k}$)", ylabel="K(t) (k/m)", title="heat-bath memory kernel")
    a3.legend(fontsize=8)
    path = save_figure(fig, outdir, "memory_kernels")
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
