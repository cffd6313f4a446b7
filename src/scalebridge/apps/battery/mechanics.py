r"""Chemo-mechanics of an active particle: diffusion-induced stress and stress-enhanced diffusion.

An isotropic, linear-elastic sphere of radius R with a free surface swells with the
lithium concentration c (partial molar volume :math:`\Omega`, strain
:math:`\Omega (c - c_\mathrm{ref})/3`, the analogue of thermal expansion). With
:math:`\bar c(r) = \frac{3}{r^3}\int_0^r c\,r'^2\,dr'` the mean concentration inside
radius r (Zhang, Shyy & Sastry 2007, eqs. 8-9; Cheng & Verbrugge 2009, eq. 5):

.. math::

    \sigma_r = \frac{2E\Omega}{9(1-\nu)}\bigl[\bar c(R) - \bar c(r)\bigr],\qquad
    \sigma_\theta = \frac{E\Omega}{9(1-\nu)}\bigl[2\bar c(R) + \bar c(r) - 3c(r)\bigr],

    \sigma_h = \frac{\sigma_r + 2\sigma_\theta}{3} = \frac{2E\Omega}{9(1-\nu)}\bigl[\bar c(R) - c(r)\bigr].

At the centre :math:`\sigma_r = \sigma_\theta = \frac{2E\Omega}{9(1-\nu)}(\bar c(R) - c(0))`;
at the surface :math:`\sigma_r = 0`, :math:`\sigma_\theta = \frac{E\Omega}{3(1-\nu)}(\bar c(R) - c(R))`
(tensile on delithiation, where the surface is depleted).

Stress-enhanced diffusion (two-way coupling): with the chemical potential
:math:`\mu = \mu_0 + RT\ln a - \Omega\sigma_h` the flux is

.. math:: J = -D\left(\partial_r c - \frac{\Omega c}{RT}\,\partial_r\sigma_h\right),

solved by finite volumes in r with :math:`\sigma_h` recomputed from the current
profile at every Newton iterate (:func:`solve_particle_diffusion`). For the free
sphere :math:`\partial_r\sigma_h = -\frac{2E\Omega}{9(1-\nu)}\partial_r c`, so the
flux equals :math:`-D(1 + \theta c)\partial_r c` with
:math:`\theta = \frac{\Omega}{RT}\frac{2E\Omega}{9(1-\nu)}` (Zhang et al. 2007, eq. 14),
which gives the exact Newton Jacobian.

Cracking: the indicator is the largest tensile hoop stress over the particle and
the history divided by the fracture strength; the Griffith flaw-size criterion
gives the critical flaw :math:`a_c = \frac{1}{\pi}\bigl(K_{IC}/(Y\sigma)\bigr)^2`
(Woodford, Chiang & Carter 2010; Zhao, Pharr, Vlassak & Suo 2010).

References
----------
Zhang, X., Shyy, W. & Sastry, A. M. (2007). J. Electrochem. Soc. 154, A910-A916.
Christensen, J. & Newman, J. (2006). J. Solid State Electrochem. 10, 293-319.
Cheng, Y.-T. & Verbrugge, M. W. (2009). J. Power Sources 190, 453-460.
Crank, J. (1975). The Mathematics of Diffusion, 2nd ed., sec. 6.3 (sphere, constant flux).
Woodford, W. H., Chiang, Y.-M. & Carter, W. C. (2010). J. Electrochem. Soc. 157, A1052-A1059.
Zhao, K., Pharr, M., Vlassak, J. J. & Suo, Z. (2010). J. Appl. Phys. 108, 073517.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.linalg import solve_banded

from ...core.errors import ConvergenceError, InputError
from ...laws.thermal import GAS_CONSTANT
from ...solvers.fv import graded_sphere_mesh

__all__ = ["ParticleMechanics", "ParticleStress", "particle_stress", "ParticleHistory", "solve_particle_diffusion",
           "CrackingAssessment", "assess_cracking", "critical_flaw_size"]


def _positive(name, value, unit):
    if not (np.isscalar(value) and np.isfinite(value) and value > 0):
        raise InputError(f"{name}: got {value!r}, expected a finite number > 0 {unit}")
    return float(value)


@dataclass(frozen=True)
class ParticleMechanics:
    """Elastic and chemical constants of an active-material particle (SI).

    Parameters
    ----------
    youngs_modulus : float
        E in Pa.
    poisson_ratio : float
        :math:`\\nu` in (-1, 0.5).
    partial_molar_volume : float
        :math:`\\Omega` in m^3/mol (> 0).
    temperature : float
        T in K (for the stress coupling coefficient).
    reference_concentration : float
        Stress-free concentration :math:`c_\\mathrm{ref}` in mol/m^3 (only gradients
        and :math:`\\bar c(R) - c` enter the stresses of a free sphere, so it drops out).
    """

    youngs_modulus: float
    poisson_ratio: float
    partial_molar_volume: float
    temperature: float = 298.15
    reference_concentration: float = 0.0

    def __post_init__(self):
        _positive("youngs_modulus", self.youngs_modulus, "Pa")
        _positive("partial_molar_volume", self.partial_molar_volume, "m^3/mol")
        _positive("temperature", self.temperature, "K")
        if not (np.isscalar(self.poisson_ratio) and -1.0 < self.poisson_ratio < 0.5):
            raise InputError(f"poisson_ratio: got {self.poisson_ratio!r}, expected a number in (-1, 0.5)")

    @property
    def stress_scale(self) -> float:
        r""":math:`\frac{E\Omega}{9(1-\nu)}` in Pa m^3/mol."""
        return self.youngs_modulus * self.partial_molar_volume / (9.0 * (1.0 - self.poisson_ratio))

    @property
    def coupling(self) -> float:
        r"""Stress-enhancement coefficient :math:`\theta = \frac{\Omega}{RT}\frac{2E\Omega}{9(1-\nu)}` in m^3/mol."""
        return self.partial_molar_volume / (GAS_CONSTANT * self.temperature) * 2.0 * self.stress_scale


@dataclass(frozen=True)
class ParticleStress:
    """Stress profiles through a particle (Pa) at the radii ``r`` (m); see :func:`particle_stress`."""

    r: np.ndarray
    radial: np.ndarray
    hoop: np.ndarray
    hydrostatic: np.ndarray
    mean_concentration: np.ndarray

    @property
    def centre(self) -> np.ndarray:
        """(radial, hoop) stress at the innermost radius (the centre if r[0] = 0)."""
        return np.stack([self.radial[..., 0], self.hoop[..., 0]])

    @property
    def max_tensile_hoop(self) -> np.ndarray:
        """Largest hoop stress over r (Pa; negative if the hoop stress is compressive everywhere)."""
        return self.hoop.max(axis=-1)


def particle_stress(r, concentration, radius: float, mechanics: ParticleMechanics,
                    mean_concentration=None, surface_concentration=None) -> ParticleStress:
    r"""Radial, hoop and hydrostatic diffusion-induced stress through a free elastic sphere.

    Implements the equations of the module docstring (Zhang, Shyy & Sastry 2007,
    eqs. 8-9). :math:`\int_0^r c\,r'^2 dr'` is integrated exactly for the piecewise-linear
    interpolant of c on :math:`[0, r_1, ..., r_n(, R)]` (second order), with :math:`c(0)` from the
    symmetric fit :math:`c = a + b r^2` through the two innermost points and
    :math:`c(R)` by linear extrapolation unless given.

    Parameters
    ----------
    r : array_like, shape (n,)
        Increasing radii in [0, R] (m), e.g. finite-volume nodes; at least 2.
    concentration : array_like, shape (..., n)
        Lithium concentration in mol/m^3 at ``r`` (leading axes: several profiles).
    radius : float
        Particle radius R in m.
    mechanics : ParticleMechanics
    mean_concentration : array_like, shape (...), optional
        :math:`\bar c(R)` (e.g. the conserved finite-volume mean); integrated if omitted.
    surface_concentration : array_like, shape (...), optional
        c(R), used for the integral up to R when ``r[-1] < R``.

    Returns
    -------
    ParticleStress
        Stresses in Pa at ``r`` (tensile positive), and :math:`\bar c(r)`.
    """
    R = _positive("radius", radius, "m")
    r = np.asarray(r, float)
    c = np.asarray(concentration, float)
    if r.ndim != 1 or r.size < 2 or np.any(np.diff(r) <= 0) or r[0] < 0 or r[-1] > R * (1 + 1e-12):
        raise InputError(f"r: got shape {r.shape} in [{r.min():g}, {r.max():g}] m; expected >= 2 increasing "
                         f"radii in [0, R = {R:g} m]")
    if c.shape[-1] != r.size or not np.all(np.isfinite(c)):
        raise InputError(f"concentration: got shape {c.shape}, expected finite values with last axis {r.size}")
    if not isinstance(mechanics, ParticleMechanics):
        raise InputError(f"mechanics: got {type(mechanics).__name__}, expected ParticleMechanics")
    pts, vals = r, c
    if r[0] > 0:
        c0 = (c[..., 0] * r[1] ** 2 - c[..., 1] * r[0] ** 2) / (r[1] ** 2 - r[0] ** 2)
        pts, vals = np.concatenate(([0.0], pts)), np.concatenate((c0[..., None], vals), axis=-1)
    if r[-1] < R:
        cR = (c[..., -1] + (c[..., -1] - c[..., -2]) * (R - r[-1]) / (r[-1] - r[-2])
              if surface_concentration is None else np.broadcast_to(surface_concentration, c.shape[:-1]))
        pts, vals = np.concatenate((pts, [R])), np.concatenate((vals, np.asarray(cR, float)[..., None]), axis=-1)
    a, h = pts[:-1], np.diff(pts)   # exact integral of (piecewise-linear c) r^2 over each interval
    w_left, w_right = h * (a**2 / 2 + a * h / 3 + h**2 / 12), h * (a**2 / 2 + 2 * a * h / 3 + h**2 / 4)
    pieces = vals[..., :-1] * w_left + vals[..., 1:] * w_right
    integral = np.concatenate((np.zeros(c.shape[:-1] + (1,)), np.cumsum(pieces, axis=-1)), axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cbar_pts = np.where(pts > 0, 3.0 * integral / np.where(pts > 0, pts, 1.0) ** 3, vals[..., :1])
    keep = slice(1 if r[0] > 0 else 0, (len(pts) - 1) if r[-1] < R else len(pts))
    cbar_r = cbar_pts[..., keep]
    cbar_R = (cbar_pts[..., -1] if mean_concentration is None
              else np.broadcast_to(np.asarray(mean_concentration, float), c.shape[:-1]))[..., None]
    s = mechanics.stress_scale
    radial = 2.0 * s * (cbar_R - cbar_r)
    hoop = s * (2.0 * cbar_R + cbar_r - 3.0 * c)
    return ParticleStress(r=r, radial=radial, hoop=hoop, hydrostatic=2.0 * s * (cbar_R - c), mean_concentration=cbar_r)


@dataclass(frozen=True)
class ParticleHistory:
    """Transient concentration in a spherical particle (SI).

    Attributes
    ----------
    t : ndarray, shape (n_t,)
        Times in s (the last one is the event time if an event stopped the run).
    radii, faces : ndarray
        Cell nodes (midpoints) and faces in m.
    concentration : ndarray, shape (n_t, N)
        mol/m^3 at the nodes.
    surface_concentration, mean_concentration : ndarray, shape (n_t,)
        c(R) (extrapolated with the surface flux) and the conserved volume mean.
    radius : float
    event : bool
        Whether the run stopped at a zero of ``event`` (cut-off reached).
    newton_iterations : int
        Largest number of Newton iterations in one step.
    mechanics : ParticleMechanics or None
    """

    t: np.ndarray
    radii: np.ndarray
    faces: np.ndarray
    concentration: np.ndarray
    surface_concentration: np.ndarray
    mean_concentration: np.ndarray
    radius: float
    event: bool
    newton_iterations: int
    mechanics: ParticleMechanics | None = None

    def stress(self, mechanics: ParticleMechanics | None = None) -> ParticleStress:
        """Stress profiles at every stored time (arrays (n_t, N)) with the conserved mean."""
        m = mechanics or self.mechanics
        if m is None:
            raise InputError("mechanics: this history was solved without mechanics; pass ParticleMechanics")
        return particle_stress(self.radii, self.concentration, self.radius, m, self.mean_concentration,
                               self.surface_concentration)


def solve_particle_diffusion(radius: float, diffusivity: float, surface_flux, t_end: float, *,
                             initial_concentration=0.0, mechanics: ParticleMechanics | None = None,
                             stress_coupling: bool = True, n_cells: int = 40, grading: float = 3.0,
                             n_steps: int = 400, event: Callable | None = None, tol: float = 1e-10,
                             max_newton: int = 30) -> ParticleHistory:
    r"""Transient (stress-coupled) solid diffusion in a sphere by finite volumes and BDF2.

    .. math:: \partial_t c = -\frac{1}{r^2}\partial_r(r^2 J),\quad
              J = -D\Bigl(\partial_r c - \frac{\Omega c}{RT}\partial_r\sigma_h\Bigr),\quad
              J(0) = 0,\quad -J(R) = j(t)

    Cell-centred finite volumes on :func:`~scalebridge.solvers.fv.graded_sphere_mesh`
    (finer at the surface), :math:`\sigma_h` from :func:`particle_stress`'s closed
    form with the conserved mean, face values of c by the arithmetic mean; BDF2 in
    time (backward Euler first step) with a fixed step ``t_end / n_steps``; Newton
    with the exact tridiagonal Jacobian (see module docstring). The scheme conserves
    lithium to round-off: :math:`\bar c(t) = c_0 + 3\int_0^t j\,dt/R`.

    Parameters
    ----------
    radius : float
        R in m.
    diffusivity : float
        D in m^2/s.
    surface_flux : float or callable
        Insertion flux density j in mol/(m^2 s) (positive into the particle:
        lithiation), or ``j(t)``.
    t_end : float
        Final time in s.
    initial_concentration : float or array_like, shape (N,)
        mol/m^3.
    mechanics : ParticleMechanics, optional
        Needed for ``stress_coupling`` (and stored for :meth:`ParticleHistory.stress`).
    stress_coupling : bool
        Include the :math:`-\Omega c\,\partial_r\sigma_h/RT` term (needs ``mechanics``).
    n_cells, grading
        Mesh (``grading``: centre-to-surface cell width ratio).
    n_steps : int
        Time steps.
    event : callable, optional
        ``event(t, c_surface, c_mean) -> float``; the run stops where it first turns
        from negative to >= 0, at a time interpolated linearly between steps (at once,
        with a one-point history, if it is >= 0 at t = 0).
    tol : float
        Newton tolerance on the update relative to ``max(|c|)``.

    Returns
    -------
    ParticleHistory

    Raises
    ------
    InputError
        Bad arguments.
    ConvergenceError
        Newton fails, or a non-finite or negative concentration appears.
    """
    R = _positive("radius", radius, "m")
    D = _positive("diffusivity", diffusivity, "m^2/s")
    t_end = _positive("t_end", t_end, "s")
    if int(n_cells) != n_cells or n_cells < 4:
        raise InputError(f"n_cells: got {n_cells!r}, expected an integer >= 4")
    if int(n_steps) != n_steps or n_steps < 2:
        raise InputError(f"n_steps: got {n_steps!r}, expected an integer >= 2")
    if not (np.isfinite(grading) and grading >= 1):
        raise InputError(f"grading: got {grading!r}, expected a ratio >= 1")
    if stress_coupling and mechanics is not None and not isinstance(mechanics, ParticleMechanics):
        raise InputError(f"mechanics: got {type(mechanics).__name__}, expected ParticleMechanics")
    flux = surface_flux if callable(surface_flux) else (lambda t, j=float(surface_flux): j)
    if not np.isfinite(flux(0.0)):
        raise InputError(f"surface_flux: got {surface_flux!r}, expected a finite flux in mol/(m^2 s)")
    theta = mechanics.coupling if (stress_coupling and mechanics is not None) else 0.0
    K = 2.0 * mechanics.stress_scale if mechanics is not None else 0.0
    omega_rt = mechanics.partial_molar_volume / (GAS_CONSTANT * mechanics.temperature) if mechanics else 0.0

    faces = graded_sphere_mesh(R, int(n_cells), float(grading))
    nodes = 0.5 * (faces[:-1] + faces[1:])
    vol = (faces[1:] ** 3 - faces[:-1] ** 3) / 3.0
    area = faces[1:-1] ** 2 / np.diff(nodes) * D   # interior faces: D r_f^2 / dx
    c = np.broadcast_to(np.asarray(initial_concentration, float), nodes.shape).copy()
    if not np.all(np.isfinite(c)) or np.any(c < 0):
        raise InputError("initial_concentration: expected finite non-negative values in mol/m^3")
    v_total = R**3 / 3.0

    def fluxes(u):
        """Interior face fluxes F = r_f^2 J (outward positive) and dF/du_left, dF/du_right."""
        du = u[1:] - u[:-1]
        cf = 0.5 * (u[1:] + u[:-1])
        if theta:
            sigma_h = K * (u @ vol / v_total - u)          # elastic stress of the current profile
            dsig = sigma_h[1:] - sigma_h[:-1]
            F = -area * (du - omega_rt * cf * dsig)
            # dsig = -K du exactly, so F = -area (1 + theta cf) du
            dF_right = -area * ((1.0 + theta * cf) + 0.5 * theta * du)
            dF_left = -area * (-(1.0 + theta * cf) + 0.5 * theta * du)
        else:
            F = -area * du
            dF_right, dF_left = -area, area.copy()
        return F, dF_left, dF_right

    def surface_value(u, t):
        j = flux(t)
        return u[-1] + j * (R - nodes[-1]) / (D * (1.0 + theta * u[-1]))

    dt = t_end / int(n_steps)
    times, profiles = [0.0], [c.copy()]
    surf, mean = [surface_value(c, 0.0)], [float(c @ vol / v_total)]
    g_prev = None if event is None else float(event(0.0, surf[0], mean[0]))
    worst, stopped, c_old = 0, False, None
    if g_prev is not None and g_prev >= 0:  # cut-off already reached at t = 0
        n_steps, stopped = 0, True
    for step in range(1, int(n_steps) + 1):
        t = step * dt
        a0, a1, a2 = (1.0, -1.0, 0.0) if c_old is None else (1.5, -2.0, 0.5)   # BE, then BDF2
        history = a1 * c + (a2 * c_old if c_old is not None else 0.0)
        j = flux(t)
        u = c.copy()
        for it in range(1, max_newton + 1):
            F, dL, dR = fluxes(u)
            div = np.zeros_like(u)
            div[:-1] += F
            div[1:] -= F
            div[-1] += -R**2 * j                           # surface: outward flux -j
            res = vol * (a0 * u + history) / dt + div
            diag = vol * a0 / dt
            main = diag.copy()
            main[:-1] += dL
            main[1:] -= dR
            ab = np.zeros((3, u.size))
            ab[0, 1:] = dR                                 # d res_i / d u_{i+1}
            ab[1] = main
            ab[2, :-1] = -dL                               # d res_{i+1} / d u_i
            du = solve_banded((1, 1), ab, -res)
            u = u + du
            if not np.all(np.isfinite(u)):
                raise ConvergenceError(f"solve_particle_diffusion: non-finite concentration at t = {t:g} s")
            if np.max(np.abs(du)) <= tol * max(np.max(np.abs(u)), 1e-300) or theta == 0.0:
                break
        else:
            raise ConvergenceError(f"solve_particle_diffusion: Newton did not converge in {max_newton} "
                                   f"iterations at t = {t:g} s (last update {np.max(np.abs(du)):.3e})")
        worst = max(worst, it)
        c_old, c = c, u
        cs, cm = surface_value(c, t), float(c @ vol / v_total)
        if np.min(c) < 0 or cs < 0:
            raise ConvergenceError(f"solve_particle_diffusion: negative concentration at t = {t:g} s "
                                   "(extraction beyond depletion; stop earlier with an event)")
        if event is not None:
            g = float(event(t, cs, cm))
            if g_prev < 0 <= g:
                w = -g_prev / (g - g_prev)                  # linear interpolation to the crossing
                times.append(t - dt + w * dt)
                profiles.append((1 - w) * c_old + w * c)
                surf.append((1 - w) * surf[-1] + w * cs)
                mean.append((1 - w) * mean[-1] + w * cm)
                stopped = True
                break
            g_prev = g
        times.append(t)
        profiles.append(c.copy())
        surf.append(cs)
        mean.append(cm)
    return ParticleHistory(t=np.array(times), radii=nodes, faces=faces, concentration=np.array(profiles),
                           surface_concentration=np.array(surf), mean_concentration=np.array(mean), radius=R,
                           event=stopped, newton_iterations=worst, mechanics=mechanics)


@dataclass(frozen=True)
class CrackingAssessment:
    """Cracking indicator of a particle history.

    Attributes
    ----------
    max_tensile_hoop : float
        Largest hoop stress over r and t in Pa.
    at_radius, at_time : float
        Where (m) and when (s) it occurs.
    fracture_strength : float
        :math:`\\sigma_f` in Pa.
    indicator : float
        ``max_tensile_hoop / fracture_strength``; fracture is predicted when >= 1.
    critical_flaw_size : float or None
        Griffith flaw size at the peak stress in m (None without a toughness).
    """

    max_tensile_hoop: float
    at_radius: float
    at_time: float
    fracture_strength: float
    indicator: float
    critical_flaw_size: float | None

    @property
    def cracks(self) -> bool:
        return self.indicator >= 1.0


def critical_flaw_size(stress, fracture_toughness: float, geometry_factor: float = 1.12):
    r"""Griffith critical flaw size :math:`a_c = \frac{1}{\pi}\left(\frac{K_{IC}}{Y\sigma}\right)^2`.

    A pre-existing flaw of depth a grows when :math:`K_I = Y\sigma\sqrt{\pi a} \ge K_{IC}`
    (Griffith 1921; Y = 1.12 for a shallow surface crack, Anderson, *Fracture
    Mechanics*, sec. 2.6; used for electrode particles by Woodford et al. 2010).
    Infinite where the stress is not tensile.

    Parameters
    ----------
    stress : float or array_like
        Tensile stress :math:`\sigma` in Pa.
    fracture_toughness : float
        :math:`K_{IC}` in Pa m^{1/2}.
    geometry_factor : float
        Y (> 0).
    """
    K = _positive("fracture_toughness", fracture_toughness, "Pa m^0.5")
    Y = _positive("geometry_factor", geometry_factor, "")
    s = np.asarray(stress, float)
    with np.errstate(divide="ignore"):
        a = np.where(s > 0, (K / (Y * np.where(s > 0, s, 1.0))) ** 2 / np.pi, np.inf)
    return float(a) if a.ndim == 0 else a


def assess_cracking(history: ParticleHistory, fracture_strength: float, fracture_toughness: float | None = None,
                    mechanics: ParticleMechanics | None = None) -> CrackingAssessment:
    """Cracking indicator (max tensile hoop stress / strength) and Griffith flaw size of a history."""
    sf = _positive("fracture_strength", fracture_strength, "Pa")
    hoop = history.stress(mechanics).hoop
    i_t, i_r = np.unravel_index(int(np.argmax(hoop)), hoop.shape)
    peak = float(hoop[i_t, i_r])
    flaw = None if fracture_toughness is None else critical_flaw_size(peak, fracture_toughness)
    return CrackingAssessment(max_tensile_hoop=peak, at_radius=float(history.radii[i_r]),
                              at_time=float(history.t[i_t]), fracture_strength=sf, indicator=peak / sf,
                              critical_flaw_size=flaw)
