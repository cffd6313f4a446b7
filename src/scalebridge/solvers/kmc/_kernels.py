r"""numba-compiled hot loops of the lattice kMC engine (imported lazily: numba is optional).

Everything here works on plain arrays of one lattice of N sites:

* ``occ`` (N,) int8: species index per site, 0 = empty site ``*``;
* ``nbr`` (N, z) int32: the z nearest neighbours of every site;
* ``tree`` (2M,) float64, M = next power of two >= N: a binary sum tree whose
  leaf ``M + i`` is the total rate of all events owned by site i and whose node
  k holds ``tree[2k] + tree[2k+1]``; ``tree[1]`` is the total rate R;
* ``stype`` (N,) int64: bit mask ``1 << t`` of the type t of every site; process
  rows carry a mask of the site types they apply to (column 3 of a site process,
  columns 5 and 6, first and second site, of a pair process);
* ``rng`` (4,) uint64: state of the xoshiro256** generator (Blackman & Vigna 2021,
  ACM Trans. Math. Softw. 47, 36), so a checkpoint can save and restore it.

Events owned by site i: every *site process* whose initial species is ``occ[i]``
(rate ``single_k``), and, for each of the z neighbours n, every *pair process*
(a, b) -> (c, d) with ``occ[i] == a`` and ``occ[n] == b`` (rate ``pair_k``, already
divided by z), each only where the site types match its masks. Flagged processes are slowed by the lateral interactions of their
initial state, rate x exp(E_init / k_B T) (see :mod:`.engine`).
"""

from __future__ import annotations

import numpy as np

from ...core.optional import require

numba = require("numba", extra="kmc")

njit = numba.njit(cache=True, nogil=True)
#: small helpers inlined at the Numba-IR level (a call to a separate compiled function
#: costs more). Inlining binds every array argument to a new variable, and the NRT
#: reference counting of those aliases (atomic increments, not all pruned) cost about
#: half the time of an event, so the BKL loop is compiled without NRT (``_nrt=False``:
#: it allocates nothing; scratch arrays come from the caller).
inline = numba.njit(cache=True, nogil=True, inline="always")
#: the BKL loop: no NRT, hence no reference counting (numba's ``_nrt`` flag, numba >= 0.50)
njit_no_nrt = numba.njit(cache=True, nogil=True, _nrt=False)

_U53 = 1.0 / 9007199254740992.0  # 2**-53


@inline
def _rotl(x, k):
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@inline
def next_double(s):
    """xoshiro256** step; a uniform double in [0, 1) with 53 random bits."""
    result = _rotl(s[1] * np.uint64(5), 7) * np.uint64(9)
    t = s[1] << np.uint64(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return float(result >> np.uint64(11)) * _U53


# ---------------------------------------------------------------------- sum tree
@inline
def tree_set(tree, M, i, value):
    node = M + i
    tree[node] = value
    node >>= 1
    while node >= 1:
        tree[node] = tree[2 * node] + tree[2 * node + 1]
        node >>= 1


@inline
def tree_find(tree, M, r):
    """Leaf i with cumulative rate bracket containing r (0 <= r < tree[1]); returns (i, r - offset)."""
    node = 1
    while node < M:
        left = tree[2 * node]
        if r < left or tree[2 * node + 1] <= 0.0:
            node = 2 * node
        else:
            r -= left
            node = 2 * node + 1
    return node - M, r


# ---------------------------------------------------------------------- rates
@inline
def lateral_energy(i, occ, nbr, eps):
    """Interaction energy (units of k_B T) of the particle on site i with its neighbours."""
    a = occ[i]
    e = 0.0
    for k in range(nbr.shape[1]):
        e += eps[a, occ[nbr[i, k]]]
    return e


@inline
def pair_factor(i, n, a, b, occ, nbr, eps):
    """exp(E_init): lateral energy of the initial particles on i and n, their mutual bond once."""
    e = lateral_energy(i, occ, nbr, eps)
    if b != 0:
        e += lateral_energy(n, occ, nbr, eps) - eps[a, b]
    return np.exp(e)


@inline
def site_rate(i, occ, nbr, single_i, single_k, pair_i, pair_k, eps, stype):
    """Total rate of the events owned by site i, summed in process order (site, then pair x neighbour).

    Non-interacting pair processes are summed branch-free, ``total += k * hit`` with
    hit 0 or 1: adding +0.0 leaves the sum bitwise unchanged, so the result equals
    the plain conditional sum while avoiding a mispredicted branch per neighbour.
    """
    a = occ[i]
    ti = stype[i]
    total = 0.0
    for p in range(single_i.shape[0]):
        if single_i[p, 0] == a and single_i[p, 3] & ti:
            if single_i[p, 2]:
                total += single_k[p] * np.exp(lateral_energy(i, occ, nbr, eps))
            else:
                total += single_k[p]
    z = nbr.shape[1]
    for p in range(pair_i.shape[0]):
        if pair_i[p, 0] != a or not pair_i[p, 5] & ti:
            continue
        b = pair_i[p, 1]
        mask = pair_i[p, 6]
        k_p = pair_k[p]
        if pair_i[p, 4]:
            for k in range(z):
                n = nbr[i, k]
                if occ[n] == b and mask & stype[n]:
                    total += k_p * pair_factor(i, n, a, b, occ, nbr, eps)
        else:
            for k in range(z):
                n = nbr[i, k]
                hit = (occ[n] == b) & ((mask & stype[n]) != 0)
                total += k_p * hit
    return total


@njit
def build_rate_table(S, z, tbit, single_i, single_k, pair_i, pair_k):
    """Site rate for every local configuration (a; s_0 .. s_{z-1}) of one site type, no interactions.

    Entry ``code = ((a S + s_0) S + s_1) ... S + s_{z-1}`` holds the rate of a site
    holding a whose neighbour k holds s_k, summed in exactly the order of
    :func:`site_rate` (so a look-up is bitwise the direct sum). Valid when every
    site has the type bit ``tbit`` and no process feels an interaction.
    """
    size = S ** (z + 1)
    table = np.empty(size)
    nb_sp = np.empty(z, dtype=np.int64)
    for code in range(size):
        c = code
        for k in range(z - 1, -1, -1):
            nb_sp[k] = c % S
            c //= S
        a = c
        total = 0.0
        for p in range(single_i.shape[0]):
            if single_i[p, 0] == a and single_i[p, 3] & tbit:
                total += single_k[p]
        for p in range(pair_i.shape[0]):
            if pair_i[p, 0] != a or not pair_i[p, 5] & tbit:
                continue
            hit_mask = (pair_i[p, 6] & tbit) != 0
            for k in range(z):
                hit = (nb_sp[k] == pair_i[p, 1]) & hit_mask
                total += pair_k[p] * hit
        table[code] = total
    return table


@inline
def table_rate(i, occ, nbr, table, S):
    code = np.int64(occ[i])
    for k in range(nbr.shape[1]):
        code = code * S + occ[nbr[i, k]]
    return table[code]


@njit
def rebuild_tree(tree, M, occ, nbr, single_i, single_k, pair_i, pair_k, eps, stype):
    tree[:] = 0.0
    for i in range(occ.shape[0]):
        tree[M + i] = site_rate(i, occ, nbr, single_i, single_k, pair_i, pair_k, eps, stype)
    for node in range(M - 1, 0, -1):
        tree[node] = tree[2 * node] + tree[2 * node + 1]


@inline
def _update(m, tree, M, occ, nbr, single_i, single_k, pair_i, pair_k, eps, stype, buf, nb, table, S):
    """Recompute the rate of site m; if it changed, store the leaf and queue it in ``buf``.

    Returns the new queue length. The inner nodes are summed afterwards, once per
    distinct ancestor, by :func:`_propagate`. With a rate ``table`` (non-empty) the
    rate is looked up from the local configuration instead of summed.
    """
    if table.shape[0] > 0:
        rate = table_rate(m, occ, nbr, table, S)
    else:
        rate = site_rate(m, occ, nbr, single_i, single_k, pair_i, pair_k, eps, stype)
    leaf = M + m
    if rate != tree[leaf]:
        tree[leaf] = rate
        buf[nb] = leaf
        nb += 1
    return nb


@inline
def _propagate(tree, buf, nb):
    """Re-sum the ancestors of the ``nb`` queued leaves, each distinct node once, level by level.

    Every inner node is recomputed as ``tree[2k] + tree[2k+1]`` from its final
    children, so the tree is bitwise the one of leaf-by-leaf updates. The leaves
    are insertion-sorted first; parents of a sorted list are sorted, so a
    duplicate is always the previous entry.
    """
    for j in range(1, nb):
        v = buf[j]
        q = j - 1
        while q >= 0 and buf[q] > v:
            buf[q + 1] = buf[q]
            q -= 1
        buf[q + 1] = v
    while nb > 0:
        w = 0
        for j in range(nb):
            node = buf[j] >> 1
            if node == 0:
                break
            if w == 0 or buf[w - 1] != node:
                tree[node] = tree[2 * node] + tree[2 * node + 1]
                buf[w] = node
                w += 1
        nb = w


@inline
def _collect(i, skip, reach, nbr, sites, ns):
    """Append site i and every site within ``reach`` neighbour shells to ``sites``; return the length.

    ``skip`` (the other site of a pair event, collected just before, or -1) is left
    out of the first shell, and then site i itself, a neighbour of ``skip``, too.
    Sites are only listed here and recomputed in one loop, so the rate code is
    compiled once (inlining it at every call site made the loop too large for the
    instruction cache).
    """
    if skip < 0:
        sites[ns] = i
        ns += 1
    for k in range(nbr.shape[1]):
        n = nbr[i, k]
        if n != skip:
            sites[ns] = n
            ns += 1
        if reach > 1:
            for q in range(nbr.shape[1]):
                sites[ns] = nbr[n, q]
                ns += 1
    return ns


# ---------------------------------------------------------------------- BKL loop
@njit_no_nrt
def run_bkl(occ, nbr, tree, M, rng, clock, counts, gas, pid, disp, moves,
            single_i, single_k, single_gas, pair_i, pair_k, pair_gas, eps, stype, reach,
            t_stop, max_events, cov_integral, table, buf, sites):
    """Advance by BKL events until the next event time passes ``t_stop`` or ``max_events`` ran.

    ``clock = [t, t_next, events]``: current time, time of the pending next event
    (drawn as t + (-ln u)/R after every event, so stopping and resuming anywhere
    gives the same trajectory) and the event count. ``cov_integral[s]`` gains
    the time integral of the number of sites holding species s; ``gas[g]`` the
    net number of gas molecules g produced. ``table``: site rate per local
    configuration from :func:`build_rate_table`, or empty (sum the processes);
    ``buf``, ``sites``: int64 scratch arrays of length >= 2 (1 + z + z^2).
    Returns the events executed.

    After an event the sites whose rate may have changed are listed, recomputed
    in one loop (only changed leaves are stored), and the inner nodes above them
    are re-summed once each (:func:`_propagate`).
    """
    done = 0
    S = counts.shape[0]
    z = nbr.shape[1]
    while True:
        t_next = clock[1]
        if t_next > t_stop:
            if t_stop > clock[0]:
                for s in range(counts.shape[0]):
                    cov_integral[s] += counts[s] * (t_stop - clock[0])
                clock[0] = t_stop
            return done
        if done >= max_events:
            return done
        for s in range(counts.shape[0]):
            cov_integral[s] += counts[s] * (t_next - clock[0])
        clock[0] = t_next
        # --- select the site (O(log N)), then the event within the site
        i, r = tree_find(tree, M, next_double(rng) * tree[1])
        a = occ[i]
        chosen = False
        ns = 0
        for p in range(single_i.shape[0]):
            if single_i[p, 0] != a or not single_i[p, 3] & stype[i]:
                continue
            k_p = single_k[p]
            if single_i[p, 2]:
                k_p *= np.exp(lateral_energy(i, occ, nbr, eps))
            r -= k_p
            if r < 0.0:
                c = single_i[p, 1]
                occ[i] = c
                counts[a] -= 1
                counts[c] += 1
                pid[i] = -1 if c != a and (a == 0 or c == 0) else pid[i]
                for g in range(gas.shape[0]):
                    gas[g] += single_gas[p, g]
                ns = _collect(i, -1, reach, nbr, sites, 0)
                chosen = True
                break
        if not chosen:
            last_p, last_n, last_k = -1, -1, -1
            for p in range(pair_i.shape[0]):
                if pair_i[p, 0] != a or not pair_i[p, 5] & stype[i]:
                    continue
                b = pair_i[p, 1]
                for k in range(nbr.shape[1]):
                    n = nbr[i, k]
                    if occ[n] != b or not pair_i[p, 6] & stype[n]:
                        continue
                    last_p, last_n, last_k = p, n, k
                    k_p = pair_k[p]
                    if pair_i[p, 4]:
                        k_p *= pair_factor(i, n, a, b, occ, nbr, eps)
                    r -= k_p
                    if r < 0.0:
                        break
                if r < 0.0:
                    break
            # rounding can leave r >= 0 after the last candidate: take that one
            p, n, k = last_p, last_n, last_k
            b, c, d = pair_i[p, 1], pair_i[p, 2], pair_i[p, 3]
            occ[i] = c
            occ[n] = d
            counts[a] -= 1
            counts[b] -= 1
            counts[c] += 1
            counts[d] += 1
            if a != 0 and b == 0 and c == 0 and d == a:   # a hop: the particle moves i -> n
                q = pid[i]
                pid[n] = q
                pid[i] = -1
                if q >= 0:
                    disp[q, 0] += moves[k, 0]
                    disp[q, 1] += moves[k, 1]
            else:
                if c != a:
                    pid[i] = -1
                if d != b:
                    pid[n] = -1
            for g in range(gas.shape[0]):
                gas[g] += pair_gas[p, g]
            ns = _collect(i, -1, reach, nbr, sites, 0)
            ns = _collect(n, i, reach, nbr, sites, ns)
        # --- recompute the rates around the event (one loop), then re-sum the tree above the changes
        nb = 0
        for j in range(ns):
            nb = _update(sites[j], tree, M, occ, nbr, single_i, single_k, pair_i, pair_k, eps, stype, buf, nb,
                         table, S)
        _propagate(tree, buf, nb)
        done += 1
        clock[2] += 1
        total = tree[1]
        if total > 0.0:
            clock[1] = clock[0] - np.log(1.0 - next_double(rng)) / total
        else:
            clock[1] = np.inf


# ---------------------------------------------------------------------- ZGB
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
