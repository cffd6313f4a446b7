"""numba kernel of the Ziff–Gulari–Barshad model (imported lazily: numba is optional).

The ZGB trial loop of :func:`scalebridge.solvers.kmc.zgb.run_zgb`: random-site
adsorption attempts (CO with probability y, else O2 on a random neighbour pair) and
instantaneous CO + O reaction with a uniformly chosen neighbour. It shares the
xoshiro256** generator of the BKL engine (:mod:`._kernels`), so runs are seeded the
same way and checkpoints save the same 4-word state.
"""

from __future__ import annotations

from ._kernels import next_double, njit

@njit
def _react_with_neighbour(i, partner, occ, nbr, rng, counts):
    """If a neighbour of i holds ``partner``, pick one uniformly and empty both sites."""
    z = nbr.shape[1]
    m = 0
    for k in range(z):
        if occ[nbr[i, k]] == partner:
            m += 1
    if m == 0:
        return False
    pick = int(next_double(rng) * m)
    for k in range(z):
        n = nbr[i, k]
        if occ[n] == partner:
            if pick == 0:
                counts[occ[i]] -= 1
                counts[partner] -= 1
                counts[0] += 2
                occ[i] = 0
                occ[n] = 0
                return True
            pick -= 1
    return False


@njit
def run_zgb(occ, nbr, y, rng, counts, n_trials):
    """Ziff-Gulari-Barshad trials (species 1 = CO, 2 = O); stops early when no site is empty.

    Returns (trials done, CO2 formed).
    """
    N = occ.shape[0]
    z = nbr.shape[1]
    co2 = 0
    for trial in range(n_trials):
        if counts[0] == 0:
            return trial, co2
        i = int(next_double(rng) * N)
        if occ[i] != 0:
            continue
        if next_double(rng) < y:
            occ[i] = 1
            counts[0] -= 1
            counts[1] += 1
            if _react_with_neighbour(i, 2, occ, nbr, rng, counts):
                co2 += 1
        else:
            n = nbr[i, int(next_double(rng) * z)]
            if occ[n] != 0:
                continue
            occ[i] = 2
            occ[n] = 2
            counts[0] -= 2
            counts[2] += 2
            if _react_with_neighbour(i, 1, occ, nbr, rng, counts):
                co2 += 1
            if _react_with_neighbour(n, 1, occ, nbr, rng, counts):
                co2 += 1
    return n_trials, co2
