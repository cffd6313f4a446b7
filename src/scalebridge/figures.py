"""Figures every run record gets, drawn from the model tree alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .core.checks import CONCURRENT_BELOW, HIERARCHICAL_BELOW, bridges, scale_separation
from .core.model import Model

__all__ = ["scale_map", "save_figure"]

_COLOURS = {"hierarchical": "tab:green", "concurrent": "tab:orange", "scales collide": "tab:red"}


def save_figure(figure, directory, name: str, dpi: int = 120) -> Path:
    """Save a matplotlib ``figure`` as ``directory/name.png`` (directory created), close it, return the path."""
    import matplotlib.pyplot as plt

    path = Path(directory) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=dpi, bbox_inches="tight")
    plt.close(figure)
    return path


def scale_map(model: Model, ax=None):
    """Plot every model of a tree at its (time, length) scale, bridges as arrows.

    Each arrow runs from a fine model to the coarse model above it and is coloured
    by the scale-separation verdict (green hierarchical, orange concurrent, red
    scales collide; thresholds from :mod:`scalebridge.core.checks`). Steady models
    (infinite time) are drawn in a column marked "steady". Axes are log10.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 4.5))
    else:
        fig = ax.figure
    nodes = list({id(m): m for pair in bridges(model) for m in pair}.values()) or [model]
    finite = [np.log10(m.scale.time_si) for m in nodes if np.isfinite(m.scale.time_si)]
    steady_x = (max(finite) if finite else 0.0) + 2.0
    where = {id(m): (np.log10(m.scale.time_si) if np.isfinite(m.scale.time_si) else steady_x,
                     np.log10(m.scale.length_si)) for m in nodes}
    for m in nodes:
        x, y = where[id(m)]
        ax.plot([x], [y], "o", color="k")
        ax.annotate(m.name, (x, y), textcoords="offset points", xytext=(6, 4), fontsize=8)
    for coarse, fine in bridges(model):
        s = scale_separation(coarse.scale, fine.scale)
        ax.annotate("", xy=where[id(coarse)], xytext=where[id(fine)],
                    arrowprops={"arrowstyle": "->", "color": _COLOURS[s.recommendation], "lw": 1.5})
    ticks = sorted({round(v) for v in finite}) + [steady_x]
    ax.set_xticks(ticks, [f"1e{t:d}" for t in ticks[:-1]] + ["steady"])
    ax.set_xlim(min(ticks) - 1, steady_x + 2.5)
    ax.set_yticks(range(int(np.floor(min(v[1] for v in where.values()))) - 1,
                        int(np.ceil(max(v[1] for v in where.values()))) + 2, 2))
    ax.yaxis.set_major_formatter(lambda v, _: f"1e{v:.0f}")
    ax.set_xlabel("characteristic time [s]")
    ax.set_ylabel("characteristic length [m]")
    ax.set_title(f"scale map (bridges: green eps<{HIERARCHICAL_BELOW:g}, orange eps<{CONCURRENT_BELOW:g}, red collide)",
                 fontsize=9)
    return fig
