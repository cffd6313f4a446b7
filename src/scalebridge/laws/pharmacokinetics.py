r"""Physiologically based pharmacokinetics: flow-limited organ compartments, dosing, exact propagation.

A minimal whole-body PBPK model (Rowland & Tozer, *Clinical Pharmacokinetics and
Pharmacodynamics*, 4th ed. 2011, ch. 6 and 20; Jones & Rowland-Yeo 2013, CPT
Pharmacometrics Syst. Pharmacol. 2, e63): venous blood -> lung -> arterial blood ->
organs in parallel -> venous blood. Every organ is *flow limited and well stirred*: the
blood leaving it is in equilibrium with the tissue, :math:`C_{out,i} = C_i/K_{p,i}`
(tissue:blood partition coefficient :math:`K_{p,i}`), so with amounts :math:`A` (kg),
volumes :math:`V` (m^3), blood flows :math:`Q` (m^3/s) and :math:`C = A/V`,

.. math::
    \dot A_i &= Q_i\,(C_a - C_i/K_{p,i}) - CL_{int,i}\,C_i/K_{p,i}\ (+k_a F A_g\ \text{liver}),\\
    \dot A_v &= \textstyle\sum_i Q_i C_i/K_{p,i} - Q_{co} C_v + R_{iv}(t),\qquad
    \dot A_{lu} = Q_{co}(C_v - C_{lu}/K_{p,lu}),\qquad \dot A_a = Q_{co}(C_{lu}/K_{p,lu} - C_a),\\
    \dot A_g &= -k_a A_g,\qquad \dot A_{el} = \textstyle\sum_i CL_{int,i}\,C_i/K_{p,i},\qquad
    \dot A_{ua} = k_a (1-F) A_g,

with :math:`Q_{co} = \sum_i Q_i` (cardiac output), a gut depot :math:`A_g` for oral doses
(first-order absorption :math:`k_a`, bioavailability :math:`F` entering the liver), and
two sinks, eliminated and unabsorbed drug, so that the total amount is conserved:
:math:`\sum A = \text{dose given so far}` (the column sums of the rate matrix vanish).
Elimination is the well-stirred liver (and kidney) model of Rowland, Benet & Graham
(1973), J. Pharmacokinet. Biopharm. 1, 123: at steady state the organ clears
:math:`CL_i = Q_i CL_{int,i}/(Q_i + CL_{int,i})` of the arterial concentration, so a
constant infusion :math:`R` reaches :math:`C_{a,ss} = R/\sum_i CL_i`.

The system is linear, :math:`\dot A = M A + b(t)`, with :math:`b` piecewise constant
(infusions) and jumps (boluses); :func:`simulate_linear` propagates it *exactly* between
events with the matrix exponential of the augmented matrix
:math:`\begin{pmatrix} M & b\\ 0 & 0\end{pmatrix}` (Van Loan 1978, IEEE TAC 23, 395;
Moler & Van Loan 2003, SIAM Rev. 45, 3), so mass balance holds to round-off and the
one-compartment model reproduces :math:`C = D/V\,e^{-kt}` to round-off.

The reference human (:data:`REFERENCE_MAN`) is a 70 kg adult male with organ volumes
and blood flows rounded from the reference values of ICRP Publication 89 (Valentin
2002, Ann. ICRP 32) and Brown et al. (1997), Toxicol. Ind. Health 13, 407.

Units: SI throughout (kg, m^3, m^3/s, s); scenario files convert mg, L, L/h, h.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
from scipy.linalg import expm

from ..core.errors import ConvergenceError, InputError

__all__ = ["REFERENCE_MAN", "Physiology", "DrugDisposition", "Dose", "PBPKSystem", "pbpk_system",
           "one_compartment_system", "simulate_linear", "well_stirred_clearance", "steady_state_concentration",
           "LinearPKSolution"]

_L, _H = 1e-3, 3600.0   # m^3 per litre, s per hour

#: Organ volumes (m^3) and blood flows (m^3/s) of a 70 kg reference man, rounded from
#: ICRP 89 (2002) and Brown et al. (1997): cardiac output 6.5 L/min.
REFERENCE_MAN = {
    "body_mass_kg": 70.0,
    "arterial_volume": 1.7 * _L, "venous_volume": 3.9 * _L, "lung_volume": 1.2 * _L,
    "organs": {               # volume, fraction of cardiac output
        "liver": (1.8 * _L, 0.25), "kidney": (0.31 * _L, 0.19), "muscle": (29.0 * _L, 0.17),
        "adipose": (18.0 * _L, 0.05), "rest": (14.0 * _L, 0.34)},
    "cardiac_output": 6.5 * _L / 60.0,
}


@dataclass(frozen=True)
class Physiology:
    """Blood and organ volumes (m^3) and organ blood flows (m^3/s) of one subject."""

    arterial_volume: float
    venous_volume: float
    lung_volume: float
    organ_volumes: Mapping[str, float]
    organ_flows: Mapping[str, float]

    @classmethod
    def reference_man(cls) -> "Physiology":
        """The 70 kg reference man of :data:`REFERENCE_MAN`."""
        r = REFERENCE_MAN
        return cls(r["arterial_volume"], r["venous_volume"], r["lung_volume"],
                   {k: v for k, (v, _) in r["organs"].items()},
                   {k: f * r["cardiac_output"] for k, (_, f) in r["organs"].items()})

    def __post_init__(self):
        if set(self.organ_volumes) != set(self.organ_flows) or not self.organ_volumes:
            raise InputError(f"physiology: organ volumes {sorted(self.organ_volumes)} and flows "
                             f"{sorted(self.organ_flows)} must name the same, non-empty set of organs")
        for name, v in [("arterial_volume", self.arterial_volume), ("venous_volume", self.venous_volume),
                        ("lung_volume", self.lung_volume), *[(f"organ_volumes.{k}", v) for k, v in self.organ_volumes.items()],
                        *[(f"organ_flows.{k}", v) for k, v in self.organ_flows.items()]]:
            if not (np.isfinite(v) and v > 0):
                raise InputError(f"physiology {name}: got {v!r}, expected a positive finite value (SI)")

    @property
    def organs(self) -> list[str]:
        return list(self.organ_volumes)

    @property
    def cardiac_output(self) -> float:
        return float(sum(self.organ_flows.values()))


@dataclass(frozen=True)
class DrugDisposition:
    """Drug-specific PBPK parameters.

    Parameters
    ----------
    partition : mapping organ -> float
        Tissue:blood partition coefficients :math:`K_p` (every organ, and ``lung``).
    intrinsic_clearance : mapping organ -> float
        :math:`CL_{int}` in m^3/s of the eliminating organs (others 0).
    absorption_rate : float
        :math:`k_a` in 1/s (oral doses only).
    bioavailability : float
        Fraction F of an oral dose that reaches the liver, 0 < F <= 1.
    """

    partition: Mapping[str, float]
    intrinsic_clearance: Mapping[str, float] = field(default_factory=dict)
    absorption_rate: float = 1.0 / _H
    bioavailability: float = 1.0

    def check(self, organs: Sequence[str], where: str = "drug") -> None:
        missing = sorted((set(organs) | {"lung"}) - set(self.partition))
        unknown = sorted(set(self.partition) - set(organs) - {"lung"})
        if missing or unknown:
            raise InputError(f"{where}.partition: missing {missing}, unknown {unknown}; give K_p of every organ and lung")
        for k, v in self.partition.items():
            if not (np.isfinite(v) and v > 0):
                raise InputError(f"{where}.partition.{k}: got {v!r}, expected > 0")
        for k, v in self.intrinsic_clearance.items():
            if k not in organs:
                raise InputError(f"{where}.intrinsic_clearance.{k}: not an organ of the model {list(organs)}")
            if not (np.isfinite(v) and v >= 0):
                raise InputError(f"{where}.intrinsic_clearance.{k}: got {v!r}, expected >= 0 m^3/s")
        if not (np.isfinite(self.absorption_rate) and self.absorption_rate > 0):
            raise InputError(f"{where}.absorption_rate: got {self.absorption_rate!r}, expected > 0 1/s")
        if not 0 < self.bioavailability <= 1:
            raise InputError(f"{where}.bioavailability: got {self.bioavailability!r}, expected 0 < F <= 1")


@dataclass(frozen=True)
class Dose:
    """A dosing event, repeated ``count`` times every ``interval`` s from ``start`` s.

    ``route``: ``"iv_bolus"`` (``amount`` kg into venous blood), ``"oral"`` (``amount``
    kg into the gut depot) or ``"infusion"`` (``rate`` kg/s into venous blood for
    ``duration`` s).
    """

    route: str
    start: float = 0.0
    amount: float = 0.0
    rate: float = 0.0
    duration: float = 0.0
    interval: float = 0.0
    count: int = 1

    def __post_init__(self):
        if self.route not in ("iv_bolus", "oral", "infusion"):
            raise InputError(f"dose route: got {self.route!r}, expected 'iv_bolus', 'oral' or 'infusion'")
        if self.count < 1 or (self.count > 1 and not self.interval > 0):
            raise InputError(f"dose ({self.route}): count {self.count} needs count >= 1 and interval > 0 if repeated")
        if self.route == "infusion" and not (self.rate > 0 and self.duration > 0):
            raise InputError(f"dose (infusion): needs rate > 0 and duration > 0, got {self.rate}, {self.duration}")
        if self.route != "infusion" and not self.amount > 0:
            raise InputError(f"dose ({self.route}): needs amount > 0, got {self.amount}")
        if self.route == "infusion" and self.count > 1 and self.duration > self.interval:
            raise InputError("dose (infusion): duration longer than the interval (overlapping infusions)")
        if self.start < 0:
            raise InputError(f"dose ({self.route}): start must be >= 0 s, got {self.start}")

    @property
    def times(self) -> np.ndarray:
        return self.start + self.interval * np.arange(self.count)

    def given_by(self, t: np.ndarray) -> np.ndarray:
        """Cumulative amount (kg) administered by time(s) t (bolus counted at its time)."""
        t = np.asarray(t, dtype=float)[..., None]
        if self.route == "infusion":
            return (self.rate * np.clip(t - self.times, 0.0, self.duration)).sum(-1)
        return (self.amount * (t >= self.times)).sum(-1)


@dataclass(frozen=True)
class PBPKSystem:
    """The linear system :math:`\\dot A = M A + b` of a PBPK (or compartmental) model.

    Attributes
    ----------
    matrix : ndarray (n, n)
        Rate matrix M (1/s); its columns sum to zero (mass conservation).
    names : list of str
        Compartment names (state order).
    volumes : ndarray (n,)
        Volumes (m^3); ``nan`` for the depot and sinks (amounts only).
    iv_index, oral_index : int
        Compartments that receive intravenous and oral doses (oral -1 if none).
    partition : ndarray (n,)
        :math:`K_p` (1 for blood, nan for depot and sinks): ``C/K_p`` is the
        concentration of the blood leaving a tissue.
    """

    matrix: np.ndarray
    names: list
    volumes: np.ndarray
    iv_index: int
    oral_index: int
    partition: np.ndarray

    def index(self, name: str) -> int:
        if name not in self.names:
            raise InputError(f"compartment {name!r}: not one of {self.names}")
        return self.names.index(name)


def pbpk_system(physiology: Physiology, drug: DrugDisposition) -> PBPKSystem:
    """Assemble the rate matrix of the flow-limited PBPK model of the module docstring."""
    organs = physiology.organs
    drug.check(organs)
    names = ["arterial", "venous", "lung", *organs, "gut", "eliminated", "unabsorbed"]
    n = len(names)
    ix = {k: i for i, k in enumerate(names)}
    V = np.full(n, np.nan)
    V[:3] = physiology.arterial_volume, physiology.venous_volume, physiology.lung_volume
    Kp = np.full(n, np.nan)
    Kp[:3] = 1.0, 1.0, drug.partition["lung"]
    M = np.zeros((n, n))
    Qco = physiology.cardiac_output

    def flow(src, dst, k):  # first-order transfer, rate k [1/s] times amount in src
        M[ix[src], ix[src]] -= k
        M[ix[dst], ix[src]] += k

    flow("venous", "lung", Qco / V[ix["venous"]])
    flow("lung", "arterial", Qco / (V[ix["lung"]] * Kp[ix["lung"]]))
    for o in organs:
        V[ix[o]], Kp[ix[o]] = physiology.organ_volumes[o], drug.partition[o]
        Q = physiology.organ_flows[o]
        flow("arterial", o, Q / V[ix["arterial"]])
        flow(o, "venous", Q / (V[ix[o]] * Kp[ix[o]]))
        cl = drug.intrinsic_clearance.get(o, 0.0)
        if cl > 0:
            flow(o, "eliminated", cl / (V[ix[o]] * Kp[ix[o]]))
    ka, F = drug.absorption_rate, drug.bioavailability
    if "liver" in organs:
        flow("gut", "liver", ka * F)
    else:
        flow("gut", "venous", ka * F)
    if F < 1:
        flow("gut", "unabsorbed", ka * (1 - F))
    return PBPKSystem(M, names, V, ix["venous"], ix["gut"], Kp)


def one_compartment_system(volume: float, clearance: float) -> PBPKSystem:
    """One well-stirred compartment with linear elimination: :math:`\\dot A = -(CL/V) A`."""
    if not (volume > 0 and clearance >= 0):
        raise InputError(f"one compartment: need volume > 0 and clearance >= 0, got {volume}, {clearance}")
    k = clearance / volume
    M = np.array([[-k, 0.0], [k, 0.0]])
    return PBPKSystem(M, ["central", "eliminated"], np.array([volume, np.nan]), 0, -1, np.array([1.0, np.nan]))


@dataclass(frozen=True)
class LinearPKSolution:
    """Amounts (kg) at the output times, shape (n_times, n_compartments), and the dose given so far."""

    times: np.ndarray
    amounts: np.ndarray
    dosed: np.ndarray
    system: PBPKSystem

    def concentration(self, name: str) -> np.ndarray:
        """Concentration (kg/m^3) in compartment ``name``."""
        i = self.system.index(name)
        return self.amounts[:, i] / self.system.volumes[i]

    def outflow_concentration(self, name: str) -> np.ndarray:
        """:math:`C/K_p`: the concentration of blood leaving (in equilibrium with) the compartment."""
        i = self.system.index(name)
        return self.concentration(name) / self.system.partition[i]

    @property
    def mass_balance_error(self) -> np.ndarray:
        """:math:`|\\sum A - \\text{dosed}| / \\max(\\text{dosed})` at every output time."""
        return np.abs(self.amounts.sum(axis=1) - self.dosed) / max(float(self.dosed.max()), np.finfo(float).tiny)


def simulate_linear(system: PBPKSystem, doses: Sequence[Dose], times) -> LinearPKSolution:
    r"""Exact solution of :math:`\dot A = M A + b(t)` with boluses and infusions, at ``times`` (s).

    Between consecutive event or output times the infusion input :math:`b` is constant,
    and :math:`(A, 1)` is advanced by :math:`\exp(\Delta t\,[[M, b],[0, 0]])` (Van Loan
    1978). A bolus at time t is added after the state at t is reached, so the output at a
    dose time includes that dose (right-continuous). Propagators are cached by
    :math:`(\Delta t, b)`; a uniform output grid costs a handful of exponentials.
    """
    t = np.asarray(times, dtype=float)
    if t.ndim != 1 or t.size == 0 or not np.all(np.isfinite(t)) or np.any(np.diff(t) < 0) or t[0] < 0:
        raise InputError("times: expected a non-empty, sorted 1-D array of finite times >= 0 s")
    M, n = system.matrix, system.matrix.shape[0]
    if any(d.route == "oral" for d in doses) and system.oral_index < 0:
        raise InputError("doses: an oral dose needs a model with a gut depot")
    boluses = sorted((tt, system.oral_index if d.route == "oral" else system.iv_index, d.amount)
                     for d in doses if d.route != "infusion" for tt in d.times)
    infusions = [(tt, tt + d.duration, d.rate) for d in doses if d.route == "infusion" for tt in d.times]
    edges = {0.0, *(b[0] for b in boluses), *(a for a, _, _ in infusions), *(z for _, z, _ in infusions)}
    grid = np.unique(np.concatenate([t, np.fromiter(edges, float)]))
    cache: dict = {}

    def propagator(dt, rate):
        key = (round(dt, 9), rate)
        if key not in cache:
            big = np.zeros((n + 1, n + 1))
            big[:n, :n] = M * dt
            big[system.iv_index, n] = rate * dt
            cache[key] = expm(big)
        return cache[key]

    x = np.zeros(n + 1)
    x[n] = 1.0
    out = np.empty((t.size, n))
    k, j = 0, 0  # next output, next bolus
    for i, now in enumerate(grid):
        if i:
            rate = sum(r for a, z, r in infusions if a <= grid[i - 1] and grid[i - 1] < z)
            x = propagator(now - grid[i - 1], rate) @ x
        while j < len(boluses) and boluses[j][0] <= now:
            x[boluses[j][1]] += boluses[j][2]
            j += 1
        while k < t.size and t[k] == now:
            out[k] = x[:n]
            k += 1
    if not np.all(np.isfinite(out)):
        raise ConvergenceError("simulate_linear: non-finite amounts (check volumes, flows and clearances)")
    dosed = sum((d.given_by(t) for d in doses), np.zeros_like(t))
    return LinearPKSolution(t, out, dosed, system)


def well_stirred_clearance(flow, intrinsic_clearance):
    r"""Organ clearance of the well-stirred model, :math:`CL = Q\,CL_{int}/(Q + CL_{int})` (m^3/s).

    Rowland, Benet & Graham (1973), J. Pharmacokinet. Biopharm. 1, 123.
    """
    Q, c = np.asarray(flow, dtype=float), np.asarray(intrinsic_clearance, dtype=float)
    return Q * c / (Q + c)


def steady_state_concentration(infusion_rate: float, physiology: Physiology, drug: DrugDisposition) -> float:
    r"""Arterial steady state under a constant IV infusion, :math:`C_{ss} = R / \sum_i CL_i` (kg/m^3)."""
    cl = sum(float(well_stirred_clearance(physiology.organ_flows[o], c)) for o, c in drug.intrinsic_clearance.items())
    if cl <= 0:
        raise InputError("steady_state_concentration: the drug has no clearance (no steady state)")
    return infusion_rate / cl
