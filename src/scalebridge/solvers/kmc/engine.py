r"""Rejection-free lattice kinetic Monte Carlo (BKL / n-fold way) with lateral interactions.

The lattice evolves by the master equation

.. math:: \frac{dP(\sigma, t)}{dt} = \sum_{\sigma'} \left[ W(\sigma' \to \sigma) P(\sigma', t)
          - W(\sigma \to \sigma') P(\sigma, t) \right],

whose trajectories the BKL algorithm (Bortz, Kalos & Lebowitz 1975, J. Comput.
Phys. 17, 10; Gillespie 1976) samples exactly: with the total rate
:math:`R = \sum_i R_i` over the per-site rates :math:`R_i`, the next event happens
after :math:`\Delta t = -\ln u / R` (u uniform in (0, 1]) and is event e of site i
with probability :math:`k_e / R`. Sites are found in O(log N) by descending a
sum tree of the :math:`R_i`; after an event only the rates of the sites it
touched and their neighbours are recomputed (Chatterjee & Vlachos 2007, J.
Computer-Aided Mater. Des. 14, 253). The tree is a binary sum tree stored one
cache line per node of eight (every third level, see :func:`_tree_layout`), so
a selection at N = 512^2 reads 6 lines instead of 18 scattered ones; when the
site rate is a function of the local configuration, the leaves are 1-byte
indices into the few distinct site rates (:meth:`LatticeKMC._compile_rate_table`);
the site types are int8 and the neighbour table is read only at the lattice
edges, flagged by one bit per site (:func:`_neighbour_offsets`). Per site an
event then reads from arrays of 1 byte of occupancy, 1 of leaf, 1/8 of edge
flag and about 1/7 float64 (8/7 byte) of inner tree: 3.3 bytes, so a 512^2
lattice (0.86 MB) stays in a 1 MB L2 cache (issue 7).

Processes (rates in 1/s, per site, as in mean-field microkinetics):

* :class:`SiteProcess` ``a -> c`` on one site: adsorption (``* -> A``), desorption
  (``A -> *``), conversion, unimolecular reaction to a gas;
* :class:`PairProcess` ``(a, b) -> (c, d)`` on a nearest-neighbour pair: dual-site
  adsorption (``(*, *) -> (O, O)``), hops (``(A, *) -> (*, A)``), Langmuir–Hinshelwood
  reactions (``(CO, O) -> (*, *)`` + CO2). A site holding ``a`` fires each of its z
  neighbour pairs with rate k/z, so a lattice without correlations gives the
  mean-field rate :math:`k\,\theta_a\theta_b` per site.

Lateral interactions: pair energies :math:`\varepsilon_{ab}` (units of
:math:`k_B T`, < 0 attractive) give the particle on site i the energy
:math:`E_i = \sum_{n \in nn(i)} \varepsilon_{s_i s_n}`. A process flagged
``interacting`` has its barrier raised by the binding of its initial particles,
:math:`k = k_0 \exp(E_\mathrm{init})` with :math:`E_\mathrm{init} = E_i` (plus
:math:`E_n - \varepsilon_{ab}` when site n is occupied); unflagged processes keep
:math:`k_0`. This is the BEP rule with :math:`\alpha = 1` on the bond-breaking side
(transition state with no lateral interaction). Desorption and hops flagged,
adsorption unflagged, satisfy detailed balance,
:math:`W(\sigma\to\sigma')/W(\sigma'\to\sigma) = \exp[-(H(\sigma') - H(\sigma)) + \beta\mu\,\Delta n]`
with :math:`\beta\mu = \ln(k_\mathrm{ads}/k_\mathrm{des})`, so an equilibrium run
samples the grand-canonical lattice gas exactly (Reese et al. 2001, Chem. Eng.
Sci. 56, 1449; Jansen, *An Introduction to Kinetic Monte Carlo Simulations of
Surface Reactions*, Springer 2012, ch. 3).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from ...core.errors import InputError
from .lattice import Lattice

__all__ = ["SiteProcess", "PairProcess", "LatticeKMC", "EMPTY", "kernels"]

EMPTY = "*"


def kernels():
    """The numba kernels (compiled on first use); raises MissingDependencyError without numba."""
    return importlib.import_module("scalebridge.solvers.kmc._kernels")


@dataclass(frozen=True)
class SiteProcess:
    """A one-site event ``initial -> final`` with rate ``rate`` (1/s).

    ``gas`` maps gas name -> molecules released (> 0) or consumed (< 0) per event;
    ``site_types`` the site types (integers, see ``LatticeKMC(site_types=...)``) it
    happens on (None: every site).
    """

    name: str
    initial: str
    final: str
    rate: float
    interacting: bool = False
    gas: Mapping[str, float] = field(default_factory=dict)
    site_types: tuple | None = None


@dataclass(frozen=True)
class PairProcess:
    """A nearest-neighbour pair event ``(a, b) -> (c, d)``, total rate ``rate`` (1/s) per site holding a.

    Each of the z neighbour pairs of a site fires with ``rate / z``. ``site_types``:
    ``(types of the first site, types of the second site)``, or None (every pair).
    """

    name: str
    initial: tuple[str, str]
    final: tuple[str, str]
    rate: float
    interacting: bool = False
    gas: Mapping[str, float] = field(default_factory=dict)
    site_types: tuple | None = None


def _tree_layout(n_sites: int):
    """Layout of the cache-line sum tree over ``n_sites`` leaves: ``(M, offsets, size)``.

    It is the binary sum tree over M = 2^m >= n_sites leaves (node = sum of its two
    children; zero leaves pad) with only every third level stored: the leaves
    (level m, their own array of max(M, 8) entries), and in the float64 array
    ``tree`` of ``size`` entries the levels m - 3, m - 6, ... down to the first
    one of 2 to 8 nodes (level 1, 2 or 3, zero-padded to 8 entries), the *root
    line*. The 8 children of a stored node are contiguous, so with the arrays
    64-byte aligned they fill one cache line (float64) or an eighth of one
    (1-byte leaves); the two binary levels between stored ones are summed on
    the fly. Stored level d above the leaves starts at ``tree[offsets[d]]``
    (level 0: the root line at 8; no level if M <= 8, when the leaves are the
    root line); ``tree[0]`` holds the total rate R, ``tree[1:8]`` are unused.
    ``size`` is about M/7 + 16 entries (2M for the plain binary tree with its
    leaves); a selection reads ceil(m/3) lines.
    """
    m = max(0, int(np.ceil(np.log2(max(n_sites, 1)))))
    D = max(1, -(-m // 3))                                                # stored levels, leaves included
    sizes = [8] + [1 << (m - 3 * k) for k in range(D - 2, 0, -1)]         # root line, ..., level m - 3
    offsets = np.cumsum([8] + sizes[:-1]).astype(np.int64)[:D - 1]
    return 1 << m, offsets, 8 + sum(sizes[:D - 1])


def _neighbour_offsets(nbr: np.ndarray):
    """Compact neighbour table: offsets ``delta`` (z,) int64 and edge bits ``edge`` (ceil(N/8),) uint8.

    ``delta[k]`` is the most frequent ``nbr[i, k] - i``; bit ``i & 7`` of
    ``edge[i >> 3]`` is set where any neighbour of i differs from ``i + delta``
    (the wrap-around rows and columns of a periodic lattice), and the kernels
    read the full table only there. N/8 bytes (32 KB at 512^2).
    """
    diff = nbr.astype(np.int64) - np.arange(nbr.shape[0])[:, None]
    delta = np.array([np.bincount(col - col.min()).argmax() + col.min() for col in diff.T], dtype=np.int64)
    return delta, np.packbits(np.any(diff != delta, axis=1), bitorder="little")


def _aligned_zeros(n: int, dtype=np.float64, align: int = 64) -> np.ndarray:
    """Zeros whose first entry sits on an ``align``-byte boundary (a cache line)."""
    itemsize = np.dtype(dtype).itemsize
    buf = np.zeros(n + align // itemsize, dtype=dtype)
    start = (-buf.ctypes.data % align) // itemsize
    return buf[start:start + n]


def _seed_state(seed) -> np.ndarray:
    gen = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    state = gen.bit_generator.random_raw(4).astype(np.uint64)
    if not state.any():
        state[0] = np.uint64(0x9E3779B97F4A7C15)
    return state


class LatticeKMC:
    """Lattice kMC simulation: processes, lateral interactions, state, and runs.

    Parameters
    ----------
    lattice : Lattice
    species : sequence of str
        Adsorbate names; the empty site ``"*"`` is species 0 and must not be listed.
    processes : sequence of SiteProcess / PairProcess
        Rates in 1/s (finite, >= 0).
    interactions : mapping, optional
        ``{(a, b): eps}``, nearest-neighbour pair energies in units of k_B T
        (symmetric; < 0 attractive).
    seed : int or numpy.random.Generator, optional
        Seeds the xoshiro256** stream of the kernel.
    occupancy : array_like of int, optional
        Initial species index per site (default: empty lattice).
    site_types : array_like of int, optional
        Type of every site, 0..62 (default: all 0), e.g. terrace and step sites;
        a process with ``site_types`` set happens only on sites of those types.

    Attributes
    ----------
    occupancy : ndarray, shape (N,), int8
        Species index per site, sites numbered row by row (``x + L y``).
    tree : ndarray, float64
        Stored inner levels of the cache-line sum tree (:func:`_tree_layout`);
        ``tree[0]`` is the total rate R. About N/7 entries.
    leaves : ndarray, shape (max(M, 8),)
        Its leaves, one per site: the rate class (uint8, 1 byte per site; uint16
        past 256 distinct site rates) where the rate table applies
        (:meth:`_compile_rate_table`), else the rate (float64). Selection costs
        ceil(log2(N)/3) cache lines, an event's update one line per changed
        ancestor; the tree is rebuilt from ``occupancy``, never saved.
    """

    def __init__(self, lattice: Lattice, species: Sequence[str], processes, *,
                 interactions: Mapping[tuple[str, str], float] | None = None, seed=None, occupancy=None,
                 site_types=None):
        if not isinstance(lattice, Lattice):
            raise InputError(f"LatticeKMC: lattice must be a Lattice (square_lattice(L), ...), got {lattice!r}")
        species = [str(s) for s in species]
        if EMPTY in species or len(set(species)) != len(species) or not 0 < len(species) < 127:
            raise InputError(f"LatticeKMC: species must be 1 to 126 distinct adsorbate names without {EMPTY!r}, "
                             f"got {species}")
        self.lattice, self.species = lattice, [EMPTY] + species
        self.processes = list(processes)
        if not self.processes:
            raise InputError("LatticeKMC: need at least one process")
        self.gases = sorted({g for p in self.processes for g in p.gas})
        self.site_types = self._compile_site_types(site_types, lattice.n_sites)
        # compact copy for the kernels: one int8 per site, or a single entry if all sites share a type
        types = self.site_types if np.unique(self.site_types).size > 1 else self.site_types[:1]
        self._stype = types.astype(np.int8)
        self._compile_processes()
        self._compile_interactions(interactions or {})
        self.M, self._tree_offsets, self._tree_size = _tree_layout(lattice.n_sites)
        self._delta, self._edge = _neighbour_offsets(lattice.neighbours)
        self._rate_classes, self._rate_values = self._compile_rate_table()
        self.reset(occupancy, seed)

    # ------------------------------------------------------------------ setup
    def _index(self, name, where):
        try:
            return self.species.index(name)
        except ValueError:
            raise InputError(f"LatticeKMC process {where!r}: unknown species {name!r}; "
                             f"known: {self.species}") from None

    @staticmethod
    def _compile_site_types(site_types, N):
        """Per-site bit masks 1 << type (int64)."""
        t = np.zeros(N, dtype=np.int64) if site_types is None else np.asarray(site_types)
        if t.shape != (N,) or not np.issubdtype(t.dtype, np.integer) or t.min() < 0 or t.max() > 62:
            raise InputError(f"LatticeKMC site_types: expected {N} integer site types in 0..62, "
                             f"got shape {t.shape}, dtype {t.dtype}")
        return t.astype(np.int64)

    @staticmethod
    def _type_mask(types, where):
        if types is None:
            return -1                      # every bit: all site types
        types = [types] if isinstance(types, (int, np.integer)) else list(types)
        if not types or any(isinstance(t, bool) or not isinstance(t, (int, np.integer)) or not 0 <= t <= 62
                            for t in types):
            raise InputError(f"LatticeKMC process {where!r}: site types must be integers in 0..62, got {types!r}")
        return int(sum(1 << int(t) for t in set(types)))

    def _gas_row(self, p):
        return [float(p.gas.get(g, 0.0)) for g in self.gases]

    def _compile_processes(self):
        single, pair = [], []
        for p in self.processes:
            rate = float(p.rate)
            if not np.isfinite(rate) or rate < 0:
                raise InputError(f"LatticeKMC process {p.name!r}: rate must be finite and >= 0 (1/s), got {p.rate!r}")
            if isinstance(p, SiteProcess):
                a, c = self._index(p.initial, p.name), self._index(p.final, p.name)
                single.append(([a, c, int(bool(p.interacting)), self._type_mask(p.site_types, p.name)], rate,
                               self._gas_row(p)))
            elif isinstance(p, PairProcess):
                if len(p.initial) != 2 or len(p.final) != 2:
                    raise InputError(f"LatticeKMC process {p.name!r}: initial and final must be pairs of species")
                ids = [self._index(s, p.name) for s in (*p.initial, *p.final)]
                types = (None, None) if p.site_types is None else tuple(p.site_types)
                if len(types) != 2:
                    raise InputError(f"LatticeKMC process {p.name!r}: site_types must be (types of the first site, "
                                     f"types of the second site), got {p.site_types!r}")
                masks = [self._type_mask(t, p.name) for t in types]
                pair.append((ids + [int(bool(p.interacting))] + masks, rate / self.lattice.coordination,
                             self._gas_row(p)))
            else:
                raise InputError(f"LatticeKMC: processes must be SiteProcess or PairProcess, got {p!r}")
        G = len(self.gases)
        self._single_i = np.array([s[0] for s in single], dtype=np.int64).reshape(-1, 4)
        self._single_k = np.array([s[1] for s in single], dtype=float)
        self._single_gas = np.array([s[2] for s in single], dtype=float).reshape(len(single), G)
        self._pair_i = np.array([s[0] for s in pair], dtype=np.int64).reshape(-1, 7)
        self._pair_k = np.array([s[1] for s in pair], dtype=float)
        self._pair_gas = np.array([s[2] for s in pair], dtype=float).reshape(len(pair), G)

    def _compile_interactions(self, interactions):
        S = len(self.species)
        eps = np.zeros((S, S))
        for key, value in dict(interactions).items():
            if not (isinstance(key, tuple) and len(key) == 2):
                raise InputError(f"LatticeKMC interactions: keys must be species pairs (a, b), got {key!r}")
            a, b = (self._index(s, "interactions") for s in key)
            if 0 in (a, b) or not np.isfinite(value):
                raise InputError(f"LatticeKMC interactions {key}: need two adsorbates and a finite energy "
                                 f"(units of k_B T), got {value!r}")
            eps[a, b] = eps[b, a] = float(value)
        self.interaction_matrix = eps
        # an interacting pair event on an occupied neighbour reads its neighbours' neighbours
        second = any(row[4] and row[1] != 0 for row in self._pair_i) and np.any(eps != 0)
        self._reach = 2 if second else 1

    #: largest look-up table of site rates (entries, S ** (z + 1)) built for the fast path
    _MAX_TABLE = 1 << 16

    def _compile_rate_table(self):
        """Rate classes of the sum-tree leaves: ``(classes, values)``, or two empty arrays (float64 leaves).

        Built when it is exact: one site type on the lattice and no process whose
        rate depends on the lateral interactions (none flagged, or all energies 0).
        Then a site's rate is a function of its local configuration (own species, z
        neighbour species; :func:`~._kernels.build_rate_table`, summed in the order
        of the direct sum), and it takes few distinct values (10 for the ZGB
        chemistry): ``values`` (float64, sorted) holds them, ``values[0]`` = 0 (the
        padding leaves), ``classes`` (S^(z+1) entries, uint8, or uint16 past 256
        values; float64 leaves past 65536) the index of the rate of every
        configuration. The leaves then store that index, 1 or 2 bytes instead of
        8, and a refreshed site looks its class up instead of summing its
        processes; ``values[c]`` is bitwise the direct sum, so trajectories are
        those of float64 leaves.
        """
        S, z = len(self.species), self.lattice.coordination
        flagged = bool(self._single_i[:, 2].any() or self._pair_i[:, 4].any())
        if (flagged and np.any(self.interaction_matrix != 0)) or np.unique(self.site_types).size != 1 \
                or S ** (z + 1) > self._MAX_TABLE:
            return np.zeros(0, dtype=np.uint8), np.zeros(0)
        table = kernels().build_rate_table(S, z, 1 << int(self.site_types[0]), self._single_i, self._single_k,
                                           self._pair_i, self._pair_k)
        values, classes = np.unique(np.concatenate([[0.0], table]), return_inverse=True)  # sorted: 0 first
        if values.size > 1 << 16:
            return np.zeros(0, dtype=np.uint8), np.zeros(0)
        return classes[1:].astype(np.uint8 if values.size <= 256 else np.uint16), values

    def reset(self, occupancy=None, seed=None):
        """Start over at t = 0 with the given occupancy (species indices) and seed."""
        N = self.lattice.n_sites
        if occupancy is None:
            occ = np.zeros(N, dtype=np.int8)
        else:
            occ = np.asarray(occupancy)
            if occ.shape != (N,) or not np.issubdtype(occ.dtype, np.integer) \
                    or occ.min() < 0 or occ.max() >= len(self.species):
                raise InputError(f"LatticeKMC occupancy: expected {N} integer species indices in "
                                 f"0..{len(self.species) - 1}, got shape {occ.shape}, dtype {occ.dtype}")
            occ = occ.astype(np.int8)
        self.occupancy = occ
        self.rng_state = _seed_state(seed)
        self.clock = np.array([0.0, 0.0, 0.0])       # t, t_next, events
        self.counts = np.bincount(occ, minlength=len(self.species)).astype(np.int64)
        self.gas_produced = np.zeros(len(self.gases))
        self.particle_id = np.where(occ > 0, np.cumsum(occ > 0) - 1, -1).astype(np.int32)
        self.displacement = np.zeros((int((occ > 0).sum()), 2), dtype=np.int64)
        self.tree = _aligned_zeros(self._tree_size)
        self.leaves = _aligned_zeros(max(self.M, 8), np.float64 if self._rate_values.size == 0
                                     else self._rate_classes.dtype)
        self._rebuild_tree(self.tree, self.leaves)
        total = self.tree[0]
        self.clock[1] = -np.log(1.0 - kernels().next_double(self.rng_state)) / total if total > 0 else np.inf

    def _rebuild_tree(self, tree, leaves):
        """Fill ``tree`` and ``leaves`` (layout of :func:`_tree_layout`) from the current occupancy."""
        kernels().rebuild_tree(tree, self._tree_offsets, leaves, self._rate_values, self.occupancy,
                               self.lattice.neighbours, self._delta, self._edge, self._single_i, self._single_k,
                               self._pair_i, self._pair_k, self.interaction_matrix, self._stype, self._rate_classes)

    # ------------------------------------------------------------------ running
    @property
    def time(self) -> float:
        """Simulated time t (s)."""
        return float(self.clock[0])

    @property
    def events(self) -> int:
        return int(self.clock[2])

    @property
    def total_rate(self) -> float:
        """R = sum of all event rates (1/s); 0 in an absorbing (poisoned) state."""
        return float(self.tree[0])

    @property
    def coverages(self) -> dict:
        """Current fraction of sites per species (``"*"`` included)."""
        return dict(zip(self.species, self.counts / self.lattice.n_sites))

    def run(self, until: float = np.inf, max_events: int | None = None) -> np.ndarray:
        """Advance to time ``until`` (s) or by ``max_events``, whichever comes first.

        Returns the time integral (s) of the number of sites per species over the
        advanced interval. Raises InputError for ``until`` before the current
        time or an unbounded request.
        """
        until = float(until)
        if until < self.time:
            raise InputError(f"LatticeKMC.run: until={until} s lies before the current time {self.time} s")
        if max_events is None and not np.isfinite(until):
            raise InputError("LatticeKMC.run: give a finite 'until' (s) or 'max_events'")
        n = np.iinfo(np.int64).max if max_events is None else int(max_events)
        cov = np.zeros(len(self.species))
        kernels().run_bkl(self.occupancy, self.lattice.neighbours, self._delta, self._edge, self.tree,
                          self._tree_offsets, self.leaves, self._rate_values, self.rng_state, self.clock,
                          self.counts, self.gas_produced, self.particle_id, self.displacement, self.lattice.steps,
                          self._single_i, self._single_k, self._single_gas, self._pair_i, self._pair_k,
                          self._pair_gas, self.interaction_matrix, self._stype, self._reach, until, n, cov,
                          self._rate_classes, *self._buffers())
        return cov

    def _buffers(self):
        """Scratch arrays of one event for the kernel: changed leaves, sites to recompute."""
        z = self.lattice.coordination
        size = 2 * (1 + z + z * z) + 2
        return np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int64)

    def snapshot(self) -> np.ndarray:
        """The lattice as an array of species indices, shape (L,) or (L, L) (row = y)."""
        return self.occupancy.reshape(self.lattice.shape[::-1]).copy()

    # ------------------------------------------------------------------ checkpoint
    #: the sum tree (``tree``, ``leaves``) is not saved: it is a function of the occupancy, rebuilt bitwise on loading
    _STATE = ("occupancy", "rng_state", "clock", "counts", "gas_produced", "particle_id", "displacement")

    def save_checkpoint(self, path) -> Path:
        """Write the full state (lattice, RNG, clock, counters) to an ``.npz`` file."""
        path = Path(path)
        np.savez(path, species=np.array(self.species), **{k: getattr(self, k) for k in self._STATE})
        return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")

    def load_checkpoint(self, path) -> None:
        """Restore a state written by :meth:`save_checkpoint` for the same species and lattice size."""
        try:
            data = np.load(Path(path))
        except OSError as exc:
            raise InputError(f"LatticeKMC.load_checkpoint: cannot read {path} ({exc})") from None
        with data:
            if list(data["species"]) != self.species or data["occupancy"].shape != self.occupancy.shape:
                raise InputError(f"LatticeKMC.load_checkpoint: {path} holds species {list(data['species'])} "
                                 f"on {data['occupancy'].size} sites; this simulation has {self.species} "
                                 f"on {self.occupancy.size}")
            for k in self._STATE:
                setattr(self, k, data[k].copy())
        self._rebuild_tree(self.tree, self.leaves)
