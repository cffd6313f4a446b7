r"""Mean field vs lattice kMC: one mechanism solved both ways over a partial-pressure or temperature sweep.

At every point of the sweep (a partial pressure of one gas, or the temperature) the
mean-field steady state (:class:`~scalebridge.laws.microkinetics.MicrokineticModel`)
and a lattice kMC run of the same mechanism
(:func:`~scalebridge.laws.lattice_mechanism.lattice_mechanism`: same rate laws, plus
hops and lateral interactions) give the turnover frequency and coverages. In a
temperature sweep every rate constant follows its own law (Arrhenius, TST, collision
theory) and the lateral interactions :math:`\varepsilon/k_BT` weaken as T rises; the hop
rate stays the given one. The two *disagree* at a point when

.. math:: |\mathrm{TOF}_\mathrm{kMC} - \mathrm{TOF}_\mathrm{MF}| > n_\sigma\,\sigma_\mathrm{kMC}
          \quad\text{and}\quad
          |\mathrm{TOF}_\mathrm{kMC} - \mathrm{TOF}_\mathrm{MF}| > r\,\mathrm{TOF}_\mathrm{MF},

with :math:`\sigma_\mathrm{kMC}` the block-averaged standard error (the difference is
statistically significant) and r = :data:`RELATIVE_TOLERANCE` (and larger than the
finite-lattice, finite-diffusion bias of a well-mixed run, about 4 % at Da = 0.1).

The validity advisor (:func:`scalebridge.core.checks.check_mean_field_validity`) needs no
solve: :func:`mean_field_validity_inputs` reads the scenario's largest
:math:`|\varepsilon|/k_BT` and :math:`\mathrm{Da} = k_\mathrm{LH}/\Gamma` (largest rate
constant of a step between two adsorbates over the hop rate).

References
----------
Evans (1991), Langmuir 7, 2514 (diffusion-limited vs well-mixed surface reactions);
Zhdanov & Kasemo (1994), Surf. Sci. Rep. 20, 111 (kMC of catalytic reactions, lateral
interactions); Temel et al. (2007), J. Chem. Phys. 126, 204711 (kMC vs mean field
for CO oxidation).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
from scipy.constants import k as k_B

from ...core.checkpoint import atomic_write
from ...core.errors import InputError
from ...laws.lattice_mechanism import lattice_mechanism
from ...laws.mechanism import Mechanism
from ...laws.microkinetics import MicrokineticModel
from ...solvers.kmc import sample_steady_state_events, square_lattice
from .scenario import Scenario

__all__ = ["MeanFieldKMCComparison", "compare_mean_field_and_kmc", "kmc_study", "mean_field_validity_inputs",
           "RELATIVE_TOLERANCE", "TEMPERATURE"]

#: Relative TOF difference below which mean field and kMC are called in agreement.
RELATIVE_TOLERANCE = 0.05
#: Name of the temperature as swept parameter (any other name is a gas).
TEMPERATURE = "temperature"


@dataclass(frozen=True)
class MeanFieldKMCComparison:
    """TOF and coverages of both methods along a partial-pressure or temperature sweep.

    Attributes
    ----------
    parameter : str
        ``"temperature"`` or the swept gas; ``values`` its values (K or Pa, see ``unit``).
    tof_mean_field, tof_kmc, tof_kmc_error : ndarray
        Turnover frequency of the product (1/s per site) and the kMC standard error.
    coverages_mean_field, coverages_kmc, coverage_errors_kmc : dict[str, ndarray]
        Per surface species (``"*"`` included).
    disagree : ndarray of bool
        Where the two differ beyond ``n_sigma`` standard errors and the relative tolerance.
    snapshots : list of ndarray
        Final kMC lattice at every point.
    """

    parameter: str
    values: np.ndarray
    tof_mean_field: np.ndarray
    tof_kmc: np.ndarray
    tof_kmc_error: np.ndarray
    coverages_mean_field: dict
    coverages_kmc: dict
    coverage_errors_kmc: dict
    disagree: np.ndarray
    snapshots: list

    @property
    def unit(self) -> str:
        """Unit of ``values``: ``"K"`` or ``"Pa"``."""
        return "K" if self.parameter == TEMPERATURE else "Pa"

    @property
    def label(self) -> str:
        """Axis label of the swept parameter."""
        return "temperature [K]" if self.parameter == TEMPERATURE else f"partial pressure of {self.parameter} [Pa]"


def compare_mean_field_and_kmc(mechanism: Mechanism, product: str, temperature: float, pressures: dict,
                               parameter: str, values, *, lattice_size: int, hop_rate: float, interactions=None,
                               events: int = 1_000_000, seed=0, n_sigma: float = 3.0,
                               progress: Callable[[int, int], None] | None = None, checkpoint=None,
                               checkpoint_every_events: int | None = None) -> MeanFieldKMCComparison:
    """Solve ``mechanism`` by mean field and by kMC at every value of the swept ``parameter``.

    Parameters
    ----------
    mechanism : Mechanism
    product : str
        Gas whose production is the TOF.
    temperature : float
        K; replaced by each of ``values`` when ``parameter`` is ``"temperature"``.
    pressures : dict
        Gas -> Pa; a swept gas is replaced by each of ``values``.
    parameter : str
        ``"temperature"`` (:data:`TEMPERATURE`) or a gas of the mechanism.
    values : array_like
        The sweep, K or Pa.
    lattice_size : int
        L of the periodic L x L square lattice.
    hop_rate : float
        Total hop rate of an isolated adsorbate (1/s).
    interactions : mapping, optional
        ``{(a, b): energy}`` (J, eV or kJ/mol), see :func:`lattice_mechanism`.
    events : int
        kMC events per point (a fifth warm-up).
    seed : int
        Each point runs on its own stream spawned from ``seed``.
    n_sigma : float
    progress : callable, optional
        ``progress(done, total)`` after every point.
    checkpoint : path, optional
        Directory for checkpoints; a study killed and called again with the same
        directory continues where it stopped and gives bitwise the same result.
        ``kmc_study.npz`` holds the finished points (``tof``, ``tof_error``,
        ``coverages``, ``coverage_errors``, ``snapshots`` and ``params``, the JSON of
        the arguments, which must match), written after every point;
        ``kmc_point_<k>.npz`` the running point, a checkpoint of
        :func:`~scalebridge.solvers.kmc.sample_steady_state_events`, written every
        ``checkpoint_every_events`` events and removed when the point is done.
    checkpoint_every_events : int, optional
        Events between checkpoints within a point (default
        :data:`~scalebridge.solvers.kmc.sampling.DEFAULT_CHECKPOINT_EVENTS`).
    """
    values = np.asarray(values, dtype=float)
    if parameter != TEMPERATURE and parameter not in mechanism.gases:
        raise InputError(f"compare_mean_field_and_kmc parameter: expected {TEMPERATURE!r} or a gas of the mechanism "
                         f"{mechanism.gases}, got {parameter!r}")
    if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values) & (values > 0)):
        raise InputError(f"compare_mean_field_and_kmc values: expected a 1-D array of positive finite {parameter} "
                         f"values, got {values!r}")
    if parameter == TEMPERATURE:
        conditions = [(float(v), dict(pressures)) for v in values]
        mf = MicrokineticModel(mechanism).steady_state(values, {g: np.full_like(values, p)
                                                               for g, p in pressures.items()})
    else:
        conditions = [(temperature, {**pressures, parameter: float(v)}) for v in values]
        mf = MicrokineticModel(mechanism).steady_state(temperature, {**pressures, parameter: values})
    species = mechanism.surface_species
    lattice = square_lattice(lattice_size)
    study = _StudyCheckpoint(checkpoint, {
        "mechanism": [mechanism.step_names, np.ravel(mechanism.rate_constants(temperature, dict(pressures))).tolist()],
        "product": product, "temperature": float(temperature), "pressures": {g: float(p) for g, p in pressures.items()},
        "parameter": parameter, "values": values.tolist(), "lattice_size": int(lattice_size),
        "hop_rate": repr(hop_rate), "interactions": repr(sorted((tuple(k), str(v)) for k, v in
                                                                 (interactions or {}).items())),
        "events": int(events), "seed": repr(seed)})
    tof, err, cov, cov_err, snaps = study.load()
    streams = np.random.SeedSequence(seed).spawn(len(values))
    for k in range(len(tof), len(values)):
        T, cond = conditions[k]
        sim = lattice_mechanism(mechanism, T, cond, hop_rate=hop_rate,
                                interactions=interactions).simulation(lattice, seed=np.random.default_rng(streams[k]))
        s = sample_steady_state_events(sim, int(events), checkpoint=study.point(k),
                                       checkpoint_every=checkpoint_every_events)
        tof.append(s.tof.get(product, 0.0))
        err.append(s.tof_errors.get(product, 0.0))
        cov.append([s.coverages[sp] for sp in species])
        cov_err.append([s.coverage_errors[sp] for sp in species])
        snaps.append(sim.snapshot())
        study.save(tof, err, cov, cov_err, snaps, finished=k)
        if progress is not None:
            progress(k + 1, len(values))
    tof, err, cov, cov_err = map(np.asarray, (tof, err, cov, cov_err))
    tof_mf = np.asarray(mf.turnover_frequency(product))
    diff = np.abs(tof - tof_mf)
    disagree = (diff > n_sigma * err) & (diff > RELATIVE_TOLERANCE * np.abs(tof_mf))
    return MeanFieldKMCComparison(parameter, values, tof_mf, tof, err,
                                  {sp: np.asarray(mf.coverages[sp]) for sp in species},
                                  {sp: cov[:, i] for i, sp in enumerate(species)},
                                  {sp: cov_err[:, i] for i, sp in enumerate(species)}, disagree, snaps)


class _StudyCheckpoint:
    """The finished points of a study (``kmc_study.npz``) and the files of the running ones (see
    :func:`compare_mean_field_and_kmc`)."""

    def __init__(self, directory, params: dict):
        self.directory = None if directory is None else Path(directory)
        self.params = json.dumps(params, sort_keys=True)

    @property
    def path(self) -> Path:
        return self.directory / "kmc_study.npz"

    def point(self, k: int) -> Path | None:
        return None if self.directory is None else self.directory / f"kmc_point_{k}.npz"

    def load(self) -> tuple[list, list, list, list, list]:
        if self.directory is None or not self.path.exists():
            return [], [], [], [], []
        with np.load(self.path) as data:
            if str(data["params"]) != self.params:
                raise InputError(f"kMC study checkpoint {self.path} was written for other arguments; remove it or "
                                 f"use another directory (saved: {data['params']}, now: {self.params})")
            return tuple(list(data[key]) for key in ("tof", "tof_error", "coverages", "coverage_errors", "snapshots"))

    def save(self, tof, err, cov, cov_err, snaps, finished: int) -> None:
        if self.directory is None:
            return
        arrays = dict(tof=np.array(tof), tof_error=np.array(err), coverages=np.array(cov),
                      coverage_errors=np.array(cov_err), snapshots=np.array(snaps), params=np.array(self.params))
        atomic_write(self.path, lambda f: np.savez(f, **arrays))
        self.point(finished).unlink(missing_ok=True)


def _interactions(scenario: Scenario) -> dict:
    return {tuple(i.species): i.energy for i in scenario.kmc.interactions}


def kmc_study(scenario: Scenario, progress: Callable[[int, int], None] | None = None,
              checkpoint=None) -> MeanFieldKMCComparison:
    """The scenario's ``kmc`` block: mean field vs kMC around the operating temperature and feed.

    A pressure sweep is geometric (at the operating temperature), a temperature sweep
    linear (at the feed pressures). ``checkpoint``: a directory to checkpoint into
    and resume from, every ``kmc.checkpoint_every_events`` events (see
    :func:`compare_mean_field_and_kmc`).
    """
    k, c = scenario.kmc, scenario.conditions
    grid = np.linspace if k.sweep.parameter == TEMPERATURE else np.geomspace
    return compare_mean_field_and_kmc(Mechanism.from_dict(scenario.mechanism), scenario.product, c.temperature,
                                      dict(c.pressures), k.sweep.parameter,
                                      grid(k.sweep.start, k.sweep.stop, k.sweep.points), lattice_size=k.lattice_size,
                                      hop_rate=k.hop_rate, interactions=_interactions(scenario), events=k.events,
                                      seed=k.seed, n_sigma=k.n_sigma, progress=progress, checkpoint=checkpoint,
                                      checkpoint_every_events=k.checkpoint_every_events)


def mean_field_validity_inputs(scenario: Scenario, mechanism: Mechanism) -> dict:
    r"""Arguments of :func:`~scalebridge.core.checks.check_mean_field_validity` for a scenario with a ``kmc`` block.

    ``interaction_energy_kT``: the largest :math:`|\varepsilon_{ab}|/k_BT` at the operating
    temperature (0 without interactions); ``reaction_rate``: the largest forward or reverse
    rate constant (1/s) of a step with two adsorbates on one side (Langmuir–Hinshelwood);
    ``diffusion_rate``: the hop rate. Rate constants only: no steady state is solved.
    """
    T = scenario.conditions.temperature
    eps = max((abs(i.energy) for i in scenario.kmc.interactions), default=0.0) / (k_B * T)
    kf, kr = mechanism.rate_constants(T, dict(scenario.conditions.pressures))
    adsorbates = set(mechanism.surface_species[1:])
    pairs = [max(kf[j] * (sum(v for s, v in step.reactants.items() if s in adsorbates) >= 2),
                 kr[j] * (sum(v for s, v in step.products.items() if s in adsorbates) >= 2))
             for j, step in enumerate(mechanism.steps)]
    return {"interaction_energy_kT": float(eps), "reaction_rate": float(max(pairs, default=0.0)),
            "diffusion_rate": float(scenario.kmc.hop_rate)}
