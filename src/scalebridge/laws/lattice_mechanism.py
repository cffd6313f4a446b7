r"""One mechanism, two descriptions: a :class:`Mechanism` as lattice kMC processes.

:func:`lattice_mechanism` turns the mechanism of the mean-field model (the same
:class:`~scalebridge.laws.mechanism.Mechanism`, the same rate laws, temperature
and partial pressures) into the processes of :class:`scalebridge.solvers.kmc.LatticeKMC`:

* a direction of a step that involves one site (``CO_g + * -> CO*``,
  ``CO* -> CO_g + *``) becomes a :class:`~scalebridge.solvers.kmc.SiteProcess`;
* a direction on two sites (``O2_g + 2* -> 2O*``, ``2O* -> O2_g + 2*``,
  ``CO* + O* -> CO2_g + 2*``) becomes a :class:`~scalebridge.solvers.kmc.PairProcess`
  on a nearest-neighbour pair; sites are matched in the order the equation writes
  them (``A* + * -> * + A*`` moves A to the second site);
* every gas a direction releases (consumes) is counted in
  ``LatticeKMC.gas_produced`` with + (-) its stoichiometric coefficient, so the
  turnover frequency is the production of the product gas per site and second;
* optional diffusion: every adsorbate X hops, ``(X, *) -> (*, X)``;
* optional site types: ``sites={step: types}`` confines both directions of a step to
  sites of the given integer types (a pair step to ``(types of the first site, types
  of the second site)``), and ``LatticeMechanism.simulation(lattice,
  site_types=...)`` gives every site its type, e.g. :func:`row_site_types` for the
  alternating rows of a stepped or a RuO2(110)-like surface. The same step written
  twice with different rate laws, once per site type, is how terrace and step sites
  differ; that needs the lattice (mean field has one kind of site).

Rate conventions (why mean field and kMC agree on a well-mixed lattice)
------------------------------------------------------------------------
The rate constants are the pressure-folded :math:`k_{\mathrm{eff}}` of
:meth:`Mechanism.rate_constants` (1/s per site), used unchanged. Mean field
writes the rate of step j per site as :math:`r_j = k_j\prod_s\theta_s^{\nu_{sj}}`.
In the engine a one-site process fires on each site holding its initial species
with rate k, giving :math:`k\theta_a` per site. A pair process with rate k fires on
each of the z neighbour pairs (i, n) of a site i holding a with rate k/z when n
holds b; on an uncorrelated lattice that is :math:`k\theta_a\theta_b` per site,
for a = b too (each unordered pair is then visited from both ends: z/2 pairs per
site, each at 2k/z, times :math:`\theta_a^2`). This is the mean-field
:math:`k\theta_a\theta_b` with no symmetry factor, the convention of
:mod:`scalebridge.solvers.microkinetics` (Jansen 2012, sec. 2.3 and 4.5 derives the
same correspondence from the master equation by neglecting pair correlations).

The hop rate :math:`\Gamma` is the total hop rate of an isolated particle (1/s),
:math:`\Gamma/z` per direction, so the tracer diffusion coefficient at zero
coverage is :math:`D_0 = \Gamma a^2/(2d)` (a the site spacing, d = 2).

Lateral interactions
--------------------
Nearest-neighbour pair energies :math:`\varepsilon_{ab}` (J, eV or kJ/mol; < 0
attractive) enter the engine as :math:`\varepsilon_{ab}/k_BT`. A direction whose
initial state holds an adsorbate (desorption, reaction, hop) has its barrier
raised by the lateral binding of its initial particles; a direction starting from
empty sites only (adsorption) keeps its rate. For every reversible step the pair
of rates then obeys detailed balance with the lattice-gas Hamiltonian (see
:mod:`scalebridge.solvers.kmc.engine`).

References
----------
.. [Jansen2012] A. P. J. Jansen, *An Introduction to Kinetic Monte Carlo Simulations
   of Surface Reactions*, Springer (2012).
.. [Reuter2006] K. Reuter, M. Scheffler, "First-principles kinetic Monte Carlo
   simulations for heterogeneous catalysis: application to the CO oxidation at
   RuO2(110)", Phys. Rev. B 73, 045433 (2006).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
from scipy.constants import k as k_B

from ..core.errors import InputError
from ..solvers.kmc import LatticeKMC, PairProcess, SiteProcess
from . import arguments
from .mechanism import FREE_SITE, Mechanism

__all__ = ["LatticeMechanism", "lattice_mechanism", "row_site_types"]


@dataclass(frozen=True)
class LatticeMechanism:
    """A mechanism at one temperature and set of pressures, as lattice kMC processes.

    Attributes
    ----------
    species : list of str
        Adsorbates in the order of ``Mechanism.surface_species`` (without ``"*"``),
        so engine species index s is mechanism surface species s.
    processes : list of SiteProcess / PairProcess
        Rates in 1/s (per site; pair rates as in the module notes).
    interactions : dict
        ``{(a, b): eps / (k_B T)}``.
    temperature : float
        K.
    """

    species: list
    processes: list
    interactions: dict
    temperature: float

    def simulation(self, lattice, *, seed=None, occupancy=None, site_types=None) -> LatticeKMC:
        """A :class:`LatticeKMC` of these processes on ``lattice`` (empty unless ``occupancy``).

        ``site_types``: integer type of every site (default all 0), used by steps given
        ``sites`` in :func:`lattice_mechanism`.
        """
        return LatticeKMC(lattice, self.species, self.processes, interactions=self.interactions, seed=seed,
                          occupancy=occupancy, site_types=site_types)


def row_site_types(lattice_size: int, pattern=(0, 1)) -> np.ndarray:
    """Site types of an L x L square lattice in rows: row y has type ``pattern[y % len(pattern)]``.

    ``row_site_types(L, (0, 1))`` alternates two kinds of rows, like the bridge and
    cus rows of RuO2(110) (Reuter & Scheffler 2006) or terraces and step edges
    (``(0, 0, 0, 1)``: every fourth row a step). Site index is ``x + L y``, as in
    :func:`scalebridge.solvers.kmc.square_lattice`.
    """
    L = int(lattice_size)
    pattern = np.asarray(pattern)
    if L != lattice_size or L < 1 or pattern.ndim != 1 or pattern.size == 0 \
            or not np.issubdtype(pattern.dtype, np.integer) or L % pattern.size:
        raise InputError(f"row_site_types: expected a lattice size L >= 1 and a non-empty integer pattern whose "
                         f"length divides L, got L = {lattice_size!r}, pattern = {pattern.tolist()!r}")
    return np.repeat(np.resize(pattern, L), L).astype(np.int64)


def _sites(terms: Mapping[str, float], where: str) -> list[str]:
    """Surface species of one side, expanded by coefficient, in the order written."""
    out = []
    for sp, nu in terms.items():
        if sp.endswith("_g"):
            continue
        if nu != int(nu):
            raise InputError(f"{where}: non-integer coefficient {nu:g} of {sp!r}; a lattice needs whole sites")
        out += [sp] * int(nu)
    return out


def _hop_rates(hop_rate, adsorbates) -> dict:
    rates = dict(hop_rate) if isinstance(hop_rate, Mapping) else {a: hop_rate for a in adsorbates}
    unknown = set(rates) - set(adsorbates)
    if unknown:
        raise InputError(f"lattice_mechanism hop_rate: unknown adsorbate(s) {sorted(unknown)}; "
                         f"adsorbates are {adsorbates}")
    return {a: float(arguments.positive(r, "1/s", f"hop_rate of {a}", allow_zero=True, kind="rate"))
            for a, r in rates.items()}


def _interactions(interactions, adsorbates, T) -> dict:
    out = {}
    for key, energy in dict(interactions or {}).items():
        if not (isinstance(key, tuple) and len(key) == 2 and all(k in adsorbates for k in key)):
            raise InputError(f"lattice_mechanism interactions: key {key!r} must be a pair of adsorbates of "
                             f"the mechanism, out of {adsorbates}")
        out[key] = float(arguments.energy(energy, f"interaction energy {key}")) / (k_B * T)
    return out


def lattice_mechanism(mechanism: Mechanism, temperature, pressures: Mapping[str, Any], *,
                      hop_rate=0.0, interactions: Mapping[tuple[str, str], Any] | None = None,
                      sites: Mapping[str, Any] | None = None) -> LatticeMechanism:
    r"""The lattice kMC processes of ``mechanism`` at one temperature and set of pressures.

    Parameters
    ----------
    mechanism : Mechanism
        Steps on at most two sites each.
    temperature : float or quantity
        K (scalar).
    pressures : mapping
        Gas -> partial pressure (Pa), every gas of the mechanism.
    hop_rate : float or mapping, optional
        Total hop rate :math:`\Gamma` of an isolated adsorbate (1/s), one value for all or
        ``{adsorbate: rate}``; 0 (default) adds no hops.
    interactions : mapping, optional
        ``{(a, b): energy}``, nearest-neighbour lateral pair energies of adsorbates
        (J, eV or kJ/mol; < 0 attractive).
    sites : mapping, optional
        ``{step name: types}``: the integer site types a one-site step happens on, or
        ``(types of the first site, types of the second site)`` for a pair step, in
        the order the equation writes the sites; steps not named happen everywhere.

    Returns
    -------
    LatticeMechanism

    Raises
    ------
    InputError
        For a step on more than two sites, a non-scalar condition, unknown species or steps.
    """
    T = arguments.temperature(temperature)
    if np.ndim(T) or any(np.ndim(p) for p in pressures.values()):
        raise InputError("lattice_mechanism: temperature and pressures must be scalars (one lattice condition)")
    T = float(T)
    kf, kr = mechanism.rate_constants(T, pressures)
    adsorbates = mechanism.surface_species[1:]
    sites = dict(sites or {})
    unknown = set(sites) - set(mechanism.step_names)
    if unknown:
        raise InputError(f"lattice_mechanism sites: unknown step(s) {sorted(unknown)}; steps are {mechanism.step_names}")
    processes = []
    for j, step in enumerate(mechanism.steps):
        directions = [("forward", step.reactants, step.products, kf[j])]
        if step.reversible:
            directions.append(("reverse", step.products, step.reactants, kr[j]))
        for direction, initial, final, rate in directions:
            where = f"step {step.name!r} {direction}"
            a, c = _sites(initial, where), _sites(final, where)
            gas = {g: final.get(g, 0.0) - initial.get(g, 0.0) for g in mechanism.gases
                   if final.get(g, 0.0) != initial.get(g, 0.0)}
            interacting = any(s != FREE_SITE for s in a)
            name = f"{step.name} {direction}"
            types = sites.get(step.name)
            if len(a) == 1:
                processes.append(SiteProcess(name, a[0], c[0], float(rate), interacting, gas, types))
            elif len(a) == 2:
                processes.append(PairProcess(name, tuple(a), tuple(c), float(rate), interacting, gas, types))
            else:
                raise InputError(f"{where}: {step.equation!r} involves {len(a)} sites; lattice kMC "
                                 "processes act on one site or a nearest-neighbour pair")
    for x, rate in _hop_rates(hop_rate, adsorbates).items():
        if rate > 0:
            processes.append(PairProcess(f"{x} hop", (x, FREE_SITE), (FREE_SITE, x), rate, interacting=True))
    return LatticeMechanism(adsorbates, processes, _interactions(interactions, adsorbates, T), T)
