r"""Nudged elastic band with the improved tangent and a climbing image.

For images :math:`\mathbf R_0 \dots \mathbf R_{n+1}` (end points fixed) with energies
:math:`V_i`, the force on an intermediate image is

.. math:: \mathbf F_i^{\rm NEB} = \mathbf F_i - (\mathbf F_i\cdot\hat{\boldsymbol\tau}_i)\hat{\boldsymbol\tau}_i
          + k\,(|\mathbf R_{i+1}-\mathbf R_i| - |\mathbf R_i-\mathbf R_{i-1}|)\,\hat{\boldsymbol\tau}_i,

with the tangent of Henkelman & Jónsson (2000, J. Chem. Phys. 113, 9978): the vector
to the higher-energy neighbour, :math:`\boldsymbol\tau^+ = \mathbf R_{i+1}-\mathbf R_i` if
:math:`V_{i+1} > V_i > V_{i-1}`, :math:`\boldsymbol\tau^- = \mathbf R_i-\mathbf R_{i-1}` if
:math:`V_{i+1} < V_i < V_{i-1}`, and at an extremum the energy-weighted mix
:math:`\boldsymbol\tau^\pm\Delta V^{\max} + \boldsymbol\tau^\mp\Delta V^{\min}` (the + term
taking :math:`\Delta V^{\max}` when :math:`V_{i+1} > V_{i-1}`). The highest image climbs
(Henkelman, Uberuaga & Jónsson 2000, J. Chem. Phys. 113, 9901):
:math:`\mathbf F^{\rm CI} = \mathbf F - 2(\mathbf F\cdot\hat{\boldsymbol\tau})\hat{\boldsymbol\tau}`,
no spring. All images are relaxed together by FIRE. eV, Å, spring constant in eV/Å^2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.errors import ConvergenceError, InputError
from .base import as_engine
from .minimise import fire_steps
from .neighbours import check_configuration

__all__ = ["NEBResult", "nudged_elastic_band", "interpolate_images", "improved_tangents"]


@dataclass(frozen=True)
class NEBResult:
    """A converged band: ``images`` (n+2, N, 3) Å, ``energies`` (n+2,) eV, the barrier in eV.

    ``barrier`` = max(V) - V_0 (forward), ``reverse_barrier`` = max(V) - V_{n+1};
    ``path`` the cumulative image distance (Å); ``climbing`` the index of the climbing image.
    """

    images: np.ndarray
    energies: np.ndarray
    path: np.ndarray
    barrier: float
    reverse_barrier: float
    climbing: int | None
    steps: int
    max_force: float
    converged: bool


def interpolate_images(initial, final, n_images, cell=None, pbc=True, mic=True):
    """Linear interpolation of ``n_images`` intermediate images; displacements by minimum image if ``mic``."""
    initial, final = np.asarray(initial, float), np.asarray(final, float)
    if initial.shape != final.shape:
        raise InputError(f"final: got shape {final.shape}, expected the shape of initial {initial.shape}")
    disp = final - initial
    if mic and cell is not None:
        cell = np.asarray(cell, float)
        frac = disp @ np.linalg.inv(cell)
        frac -= np.where(np.broadcast_to(pbc, (3,)), np.round(frac), 0.0)
        disp = frac @ cell
    t = np.linspace(0.0, 1.0, n_images + 2)[:, None, None]
    return initial[None] + t * disp[None]


def improved_tangents(images, energies):
    """Unit tangents (n, N, 3) of the intermediate images (Henkelman & Jónsson 2000, eqs. 8–11)."""
    plus = images[2:] - images[1:-1]
    minus = images[1:-1] - images[:-2]
    v_prev, v, v_next = energies[:-2], energies[1:-1], energies[2:]
    up = (v_next > v) & (v > v_prev)
    down = (v_next < v) & (v < v_prev)
    dmax = np.maximum(np.abs(v_next - v), np.abs(v_prev - v))
    dmin = np.minimum(np.abs(v_next - v), np.abs(v_prev - v))
    w_plus = np.where(v_next > v_prev, dmax, dmin)
    w_minus = np.where(v_next > v_prev, dmin, dmax)
    w_plus = np.where(up, 1.0, np.where(down, 0.0, w_plus))
    w_minus = np.where(up, 0.0, np.where(down, 1.0, w_minus))
    tau = w_plus[:, None, None] * plus + w_minus[:, None, None] * minus
    norm = np.sqrt((tau * tau).sum(axis=(1, 2)))
    # flat segment (equal energies): plain bisector of the two neighbours
    flat = norm < 1e-14
    tau[flat] = (plus + minus)[flat]
    norm = np.sqrt((tau * tau).sum(axis=(1, 2)))
    return tau / norm[:, None, None]


def nudged_elastic_band(engine, initial, final, cell, pbc=True, *, n_images=5, images=None, spring=0.1, climb=True,
                        fmax=0.01, max_steps=3000, symbols=None, mic=True, raise_on_failure=True) -> NEBResult:
    """Climbing-image NEB between two relaxed minima; returns the band and the barrier in eV.

    Parameters
    ----------
    engine : engine or ASE calculator
        Energy/forces (``symbols`` needed for an ASE calculator).
    initial, final : array_like (N, 3)
        Relaxed end points (Å), the same atoms in the same order.
    cell, pbc
        The periodic cell (rows, Å), shared by all images.
    n_images : int
        Intermediate images (ignored when ``images`` gives the whole initial band).
    spring : float
        k in eV/Å^2.
    climb : bool
        Climbing image (the highest image converges to the saddle point).
    fmax : float
        Convergence: largest NEB force on any atom of any image (eV/Å).

    Raises
    ------
    ConvergenceError
        If the band does not reach ``fmax`` in ``max_steps`` FIRE steps.
    """
    engine = as_engine(engine, symbols)
    initial, cell, pbc = check_configuration(initial, cell, pbc)
    final = check_configuration(final, cell, pbc)[0]
    if not (np.isfinite(spring) and spring > 0):
        raise InputError(f"spring: got {spring!r}, expected a spring constant > 0 eV/Å^2")
    if images is None:
        if int(n_images) != n_images or n_images < 1:
            raise InputError(f"n_images: got {n_images!r}, expected an integer >= 1")
        band = interpolate_images(initial, final, int(n_images), cell, pbc, mic)
    else:
        band = np.asarray(images, float)
        if band.ndim != 3 or band.shape[1:] != initial.shape or len(band) < 3:
            raise InputError(f"images: got shape {band.shape}, expected (n + 2, {len(initial)}, 3) with n >= 1")
    n, n_atoms = len(band) - 2, len(initial)
    lists = [engine.new_neighbour_list() if hasattr(engine, "new_neighbour_list") else None for _ in range(n + 2)]

    def evaluate(k, pos):
        kw = {"neighbours": lists[k]} if lists[k] is not None else {}
        res = engine.compute(pos, cell, pbc, **kw)
        return res.energy, res.forces

    ends = [evaluate(0, band[0]), evaluate(n + 1, band[-1])]
    energies = np.empty(n + 2)
    energies[0], energies[-1] = ends[0][0], ends[1][0]
    state = {"climbing": None}

    def neb_forces(x):
        band[1:-1] = x.reshape(n, n_atoms, 3)
        forces = np.empty((n, n_atoms, 3))
        for k in range(1, n + 1):
            energies[k], forces[k - 1] = evaluate(k, band[k])
        if not np.all(np.isfinite(energies)):
            raise ConvergenceError("NEB: non-finite image energy (atoms too close?)")
        tau = improved_tangents(band, energies)
        along = np.einsum("kij,kij->k", forces, tau)
        seg = np.sqrt(((band[1:] - band[:-1]) ** 2).sum(axis=(1, 2)))
        f = forces - along[:, None, None] * tau + (spring * (seg[1:] - seg[:-1]))[:, None, None] * tau
        if climb:
            top = int(np.argmax(energies[1:-1]))
            f[top] = forces[top] - 2 * along[top] * tau[top]
            state["climbing"] = top + 1
        return f.ravel(), float(np.sqrt((f * f).sum(axis=2)).max())

    x, steps, ok = fire_steps(neb_forces, band[1:-1].ravel().copy(), fmax, max_steps)
    f, fm = neb_forces(x)
    if not ok and raise_on_failure:
        raise ConvergenceError(f"NEB: max force {fm:.3g} eV/Å after {steps} FIRE steps, expected < fmax = {fmax:g}; "
                               "raise max_steps or n_images, or check that the end points are relaxed")
    path = np.concatenate([[0.0], np.cumsum(np.sqrt(((band[1:] - band[:-1]) ** 2).sum(axis=(1, 2))))])
    top = float(energies.max())
    return NEBResult(band.copy(), energies.copy(), path, top - energies[0], top - energies[-1], state["climbing"],
                     steps, fm, ok)
