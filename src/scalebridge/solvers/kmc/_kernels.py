r"""numba-compiled hot loops of the lattice kMC engine (imported lazily: numba is optional).

Everything here works on plain arrays of one lattice of N sites:

* ``occ`` (N,) int8: species index per site, 0 = empty site ``*``;
* ``nbr`` (N, z) int32: the z nearest neighbours of every site, read only at the
  wrap-around edges: elsewhere neighbour k of site i is ``i + delta[k]``
  (``delta`` (z,) int64; ``edge`` (ceil(N/8),) uint8, bit i & 7 of byte i >> 3 set
  for an edge site, N/8 bytes; :func:`neighbour`);
* ``leaves`` (max(M, 8),) and ``tree`` float64 with level offsets ``off`` (int64):
  the *cache-line sum tree*. It is the binary sum tree over M = 2^m >= N leaves
  (leaf i: total rate of the events owned by site i; node = sum of its two
  children; leaves past N are zero) with only every third level stored, so the 8
  stored children of a stored node are contiguous (one cache line of float64)
  and the two binary levels in between are summed on the fly from them. The
  leaves are their own array: float64 rates, or, when the site rate is a
  function of the local configuration (a rate table applies), uint8 (uint16 past
  256) indices into ``vals``, the table of distinct site rates (``vals[0]`` = 0),
  so the leaf level takes M bytes instead of 8M (256 KB instead of 2 MB at
  512^2). ``tree`` holds the stored levels above the leaves, ``off[d]`` the
  start of level d (``off[0]`` = 8: the root line of 2, 4 or 8 nodes,
  zero-padded to 8; none if M <= 8, when the leaves are the root line), and
  ``tree[0]`` the total rate R. A selection reads ceil(m/3) lines instead
  of m scattered pairs, an update re-sums one line per stored ancestor, and the
  array holds about M/7 float64 above the leaves (M for the binary tree). Sums
  and descent decisions are bitwise those of the binary tree over the float64
  leaf rates (same pairwise additions, same left/right rule; a class index is
  read as its exact rate ``vals[c]``);
* ``stype`` (N,) int8: the type t of every site, or one entry for a lattice of one
  type; process rows carry a mask of bits ``1 << t`` of the site types they apply
  to (column 3 of a site process, columns 5 and 6, first and second site, of a
  pair process);
* ``rng`` (4,) uint64: state of the xoshiro256** generator (Blackman & Vigna 2021,
  ACM Trans. Math. Softw. 47, 36), so a checkpoint can save and restore it.

Events owned by site i: every *site process* whose initial species is ``occ[i]``
(rate ``single_k``), and, for each of the z neighbours n, every *pair process*
(a, b) -> (c, d) with ``occ[i] == a`` and ``occ[n] == b`` (rate ``pair_k``, already
divided by z), each only where the site types match its masks. Flagged processes are slowed by
the lateral interactions of their initial state, rate x exp(E_init / k_B T) (see :mod:`.engine`).
"""

from __future__ import annotations

import numpy as np

from ...core.optional import require

numba = require("numba", extra="kmc")
_extending = require("numba.extending", extra="kmc")
overload, intrinsic = _extending.overload, _extending.intrinsic
ir = require("llvmlite.ir", extra="kmc")

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
@intrinsic
def prefetch(typingctx, arr, i):
    """Hint the CPU to load the cache line of ``arr[i]`` (LLVM ``llvm.prefetch``: read, keep in all levels).

    No effect on results; no bounds check (a prefetch of an invalid address is dropped).
    """
    def codegen(context, builder, sig, args):
        data = context.make_array(sig.args[0])(context, builder, args[0]).data
        i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
        fn = numba.core.cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]), "llvm.prefetch.p0i8")
        builder.call(fn, [builder.bitcast(builder.gep(data, [args[1]]), i8p), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()
    return numba.types.void(arr, i), codegen


def entry(arr, vals, j):
    """Rate held by entry j of a tree level: ``arr[j]`` (float64 level) or ``vals[arr[j]]`` (class-index leaves)."""


@overload(entry, inline="always")
def _entry(arr, vals, j):
    if isinstance(arr.dtype, numba.types.Integer):
        return lambda arr, vals, j: vals[arr[j]]
    return lambda arr, vals, j: arr[j]


@inline
def line_sum(arr, vals, b):
    """Sum of the 8 rates of entries ``b .. b+7`` of a level (one node), pairwise: the binary-tree order."""
    return ((entry(arr, vals, b) + entry(arr, vals, b + 1)) + (entry(arr, vals, b + 2) + entry(arr, vals, b + 3))) \
        + ((entry(arr, vals, b + 4) + entry(arr, vals, b + 5)) + (entry(arr, vals, b + 6) + entry(arr, vals, b + 7)))


@inline
def _line_find(arr, vals, b, r):
    """Child k (0..7) of the node of entries ``b .. b+7`` whose bracket holds r; returns (k, r - offset).

    The three binary levels inside the node are summed on the fly, pairwise, and
    walked with the binary rule (go left if ``r < left`` or the right sum is 0).
    """
    x0, x1, x2, x3 = entry(arr, vals, b), entry(arr, vals, b + 1), entry(arr, vals, b + 2), entry(arr, vals, b + 3)
    x4, x5, x6, x7 = entry(arr, vals, b + 4), entry(arr, vals, b + 5), entry(arr, vals, b + 6), entry(arr, vals, b + 7)
    lo = (x0 + x1) + (x2 + x3)
    if r >= lo and (x4 + x5) + (x6 + x7) > 0.0:
        r -= lo
        x0, x1, x2, x3 = x4, x5, x6, x7
        k = 4
    else:
        k = 0
    lo = x0 + x1
    if r >= lo and x2 + x3 > 0.0:
        r -= lo
        x0, x1 = x2, x3
        k += 2
    if r >= x0 and x1 > 0.0:
        r -= x0
        k += 1
    return k, r


@inline
def tree_find(tree, off, leaves, vals, r):
    """Leaf i whose cumulative rate bracket contains r (0 <= r < total); returns (i, r - offset).

    Descends one node (cache line) per stored level, the leaves last (:func:`_line_find`),
    so the choice is bitwise that of the full binary tree over the same leaf rates.
    Each level's line depends on the choice made one level up, so the loads form a
    chain; the 8 candidate nodes one level down (64 entries: 8 lines of float64,
    one line of 1-byte leaves) are prefetched before each choice, overlapping the
    chain's cache misses.
    """
    D = off.shape[0]
    j = 0
    for d in range(D):
        if d + 1 < D:
            for q in range(0, 64, 8):
                prefetch(tree, off[d + 1] + 64 * j + q)
        else:
            for q in range(0, 64 * leaves.itemsize, 64):
                prefetch(leaves, 64 * j + q // leaves.itemsize)
        k, r = _line_find(tree, vals, off[d] + 8 * j, r)
        j = 8 * j + k
    k, r = _line_find(leaves, vals, 8 * j, r)
    return 8 * j + k, r


# ---------------------------------------------------------------------- rates
@inline
def type_bit(stype, i):
    """Bit ``1 << t`` of the type t of site i (``stype``: one int8 type per site, or one for all sites)."""
    if stype.shape[0] == 1:
        return np.int64(1) << np.int64(stype[0])
    return np.int64(1) << np.int64(stype[i])


@inline
def neighbour(i, k, nbr, delta, edge):
    """Neighbour k of site i: ``i + delta[k]``, or ``nbr[i, k]`` where the edge bit of i is set.

    On a periodic lattice numbered row by row the neighbour table is a constant
    offset everywhere but at the wrap-around edges, so the (N, z) int32 table is
    read only there; the per-site flag costs one bit instead of 4z bytes.
    """
    if (edge[i >> 3] >> (i & 7)) & 1:
        return np.int64(nbr[i, k])
    return i + delta[k]


@inline
def lateral_energy(i, occ, nbr, delta, edge, eps):
    """Interaction energy (units of k_B T) of the particle on site i with its neighbours."""
    a = occ[i]
    e = 0.0
    for k in range(nbr.shape[1]):
        e += eps[a, occ[neighbour(i, k, nbr, delta, edge)]]
    return e


@inline
def pair_factor(i, n, a, b, occ, nbr, delta, edge, eps):
    """exp(E_init): lateral energy of the initial particles on i and n, their mutual bond once."""
    e = lateral_energy(i, occ, nbr, delta, edge, eps)
    if b != 0:
        e += lateral_energy(n, occ, nbr, delta, edge, eps) - eps[a, b]
    return np.exp(e)


@inline
def site_rate(i, occ, nbr, delta, edge, single_i, single_k, pair_i, pair_k, eps, stype):
    """Total rate of the events owned by site i, summed in process order (site, then pair x neighbour).

    Non-interacting pair processes are summed branch-free, ``total += k * hit`` with
    hit 0 or 1: adding +0.0 leaves the sum bitwise unchanged, so the result equals
    the plain conditional sum while avoiding a mispredicted branch per neighbour.
    """
    a = occ[i]
    ti = type_bit(stype, i)
    total = 0.0
    for p in range(single_i.shape[0]):
        if single_i[p, 0] == a and single_i[p, 3] & ti:
            if single_i[p, 2]:
                total += single_k[p] * np.exp(lateral_energy(i, occ, nbr, delta, edge, eps))
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
                n = neighbour(i, k, nbr, delta, edge)
                if occ[n] == b and mask & type_bit(stype, n):
                    total += k_p * pair_factor(i, n, a, b, occ, nbr, delta, edge, eps)
        else:
            for k in range(z):
                n = neighbour(i, k, nbr, delta, edge)
                hit = (occ[n] == b) & ((mask & type_bit(stype, n)) != 0)
                total += k_p * hit
    return total


@njit
def build_rate_table(S, z, tbit, single_i, single_k, pair_i, pair_k):
    """Site rate for every local configuration (a; s_0 .. s_{z-1}) of one site type, no interactions.

    Entry ``code = ((a S + s_0) S + s_1) ... S + s_{z-1}`` holds the rate of a site
    holding a whose neighbour k holds s_k, summed in exactly the order of
    :func:`site_rate` (so a look-up is bitwise the direct sum). Valid when every
    site has the type bit ``tbit`` and no process feels an interaction. The
    engine keeps its distinct values (``vals``) and, per code, their index: the
    class of :func:`leaf_of`.
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


def leaf_of(leaves, m, occ, nbr, delta, edge, single_i, single_k, pair_i, pair_k, eps, stype, table, S):
    """Leaf value of site m: its rate class ``table[code]`` (class-index leaves), or its rate (:func:`site_rate`).

    ``code`` is the local configuration (a; s_0 .. s_{z-1}) of :func:`build_rate_table`;
    ``table`` (class-index leaves only) maps it to the index of its rate in ``vals``.
    """


@overload(leaf_of, inline="always")
def _leaf_of(leaves, m, occ, nbr, delta, edge, single_i, single_k, pair_i, pair_k, eps, stype, table, S):
    if isinstance(leaves.dtype, numba.types.Integer):
        def by_class(leaves, m, occ, nbr, delta, edge, single_i, single_k, pair_i, pair_k, eps, stype, table, S):
            code = np.int64(occ[m])
            for k in range(nbr.shape[1]):
                code = code * S + occ[neighbour(m, k, nbr, delta, edge)]
            return table[code]
        return by_class

    def by_sum(leaves, m, occ, nbr, delta, edge, single_i, single_k, pair_i, pair_k, eps, stype, table, S):
        return site_rate(m, occ, nbr, delta, edge, single_i, single_k, pair_i, pair_k, eps, stype)
    return by_sum


@inline
def _resum(arr, vals, base, tree, dst, buf, nb):
    """Store at ``tree[dst + g]`` the :func:`line_sum` of node g of the level at ``arr[base:]``, for the
    parent g = j >> 3 of every queued (sorted) entry j in ``buf[:nb]``, each once; queue the parents instead.

    Parents of a sorted list are sorted, so a duplicate is always the previous entry.
    Returns the number of parents.
    """
    w = 0
    for j in range(nb):
        g = buf[j] >> 3
        if w == 0 or buf[w - 1] != g:
            tree[dst + g] = line_sum(arr, vals, base + 8 * g)
            buf[w] = g
            w += 1
    return w


@inline
def sum_levels(tree, off, leaves, vals):
    """Every stored level above the leaves, bottom-up, each entry the :func:`line_sum` of its children."""
    D = off.shape[0]
    if D == 0:                          # M <= 8: the leaves are the root line
        tree[0] = line_sum(leaves, vals, 0)
        return
    for g in range(leaves.shape[0] // 8):
        tree[off[D - 1] + g] = line_sum(leaves, vals, 8 * g)
    for d in range(D - 1, 0, -1):
        for g in range((off[d + 1] - off[d] if d + 1 < D else tree.shape[0] - off[d]) // 8):
            tree[off[d - 1] + g] = line_sum(tree, vals, off[d] + 8 * g)
    tree[0] = line_sum(tree, vals, off[0])


@njit
def rebuild_tree(tree, off, leaves, vals, occ, nbr, delta, edge, single_i, single_k, pair_i, pair_k, eps, stype,
                 table):
    """Fill the sum tree from scratch: every leaf (:func:`leaf_of`), then every stored level bottom-up."""
    tree[:] = 0.0
    leaves[:] = 0
    S = eps.shape[0]
    for i in range(occ.shape[0]):
        leaves[i] = leaf_of(leaves, i, occ, nbr, delta, edge, single_i, single_k, pair_i, pair_k, eps, stype,
                            table, S)
    sum_levels(tree, off, leaves, vals)


@inline
def _update(m, leaves, occ, nbr, delta, edge, single_i, single_k, pair_i, pair_k, eps, stype, buf, nb, table, S):
    """Recompute the leaf of site m (:func:`leaf_of`); if it changed, store it and queue m in ``buf``.

    Returns the new queue length. The stored levels above are summed afterwards,
    once per distinct ancestor, by :func:`_propagate`.
    """
    value = leaf_of(leaves, m, occ, nbr, delta, edge, single_i, single_k, pair_i, pair_k, eps, stype, table, S)
    if value != leaves[m]:
        leaves[m] = value
        buf[nb] = m
        nb += 1
    return nb


@inline
def _propagate(tree, off, leaves, vals, buf, nb):
    """Re-sum the stored ancestors of the ``nb`` queued leaves, each distinct one once, level by level.

    The parent of entry j of a level is entry j >> 3 of the level above (of the
    root line: the total ``tree[0]``), recomputed with :func:`line_sum` from its
    final children (:func:`_resum`), so the tree is bitwise the one of a fresh
    rebuild. The leaves are insertion-sorted first.
    """
    if nb == 0:
        return
    for j in range(1, nb):
        v = buf[j]
        q = j - 1
        while q >= 0 and buf[q] > v:
            buf[q + 1] = buf[q]
            q -= 1
        buf[q + 1] = v
    d = off.shape[0] - 1
    nb = _resum(leaves, vals, 0, tree, off[d] if d >= 0 else 0, buf, nb)
    while d >= 0:
        nb = _resum(tree, vals, off[d], tree, off[d - 1] if d > 0 else 0, buf, nb)
        d -= 1


@inline
def _collect(i, skip, reach, nbr, delta, edge, sites, ns):
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
        n = neighbour(i, k, nbr, delta, edge)
        if n != skip:
            sites[ns] = n
            ns += 1
        if reach > 1:
            for q in range(nbr.shape[1]):
                sites[ns] = neighbour(n, q, nbr, delta, edge)
                ns += 1
    return ns


# ---------------------------------------------------------------------- BKL loop
@njit_no_nrt
def run_bkl(occ, nbr, delta, edge, tree, off, leaves, vals, rng, clock, counts, gas, pid, disp, moves,
            single_i, single_k, single_gas, pair_i, pair_k, pair_gas, eps, stype, reach,
            t_stop, max_events, cov_integral, table, buf, sites):
    """Advance by BKL events until the next event time passes ``t_stop`` or ``max_events`` ran.

    ``clock = [t, t_next, events]``: current time, time of the pending next event
    (drawn as t + (-ln u)/R after every event, so stopping and resuming anywhere
    gives the same trajectory) and the event count. ``cov_integral[s]`` gains
    the time integral of the number of sites holding species s; ``gas[g]`` the
    net number of gas molecules g produced. ``leaves``, ``vals``, ``table``: the
    leaves of the sum tree, float64 rates (``vals``, ``table`` empty: the rates
    are summed over the processes), or rate classes with ``vals`` the distinct
    rates and ``table`` the class per local configuration (:func:`leaf_of`);
    ``buf``, ``sites``: int64 scratch arrays of length >= 2 (1 + z + z^2).
    ``pid`` (particle ids, -1 on empty sites) is written only if ``disp`` tracks
    particles: without any, every id is and stays -1. Returns the events executed.

    After an event the sites whose rate may have changed are listed, recomputed
    in one loop (only changed leaves are stored), and the inner nodes above them
    are re-summed once each (:func:`_propagate`).
    """
    done = 0
    S = counts.shape[0]
    track = disp.shape[0] > 0
    while True:
        t_next = clock[1]
        if t_next > t_stop or t_next == np.inf:     # past the stop, or absorbing (R = 0): no further event
            if clock[0] < t_stop < np.inf:
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
        i, r = tree_find(tree, off, leaves, vals, next_double(rng) * tree[0])
        a = occ[i]
        chosen = False
        ns = 0
        for p in range(single_i.shape[0]):
            if single_i[p, 0] != a or not single_i[p, 3] & type_bit(stype, i):
                continue
            k_p = single_k[p]
            if single_i[p, 2]:
                k_p *= np.exp(lateral_energy(i, occ, nbr, delta, edge, eps))
            r -= k_p
            if r < 0.0:
                c = single_i[p, 1]
                occ[i] = c
                counts[a] -= 1
                counts[c] += 1
                if track and a != 0 and c == 0:
                    pid[i] = -1
                for g in range(gas.shape[0]):
                    gas[g] += single_gas[p, g]
                ns = _collect(i, -1, reach, nbr, delta, edge, sites, 0)
                chosen = True
                break
        if not chosen:
            last_p, last_n, last_k = -1, -1, -1
            for p in range(pair_i.shape[0]):
                if pair_i[p, 0] != a or not pair_i[p, 5] & type_bit(stype, i):
                    continue
                b = pair_i[p, 1]
                for k in range(nbr.shape[1]):
                    n = neighbour(i, k, nbr, delta, edge)
                    if occ[n] != b or not pair_i[p, 6] & type_bit(stype, n):
                        continue
                    last_p, last_n, last_k = p, n, k
                    k_p = pair_k[p]
                    if pair_i[p, 4]:
                        k_p *= pair_factor(i, n, a, b, occ, nbr, delta, edge, eps)
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
            if track:
                if a != 0 and b == 0 and c == 0 and d == a:   # a hop: the particle moves i -> n
                    q = pid[i]
                    pid[n] = q
                    pid[i] = -1
                    if q >= 0:
                        disp[q, 0] += moves[k, 0]
                        disp[q, 1] += moves[k, 1]
                else:
                    if c != a and a != 0:
                        pid[i] = -1
                    if d != b and b != 0:
                        pid[n] = -1
            for g in range(gas.shape[0]):
                gas[g] += pair_gas[p, g]
            ns = _collect(i, -1, reach, nbr, delta, edge, sites, 0)
            ns = _collect(n, i, reach, nbr, delta, edge, sites, ns)
        # --- recompute the rates around the event (one loop), then re-sum the tree above the changes
        nb = 0
        for j in range(ns):
            nb = _update(sites[j], leaves, occ, nbr, delta, edge, single_i, single_k, pair_i, pair_k, eps, stype,
                         buf, nb, table, S)
        _propagate(tree, off, leaves, vals, buf, nb)
        done += 1
        clock[2] += 1
        total = tree[0]
        if total > 0.0:
            clock[1] = clock[0] - np.log(1.0 - next_double(rng)) / total
        else:
            clock[1] = np.inf
