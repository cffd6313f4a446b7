"""Batched mean-field steady states vs one condition at a time, in one run.

Cases, for B temperature/pressure conditions of the shipped CO-oxidation mechanism:

* ours, batched: one stiff solve of all B conditions (block-sparse analytic Jacobian,
  batched Newton polish) -- ``MassActionNetwork.steady_state(kf, kr)`` with kf (B, n);
* ours, looped: the same engine called B times with one condition each.

(A plain per-condition ``solve_ivp(method="BDF")`` with a finite-difference Jacobian
was tried as a third baseline and stalls for some conditions of this stiff network,
so it is not timed.) Prints times, the ratio looped / batched and the largest TOF
difference between the two. Run: ``python benchmarks/microkinetics_batch.py``.
"""

import os
import platform

import numpy as np
import yaml

from scalebridge.apps.catalysis import SCENARIOS
from scalebridge.laws.mechanism import Mechanism
from timing import timed


def main(B=64):
    raw = yaml.safe_load(SCENARIOS["co_oxidation"].read_text())
    mech = Mechanism.from_dict(raw["mechanism"])
    T = np.linspace(560.0, 700.0, B)  # ignited branch: unique steady state
    kf, kr = mech.rate_constants(T, {"CO_g": 20.0, "O2_g": 2.1e4, "CO2_g": 0.0})
    net = mech.network
    g = mech.gases.index("CO2_g")
    stoich = (mech.gas_product_orders - mech.gas_reactant_orders)[:, g]

    t_batch, res = timed(lambda: net.steady_state(kf, kr), repeat=3)
    tof_batch = res.net_rates @ stoich
    t_loop, loop = timed(lambda: [net.steady_state(kf[i:i + 1], kr[i:i + 1]) for i in range(B)], repeat=3)
    tof_loop = np.concatenate([r.net_rates @ stoich for r in loop])

    print(f"machine: {platform.machine()} {platform.python_version()}, {os.cpu_count()} CPUs; B = {B} conditions")
    print(f"{'case':<28}{'time [s]':>10}{'ratio to batched':>18}")
    for name, t in (("ours, batched", t_batch), ("ours, looped", t_loop)):
        print(f"{name:<28}{t:>10.4f}{t / t_batch:>18.1f}")
    print(f"max rel. TOF difference looped vs batched: {np.max(np.abs(tof_loop / tof_batch - 1)):.1e}")


if __name__ == "__main__":
    main()
