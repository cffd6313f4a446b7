r"""Mori–Zwanzig memory kernels of a tagged particle in a harmonic heat bath.

Eliminating a harmonic bath exactly (the bath is linear, so its coordinates can be
solved for and substituted back) turns Newton's equation of a tagged particle of
mass :math:`M` into a generalized Langevin equation (GLE)

.. math:: M\ddot x = -U_\mathrm{eff}'(x) - M\int_0^t K(t-s)\,\dot x(s)\,ds + F(t),
          \qquad \langle F(t)F(0)\rangle = M k_BT\,K(t),

with the memory kernel (per unit mass, 1/s²) of a bath of oscillators of masses
:math:`m_j`, frequencies :math:`\omega_j` and bilinear couplings :math:`-c_j q_j x`

.. math:: K(t) = \frac{1}{M}\sum_j \frac{c_j^2}{m_j\omega_j^2}\cos\omega_j t

(Zwanzig 1973, J. Stat. Phys. 9, 215; Zwanzig 2001, *Nonequilibrium Statistical
Mechanics*, OUP, ch. 1 (the heat-bath model) and ch. 8 (projection operators);
Ford, Kac & Mazur 1965, J. Math. Phys. 6, 504).

**The end of a semi-infinite harmonic chain** (all masses :math:`m`, springs
:math:`k`, :math:`\omega_0 = \sqrt{k/m}`). The bath is the chain behind the end
particle with a wall where the end particle sits; its modes are
:math:`\phi_q(j) = \sqrt{2/(N+1)}\sin qj`, :math:`\omega_q = 2\omega_0\sin(q/2)`,
coupled through the first spring, :math:`c_q = k\phi_q(1)`. Then
:math:`c_q^2/(m\,m\,\omega_q^2) = (2/(N+1))\,\omega_0^2\cos^2(q/2)` and, as
:math:`N\to\infty` (:math:`\sum_q \to (N+1)/\pi\int_0^\pi dq`, then Poisson's
integral for :math:`J_1`),

.. math:: K(t) = \frac{4\omega_0^2}{\pi}\int_0^{\pi/2}\cos^2\theta\,\cos(2\omega_0 t\sin\theta)\,d\theta
          = \frac{k}{m}\,\frac{J_1(2\omega_0 t)}{\omega_0 t},

with :math:`K(0) = k/m` and :math:`U_\mathrm{eff} = 0` (the static bath compliance
cancels the first spring: the chain end is free). This is the classical result of
Adelman & Doll (1976), J. Chem. Phys. 64, 2375 (the harmonic-chain model of a solid
surface). A finite bath of :math:`N` sites reproduces it until the first echo from the far
end, :math:`t \approx 2N/\omega_0`.

Kernels can be computed here three ways, each checked against the closed form:
from the bath's normal modes (:func:`chain_bath_oscillators` +
:func:`oscillator_bath_kernel`), by simulating the bath released from its static
response to the tagged particle (:func:`kernel_from_bath_release`), and by inverting
the Volterra equation of the tagged particle's velocity autocorrelation
(:func:`kernel_from_velocity_autocorrelation`, Berne & Harp 1970, Adv. Chem.
Phys. 17, 63).
"""

from __future__ import annotations

import numpy as np
from scipy.special import j1

from ..core.errors import ConvergenceError, InputError, ShapeError
from ..solvers.harmonic_bath import chain_normal_modes, velocity_verlet
from . import arguments

__all__ = ["semi_infinite_chain_kernel", "oscillator_bath_kernel", "chain_bath_oscillators",
           "kernel_from_bath_release", "chain_end_velocity_autocorrelation",
           "kernel_from_velocity_autocorrelation"]


def _spring_mass(spring, mass):
    k = float(arguments.positive(spring, "N/m", "spring", kind="spring constant"))
    m = float(arguments.positive(mass, "kg", "mass", kind="mass"))
    return k, m


def semi_infinite_chain_kernel(time, spring, mass):
    r"""Memory kernel of the end particle of a semi-infinite harmonic chain, 1/s².

    .. math:: K(t) = \frac{k}{m}\frac{J_1(2\omega_0 t)}{\omega_0 t}, \qquad \omega_0 = \sqrt{k/m}

    (Adelman & Doll 1976, J. Chem. Phys. 64, 2375; derivation in the module docstring).

    Parameters
    ----------
    time : array_like
        t >= 0, s.
    spring : float or quantity
        k, N/m.
    mass : float or quantity
        m, kg (tagged particle and chain atoms alike).
    """
    k, m = _spring_mass(spring, mass)
    t = np.asarray(arguments.finite(time, "time", lambda a: a < 0, unit="s", expected="times >= 0 s"),
                   dtype=float)
    w0 = np.sqrt(k / m)
    z = 2.0 * w0 * t
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(z > 0, j1(z) / np.where(z > 0, z, 1.0), 0.5)   # J1(z)/z -> 1/2
    return arguments.scalar_or_array(2.0 * (k / m) * ratio)


def oscillator_bath_kernel(time, frequencies, couplings, bath_masses, system_mass):
    r"""Memory kernel of a bath of harmonic oscillators (Zwanzig's formula), 1/s².

    .. math:: K(t) = \frac{1}{M}\sum_j \frac{c_j^2}{m_j\omega_j^2}\cos\omega_j t

    Parameters
    ----------
    time : array_like
        t, s.
    frequencies : array_like, shape (n,)
        Angular frequencies :math:`\omega_j > 0`, rad/s.
    couplings : array_like, shape (n,)
        :math:`c_j` of the bilinear coupling :math:`-c_j q_j x`, N/m.
    bath_masses : float or array_like
        :math:`m_j`, kg.
    system_mass : float
        M, kg.

    References
    ----------
    Zwanzig 2001, *Nonequilibrium Statistical Mechanics*, ch. 1; Ford, Kac & Mazur 1965.
    """
    w = np.atleast_1d(np.asarray(arguments.finite(frequencies, "frequencies", lambda a: a <= 0, unit="rad/s",
                                                  expected="angular frequencies > 0 rad/s"), dtype=float))
    c = np.atleast_1d(np.asarray(arguments.finite(couplings, "couplings", unit="N/m"), dtype=float))
    mj = np.broadcast_to(np.asarray(arguments.positive(bath_masses, "kg", "bath_masses", kind="mass"),
                                    dtype=float), w.shape)
    M = float(arguments.positive(system_mass, "kg", "system_mass", kind="mass"))
    if c.shape != w.shape:
        raise ShapeError(f"oscillator_bath_kernel: couplings {c.shape} and frequencies {w.shape} differ")
    t = np.asarray(arguments.finite(time, "time", unit="s"), dtype=float)
    return np.cos(t[..., None] * w) @ (c ** 2 / (mj * w ** 2)) / M


def chain_bath_oscillators(n_bath: int, spring, mass):
    r"""Normal-mode frequencies and couplings of a harmonic-chain bath behind a tagged end particle.

    The bath is ``n_bath`` sites with a wall where the tagged particle sits (left)
    and a free far end; mode :math:`q` couples with :math:`c_q = k\,\phi_q(1)`
    (N/m), its mass is m. Feed to :func:`oscillator_bath_kernel`.

    Returns
    -------
    (ndarray, ndarray)
        :math:`\omega_q` (rad/s) and :math:`c_q` (N/m).
    """
    k, m = _spring_mass(spring, mass)
    omega, modes = chain_normal_modes(n_bath, k, m, left="wall", right="free")
    return omega, k * modes[0]


def kernel_from_bath_release(time_step, n_steps: int, n_bath: int, spring, mass):
    r"""Memory kernel of a chain end measured by simulating its bath (velocity Verlet), 1/s².

    With the tagged particle clamped (the wall), a unit force on the first bath
    site deforms the bath statically (:math:`x_j = 1/k` for a free far end); released
    from rest, the first site moves as :math:`x_1(t) = \sum_q \phi_q(1)^2\cos(\omega_q t)
    /(m\omega_q^2)`, so that

    .. math:: K(t) = \frac{k^2}{m}\,x_1(t)\big|_{\text{unit force}} = \frac{k}{m}\frac{x_1(t)}{x_1(0)} .

    Time-integration error :math:`O((\omega_0\Delta t)^2)`; valid until the echo
    from the far end, :math:`t \approx 2 n_\mathrm{bath}/\omega_0`.

    Parameters
    ----------
    time_step : float
        Verlet step, s (:math:`\omega_0\Delta t \ll 1`).
    n_steps, n_bath : int
    spring, mass : float
        k (N/m), m (kg).

    Returns
    -------
    (ndarray, ndarray)
        Times (s) and K (1/s²), length ``n_steps + 1``.
    """
    k, m = _spring_mass(spring, mass)
    x0 = np.full(int(n_bath), 1.0 / k)
    xs, _ = velocity_verlet(x0, np.zeros_like(x0), k, m, float(time_step), int(n_steps),
                            left="wall", right="free", record=(0,))
    return np.arange(int(n_steps) + 1) * float(time_step), (k / m) * xs[:, 0] * k


def chain_end_velocity_autocorrelation(time, n_sites: int, spring, mass):
    r"""Normalised velocity autocorrelation of the end particle of a free harmonic chain.

    .. math:: \frac{\langle v_0(t)v_0(0)\rangle}{\langle v_0^2\rangle} = \sum_q \phi_q(0)^2\cos\omega_q t

    (canonical ensemble, normal modes of the free–free chain of ``n_sites``
    particles; the translation mode contributes :math:`1/n`). Exact, no sampling.
    """
    k, m = _spring_mass(spring, mass)
    omega, modes = chain_normal_modes(n_sites, k, m, left="free", right="free")
    t = np.asarray(arguments.finite(time, "time", unit="s"), dtype=float)
    return np.cos(t[..., None] * omega) @ modes[0] ** 2


def kernel_from_velocity_autocorrelation(vacf, dt: float) -> np.ndarray:
    r"""Memory kernel from a velocity autocorrelation by inverting the Volterra equation, 1/s².

    For a GLE without mean force, :math:`\dot C(t) = -\int_0^t K(s)\,C(t-s)\,ds`
    (Zwanzig 2001, ch. 8; Berne & Harp 1970). Its derivative is a Volterra equation
    of the second kind for :math:`K`,

    .. math:: \ddot C(t) = -K(t)\,C(0) - \int_0^t K(s)\,\dot C(t-s)\,ds,

    solved step by step with the trapezoidal rule (:math:`\dot C(0) = 0`):

    .. math:: K_n = -\frac{\ddot C_n + \Delta t\left(\tfrac12 K_0\dot C_n
              + \sum_{j=1}^{n-1}K_j\dot C_{n-j}\right)}{C_0}.

    :math:`\dot C, \ddot C` are central differences (C is even in t). Error
    :math:`O(\Delta t^2)`.

    Parameters
    ----------
    vacf : array_like, shape (n,)
        :math:`C(t_j)` at :math:`t_j = j\Delta t` (any normalisation), :math:`C_0 > 0`.
    dt : float
        Sampling interval, s.

    Returns
    -------
    ndarray, shape (n - 1,)
        :math:`K(t_j)`, j = 0 .. n-2 (the last sample is used by the differences).
    """
    C = np.asarray(vacf, dtype=float)
    if C.ndim != 1 or C.size < 3:
        raise ShapeError(f"kernel_from_velocity_autocorrelation: vacf has shape {C.shape}, expected (n >= 3,)")
    if not np.all(np.isfinite(C)) or not C[0] > 0:
        raise InputError(f"kernel_from_velocity_autocorrelation: vacf must be finite with C(0) > 0, got C(0)={C[0]!r}")
    if not (np.isfinite(dt) and dt > 0):
        raise InputError(f"kernel_from_velocity_autocorrelation: dt={dt!r}, expected > 0 s")
    ext = np.concatenate([[C[1]], C])                  # C(-dt) = C(dt)
    Cd = (ext[2:] - ext[:-2]) / (2 * dt)               # t_0 .. t_{n-2}
    Cdd = (ext[2:] - 2 * ext[1:-1] + ext[:-2]) / dt ** 2
    n = Cd.size
    K = np.empty(n)
    K[0] = -Cdd[0] / C[0]
    for i in range(1, n):
        history = 0.5 * K[0] * Cd[i] + np.dot(K[1:i], Cd[i - 1:0:-1])
        K[i] = -(Cdd[i] + dt * history) / C[0]
    if not np.all(np.isfinite(K)):
        raise ConvergenceError("kernel_from_velocity_autocorrelation: non-finite kernel (ill-conditioned data)")
    return K
