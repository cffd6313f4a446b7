"""numba kernels of the pair loops (optional: NumPy fallbacks in ``base`` and ``neighbours`` otherwise).

``pair_vectors``: separation vectors d = r_j - r_i + shift and lengths r of the listed
pairs, compacted to r < cutoff, in one pass. ``accumulate``: forces F_i = sum_j g d and
the virial 0.5 sum g d (x) d over the full list, in one pass.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def pair_vectors(pos, i, j, shift, cutoff):
    n = len(i)
    d = np.empty((n, 3))
    r = np.empty(n)
    keep = np.empty(n, np.intp)
    m = 0
    c2 = cutoff * cutoff
    for p in range(n):
        a, b = i[p], j[p]
        x = pos[b, 0] - pos[a, 0] + shift[p, 0]
        y = pos[b, 1] - pos[a, 1] + shift[p, 1]
        z = pos[b, 2] - pos[a, 2] + shift[p, 2]
        rr = x * x + y * y + z * z
        if rr < c2:
            d[m, 0], d[m, 1], d[m, 2] = x, y, z
            r[m] = np.sqrt(rr)
            keep[m] = p
            m += 1
    return i[keep[:m]], j[keep[:m]], d[:m], r[:m]


@njit(cache=True)
def accumulate(i, n, g, d):
    f = np.zeros((n, 3))
    w = np.zeros((3, 3))
    for p in range(len(i)):
        gp = g[p]
        for a in range(3):
            f[i[p], a] += gp * d[p, a]
            for b in range(3):
                w[a, b] += 0.5 * gp * d[p, a] * d[p, b]
    return f, w
