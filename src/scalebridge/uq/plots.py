"""Figures of uncertainty studies: output distributions, p-boxes, Sobol' bar charts.

Each function draws on ``ax`` if given, else on a new :class:`matplotlib.figure.Figure`
(no pyplot state, safe with the Agg backend), and returns the Figure. Values are
shown in the output port's unit.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from scipy.stats import gaussian_kde

from ..core.units import Quantity
from .pbox import PBox
from .propagation import Propagation
from .sensitivity import SobolIndices

__all__ = ["plot_distribution", "plot_pbox", "plot_sobol"]


def _axes(ax, size=(5.0, 3.6)):
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _display(values, unit: str):
    """SI values in ``unit`` (the port's display unit) and the axis label suffix."""
    if not unit:
        return np.asarray(values), ""
    q = Quantity(np.asarray(values, dtype=float), Quantity(1.0, unit).to_base_units().units).to(unit)
    return q.magnitude, f" [{unit}]"


def plot_distribution(samples, output: str | None = None, unit: str = "", ax=None, bins: int = 40):
    """Histogram and Gaussian kernel density estimate (Scott's bandwidth) of output samples.

    Parameters
    ----------
    samples : Propagation or array_like
        A MC/QMC :class:`~scalebridge.uq.propagation.Propagation` (then ``output``
        names a scalar output) or plain SI samples.
    output : str, optional
    unit : str
        Display unit of plain samples.
    """
    if isinstance(samples, Propagation):
        values = samples.outputs[output]
    else:
        values = np.asarray(samples, dtype=float)
    y, suffix = _display(values.ravel(), unit)
    fig, ax = _axes(ax)
    ax.hist(y, bins=bins, density=True, alpha=0.4, color="tab:blue", label="samples")
    grid = np.linspace(y.min(), y.max(), 300)
    if np.ptp(y) > 0:
        ax.plot(grid, gaussian_kde(y)(grid), color="tab:blue", label="kernel density")
    ax.set_xlabel(f"{output or 'output'}{suffix}")
    ax.set_ylabel("probability density")
    ax.legend(frameon=False)
    return fig


def plot_pbox(pbox: PBox, ax=None, confidence: float | None = None, show_cdfs: bool = True, analytic=None):
    """The p-box: lower and upper CDF envelopes, shaded, with the CDF of every epistemic point.

    Parameters
    ----------
    pbox : PBox
    confidence : float, optional
        Also draw the DKW-widened envelopes (dashed).
    show_cdfs : bool
        Draw each epistemic point's empirical CDF (thin grey lines).
    analytic : callable, optional
        ``analytic(y) -> (lower, upper)`` exact envelopes at SI values, drawn dotted.
    """
    fig, ax = _axes(ax)
    lo, hi = pbox.samples.min(), pbox.samples.max()
    y = np.linspace(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo), 600)
    shown, suffix = _display(y, pbox.unit)
    if show_cdfs:
        for f in pbox.cdfs(y):
            ax.step(shown, f, where="post", color="0.6", lw=0.6)
    lower, upper = pbox.bounds(y)
    ax.fill_between(shown, lower, upper, step="post", color="tab:orange", alpha=0.3, label="p-box")
    ax.step(shown, lower, where="post", color="tab:orange")
    ax.step(shown, upper, where="post", color="tab:orange")
    if confidence is not None:
        wide = pbox.bounds(y, confidence)
        for w in wide:
            ax.step(shown, w, where="post", color="tab:red", ls="--", lw=0.8)
        ax.plot([], [], color="tab:red", ls="--", lw=0.8, label=f"{confidence:.0%} DKW band")
    if analytic is not None:
        for a in analytic(y):
            ax.plot(shown, a, color="k", ls=":")
        ax.plot([], [], color="k", ls=":", label="analytic bounds")
    ax.set_xlabel(f"{pbox.output}{suffix}")
    ax.set_ylabel("cumulative probability")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(frameon=False, loc="lower right")
    return fig


def plot_sobol(indices: SobolIndices, output: str, ax=None):
    """Bar chart of first-order and total Sobol' indices of a scalar ``output`` (with confidence intervals)."""
    fig, ax = _axes(ax)
    names = indices.inputs
    x = np.arange(len(names))
    for shift, key, colour in ((-0.2, "first", "tab:blue"), (0.2, "total", "tab:orange")):
        values = np.array([float(getattr(indices, key)[output][k]) for k in names])
        intervals = getattr(indices, key + "_interval")
        err = None
        if intervals is not None:
            bounds = np.array([intervals[output][k] for k in names], dtype=float).reshape(len(names), 2)
            err = np.abs(bounds.T - values)
        ax.bar(x + shift, values, width=0.4, color=colour, yerr=err, capsize=3,
               label="first order" if key == "first" else "total")
    ax.set_xticks(x, names)
    ax.set_ylabel(f"Sobol' index of {output}")
    ax.set_ylim(0, max(1.0, ax.get_ylim()[1]))
    ax.legend(frameon=False)
    ax.set_title(f"{indices.method}, {indices.n_evaluations} evaluations", fontsize="small")
    return fig
