r"""Mean-field microkinetic models: the steady state of a mechanism and its derivatives.

A :class:`MicrokineticModel` of a :class:`~scalebridge.laws.mechanism.Mechanism`
turns batches of temperatures and pressures into steady-state coverages, turnover
frequencies (1/s per site), apparent activation energies
:math:`E_\mathrm{app} = k_B T^2\,\partial\ln \mathrm{TOF}/\partial T`,
reaction orders :math:`\partial\ln \mathrm{TOF}/\partial\ln p_g` and Campbell's
degrees of rate control :math:`X_j = \partial\ln\mathrm{TOF}/\partial\ln k_j` at
constant :math:`K_j`; all derivatives are central differences whose perturbed
conditions are stacked into one batched steady-state solve.

References
----------
.. [Dumesic1993] J. A. Dumesic, D. F. Rudd, L. M. Aparicio, J. E. Rekoske,
   A. A. Treviño, *The Microkinetics of Heterogeneous Catalysis*, ACS (1993).
.. [Campbell2001] C. T. Campbell, "Finding the rate-determining step in a
   mechanism", J. Catal. 204, 520 (2001).
.. [Stegelmann2009] C. Stegelmann, A. Andreasen, C. T. Campbell, "Degree of rate
   control: how much the energies of intermediates and transition states control
   rates", J. Am. Chem. Soc. 131, 8077 (2009).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.constants import k as k_B, e as _eV

from ..core.errors import InputError
from ..solvers.microkinetics import SteadyStateResult
from . import arguments
from .mechanism import Mechanism

__all__ = ["MicrokineticModel", "MicrokineticState", "ApparentActivationEnergy"]


@dataclass(frozen=True)
class MicrokineticState:
    """Steady state of a batch of conditions (arrays of the broadcast condition shape).

    Attributes
    ----------
    temperature : ndarray
        K.
    pressures : dict[str, ndarray]
        Pa, per gas.
    coverages : dict[str, ndarray]
        Fractional coverage per surface species, free site ``"*"`` included.
    net_rates : dict[str, ndarray]
        Net rate per step, 1/s per site.
    production_rates : dict[str, ndarray]
        Net production of every gas, 1/s per site (negative: consumed).
    result : SteadyStateResult
        The flat solver result (residuals, convergence flags, iterations).
    """

    temperature: np.ndarray
    pressures: dict
    coverages: dict
    net_rates: dict
    production_rates: dict
    result: SteadyStateResult

    def turnover_frequency(self, product: str) -> np.ndarray:
        """Production rate of gas ``product`` (``"CO2_g"`` or ``"CO2"``), 1/s per site."""
        return self.production_rates[_gas_name(product, list(self.production_rates))]


@dataclass(frozen=True)
class ApparentActivationEnergy:
    """E_app = k_B T^2 d ln TOF / dT, in J per particle (``joule``) and eV (``electronvolt``)."""

    joule: np.ndarray
    electronvolt: np.ndarray


def _gas_name(product: str, gases) -> str:
    for name in (product, f"{product}_g"):
        if name in gases:
            return name
    raise InputError(f"product: unknown species {product!r}; gases of the mechanism are {list(gases)}")


class MicrokineticModel:
    """Steady-state mean-field microkinetics of a :class:`Mechanism` for batches of conditions.

    Parameters
    ----------
    mechanism : Mechanism
    **solver_options
        Passed to :func:`scalebridge.solvers.microkinetics.solve_steady_state`
        (``method``, ``t_max``, ``newton_tol``, ...).

    Notes
    -----
    Conditions are ``temperature`` (K) and ``pressures`` (gas -> Pa), broadcast
    together to one shape; every result has that shape. Derivatives use central
    differences with relative step ``step`` (default 1e-4: truncation error
    ~step^2, rounding ~1e-14/step), solved as one stacked batch started from the unperturbed steady
    state, so every perturbed condition stays on the same branch of a multistable
    network.
    """

    def __init__(self, mechanism: Mechanism, **solver_options):
        self.mechanism, self.solver_options = mechanism, solver_options
        self._gas_stoich = mechanism.gas_product_orders - mechanism.gas_reactant_orders

    def _conditions(self, temperature, pressures):
        T = np.asarray(arguments.temperature(temperature), dtype=float)
        P, shape = self.mechanism.pressure_array(pressures, T.shape)
        return shape, np.broadcast_to(T, shape).ravel(), P.reshape(-1, len(self.mechanism.gases))

    def _solve(self, T, P, scaling=None, initial=None) -> SteadyStateResult:
        mech = self.mechanism
        kf, kr = mech.rate_constants(T, dict(zip(mech.gases, P.T)))
        if scaling is not None:
            kf, kr = kf * scaling, kr * scaling
        return mech.network.steady_state(kf, kr, initial, **self.solver_options)

    def steady_state(self, temperature, pressures, *, initial_coverages=None) -> MicrokineticState:
        """Steady-state coverages and rates; see :class:`MicrokineticState`.

        ``initial_coverages`` (mapping species -> coverage, default clean surface)
        selects the branch of a multistable network.
        """
        shape, T, P = self._conditions(temperature, pressures)
        theta0 = None
        if initial_coverages is not None:
            unknown = set(initial_coverages) - set(self.mechanism.surface_species)
            if unknown:
                raise InputError(f"initial_coverages: unknown species {sorted(unknown)}")
            theta0 = np.zeros((T.size, len(self.mechanism.surface_species)))
            for i, sp in enumerate(self.mechanism.surface_species):
                theta0[:, i] = np.broadcast_to(np.asarray(initial_coverages.get(sp, 0.0), float), shape).ravel()
        res = self._solve(T, P, initial=theta0)
        prod = res.net_rates @ self._gas_stoich
        cols = lambda a, names: {n: a[:, i].reshape(shape) for i, n in enumerate(names)}  # noqa: E731
        return MicrokineticState(T.reshape(shape), cols(P, self.mechanism.gases),
                                 cols(res.coverages, self.mechanism.surface_species),
                                 cols(res.net_rates, self.mechanism.step_names),
                                 cols(prod, self.mechanism.gases), res)

    def turnover_frequency(self, product: str, temperature, pressures) -> np.ndarray:
        """Turnover frequency (net production rate) of gas ``product``, 1/s per site."""
        return self.steady_state(temperature, pressures).turnover_frequency(product)

    def _log_tof_slopes(self, product, temperature, pressures, perturb, step):
        """Central differences of ln TOF for K perturbations, stacked in one solve.

        ``perturb(T, P, h)`` yields K triples (T', P', scaling') for signed step h.
        Returns (shape, T, P, slopes (K, B) = [ln TOF(+h) - ln TOF(-h)] / 2h).
        """
        shape, T, P = self._conditions(temperature, pressures)
        g = self.mechanism.gases.index(_gas_name(product, self.mechanism.gases))
        base = self._solve(T, P)
        stacks = [list(perturb(T, P, h)) for h in (step, -step)]
        n_k, n_b = len(stacks[0]), T.size
        Ts = np.concatenate([t for st in stacks for t, _, _ in st])
        Ps = np.concatenate([p for st in stacks for _, p, _ in st])
        Ss = np.concatenate([s for st in stacks for _, _, s in st])
        res = self._solve(Ts, Ps, Ss, np.tile(base.coverages, (2 * n_k, 1)))
        tof = (res.net_rates @ self._gas_stoich[:, g]).reshape(2, n_k, n_b)
        tof0 = base.net_rates @ self._gas_stoich[:, g]
        bad = np.flatnonzero(~(tof0 > 0) | ~np.all(tof > 0, axis=(0, 1)))
        if bad.size:
            raise InputError(f"turnover frequency of {product!r} is not positive at condition {bad[0]} "
                             f"({tof0[bad[0]]:.3e} 1/s); its logarithmic derivatives are undefined")
        return shape, T, P, (np.log(tof[0]) - np.log(tof[1])) / (2.0 * step)

    def apparent_activation_energy(self, product: str, temperature, pressures, *,
                                   step: float = 1e-4) -> ApparentActivationEnergy:
        r"""Apparent activation energy :math:`E_\mathrm{app} = k_B T^2\,\partial \ln\mathrm{TOF}/\partial T`
        at constant pressures, by central differences :math:`T(1 \pm h)`."""
        ones = lambda T: np.ones((T.size, len(self.mechanism.steps)))  # noqa: E731
        shape, T, _, slope = self._log_tof_slopes(
            product, temperature, pressures, lambda T, P, h: [(T * (1 + h), P, ones(T))], step)
        e = (k_B * T * slope[0]).reshape(shape)
        return ApparentActivationEnergy(e, e / _eV)

    def reaction_orders(self, product: str, temperature, pressures, *, step: float = 1e-4) -> dict:
        r"""Reaction orders :math:`n_g = \partial \ln \mathrm{TOF}/\partial \ln p_g` for every gas."""
        n_g = len(self.mechanism.gases)
        ones = lambda T: np.ones((T.size, len(self.mechanism.steps)))  # noqa: E731
        shape, *_, slope = self._log_tof_slopes(
            product, temperature, pressures,
            lambda T, P, h: [(T, P * np.exp(h * np.eye(n_g)[i]), ones(T)) for i in range(n_g)], step)
        return {g: slope[i].reshape(shape) for i, g in enumerate(self.mechanism.gases)}

    def degree_of_rate_control(self, product: str, temperature, pressures, *, step: float = 1e-4) -> dict:
        r"""Campbell's degrees of rate control :math:`X_j = (\partial\ln\mathrm{TOF}/\partial\ln k_j)_{K_j, k_{i\ne j}}`.

        :math:`k^f_j` and :math:`k^r_j` are scaled together, so :math:`K_j` is
        constant [Campbell2001]_, [Stegelmann2009]_. For a network with a single
        overall reaction, :math:`\sum_j X_j = 1` (scaling every k rescales time).
        """
        n_s = len(self.mechanism.steps)
        shape, *_, slope = self._log_tof_slopes(
            product, temperature, pressures,
            lambda T, P, h: [(T, P, np.broadcast_to(np.exp(h * np.eye(n_s)[j]), (T.size, n_s)))
                             for j in range(n_s)], step)
        return {s: slope[j].reshape(shape) for j, s in enumerate(self.mechanism.step_names)}
