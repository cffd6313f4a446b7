"""FE-HMM against direct numerical simulation: error vs eps and macro mesh size.

1-D: a(x, y) = (1 + x)/(2 + sin 2 pi y), f = 1, u(0) = u(1) = 0, whose homogenised
solution is u0 = 2 ln(1 + x)/ln 2 - 2x: HMM converges to u0 at O(H^2), the DNS at O(eps).
2-D: a(x, y) = (1 + sin(2 pi x1)/2)/(2 + cos 2 pi y1 cos 2 pi y2) on the unit square,
f = 1, u = 0: relative L2 difference between HMM (Q1, n_micro = 16) and a DNS with 16
elements per period, for eps = 1/4, 1/8, 1/16 and H = 1/4, 1/8, 1/16.
Run: ``python examples/coupling/hmm_convergence.py [OUTDIR]`` (writes hmm.png, ~10 s).
"""

import sys
import time
from pathlib import Path

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import skfem  # noqa: E402

from scalebridge.coupling.hmm import dns_solve, hmm_solve, macro_difference  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)


def a_1d(x, y):
    return (1.0 + x[:, 0]) / (2.0 + np.sin(2 * np.pi * y[:, 0]))


def a_2d(x, y):
    return (1.0 + 0.5 * np.sin(2 * np.pi * x[:, 0])) / (2.0 + np.cos(2 * np.pi * y[:, 0]) * np.cos(2 * np.pi * y[:, 1]))


def u0(x):
    return 2.0 * np.log1p(x) / np.log(2.0) - 2.0 * x


def error_to_u0(solution):
    basis, u = solution.basis, solution.u
    fine = skfem.Basis(basis.mesh, basis.elem, intorder=8)
    x = np.asarray(fine.global_coordinates())[0]
    return np.sqrt(np.sum(fine.dx * (np.asarray(fine.interpolate(u)) - u0(x)) ** 2) / np.sum(fine.dx * u0(x) ** 2))


fig, axes = plt.subplots(1, 3, figsize=(13, 4))

# 1-D: HMM vs H (eps tiny) and DNS vs eps, both against the exact homogenised solution
Hs = np.array([4, 8, 16, 32])
e_hmm = [error_to_u0(hmm_solve(a_1d, 1e-4, skfem.MeshLine(np.linspace(0, 1, n + 1)), n_micro=64)) for n in Hs]
epss = np.array([1 / 4, 1 / 8, 1 / 16, 1 / 32, 1 / 64])
e_dns = [error_to_u0(dns_solve(a_1d, e, skfem.MeshLine(np.linspace(0, 1, int(64 / e) + 1)))) for e in epss]
ax = axes[0]
ax.loglog(1 / Hs, e_hmm, "o-", label="HMM vs $u^0$ (x: H)")
ax.loglog(epss, e_dns, "s-", label=r"DNS vs $u^0$ (x: $\varepsilon$)")
ax.loglog(1 / Hs, 1.2 * e_hmm[0] * (Hs[0] / Hs) ** 2, "k:", label="slope 2")
ax.loglog(epss, 1.2 * e_dns[0] * epss / epss[0], "k--", label="slope 1")
ax.set(xlabel=r"H or $\varepsilon$", ylabel=r"relative $L^2$ error", title="1-D, a = (1+x)/(2+sin 2πy)")
ax.legend(fontsize=8)

# 2-D: HMM vs DNS
eps_2d = [1 / 4, 1 / 8, 1 / 16]
n_2d = [4, 8, 16]
table, counts, seconds = {}, {}, {}
for eps in eps_2d:
    n_fine = int(round(16 / eps))
    dns = dns_solve(a_2d, eps, skfem.MeshQuad.init_tensor(*[np.linspace(0, 1, n_fine + 1)] * 2))
    for n in n_2d:
        t0 = time.perf_counter()
        hmm = hmm_solve(a_2d, eps, skfem.MeshQuad.init_tensor(*[np.linspace(0, 1, n + 1)] * 2), n_micro=16)
        seconds[eps, n] = time.perf_counter() - t0
        counts[eps, n] = hmm.micro_solves
        table[eps, n] = macro_difference(hmm, dns)["l2"]
        print(f"eps = 1/{round(1 / eps):2d}  H = 1/{n:2d}  |I_H u_eps - u_H|/|I_H u_eps| = {table[eps, n]:.3e}  "
              f"micro solves {counts[eps, n]:5d}  HMM {seconds[eps, n]:.2f} s  DNS {dns.timings['total']:.2f} s")

ax = axes[1]
for n in n_2d:
    ax.loglog(eps_2d, [table[e, n] for e in eps_2d], "o-", label=f"H = 1/{n}")
ax.set(xlabel=r"$\varepsilon$", ylabel="relative $L^2$ difference HMM - DNS", title="2-D: vs ε")
ax.legend(fontsize=8)
ax = axes[2]
for eps in eps_2d:
    ax.loglog([1 / n for n in n_2d], [table[eps, n] for n in n_2d], "o-", label=f"ε = 1/{round(1 / eps)}")
ax.loglog([1 / n for n in n_2d], [table[eps_2d[-1], 4] * (4 / n) ** 2 for n in n_2d], "k:", label="slope 2")
ax.set(xlabel="H", ylabel="relative $L^2$ difference HMM - DNS", title="2-D: vs macro mesh size")
ax.legend(fontsize=8)
for ax in axes:
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
fig.tight_layout()
fig.savefig(out / "hmm.png", dpi=110)
print(f"wrote {out / 'hmm.png'}")
