r"""Maxwell–Stefan diffusion in ideal gas mixtures: the friction matrix, Fick matrices, kinetic theory.

For an ideal gas at uniform temperature and pressure the Maxwell–Stefan equations
balance the driving force of each species against its friction with every other,

.. math:: -\nabla x_i = \sum_{j\ne i}\frac{x_j J_i - x_i J_j}{c_t\,Ð_{ij}},\qquad
          \sum_i J_i = 0 \quad(\text{molar-average reference}),

(Taylor & Krishna 1993, eq. 2.1.16). Eliminating :math:`J_n` gives, for the first
:math:`n-1` species, :math:`-c_t\nabla x = [B]\,J`, i.e. :math:`J = -c_t [B]^{-1}\nabla x`
(the generalised Fick law, :math:`[D] = [B]^{-1}` for an ideal gas) with (T&K eq. 2.1.21-22)

.. math:: B_{ii} = \frac{x_i}{Ð_{in}} + \sum_{k\ne i}\frac{x_k}{Ð_{ik}},\qquad
          B_{ij} = -x_i\Big(\frac{1}{Ð_{ij}} - \frac{1}{Ð_{in}}\Big)\ (i \ne j).

The off-diagonal terms carry the coupling that makes a species diffuse with no
gradient of its own (osmotic diffusion), against it (reverse, uphill diffusion) or not
at all despite it (diffusion barrier) (Toor 1957; Duncan & Toor 1962).
Binary diffusivities :math:`Ð_{ij}` of gases at low density follow from kinetic theory
(Chapman–Enskog with the Lennard-Jones potential; Hirschfelder, Curtiss & Bird 1954;
Poling, Prausnitz & O'Connell 2001, eq. 11-3.1 and Neufeld's collision integral 11-3.6).

References
----------
Taylor, R. & Krishna, R. (1993). Multicomponent Mass Transfer, Wiley, ch. 2 and 5.
Toor, H. L. (1957). Diffusion in three-component gas mixtures. AIChE J. 3, 197.
Duncan, J. B. & Toor, H. L. (1962). An experimental study of three component gas diffusion.
AIChE J. 8, 38.
Poling, B. E., Prausnitz, J. M. & O'Connell, J. P. (2001). The Properties of Gases and
Liquids, 5th ed., McGraw-Hill, ch. 11 and Appendix B.
Neufeld, P. D., Janzen, A. R. & Aziz, R. A. (1972). J. Chem. Phys. 57, 1100.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.errors import InputError
from .arguments import positive

__all__ = ["diffusivity_matrix", "maxwell_stefan_B", "fick_matrix", "mixture_averaged_diffusivity",
           "collision_integral_diffusion", "chapman_enskog_diffusivity", "LENNARD_JONES"]

#: Lennard-Jones parameters (sigma in m, epsilon/k_B in K, molar mass in kg/mol) of a few gases
#: (Poling, Prausnitz & O'Connell 2001, Appendix B, Table B-1).
LENNARD_JONES = {
    "H2": (2.827e-10, 59.7, 2.016e-3), "N2": (3.798e-10, 71.4, 28.014e-3), "CO2": (3.941e-10, 195.2, 44.010e-3),
    "He": (2.551e-10, 10.22, 4.003e-3), "Ar": (3.542e-10, 93.3, 39.948e-3), "CH4": (3.758e-10, 148.6, 16.043e-3),
    "O2": (3.467e-10, 106.7, 31.999e-3), "Ne": (2.820e-10, 32.8, 20.180e-3),
}


def diffusivity_matrix(pairs: dict, species: list[str]) -> np.ndarray:
    """Symmetric (n, n) matrix of binary diffusivities (m^2/s, zero diagonal) from ``{(i, j): D_ij}``.

    Keys may be tuples or ``"i-j"`` strings; every pair must be given once, positive.
    """
    n = len(species)
    D = np.zeros((n, n))
    index = {s: k for k, s in enumerate(species)}
    for key, value in pairs.items():
        a, b = key.split("-") if isinstance(key, str) else key
        if a not in index or b not in index or a == b:
            raise InputError(f"diffusivities: {key!r} is not a pair of distinct species of {species}")
        if not (np.isfinite(value) and value > 0):
            raise InputError(f"diffusivities: {key!r} must be positive, got {value!r}")
        if D[index[a], index[b]]:
            raise InputError(f"diffusivities: pair {key!r} given twice")
        D[index[a], index[b]] = D[index[b], index[a]] = float(value)
    missing = [f"{species[i]}-{species[j]}" for i in range(n) for j in range(i + 1, n) if D[i, j] == 0]
    if missing:
        raise InputError(f"diffusivities: missing pair(s) {missing}")
    return D


def _check(x: Any, D: Any) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float)
    D = np.asarray(D, dtype=float)
    n = x.shape[-1]
    if n < 2 or D.shape != (n, n) or not np.allclose(D, D.T):
        raise InputError(f"D: expected a symmetric ({n}, {n}) matrix of binary diffusivities, got shape {D.shape}")
    off = ~np.eye(n, dtype=bool)
    if np.any(D[off] <= 0) or not np.all(np.isfinite(D)):
        raise InputError("D: binary diffusivities must be positive and finite")
    if not np.all(np.isfinite(x)):
        raise InputError("x: mole fractions must be finite")
    return x, D


def maxwell_stefan_B(x: Any, D: Any) -> np.ndarray:
    r"""The (n-1) x (n-1) Maxwell–Stefan matrix :math:`[B]` (s/m^2) at compositions ``x`` (..., n).

    See the module docstring (Taylor & Krishna 1993, eq. 2.1.21-22); species n is the
    reference eliminated by :math:`\sum J_i = 0`. Batched over leading axes of ``x``.
    """
    x, D = _check(x, D)
    n = x.shape[-1]
    inv = np.zeros_like(D)
    off = ~np.eye(n, dtype=bool)
    inv[off] = 1.0 / D[off]
    m = n - 1
    B = -x[..., :m, None] * (inv[None, :m, :m] - inv[None, :m, n - 1:n])[0]
    diag = x[..., :m] * inv[:m, n - 1] + np.einsum("...k,ik->...i", x, inv[:m])
    idx = np.arange(m)
    B[..., idx, idx] = diag
    return B


def fick_matrix(x: Any, D: Any) -> np.ndarray:
    r"""Fick diffusion matrix of an ideal gas, :math:`[D] = [B]^{-1}` (m^2/s), shape (..., n-1, n-1)."""
    return np.linalg.inv(maxwell_stefan_B(x, D))


def mixture_averaged_diffusivity(x: Any, D: Any) -> np.ndarray:
    r"""Effective (mixture-averaged) diffusivity of each species, :math:`D_{i,m} = (1 - x_i)/\sum_{j\ne i} x_j/Ð_{ij}`.

    The Fick's-law closure that ignores cross terms (Wilke 1950, Chem. Eng. Prog. 46, 95;
    Taylor & Krishna 1993, eq. 6.1.12); exact for a trace species. Shape (..., n).
    """
    x, D = _check(x, D)
    n = x.shape[-1]
    inv = np.where(np.eye(n, dtype=bool), 0.0, 1.0 / np.where(np.eye(n, dtype=bool), 1.0, D))
    return (1.0 - x) / np.einsum("...j,ij->...i", x, inv)


def collision_integral_diffusion(reduced_temperature: Any) -> Any:
    r"""Neufeld et al. (1972) fit of the Lennard-Jones diffusion collision integral :math:`\Omega_D(T^*)`.

    .. math:: \Omega_D = \frac{A}{T^{*B}} + \frac{C}{e^{DT^*}} + \frac{E}{e^{FT^*}} + \frac{G}{e^{HT^*}}

    (Poling et al. 2001, eq. 11-3.6), valid for :math:`0.3 \le T^* \le 100`.
    """
    Ts = np.asarray(positive(reduced_temperature, "", "reduced_temperature"), dtype=float)
    A, B, C, D, E, F, G, H = 1.06036, 0.15610, 0.19300, 0.47635, 1.03587, 1.52996, 1.76474, 3.89411
    return A / Ts ** B + C / np.exp(D * Ts) + E / np.exp(F * Ts) + G / np.exp(H * Ts)


def chapman_enskog_diffusivity(temperature: Any, pressure: Any, species_i: str, species_j: str,
                               parameters: dict | None = None) -> Any:
    r"""Binary diffusivity of two gases at low density from Chapman–Enskog theory (m^2/s).

    .. math:: Ð_{ij} = \frac{3}{16}\frac{\sqrt{2\pi (k_B T)^3/m_{ij}}}{p\,\pi\sigma_{ij}^2\,\Omega_D(T^*)},
              \quad m_{ij} = \frac{m_i m_j}{m_i + m_j},\ \sigma_{ij} = \frac{\sigma_i + \sigma_j}{2},\
              T^* = \frac{k_B T}{\sqrt{\varepsilon_i\varepsilon_j}}

    (Hirschfelder, Curtiss & Bird 1954, eq. 8.2-44; Poling et al. 2001, eq. 11-3.1), with
    Lennard-Jones parameters from ``parameters`` (default :data:`LENNARD_JONES`).
    """
    from scipy.constants import N_A, k as k_B

    table = LENNARD_JONES if parameters is None else parameters
    for s in (species_i, species_j):
        if s not in table:
            raise InputError(f"species {s!r}: no Lennard-Jones parameters; known: {sorted(table)}")
    T = np.asarray(positive(temperature, "K", "temperature"), dtype=float)
    p = np.asarray(positive(pressure, "Pa", "pressure"), dtype=float)
    (si, ei, Mi), (sj, ej, Mj) = table[species_i], table[species_j]
    m = (Mi * Mj / (Mi + Mj)) / N_A
    sigma = 0.5 * (si + sj)
    omega = collision_integral_diffusion(T / np.sqrt(ei * ej))
    D = 3.0 / 16.0 * np.sqrt(2 * np.pi * (k_B * T) ** 3 / m) / (p * np.pi * sigma ** 2 * omega)
    return float(D) if D.ndim == 0 else D
