"""Cell models: DFN / SPMe / SPM 1C discharge of the LG M50 (Chen2020) against PyBaMM, on this machine.

Ours: ``scalebridge.apps.battery`` (own variable-order NDF/BDF for the index-1 DAE,
analytic sparse Jacobian assembled by one mat-vec; DFN: particle unknowns condensed
out of every Newton matrix, SuperLU on the 161 x-unknowns), rtol = atol = 1e-6 (atol
relative to each variable's scale). Peer: PyBaMM's ``lithium_ion.DFN()/SPMe()/SPM()``
with ``ParameterValues("Chen2020")``, default mesh (20/20/20 x, 20 r: 962 DFN states),
``CasadiSolver(mode="safe")`` (as in the issue) and ``IDAKLUSolver`` (PyBaMM's fastest),
both with their default tolerances (rtol = atol = 1e-6). Solve-only: best of REPEATS
repeated solves of a built model; end to end: best of REPEATS of model construction +
(PyBaMM: parameterisation, meshing, discretisation, solver set-up) + first solve, each
from scratch in the same process. Also the RMS difference of the terminal voltages
(ours vs PyBaMM, same times) and our solver counters.
Run: python benchmarks/battery.py [repeats]
"""

from __future__ import annotations

import os
import platform
import sys
import time
import warnings

import numpy as np

from scalebridge.apps.battery import DFN, SPM, SPMe, ConstantCurrent, Mesh

T_END = 3700.0
REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 5


def ours(Model):
    t_eval = np.linspace(0, T_END, 100)
    end_to_end = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        m = Model("Chen2020", Mesh(20, 20, 20, 20))
        sol = m.solve(ConstantCurrent(c_rate=1.0), t_eval=t_eval)
        end_to_end.append(time.perf_counter() - t0)
    solve = []
    for _ in range(REPEATS):
        t1 = time.perf_counter()
        sol = m.solve(ConstantCurrent(c_rate=1.0), t_eval=t_eval)
        solve.append(time.perf_counter() - t1)
    return min(end_to_end), min(solve), sol, m.n_states


def peer(name, solver_name):
    import pybamm

    def build():
        model = getattr(pybamm.lithium_ion, name)()
        solver = pybamm.CasadiSolver(mode="safe") if solver_name == "casadi" else pybamm.IDAKLUSolver()
        return pybamm.Simulation(model, parameter_values=pybamm.ParameterValues("Chen2020"), solver=solver)

    end_to_end = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        sim = build()
        sol = sim.solve(np.linspace(0, T_END, 100))
        end_to_end.append(time.perf_counter() - t0)
    solve = []
    for _ in range(REPEATS):
        t1 = time.perf_counter()
        sol = sim.solve(np.linspace(0, T_END, 100))
        solve.append(time.perf_counter() - t1)
    return min(end_to_end), min(solve), sol


def main():
    warnings.simplefilter("ignore")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs, python {platform.python_version()}, best of {REPEATS}")
    try:
        import pybamm
        print(f"pybamm {pybamm.__version__}")
    except ImportError:
        pybamm = None
        print("pybamm not installed: our times only")
    print(f"{'model':6s} {'states':>6s} {'ours e2e':>9s} {'ours solve':>10s} "
          f"{'peer':>7s} {'peer e2e':>9s} {'peer solve':>10s} {'e2e ratio':>9s} {'solve ratio':>11s} {'RMS mV':>7s}")
    counters = {}
    for Model in (DFN, SPMe, SPM):
        e2e, solve, sol, n = ours(Model)
        counters[Model.name] = sol.counters
        if pybamm is None:
            print(f"{Model.name:6s} {n:6d} {e2e:9.4f} {solve:10.4f}")
            continue
        for solver_name in ("casadi", "idaklu"):
            pe2e, psolve, psol = peer(Model.name, solver_name)
            t = psol["Time [s]"].entries
            v = psol["Voltage [V]"].entries
            inside = t <= min(t[-1], sol.t[-1])
            rms = np.sqrt(np.mean((np.interp(t[inside], sol.t, sol.voltage) - v[inside]) ** 2)) * 1e3
            print(f"{Model.name:6s} {n:6d} {e2e:9.4f} {solve:10.4f} {solver_name:>7s} "
                  f"{pe2e:9.4f} {psolve:10.4f} {pe2e / e2e:9.2f} {psolve / solve:11.2f} {rms:7.2f}")
    print("times in s; ratio = PyBaMM time / our time (> 1: ours is faster)")
    for name, c in counters.items():
        print(f"ours {name}: " + ", ".join(f"{k} {v}" for k, v in c.items()))


if __name__ == "__main__":
    main()
