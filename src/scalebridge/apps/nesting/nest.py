r"""One-way nesting: a coarse transport run drives a fine nest through time-varying boundary values.

The coarse model solves 1-D advection–diffusion of a plume over the whole domain
(:class:`~scalebridge.solvers.advection_diffusion.AdvectionDiffusion1D`, Crank–Nicolson).
The nest resolves the sub-region :math:`[a, b]` with ``refinement`` times finer cells
and ``time_refinement`` times shorter steps. Its boundary values come from the coarse
run, interpolated

* in space: linearly between the coarse cell centres on either side of :math:`a` and
  :math:`b` (second order, as the schemes);
* in time: linearly between the coarse time levels around each fine time.

Nothing flows back (one-way). What the nest adds is resolution of what happens
inside it: here a narrow steady source (a stack, an outfall) of width far below the
coarse cell, released into the plume that the coarse model brings in. Two checks
close the nest: the **content balance** at
the nest boundary, :math:`\Delta\!\int_a^b c\,dx = \int (F(a) - F(b))\,dt + \int\!\!\int q\,dx\,dt`, which the
conservative scheme meets to round-off, and the **flux consistency** of the nest
boundary fluxes with the coarse fluxes through the same faces (the two models agree on
what crosses the boundary only up to the coarse model's error).

References: the fine scheme run over the whole domain (the answer the nest should
give), and, for the transport schemes themselves, the infinite-domain solution of a
Gaussian pulse,

.. math:: c(x,t) = \frac{M}{\sqrt{2\pi s^2}}\exp\Big(-\frac{(x - x_0 - u t)^2}{2 s^2}\Big),
          \qquad s^2 = \sigma_0^2 + 2 D t,

(Crank 1975, *The Mathematics of Diffusion*, sec. 2.2, moving with the flow), in cell
averages, which also gives the plume's inflow and initial state. One-way nesting: Phillips &
Shukla (1973), J. Appl. Meteor. 12, 697; Davies (1976), Q. J. R. Meteorol. Soc. 102, 405.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import erf

from ...core.errors import InputError
from ...solvers.advection_diffusion import AdvectionDiffusion1D

__all__ = ["gaussian_plume_cell_averages", "NestedRun", "nested_transport"]


def gaussian_plume_cell_averages(faces, t, mass, centre, width, velocity, diffusivity) -> np.ndarray:
    """Exact cell averages of the moving, spreading Gaussian pulse between consecutive ``faces`` at time ``t``."""
    s = np.sqrt(width ** 2 + 2.0 * diffusivity * t)
    z = (np.asarray(faces) - centre - velocity * t) / (np.sqrt(2.0) * s)
    return 0.5 * mass * np.diff(erf(z)) / np.diff(faces)


@dataclass(frozen=True)
class NestedRun:
    """Coarse, nest and whole-domain fine solutions with the errors and the boundary checks.

    Attributes
    ----------
    times : ndarray
        Output times (s).
    coarse_x, nest_x, fine_x : ndarray
        Cell centres (m).
    coarse, nest, fine, exact_nest : ndarray, shape (m, cells)
        Cell averages at the output times.
    errors : dict
        Relative L2 difference over the nest region and all output times from the
        whole-domain fine run: ``coarse`` (coarse cells inside the nest, against the fine
        run averaged over them) and ``nest``.
    content_imbalance : float
        :math:`|\\Delta\\int c - \\int (F_a - F_b)dt|` over the run, relative to the mass that crossed.
    flux_mismatch : float
        Largest difference between nest and coarse boundary fluxes, relative to the largest flux.
    nest_boundary_flux, coarse_boundary_flux : ndarray, shape (m - 1, 2)
        Fluxes through a and b averaged over each output interval.
    """

    times: np.ndarray
    coarse_x: np.ndarray
    nest_x: np.ndarray
    fine_x: np.ndarray
    coarse: np.ndarray
    nest: np.ndarray
    fine: np.ndarray
    errors: dict
    content_imbalance: float
    flux_mismatch: float
    nest_boundary_flux: np.ndarray
    coarse_boundary_flux: np.ndarray


def _coarse_face_flux(model: AdvectionDiffusion1D, c: np.ndarray, x: float) -> np.ndarray:
    """Flux u c - D dc/dx through the coarse face at ``x`` for fields c (m, n)."""
    i = int(round((x - model.origin) / model.dx))
    left, right = c[:, i - 1], c[:, i]
    return model.velocity * 0.5 * (left + right) - model.diffusivity * (right - left) / model.dx


def nested_transport(*, length: float, coarse_cells: int, velocity: float, diffusivity: float, mass: float,
                     centre: float, width: float, nest: tuple[float, float], refinement: int,
                     time_refinement: int, duration: float, coarse_step: float, source_rate: float = 0.0,
                     source_position: float | None = None, source_width: float = 1.0,
                     outputs: int = 12) -> NestedRun:
    """Run the coarse model, the nest driven by it, and the whole-domain fine reference (module docstring).

    Lengths in m, times in s, ``velocity`` m/s, ``diffusivity`` m^2/s, ``mass`` per unit
    cross-section (c integrated over x). ``nest = (a, b)`` must lie on coarse faces, inside the domain.
    The steady source releases ``source_rate`` (amount per cross-section and s) as a Gaussian of
    standard deviation ``source_width`` around ``source_position``.
    """
    coarse = AdvectionDiffusion1D(coarse_cells, length, velocity, diffusivity)
    a, b = nest
    ia, ib = (np.array(nest) / coarse.dx)
    if not (0 < a < b < length) or abs(ia - round(ia)) > 1e-9 or abs(ib - round(ib)) > 1e-9:
        raise InputError(f"nest: ({a}, {b}) m must lie inside (0, {length}) m on coarse cell faces "
                         f"(multiples of {coarse.dx:g} m)")
    for key, value in (("refinement", refinement), ("time_refinement", time_refinement), ("outputs", outputs)):
        if int(value) != value or value < 1:
            raise InputError(f"{key}: got {value!r}, expected an integer >= 1")
    n_coarse_steps = duration / coarse_step
    if abs(n_coarse_steps - round(n_coarse_steps)) > 1e-9 or round(n_coarse_steps) % outputs:
        raise InputError(f"duration {duration} s must be a whole number of coarse steps {coarse_step} s, "
                         f"divisible into {outputs} outputs")
    n_coarse_steps = int(round(n_coarse_steps))
    exact = lambda faces, t: gaussian_plume_cell_averages(faces, t, mass, centre, width, velocity, diffusivity)  # noqa: E731
    edge = lambda t: (float(exact(np.array([-1e-6, 0.0]), t)[0]),                                             # noqa: E731
                      float(exact(np.array([length, length + 1e-6]), t)[0]))

    # coarse: every coarse step recorded, for the time interpolation of the nest's boundary values
    def source(model):
        if not source_rate:
            return None
        z = (model.faces - source_position) / (np.sqrt(2.0) * source_width)
        return 0.5 * source_rate * np.diff(erf(z)) / model.dx

    hist = coarse.run(exact(coarse.faces, 0.0), coarse_step, n_coarse_steps, edge, source=source(coarse))
    ca = [np.interp(a, coarse.centres, c) for c in hist.concentrations]
    cb = [np.interp(b, coarse.centres, c) for c in hist.concentrations]

    def nest_boundary(t):
        return float(np.interp(t, hist.times, ca)), float(np.interp(t, hist.times, cb))

    n_nest = int(round((b - a) / coarse.dx)) * int(refinement)
    nested = AdvectionDiffusion1D(n_nest, b - a, velocity, diffusivity, origin=a)
    fine_dt, fine_steps = coarse_step / time_refinement, n_coarse_steps * int(time_refinement)
    every = fine_steps // outputs
    nest_hist = nested.run(np.interp(nested.centres, coarse.centres, hist.concentrations[0]), fine_dt, fine_steps,
                           nest_boundary, every=every, source=source(nested))
    fine = AdvectionDiffusion1D(coarse_cells * int(refinement), length, velocity, diffusivity)
    fine_hist = fine.run(exact(fine.faces, 0.0), fine_dt, fine_steps, edge, every=every, source=source(fine))

    times = nest_hist.times
    coarse_out = hist.concentrations[::n_coarse_steps // outputs]
    inside = (coarse.centres > a) & (coarse.centres < b)
    reference = fine_hist.concentrations[:, (fine.centres > a) & (fine.centres < b)]
    rel = lambda approx, ref: float(np.linalg.norm(approx - ref) / np.linalg.norm(ref))  # noqa: E731
    errors = {"coarse": rel(coarse_out[:, inside], reference.reshape(len(times), -1, int(refinement)).mean(axis=2)),
              "nest": rel(nest_hist.concentrations, reference)}
    dt_out = np.diff(times)
    content = nest_hist.concentrations.sum(axis=1) * nested.dx
    crossed = np.sum(np.abs(nest_hist.boundary_flux) * dt_out[:, None])
    released = 0.0 if source(nested) is None else float(source(nested).sum() * nested.dx * (times[-1] - times[0]))
    imbalance = abs((content[-1] - content[0]) - released
                    - np.sum((nest_hist.boundary_flux[:, 0] - nest_hist.boundary_flux[:, 1]) * dt_out)) \
        / max(crossed, np.finfo(float).tiny)
    # coarse fluxes through a and b, time-averaged over the same output intervals (trapezoid over coarse steps)
    fa, fb = _coarse_face_flux(coarse, hist.concentrations, a), _coarse_face_flux(coarse, hist.concentrations, b)
    per = n_coarse_steps // outputs
    mid = lambda f: 0.5 * (f[:-1] + f[1:])  # noqa: E731
    coarse_flux = np.stack([mid(fa).reshape(outputs, per).mean(axis=1), mid(fb).reshape(outputs, per).mean(axis=1)],
                           axis=1)
    mismatch = float(np.max(np.abs(coarse_flux - nest_hist.boundary_flux)) / np.max(np.abs(nest_hist.boundary_flux)))
    return NestedRun(times, coarse.centres, nested.centres, fine.centres, coarse_out, nest_hist.concentrations,
                     fine_hist.concentrations, errors, float(imbalance), mismatch, nest_hist.boundary_flux, coarse_flux)
