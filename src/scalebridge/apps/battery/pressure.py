r"""External pressure vs charging: which process limits, and the minimum charging time.

A single active particle (sphere of radius R) is charged (lithiated) galvanostatically:
solid diffusion by finite volumes in r
(:func:`~scalebridge.apps.battery.mechanics.solve_particle_diffusion`) and
Butler–Volmer kinetics at its surface. Pressure p slows both through activation
volumes (transition-state theory of activated processes under pressure, Glasstone,
Laidler & Eyring 1941, ch. 8; Evans & Polanyi 1935):

.. math:: D(p) = D_0\,e^{-p\,\Delta V_D/RT},\qquad k(p) = k_0\,e^{-p\,\Delta V_k/RT}.

Kinetics (symmetric, :math:`\alpha = 1/2`; Doyle, Fuller & Newman 1993):

.. math:: i_0 = k\,\sqrt{c_e\,c_s\,(c_\max - c_s)},\qquad
          |\eta| = \frac{2RT}{F}\,\operatorname{asinh}\frac{|i|}{2 i_0}.

A charge at current density i (A/m^2 of particle surface) from stoichiometry
:math:`x_0` stops at the first of: the mean stoichiometry reaching the target
(success), the surface stoichiometry reaching saturation :math:`x_\mathrm{sat}`
(diffusion-limited), or :math:`|\eta|` reaching :math:`\eta_\max` (kinetics-limited,
e.g. a lithium-plating margin on graphite). The *minimum charging time* is the
charge :math:`F c_\max R (x_t - x_0)/3` over the largest current that still reaches
the target, found by bisection in the C-rate; the process whose cut-off stops a
slightly faster charge is *rate-limiting*. Time scales: diffusion
:math:`\tau_D = R^2/D` and kinetics :math:`\tau_k = F c_\max R/(3 i_0)` (the time to
fill the particle at the exchange current density, :math:`i_0` at half filling);
closed-form current limits :math:`i_D = 5 F D c_\max (x_\mathrm{sat} - x_t)/R` (from
the quasi-steady parabolic profile, :math:`c_s - \bar c = iR/(5FD)`) and
:math:`i_k = 2 i_0(x_t) \sinh(F\eta_\max/2RT)` estimate the simulated one (the surface
runs ahead of the mean, so the simulated limits are somewhat lower).

Default particle: graphite negative electrode of Chen et al. (2020), J. Electrochem.
Soc. 167, 080534 (R, D, c_max, k, c_e; saturation at its 100 % SOC stoichiometry 0.9014),
charged from 20 % to 80 % (stoichiometry 0.2 -> 0.8, where :math:`i_0` is equal). The
activation volumes are illustrative (a few cm^3/mol, the order reported for ionic
diffusion in solids), not fitted to a data set: enter measured ones.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.constants import physical_constants

from ...core.errors import ConvergenceError, InputError
from ...laws.thermal import GAS_CONSTANT
from .mechanics import solve_particle_diffusion

__all__ = ["FARADAY", "ChargingParticle", "pressure_factor", "exchange_current_density",
           "butler_volmer_overpotential", "ChargeResult", "charge_particle", "max_charging_rate",
           "PressureStudy", "pressure_study", "pressure_study_figure"]

FARADAY = physical_constants["Faraday constant"][0]
CUTOFFS = ("target", "saturation", "overpotential")


def pressure_factor(pressure, activation_volume, temperature):
    r""":math:`\exp(-p\,\Delta V/RT)` for pressure p (Pa), activation volume (m^3/mol), T (K)."""
    return np.exp(-np.asarray(pressure, float) * activation_volume / (GAS_CONSTANT * temperature))


def exchange_current_density(rate_constant, electrolyte_concentration, surface_concentration, max_concentration):
    r""":math:`i_0 = k\sqrt{c_e c_s (c_\max - c_s)}` in A/m^2 (k in A m^-2 (m^3/mol)^{3/2})."""
    cs = np.asarray(surface_concentration, float)
    return rate_constant * np.sqrt(electrolyte_concentration * np.clip(cs, 0, None)
                                   * np.clip(max_concentration - cs, 0, None))


def butler_volmer_overpotential(current_density, exchange_current, temperature):
    r"""Magnitude of the symmetric Butler–Volmer overpotential :math:`\frac{2RT}{F}\operatorname{asinh}(|i|/2i_0)` (V)."""
    with np.errstate(divide="ignore"):
        return 2 * GAS_CONSTANT * temperature / FARADAY * np.arcsinh(np.abs(current_density)
                                                                      / (2 * np.asarray(exchange_current, float)))


@dataclass(frozen=True)
class ChargingParticle:
    """Parameters of the charged particle (SI); defaults: graphite of Chen et al. (2020).

    Attributes
    ----------
    radius : float
        R in m.
    diffusivity : float
        Solid diffusivity :math:`D_0` at zero gauge pressure in m^2/s.
    rate_constant : float
        :math:`k_0` in A m^-2 (m^3/mol)^{3/2}.
    max_concentration : float
        :math:`c_\\max` in mol/m^3.
    electrolyte_concentration : float
        :math:`c_e` in mol/m^3.
    initial_stoichiometry, target_stoichiometry, saturation_stoichiometry : float
        :math:`x_0 < x_t < x_\\mathrm{sat} \\le 1`.
    max_overpotential : float
        :math:`\\eta_\\max` in V.
    temperature : float
        T in K.
    activation_volume_diffusion, activation_volume_kinetics : float
        :math:`\\Delta V_D`, :math:`\\Delta V_k` in m^3/mol.
    """

    radius: float = 5.86e-6
    diffusivity: float = 3.3e-14
    rate_constant: float = 6.48e-7
    max_concentration: float = 33133.0
    electrolyte_concentration: float = 1000.0
    initial_stoichiometry: float = 0.2
    target_stoichiometry: float = 0.8
    saturation_stoichiometry: float = 0.9014
    max_overpotential: float = 0.1
    temperature: float = 298.15
    activation_volume_diffusion: float = 4e-6
    activation_volume_kinetics: float = 1e-6

    def __post_init__(self):
        for name in ("radius", "diffusivity", "rate_constant", "max_concentration", "electrolyte_concentration",
                     "max_overpotential", "temperature"):
            v = getattr(self, name)
            if not (np.isscalar(v) and np.isfinite(v) and v > 0):
                raise InputError(f"{name}: got {v!r}, expected a finite number > 0 (SI)")
        x0, xt, xs = self.initial_stoichiometry, self.target_stoichiometry, self.saturation_stoichiometry
        if not (0 < x0 < xt < xs <= 1):
            raise InputError(f"initial/target/saturation_stoichiometry: got {x0}, {xt}, {xs}; expected "
                             "0 < initial < target < saturation <= 1")
        for name in ("activation_volume_diffusion", "activation_volume_kinetics"):
            if not np.isfinite(getattr(self, name)):
                raise InputError(f"{name}: got {getattr(self, name)!r}, expected a finite volume in m^3/mol")

    def at_pressure(self, pressure: float) -> tuple[float, float]:
        """``(D(p), k(p))`` at gauge pressure p in Pa."""
        if not (np.isfinite(pressure) and pressure >= 0):
            raise InputError(f"pressure: got {pressure!r}, expected a finite gauge pressure >= 0 Pa")
        T = self.temperature
        return (self.diffusivity * float(pressure_factor(pressure, self.activation_volume_diffusion, T)),
                self.rate_constant * float(pressure_factor(pressure, self.activation_volume_kinetics, T)))

    @property
    def one_c_current(self) -> float:
        """Current density of 1C (full capacity in one hour), :math:`F c_\\max R/(3\\cdot 3600)` in A/m^2."""
        return FARADAY * self.max_concentration * self.radius / (3.0 * 3600.0)


@dataclass(frozen=True)
class ChargeResult:
    """One galvanostatic charge: histories and the cut-off that ended it (``"target"`` if none)."""

    c_rate: float
    current_density: float
    t: np.ndarray
    mean_stoichiometry: np.ndarray
    surface_stoichiometry: np.ndarray
    overpotential: np.ndarray
    cutoff: str
    time: float


def charge_particle(particle: ChargingParticle, c_rate: float, pressure: float = 0.0, *, n_cells: int = 30,
                    n_steps: int = 200) -> ChargeResult:
    """Charge the particle at ``c_rate`` (1/h) under ``pressure`` (Pa) until the first cut-off.

    The run lasts at most the time to reach the target stoichiometry (5 % beyond it);
    ``n_steps`` fixed BDF2 steps over that span, the stopping time interpolated
    between steps. See the module docstring for the cut-offs.
    """
    if not (np.isfinite(c_rate) and c_rate > 0):
        raise InputError(f"c_rate: got {c_rate!r}, expected a finite C-rate > 0 (1/h)")
    D, k = particle.at_pressure(pressure)
    p, cmax, T = particle, particle.max_concentration, particle.temperature
    i = c_rate * p.one_c_current
    j = i / FARADAY
    t_target = (p.target_stoichiometry - p.initial_stoichiometry) * cmax * p.radius / (3.0 * j)

    def margins(cs, cm):
        eta = butler_volmer_overpotential(i, exchange_current_density(k, p.electrolyte_concentration, cs, cmax), T)
        return np.array([cm / cmax - p.target_stoichiometry, cs / cmax - p.saturation_stoichiometry,
                         (eta - p.max_overpotential) / p.max_overpotential])

    def event(t, cs, cm):
        return float(np.max(margins(min(cs, cmax), cm)))

    hist = solve_particle_diffusion(p.radius, D, j, 1.05 * t_target, initial_concentration=p.initial_stoichiometry * cmax,
                                    n_cells=n_cells, n_steps=n_steps, event=event)
    cs = np.minimum(hist.surface_concentration, cmax)
    eta = butler_volmer_overpotential(i, exchange_current_density(k, p.electrolyte_concentration, cs, cmax), T)
    if not hist.event:
        raise ConvergenceError(f"charge_particle: no cut-off within 1.05 x the time to the target at {c_rate} C")
    g_after = margins(cs[-1], hist.mean_concentration[-1])
    g_before = margins(cs[-2], hist.mean_concentration[-2]) if cs.size > 1 else np.full(3, -np.inf)
    crossed = (g_before < 0) & (g_after >= -1e-12)
    cutoff = CUTOFFS[int(np.argmax(np.where(crossed, g_after - g_before, -np.inf)))] if crossed.any() \
        else CUTOFFS[int(np.argmax(g_after))]
    return ChargeResult(c_rate=float(c_rate), current_density=float(i), t=hist.t,
                        mean_stoichiometry=hist.mean_concentration / cmax, surface_stoichiometry=cs / cmax,
                        overpotential=eta, cutoff=cutoff, time=float(hist.t[-1]))


def max_charging_rate(particle: ChargingParticle, pressure: float = 0.0, *, bracket=(0.01, 100.0),
                      rtol: float = 5e-3, **options) -> tuple[float, str]:
    """Largest C-rate that reaches the target, and the cut-off that stops a faster charge.

    Bisection on log C over ``bracket`` to relative width ``rtol``; ``options`` go to
    :func:`charge_particle`. Raises InputError if the target is reached at the upper
    end or missed at the lower end of the bracket.
    """
    lo, hi = map(float, bracket)
    if not (0 < lo < hi):
        raise InputError(f"bracket: got {bracket!r}, expected 0 < low < high C-rates")
    if charge_particle(particle, lo, pressure, **options).cutoff != "target":
        raise InputError(f"bracket: even {lo} C stops before the target at p = {pressure:g} Pa; lower bracket[0]")
    top = charge_particle(particle, hi, pressure, **options)
    if top.cutoff == "target":
        raise InputError(f"bracket: {hi} C still reaches the target at p = {pressure:g} Pa; raise bracket[1]")
    limiting = top.cutoff
    while hi / lo > 1 + rtol:
        mid = np.sqrt(lo * hi)
        res = charge_particle(particle, mid, pressure, **options)
        if res.cutoff == "target":
            lo = mid
        else:
            hi, limiting = mid, res.cutoff
    return lo, limiting


@dataclass(frozen=True)
class PressureStudy:
    r"""Rate limitation and minimum charging time vs pressure (arrays over ``pressure``, SI).

    Attributes
    ----------
    pressure : ndarray
        Gauge pressure in Pa.
    diffusivity, rate_constant, exchange_current : ndarray
        D(p) (m^2/s), k(p), :math:`i_0(p)` at half filling (A/m^2).
    diffusion_time, kinetic_time : ndarray
        :math:`\\tau_D = R^2/D` and :math:`\\tau_k = F c_\\max R/(3 i_0)` in s.
    max_c_rate : ndarray
        Largest C-rate reaching the target (simulated).
    min_charging_time : ndarray
        Charging time to the target at ``max_c_rate`` in s.
    diffusion_limited_rate, kinetic_limited_rate : ndarray
        Closed-form C-rate limits :math:`i_D`, :math:`i_k` (see module docstring).
    limiting : list of str
        ``"diffusion"`` (saturation cut-off) or ``"kinetics"`` (overpotential cut-off) per pressure.
    crossover_estimate : float or None
        Pressure where the closed-form limits cross (:math:`i_D = i_k`, linear interpolation
        of :math:`\ln(i_D/i_k)` between the pressures), None if they do not cross.
    crossover_bracket : tuple of float or None
        The two neighbouring pressures between which the simulated limitation first switches.
    particle : ChargingParticle
    """

    pressure: np.ndarray
    diffusivity: np.ndarray
    rate_constant: np.ndarray
    exchange_current: np.ndarray
    diffusion_time: np.ndarray
    kinetic_time: np.ndarray
    max_c_rate: np.ndarray
    min_charging_time: np.ndarray
    diffusion_limited_rate: np.ndarray
    kinetic_limited_rate: np.ndarray
    limiting: list
    crossover_estimate: float | None
    crossover_bracket: tuple | None
    particle: ChargingParticle


def pressure_study(pressures, particle: ChargingParticle | None = None, *, rtol: float = 5e-3,
                   n_cells: int = 30, n_steps: int = 200, progress=None, **overrides) -> PressureStudy:
    """Which process limits charging, and the minimum charging time, over a range of pressures.

    Parameters
    ----------
    pressures : array_like
        Gauge pressures in Pa (>= 0).
    particle : ChargingParticle, optional
        Default: graphite of Chen et al. (2020) with illustrative activation volumes.
    rtol : float
        Relative precision of the maximum C-rate (bisection).
    n_cells, n_steps
        Discretisation of every charge (see :func:`charge_particle`).
    progress : callable, optional
        ``progress(done, total)`` after each pressure.
    **overrides
        Fields of :class:`ChargingParticle` to replace (e.g. ``activation_volume_kinetics=3e-6``).
    """
    p = np.atleast_1d(np.asarray(pressures, float))
    if p.ndim != 1 or p.size == 0 or np.any(~np.isfinite(p) | (p < 0)):
        raise InputError(f"pressures: got {pressures!r}, expected a 1-D array of gauge pressures >= 0 Pa")
    part = replace(particle or ChargingParticle(), **overrides)
    cmax, T, R = part.max_concentration, part.temperature, part.radius
    Dk = np.array([part.at_pressure(x) for x in p])
    D, k = Dk[:, 0], Dk[:, 1]
    i0_half = exchange_current_density(k, part.electrolyte_concentration, cmax / 2, cmax)
    i0_target = exchange_current_density(k, part.electrolyte_concentration, part.target_stoichiometry * cmax, cmax)
    i_D = 5 * FARADAY * D * cmax * (part.saturation_stoichiometry - part.target_stoichiometry) / R
    i_k = 2 * i0_target * np.sinh(FARADAY * part.max_overpotential / (2 * GAS_CONSTANT * T))
    c_rates, limiting = np.empty(p.size), []
    bracket_hi = 2.0 * max(i_D.max(), i_k.max()) / part.one_c_current
    for n, x in enumerate(p):
        rate, cut = max_charging_rate(part, x, bracket=(1e-3 * bracket_hi, bracket_hi), rtol=rtol,
                                      n_cells=n_cells, n_steps=n_steps)
        c_rates[n] = rate
        limiting.append("diffusion" if cut == "saturation" else "kinetics")
        if progress is not None:
            progress(n + 1, p.size)
    t_min = (part.target_stoichiometry - part.initial_stoichiometry) * 3600.0 / c_rates
    ratio = np.log(i_D / i_k)
    switch = np.flatnonzero(np.diff(np.sign(ratio)) != 0)
    crossover = None
    if switch.size:
        a = switch[0]
        crossover = float(p[a] + (p[a + 1] - p[a]) * ratio[a] / (ratio[a] - ratio[a + 1]))
    changes = [n for n in range(p.size - 1) if limiting[n] != limiting[n + 1]]
    bracket = (float(p[changes[0]]), float(p[changes[0] + 1])) if changes else None
    return PressureStudy(pressure=p, diffusivity=D, rate_constant=k, exchange_current=i0_half,
                         diffusion_time=R**2 / D, kinetic_time=FARADAY * cmax * R / (3 * i0_half),
                         max_c_rate=c_rates, min_charging_time=t_min,
                         diffusion_limited_rate=i_D / part.one_c_current, kinetic_limited_rate=i_k / part.one_c_current,
                         limiting=limiting, crossover_estimate=crossover, crossover_bracket=bracket,
                         particle=part)


def pressure_study_figure(study: PressureStudy):
    """Two panels: time scales vs pressure; maximum C-rate and minimum charging time vs pressure."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10.0, 4.0))
    p = study.pressure / 1e9
    ax1.semilogy(p, study.diffusion_time, "C0-", label=r"diffusion $\tau_D = R^2/D$")
    ax1.semilogy(p, study.kinetic_time, "C3-", label=r"kinetics $\tau_k = F c_{max} R / 3 i_0$")
    ax1.set_xlabel("pressure [GPa]")
    ax1.set_ylabel("time scale [s]")
    ax1.legend(fontsize=8)
    ax1.set_title("time scales under pressure")
    ax2.semilogy(p, study.diffusion_limited_rate, "C0--", lw=1, label="saturation limit (closed form)")
    ax2.semilogy(p, study.kinetic_limited_rate, "C3--", lw=1, label="overpotential limit (closed form)")
    diff = np.array([s == "diffusion" for s in study.limiting])
    ax2.semilogy(p[diff], study.max_c_rate[diff], "C0o", label="simulated max C-rate: diffusion-limited")
    ax2.semilogy(p[~diff], study.max_c_rate[~diff], "C3s", label="simulated max C-rate: kinetics-limited")
    if study.crossover_estimate is not None:
        ax2.axvline(study.crossover_estimate / 1e9, color="grey", ls=":", lw=1)
    ax2.set_xlabel("pressure [GPa]")
    ax2.set_ylabel("max C-rate to the target [1/h]")
    twin = ax2.twinx()
    twin.plot(p, study.min_charging_time / 60.0, "k-", lw=1)
    twin.set_ylabel("minimum charging time [min] (black)")
    ax2.legend(fontsize=7, loc="lower left")
    ax2.set_title("fastest charge to the target")
    fig.tight_layout()
    return fig
