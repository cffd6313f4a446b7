"""Lattice kMC engine: reproducibility, checkpoints, detailed balance, mean-field limit."""

import numpy as np
import pytest

pytest.importorskip("numba")

from scalebridge.core.errors import InputError  # noqa: E402
from scalebridge.solvers.kmc import (LatticeKMC, PairProcess, SiteProcess, block_average,  # noqa: E402
                                     chain_lattice, hexagonal_lattice, mser_truncation,
                                     sample_steady_state, square_lattice)
from scalebridge.solvers.kmc.engine import kernels  # noqa: E402
from scalebridge.solvers.microkinetics import solve_steady_state  # noqa: E402


def _adsorption(k_ads, k_des, interacting=True, hop=0.0):
    procs = [SiteProcess("ads", "*", "A", k_ads), SiteProcess("des", "A", "*", k_des, interacting=interacting)]
    if hop:
        procs.append(PairProcess("hop", ("A", "*"), ("*", "A"), hop, interacting=interacting))
    return procs


def _co_oxidation(seed, L=16):
    procs = [SiteProcess("CO ads", "*", "CO", 0.5), SiteProcess("CO des", "CO", "*", 0.1, interacting=True),
             PairProcess("O2 ads", ("*", "*"), ("O", "O"), 0.5),
             PairProcess("CO hop", ("CO", "*"), ("*", "CO"), 1.0, interacting=True),
             PairProcess("LH", ("CO", "O"), ("*", "*"), 5.0, gas={"CO2": 1})]
    return LatticeKMC(square_lattice(L), ["CO", "O"], procs, interactions={("CO", "CO"): 0.3}, seed=seed)


def test_lattices_neighbour_tables():
    sq, hx, ch = square_lattice(5), hexagonal_lattice(5), chain_lattice(7)
    assert sq.neighbours.shape == (25, 4) and hx.neighbours.shape == (25, 6) and ch.neighbours.shape == (7, 2)
    for lat in (sq, hx, ch):   # neighbourhood is symmetric: j in nn(i) <=> i in nn(j)
        i, j = np.repeat(np.arange(lat.n_sites), lat.coordination), lat.neighbours.ravel()
        assert set(zip(i, j)) == set(zip(j, i))
    np.testing.assert_allclose(np.linalg.norm(hx.cartesian(hx.steps), axis=1), 1.0)
    with pytest.raises(InputError, match="size"):
        square_lattice(2)


def test_seeded_runs_reproduce_and_checkpoint_resumes_identically(tmp_path):
    """Same seed -> same trajectory; save at t1, resume -> bitwise the trajectory of one long run."""
    a, b = _co_oxidation(7), _co_oxidation(7)
    a.run(until=20.0)
    path = a.save_checkpoint(tmp_path / "state")
    a.run(until=50.0)
    b.run(until=50.0)
    c = _co_oxidation(123)
    c.load_checkpoint(path)
    c.run(until=35.0)          # stopping in between must not change the trajectory
    c.run(until=50.0)
    for other in (b, c):
        np.testing.assert_array_equal(a.occupancy, other.occupancy)
        np.testing.assert_array_equal(a.clock, other.clock)
        np.testing.assert_array_equal(a.gas_produced, other.gas_produced)
        np.testing.assert_array_equal(a.tree, other.tree)
        np.testing.assert_array_equal(a.leaves, other.leaves)
    assert a.events > 1000 and a.gas_produced[0] > 0
    d = _co_oxidation(8)
    d.run(until=50.0)
    assert not np.array_equal(a.occupancy, d.occupancy)


def _zgb_rates(seed, L=24, lattice=square_lattice):
    """The rate-based ZGB chemistry of benchmarks/kmc.py: no interactions, so the leaves are rate classes."""
    procs = [SiteProcess("CO ads", "*", "CO", 0.5), PairProcess("O2 ads", ("*", "*"), ("O", "O"), 0.5),
             PairProcess("LH", ("CO", "O"), ("*", "*"), 100.0, gas={"CO2": 1})]
    return LatticeKMC(lattice(L), ["CO", "O"], procs, seed=seed)


@pytest.mark.parametrize("make", [_co_oxidation, _zgb_rates], ids=["float leaves", "class leaves"])
def test_sum_tree_stays_consistent_with_site_rates(make):
    """After many local updates, every tree node and leaf still equals a fresh rebuild (no drift)."""
    sim = make(3)
    assert sim.leaves.dtype == (np.float64 if make is _co_oxidation else np.uint8)
    sim.run(max_events=20_000)
    fresh, fresh_leaves = np.empty_like(sim.tree), np.empty_like(sim.leaves)
    sim._rebuild_tree(fresh, fresh_leaves)
    np.testing.assert_array_equal(sim.tree, fresh)        # bitwise: every stored node re-summed from its line
    np.testing.assert_array_equal(sim.leaves, fresh_leaves)
    assert sim.counts.sum() == sim.lattice.n_sites
    np.testing.assert_array_equal(sim.counts, np.bincount(sim.occupancy, minlength=3))


def _many_rates(seed, L, lattice):
    """Three species with dual adsorption, desorption, hops and swaps at incommensurate rates on the
    hexagonal lattice: 300+ distinct site rates, so the rate classes need two bytes."""
    names = ["A", "B", "C"]
    procs = [PairProcess("AA ads", ("*", "*"), ("A", "A"), 1.0)]
    procs += [SiteProcess(f"{x} ads", "*", x, 0.5 + i) for i, x in enumerate(names)]
    procs += [SiteProcess(f"{x} des", x, "*", np.sqrt(2 + i)) for i, x in enumerate(names)]
    procs += [PairProcess(f"{x} hop", (x, "*"), ("*", x), np.sqrt(5 + i)) for i, x in enumerate(names)]
    procs += [PairProcess(f"{x}{y} swap", (x, y), (y, x), np.sqrt(7 + 3 * i + j))
              for i, x in enumerate(names) for j, y in enumerate(names) if x != y]
    return LatticeKMC(lattice(L), names, procs, seed=seed)


@pytest.mark.parametrize("make, lattice, L, dtype", [(_zgb_rates, square_lattice, 21, np.uint8),
                                                     (_zgb_rates, hexagonal_lattice, 12, np.uint8),
                                                     (_zgb_rates, chain_lattice, 400, np.uint8),
                                                     (_many_rates, hexagonal_lattice, 12, np.uint16)])
def test_rate_class_leaves_follow_the_float_leaf_trajectory(make, lattice, L, dtype):
    """Leaves stored as 1-byte (2-byte past 256 distinct rates) indices into the distinct site rates
    give bitwise the trajectory (and tree) of float64 leaves holding the rates summed over the
    processes, and every class is the direct sum of its site."""
    a, b = make(9, L, lattice), make(9, L, lattice)
    b._rate_classes, b._rate_values = np.zeros(0, np.uint8), np.zeros(0)      # float64 leaves, summed rates
    b.reset(seed=9)
    assert a.leaves.dtype == dtype and b.leaves.dtype == np.float64 and a._rate_values[0] == 0.0
    for until in (1.0, 5.0, 20.0):
        a.run(until=until)
        b.run(until=until)
        np.testing.assert_array_equal(a.occupancy, b.occupancy)
        np.testing.assert_array_equal(a.clock, b.clock)
        np.testing.assert_array_equal(a.tree, b.tree)
        np.testing.assert_array_equal(a._rate_values[a.leaves], b.leaves)
    assert a.events > 500


def test_edge_bits_give_the_neighbour_table():
    """Neighbour k of site i is i + delta[k] except where the edge bit of i is set; the packed bits
    (N not a multiple of 8 included) reproduce the full table on every lattice."""
    from scalebridge.solvers.kmc.engine import _neighbour_offsets
    k = kernels()
    for lat in (square_lattice(5), square_lattice(16), hexagonal_lattice(7), chain_lattice(13)):
        nbr = lat.neighbours
        delta, edge = _neighbour_offsets(nbr)
        assert edge.dtype == np.uint8 and edge.size == -(-lat.n_sites // 8)
        got = [[k.neighbour(i, q, nbr, delta, edge) for q in range(lat.coordination)] for i in range(lat.n_sites)]
        np.testing.assert_array_equal(got, nbr)


def test_poisoned_lattice_stops_without_further_events():
    """An absorbing state (R = 0) ends a run by event count (until = inf) instead of executing
    events drawn from an empty tree; time then advances only up to a finite ``until``."""
    procs = [SiteProcess("CO ads", "*", "CO", 0.5), PairProcess("O2 ads", ("*", "*"), ("O", "O"), 0.5),
             PairProcess("LH", ("CO", "O"), ("*", "*"), 100.0, gas={"CO2": 1})]
    sim = LatticeKMC(square_lattice(3), ["CO", "O"], procs, seed=5)
    sim.run(max_events=100_000)
    assert sim.total_rate == 0.0 and sim.counts[0] == 0 and sim.events < 1000 and np.isfinite(sim.time)
    t, n = sim.time, sim.events
    cov = sim.run(until=t + 2.0)
    assert sim.events == n and sim.time == t + 2.0
    np.testing.assert_allclose(cov, sim.counts * 2.0)


def test_tree_layout_selects_like_a_binary_sum_tree():
    """Every lattice size, float64 and rate-class leaves: the cache-line tree (every third binary
    level stored) picks leaf i for every r in its cumulative bracket, including zero-rate leaves
    next to positive ones, and both leaf kinds give bitwise the same inner levels."""
    from scalebridge.solvers.kmc.engine import _aligned_zeros, _tree_layout
    k = kernels()
    rng = np.random.default_rng(0)
    vals = np.array([0.0, 0.25, 0.7, 1.0, 3.5])
    for n in (1, 3, 4, 5, 8, 9, 63, 64, 65, 100, 513, 4096, 4097):
        M, off, size = _tree_layout(n)
        assert M >= n and size < M // 7 + 24 and np.all(off % 8 == 0) and len(off) == max(0, -(-int(np.log2(M)) // 3) - 1)
        classes = _aligned_zeros(max(M, 8), np.uint8)
        classes[:n] = rng.integers(0, len(vals), n) * (rng.random(n) < 0.7)
        classes[n - 1] = 3
        rates = vals[classes[:n]]
        trees = []
        for leaves in (classes, _aligned_zeros(max(M, 8))):
            if leaves.dtype == np.float64:
                leaves[:n] = rates
            tree = _aligned_zeros(size)
            assert tree.ctypes.data % 64 == 0 and leaves.ctypes.data % 64 == 0
            k.sum_levels(tree, off, leaves, vals)
            np.testing.assert_allclose(tree[0], rates.sum(), rtol=1e-14)
            trees.append(tree)
            edges = np.concatenate([[0.0], np.cumsum(rates)])
            for i in np.flatnonzero(rates):
                for r in (edges[i] + 1e-6 * rates[i], 0.5 * (edges[i] + edges[i + 1])):
                    j, rest = k.tree_find(tree, off, leaves, vals, r)
                    assert j == i and 0 <= rest < rates[i] * (1 + 1e-9)
        np.testing.assert_array_equal(*trees)


def test_bad_input_is_named():
    with pytest.raises(InputError, match="unknown species 'B'"):
        LatticeKMC(square_lattice(4), ["A"], [SiteProcess("x", "*", "B", 1.0)])
    with pytest.raises(InputError, match="rate must be finite"):
        LatticeKMC(square_lattice(4), ["A"], [SiteProcess("x", "*", "A", -1.0)])
    sim = LatticeKMC(square_lattice(4), ["A"], _adsorption(1.0, 1.0))
    with pytest.raises(InputError, match="finite 'until'"):
        sim.run()


def test_block_average_and_mser_on_known_series():
    """White (1997) MSER drops a transient; block error of iid N(0, 1) is 1/sqrt(n) (Flyvbjerg 1989)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=4000)
    x[:300] += np.linspace(5.0, 0.0, 300)
    d = mser_truncation(x)
    assert 150 <= d <= 400
    mean, err = block_average(x[d:], 20)
    assert err == pytest.approx(1 / np.sqrt(x.size - d), rel=0.4)
    assert abs(mean) < 4 * err


def _ising_chain_coverage(activity, beta_eps):
    """Exact coverage of the 1-D lattice gas (NN energy eps, activity z = exp(beta mu)).

    Transfer matrix T = [[1, sqrt z], [sqrt z, z w]], w = exp(-beta eps); theta = z d ln(lambda+)/dz
    with lambda+ = [1 + z w + D]/2, D = sqrt((1 - z w)^2 + 4 z) (Hill 1960, Statistical
    Thermodynamics, sec. 14-3; Baxter 1982, Exactly Solved Models, ch. 2).
    """
    z, w = activity, np.exp(-beta_eps)
    D = np.sqrt((1 - z * w) ** 2 + 4 * z)
    lam = (1 + z * w + D) / 2
    dlam = (w + ((z * w - 1) * w + 2) / D) / 2
    return z * dlam / lam


@pytest.mark.parametrize("beta_eps", [-1.5, 1.0])
def test_detailed_balance_ring_reaches_exact_lattice_gas_coverage(beta_eps):
    """Adsorption (unchanged) + desorption and hops (barrier raised by the NN binding) on a ring:
    the time-averaged coverage equals the exact transfer-matrix result within 4 block errors,
    and differs from the Langmuir isotherm z/(1+z) by far more."""
    k_ads, k_des = 1.0, 1.0            # activity z = k_ads / k_des = 1
    sim = LatticeKMC(chain_lattice(1000), ["A"], _adsorption(k_ads, k_des, hop=1.0),
                     interactions={("A", "A"): beta_eps}, seed=11)
    s = sample_steady_state(sim, interval=10.0, n_intervals=80, n_blocks=10)
    exact = _ising_chain_coverage(k_ads / k_des, beta_eps)
    theta, err = s.coverages["A"], s.coverage_errors["A"]
    print(f"beta_eps={beta_eps}: kMC {theta:.4f} +- {err:.4f}, exact {exact:.4f}")
    assert err < 0.01
    assert abs(theta - exact) < 4 * err
    assert abs(exact - 0.5) > 10 * err


def test_langmuir_isotherm_without_interactions_on_hexagonal_lattice():
    """No interactions: theta = K/(1+K), K = k_ads/k_des (Langmuir 1918), any lattice."""
    sim = LatticeKMC(hexagonal_lattice(32), ["A"], _adsorption(3.0, 1.0), seed=5)
    s = sample_steady_state(sim, interval=2.0, n_intervals=60)
    assert abs(s.coverages["A"] - 0.75) < 4 * s.coverage_errors["A"]
    assert s.coverage_errors["A"] < 0.005


def test_lh_tof_matches_mean_field_without_interactions():
    """A_g + * <-> A*, B_g + * <-> B*, A* + B* -> AB_g + 2* with hops and a slow reaction (the surface
    stays uncorrelated): kMC TOF = mean-field TOF from solvers.microkinetics within 3 block errors
    (mean-field rate equations: Dumesic et al. 1993, ch. 2)."""
    kA, kdA, kB, kdB, kr, hop = 1.0, 1.0, 0.8, 0.5, 0.2, 5.0
    procs = [SiteProcess("A ads", "*", "A", kA), SiteProcess("A des", "A", "*", kdA),
             SiteProcess("B ads", "*", "B", kB), SiteProcess("B des", "B", "*", kdB),
             PairProcess("A hop", ("A", "*"), ("*", "A"), hop), PairProcess("B hop", ("B", "*"), ("*", "B"), hop),
             PairProcess("LH", ("A", "B"), ("*", "*"), kr, gas={"AB": 1})]
    sim = LatticeKMC(square_lattice(48), ["A", "B"], procs, seed=2)
    s = sample_steady_state(sim, interval=5.0, n_intervals=60)
    # species order (*, A, B); steps: A ads/des, B ads/des, LH
    a = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 1]], float)
    b = np.array([[0, 1, 0], [0, 0, 1], [2, 0, 0]], float)
    mf = solve_steady_state(np.array([[kA, kB, kr]]), np.array([[kdA, kdB, 0.0]]), a, b)
    tof_mf = mf.net_rates[0, 2]
    tof, err = s.tof["AB"], s.tof_errors["AB"]
    print(f"TOF kMC {tof:.5f} +- {err:.5f}, mean field {tof_mf:.5f}")
    assert err / tof < 0.03
    assert abs(tof - tof_mf) < 3 * err
    np.testing.assert_allclose([s.coverages["A"], s.coverages["B"]], mf.coverages[0, 1:], atol=0.01)


def test_two_site_types_reach_their_own_langmuir_coverages():
    """Checkerboard of two site types with their own adsorption/desorption constants and no
    interactions: each type follows its own Langmuir isotherm theta_t = K_t/(1 + K_t) (Langmuir 1918;
    sites independent), 0.75 on type 0 (K = 3) and 0.2 on type 1 (K = 1/4), within 4 standard errors
    of 150 samples 2 s apart (>> the relaxation times 1/(k_ads + k_des) <= 0.25 s)."""
    lat = square_lattice(32)
    x, y = np.arange(lat.n_sites) % 32, np.arange(lat.n_sites) // 32
    types = (x + y) % 2
    procs = [SiteProcess("ads 0", "*", "A", 3.0, site_types=(0,)), SiteProcess("des 0", "A", "*", 1.0, site_types=0),
             SiteProcess("ads 1", "*", "A", 1.0, site_types=(1,)), SiteProcess("des 1", "A", "*", 4.0, site_types=1)]
    sim = LatticeKMC(lat, ["A"], procs, site_types=types, seed=4)
    sim.run(until=5.0)
    samples = []
    for _ in range(150):
        sim.run(until=sim.time + 2.0)
        samples.append([np.mean(sim.occupancy[types == t] == 1) for t in (0, 1)])
    samples = np.array(samples)
    mean, err = samples.mean(axis=0), samples.std(axis=0, ddof=1) / np.sqrt(len(samples))
    print("per-type coverage", mean, "+-", err)
    np.testing.assert_array_less(np.abs(mean - [0.75, 0.2]), 4 * err)
    assert np.all(err < 0.005)
    with pytest.raises(InputError, match="site types must be integers"):
        LatticeKMC(lat, ["A"], [SiteProcess("x", "*", "A", 1.0, site_types=(70,))])
    with pytest.raises(InputError, match="site_types: expected"):
        LatticeKMC(lat, ["A"], procs, site_types=types[:10])
