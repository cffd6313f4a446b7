r"""Build the melt-pond chain: process model -> learned parameterisation -> grid-cell column.

The parameterisation is *learned* offline (hierarchical coupling): the pond process model
is run over a Sobol' design of conditions (air temperature, shortwave, snow depth) and a
Gaussian-process (or polynomial-chaos) surrogate is fitted to its pond fraction and
albedo. ``build`` fits nothing: the surrogate is trained on first use, like a
:class:`~scalebridge.coupling.hierarchical.Tabulated` table is sampled on first use.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ...core.model import Evaluation, Scale
from ...core.optional import require
from ...laws.melt_pond import PondParameters
from ...reduction import Declarations, fit_surrogate
from .models import DAY, Forcing, PondProcessModel, coarse_season
from .scenario import Scenario

__all__ = ["build", "pond_parameters", "process_model", "forcing", "LearnedParameterisation", "GridCell"]


def one_blas_thread():
    """Limit BLAS to one thread (threadpoolctl, installed with scikit-learn): threads only slow small GP matrices."""
    return require("threadpoolctl", extra="surrogates").threadpool_limits(1)


def pond_parameters(s: Scenario) -> PondParameters:
    """The pond parameters of the scenario."""
    p = s.ponds
    return PondParameters(p.relief, p.seepage_velocity, p.retained_fraction, p.patch_depth, p.emissivity,
                          p.sensible_coefficient, p.ocean_heat_flux)


def process_model(s: Scenario) -> PondProcessModel:
    """The pond process model run to relaxation under fixed forcing (the fine model)."""
    return PondProcessModel(pond_parameters(s), s.training.relax_days, pond_size=s.ponds.pond_size)


def forcing(s: Scenario) -> Forcing:
    """Seasonal forcing of the scenario's columns."""
    c = s.columns
    return Forcing(*(np.array([getattr(x, k) for x in c], dtype=float) for k in
                     ("air_temperature_mean", "air_temperature_amplitude", "shortwave_peak", "snow_depth",
                      "ice_thickness")), s.season.days, s.season.solstice_day)


class LearnedParameterisation:
    """The process model replaced by a surrogate fitted over a design of conditions, on first use.

    After :meth:`fit` (called by the first ``evaluate``), :attr:`surrogate` is the fitted
    :class:`~scalebridge.reduction.GaussianProcessSurrogate` (or PCE) and its fidelity
    checks (held-out error, albedo in [0, 1]) are reported by :meth:`fidelity_checks`.
    """

    coupling = "hierarchical"

    def __init__(self, model: PondProcessModel, training, seed: int = 0, name: str = "pond parameterisation"):
        self.model, self.children, self.training, self.seed = model, [model], training, seed
        self.name, self.inputs, self.outputs, self.scale = name, dict(model.inputs), dict(model.outputs), model.scale
        self.surrogate = self.pond_surrogate = None
        self.card = {"role": "surrogate",
                     "physics": "pond fraction and grid-cell albedo of the relaxed pond state vs air temperature, "
                                "shortwave and snow depth, learned from the process model",
                     "assumptions": ["ponds relax fast compared with the season (quasi-steady)",
                                     "conditions inside the training box"],
                     "references": ["Rasmussen & Williams (2006), Gaussian Processes for Machine Learning"]}

    def bounds(self) -> dict[str, tuple[float, float]]:
        t = self.training
        return {"air_temperature": tuple(t.air_temperature), "shortwave": tuple(t.shortwave),
                "snow_depth": tuple(t.snow_depth)}

    def fit(self):
        """Run the design once and fit the surrogates; returns the albedo surrogate.

        The albedo surrogate carries the held-out check (relative error, declared
        tolerance 5 %) and positivity; the pond-fraction surrogate is fitted to the same
        design without a relative held-out check (pond fractions reach zero, where a
        relative error means nothing); its error is the absolute cross-validated one of
        :func:`~.run.run`.
        """
        if self.surrogate is None:
            t = self.training
            options = {"degree": t.degree} if t.surrogate == "pce" else {"n_restarts": t.restarts}
            with one_blas_thread():
                self.surrogate = fit_surrogate(self.model, t.surrogate, self.bounds(), n=t.points, seed=self.seed,
                                               outputs=["albedo"], held_out=t.held_out,
                                               declarations=Declarations(positive=("albedo",), tolerance=0.05),
                                               **options)
                x, y = self.surrogate.training_set
                self.pond_surrogate = type(self.surrogate)(self.model, outputs=["pond_fraction"],
                                                           bounds=self.bounds(), **options)
                self.pond_surrogate.fit(x, {"pond_fraction": self.model.evaluate(x)["pond_fraction"]})
            self.surrogate.name = f"{t.surrogate} albedo parameterisation"
            self.pond_surrogate.name = f"{t.surrogate} pond-fraction parameterisation"
        return self.surrogate

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        surrogate = self.fit()
        with one_blas_thread():
            albedo, pond = surrogate.evaluate(inputs), self.pond_surrogate.evaluate(inputs)
        return Evaluation(outputs={"albedo": albedo["albedo"], "pond_fraction": pond["pond_fraction"]},
                          tangents={**(albedo.tangents or {}), **(pond.tangents or {})})

    def fidelity_checks(self):
        return [] if self.surrogate is None else self.surrogate.fidelity_checks()

    def parameters(self) -> dict[str, Any]:
        t = self.training
        return {"kind": t.surrogate, "points": t.points, "held_out": t.held_out, "fitted": self.surrogate is not None,
                "bounds": {k: list(v) for k, v in self.bounds().items()}}


class GridCell:
    """The coarse grid-cell column: albedo and pond fraction from the parameterisation; seasons by :meth:`season`."""

    card = {"role": "coarse model",
            "physics": "grid-cell column energy balance: Q = (1 - albedo) F_sw + Q_ns melts snow, then ice",
            "assumptions": ["surface at the melting point all season", "no conduction through the (isothermal) ice",
                            "ocean heat flux melts the base"]}

    def __init__(self, parameterisation: LearnedParameterisation, parameters: PondParameters, size: float,
                 days: float, step_days: float, name: str = "grid cell"):
        self.fine, self.children, self.coupling = parameterisation, [parameterisation], parameterisation.coupling
        self.pond_parameters, self.step_days = parameters, step_days
        self.name, self.scale = name, Scale(size, days * DAY, "grid cell (season)")
        self.inputs, self.outputs = dict(parameterisation.inputs), dict(parameterisation.outputs)

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        return self.fine.evaluate(inputs)

    def season(self, f: Forcing):
        """The coarse season of columns with forcing ``f`` (see :func:`~.models.coarse_season`)."""
        return coarse_season(f, self.fine, self.pond_parameters, self.step_days)


def build(s: Scenario) -> GridCell:
    """The grid cell over the (not yet fitted) learned parameterisation of the pond process model."""
    parameterisation = LearnedParameterisation(process_model(s), s.training, s.seed)
    return GridCell(parameterisation, pond_parameters(s), s.grid_cell_size, s.season.days, s.season.coarse_step_days)
