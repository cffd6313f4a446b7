"""Hierarchical coupling: sample a fine model once, offline; answer from the table.

:class:`Tabulated` evaluates a model on a grid of one input (the others held fixed)
in one batched call (on first use), and becomes a ``Model`` of that input that interpolates with a
cubic spline (optionally in logarithmic axes, for quantities spanning decades such
as pressures and turnover frequencies) and returns the spline derivative as its
tangent. Requests outside the tabulated range are errors, never extrapolations.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
from scipy.interpolate import CubicSpline

from ..core.errors import InputError
from ..core.model import Evaluation, Model, Port, prepare_inputs

__all__ = ["Tabulated"]


class Tabulated:
    r"""A model replaced by a cubic-spline table over one of its inputs.

    Parameters
    ----------
    model : Model
        The fine model, evaluated once on the whole grid as one batch.
    input : str
        The tabulated input port.
    grid : array_like
        Strictly increasing grid values (SI) of that input.
    fixed : mapping, optional
        Values of the model's other inputs (quantities or SI numbers).
    outputs : sequence of str, optional
        Outputs to tabulate (default: all scalar outputs).
    log_input, log_outputs : bool
        Interpolate in :math:`\ln x` and/or :math:`\ln y` (needs positive values).
        With both, the spline is in log-log axes and the tangent is
        :math:`dy/dx = (y/x)\,d\ln y/d\ln x`.
    name : str, optional

    Notes
    -----
    The fine model is sampled on first use (or when :attr:`table` is read), so a
    model tree containing tables can be built, checked and described for free.
    """

    coupling = "hierarchical"
    card = {
        "role": "strategy",
        "physics": "the fine model sampled once on a grid and interpolated by a cubic spline (optionally in "
                   "log axes); tangents from the spline's derivative",
        "assumptions": ["the response is smooth in the tabulated input between grid points",
                        "queries stay inside the grid (outside raises InputError)"],
        "references": ["C. de Boor (1978), A Practical Guide to Splines"],
        "validation": [{"test": "tests/coupling/test_hierarchical.py",
                        "reference": "direct evaluation of the fine model between nodes", "status": "passing"}],
    }

    def __init__(self, model: Model, input: str, grid, fixed: Mapping[str, Any] | None = None,
                 outputs=None, log_input: bool = False, log_outputs: bool = False, name: str | None = None):
        grid = np.asarray(grid, dtype=float)
        if input not in model.inputs:
            raise InputError(f"Tabulated: model {model.name!r} has no input {input!r}; "
                             f"it takes {sorted(model.inputs)}")
        if grid.ndim != 1 or grid.size < 4 or np.any(np.diff(grid) <= 0):
            raise InputError(f"Tabulated {input!r}: grid must be 1-D, strictly increasing, >= 4 points")
        names = list(outputs) if outputs is not None else [k for k, p in model.outputs.items() if p.shape == ()]
        bad = [k for k in names if k not in model.outputs or model.outputs[k].shape != ()]
        if bad:
            raise InputError(f"Tabulated: {bad} are not scalar outputs of model {model.name!r}")
        if log_input and grid[0] <= 0:
            raise InputError(f"Tabulated {input!r}: log_input needs a positive grid")
        self.model, self.input = model, input
        self.name = name or f"table({model.name})"
        self.inputs = {input: model.inputs[input]}
        self.outputs: dict[str, Port] = {k: model.outputs[k] for k in names}
        self.scale = model.scale
        self.children = [model]
        self.log_input, self.log_outputs = log_input, log_outputs
        self._grid, self._fixed, self._names = grid, dict(fixed or {}), names
        self._splines: dict[str, CubicSpline] | None = None
        self.range = (grid[0], grid[-1])

    @property
    def table(self) -> dict[str, np.ndarray]:
        """The sampled values (grid under ``input``); sampled on first use."""
        if self._splines is None:
            self._sample()
        return self._table

    def _sample(self) -> None:
        model, names, grid = self.model, self._names, self._grid
        values = {**self._fixed, self.input: grid}
        sampled = model.evaluate(prepare_inputs(model, values, batch=grid.size))
        table = {self.input: grid, **{k: np.asarray(sampled[k], dtype=float) for k in names}}
        if self.log_outputs:
            nonpositive = [k for k in names if np.any(table[k] <= 0)]
            if nonpositive:
                raise InputError(f"{self.name}: log_outputs needs positive values, {nonpositive} are not "
                                 f"(min {min(table[k].min() for k in nonpositive):.3g})")
        x = np.log(grid) if self.log_input else grid
        self._table = table
        self._splines = {k: CubicSpline(x, np.log(table[k]) if self.log_outputs else table[k]) for k in names}

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        x = np.asarray(inputs[self.input], dtype=float)
        lo, hi = self.range
        outside = (x < lo * (1 - 1e-12)) | (x > hi * (1 + 1e-12))
        if np.any(outside):
            raise InputError(f"{self.name}: {self.input}={x[outside][0]:.6g} is outside the tabulated "
                             f"range [{lo:.6g}, {hi:.6g}]; widen the grid")
        x = np.clip(x, lo, hi)
        u = np.log(x) if self.log_input else x
        if self._splines is None:
            self._sample()
        outputs, tangents = {}, {}
        for k, spline in self._splines.items():
            s, ds = spline(u), spline(u, 1)
            y = np.exp(s) if self.log_outputs else s
            dy_du = y * ds if self.log_outputs else ds
            outputs[k] = y
            tangents[(k, self.input)] = dy_du / x if self.log_input else dy_du
        return Evaluation(outputs=outputs, tangents=tangents)

    def parameters(self) -> dict[str, Any]:
        """Grid size and range, for :func:`scalebridge.core.describe.describe`."""
        return {"input": self.input, "points": int(self.table[self.input].size),
                "range": [float(self.range[0]), float(self.range[1])],
                "log_input": self.log_input, "log_outputs": self.log_outputs}
