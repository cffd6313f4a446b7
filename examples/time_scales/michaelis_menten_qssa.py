"""Fast-variable elimination: Michaelis-Menten kinetics reduced from mass action by QSSA.

E + S <-> C -> E + P is stiff when the enzyme is scarce. The time-scale analysis finds the
complex C fast (lifetime 1/(k1 (S0 + K_M))), the network is reduced by the quasi-steady
state of C with the enzyme and substrate totals kept exact, and the reduced model is
checked against the full one for Segel & Slemrod's eps = E0/(S0 + K_M) = 0.1 .. 1e-4:
the error falls in proportion to eps. The time-scale check of scalebridge.core.checks
gives its verdict on the same Jacobians.

Usage::

    python examples/time_scales/michaelis_menten_qssa.py [OUTDIR]   # writes OUTDIR/michaelis_menten_qssa.png
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scalebridge.core.checks import check_time_scale_separation  # noqa: E402
from scalebridge.figures import save_figure  # noqa: E402
from scalebridge.laws.fast_variables import (MassActionSystem, check_reduction, michaelis_menten_epsilon,  # noqa: E402
                                             reduce_stiff_network)

K1, KM1, K2, S0 = 1.0, 0.5, 0.5, 1.0     # m^3/(mol s), 1/s, 1/s, mol/m^3; K_M = 1 mol/m^3


def main(outdir: Path) -> Path:
    mm = MassActionSystem(["E + S <-> C", "C -> E + P"], [(K1, KM1), K2], name="Michaelis-Menten")
    eps_list, err_list, shown = [], [], None
    for e0 in (0.2, 0.06, 0.02, 0.006, 0.002, 0.0002):
        c0 = {"E": e0, "S": S0}
        reduced, analysis = reduce_stiff_network(mm, c0)
        eps = michaelis_menten_epsilon(e0, S0, K1, KM1, K2)
        t_s = (S0 + (KM1 + K2) / K1) / (K2 * e0)
        t = np.linspace(0.0, 5 * t_s, 400)
        result = check_reduction(reduced, t, tolerance=2 * eps, skip_layer=5.0)
        [verdict] = check_time_scale_separation(jacobian=mm.jacobian(mm.concentrations(c0)), name="MM")
        print(f"E0 = {e0:7.4f}  eps = {eps:.1e}  fast species {analysis.fast_species}  "
              f"spectral eps {analysis.epsilon:.1e}  error(P) = {result.data['errors']['P']:.2e}  "
              f"-> {verdict.data['recommendation']}")
        eps_list.append(eps)
        err_list.append(result.data["errors"]["P"])
        if e0 == 0.2:
            shown = (t / t_s, result.data["full"], result.data["reduced"])

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9.5, 3.6), constrained_layout=True)
    ts, full, red = shown
    for i, name in enumerate(mm.species):
        scale = 0.2 if name in ("E", "C") else 1.0
        line, = a1.plot(ts, full[:, i] / scale, lw=1.5, label=f"{name}" + (" / E0" if scale != 1 else ""))
        a1.plot(ts, red[:, i] / scale, "--", color=line.get_color(), lw=1)
    a1.set(xlabel=r"t / $t_S$", ylabel="concentration (mol/m$^3$)",
           title=r"full (solid) vs QSSA (dashed), $\varepsilon = 0.1$")
    a1.legend(fontsize=8)
    a2.loglog(eps_list, err_list, "o-", label="max error of P / S0")
    a2.loglog(eps_list, eps_list, "k:", label=r"$\varepsilon$")
    a2.set(xlabel=r"$\varepsilon = E_0/(S_0+K_M)$", ylabel="error", title="QSSA error (Segel & Slemrod 1989)")
    a2.legend(fontsize=8)
    path = save_figure(fig, outdir, "michaelis_menten_qssa")
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
