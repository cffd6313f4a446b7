"""Summary table and figures of the composites app."""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.table import Table

__all__ = ["summary_table", "microstructure_figure", "property_figure"]


def _fmt(v: float, unit: str) -> str:
    return f"{v / 1e9:.4g} GPa" if unit == "Pa" else f"{v:.4g} {unit}"


def summary_table(summary: dict[str, Any]) -> Table:
    """Bounds, estimates and cell solutions side by side, with iterations and Hill–Mandel."""
    t = Table(title=f"{summary['name']}: effective {summary['problem']} ({'x'.join(map(str, summary['grid']))} voxels)")
    names = list(next(iter(summary["numerical"].values())))
    t.add_column("method")
    for n in names:
        t.add_column(n, justify="right")
    t.add_column("iterations", justify="right")
    t.add_column("Hill–Mandel", justify="right")
    for method, values in summary["analytic"].items():
        t.add_row(method, *[_fmt(values[n], summary["unit"]) if n in values else "-" for n in names], "", "")
    for method, values in summary["numerical"].items():
        t.add_row(method, *[_fmt(values[n], summary["unit"]) for n in names], str(summary["iterations"][method]),
                  f"{summary['hill_mandel'][method]:.1e}")
    f = ", ".join(f"{n} {v:.3f}" for n, v in zip(summary["phase_names"], summary["volume_fractions"]))
    t.caption = f"volume fractions: {f}; " + "; ".join(
        f"{c['name'].removeprefix('scale separation ')}: eps = {c['data']['epsilon']:.1e}, {c['data']['recommendation']}"
        for c in summary["scale_separation"])
    return t


def microstructure_figure(phases: np.ndarray, summary: dict[str, Any]):
    """The phase map (a mid-plane slice in 3-D)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.2, 4.2))
    image = phases if phases.ndim == 2 else phases[:, :, phases.shape[2] // 2]
    ax.imshow(image.T, origin="lower", cmap="Greys", extent=(0, 1, 0, 1))
    ax.set_title(", ".join(f"{n} {v:.2f}" for n, v in zip(summary["phase_names"], summary["volume_fractions"])),
                 fontsize=9)
    return fig


def property_figure(summary: dict[str, Any]):
    """Each scalar property: the bounds as a band, estimates and cell solutions as points."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    names = list(next(iter(summary["numerical"].values())))
    fig, axes = plt.subplots(1, len(names), figsize=(4.5 * len(names), 3.8), squeeze=False)
    scale = 1e-9 if summary["unit"] == "Pa" else 1.0
    unit = "GPa" if summary["unit"] == "Pa" else summary["unit"]
    for ax, n in zip(axes[0], names):
        methods = {**summary["analytic"], **summary["numerical"]}
        labels = [m for m in methods if n in methods[m]]
        values = [methods[m][n] * scale for m in labels]
        if "HS lower" in methods and "HS upper" in methods:
            ax.axhspan(methods["HS lower"][n] * scale, methods["HS upper"][n] * scale, color="0.88",
                       label="Hashin–Shtrikman")
        ax.plot(range(len(labels)), values, "o", color="C0")
        ax.set_xticks(range(len(labels)), labels, rotation=40, ha="right", fontsize=8)
        ax.set_ylabel(f"{n} [{unit}]")
        ax.legend(fontsize=8)
    fig.suptitle(f"{summary['name']}: bounds, estimates and cell solutions", fontsize=10)
    fig.tight_layout()
    return fig
