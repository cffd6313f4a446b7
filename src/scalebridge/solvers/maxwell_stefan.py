r"""Two-bulb diffusion cell: ideal-gas Maxwell–Stefan (or Fick) diffusion through a capillary.

Two well-mixed bulbs (volumes :math:`V_1, V_2`) at the same uniform temperature and
pressure (total concentration :math:`c_t = p/RT`) are joined by a capillary of length
:math:`\ell` and cross-section :math:`A`. Constant :math:`c_t` in a closed apparatus makes
the molar-average velocity vanish, so the species fluxes are diffusive and sum to zero.

**Resolved capillary** (:func:`two_bulb_diffusion`, ``capillary_cells > 0``): finite
volumes along the capillary, method of lines. Nodes are the bulb 1, the ``N`` cells of
width :math:`h = \ell/N`, the bulb 2; the flux through the face between neighbouring
nodes at distance :math:`\delta` (:math:`h/2` at the capillary ends, :math:`h` inside) is

.. math:: J = -c_t\,[B(\bar x)]^{-1}\,\frac{x_R - x_L}{\delta},\qquad J_n = -\sum_{i<n} J_i,

with :math:`[B]` the Maxwell–Stefan matrix at the face-average composition
(:func:`maxwell_stefan_B`, duplicated here so the engine imports nothing from the laws
layer), and

.. math:: c_t V_1\dot x_1 = -A J_{1/2},\qquad c_t A h\,\dot x_k = A(J_{k-1/2} - J_{k+1/2}),\qquad
          c_t V_2\dot x_2 = A J_{N+1/2}.

Each species' moles :math:`c_t(V_1 x_{1,i} + V_2 x_{2,i} + A h\sum_k x_{k,i})` are linear
invariants of this system, kept to round-off by the BDF integrator.

**Quasi-steady capillary** (``capillary_cells = 0``): the capillary holds a linear
profile between the bulbs, :math:`J = -c_t [B(\bar x)]^{-1}(x_2 - x_1)/\ell` with
:math:`\bar x = (x_1 + x_2)/2` (the linearised theory of Toor 1964 and Stewart & Prober
1964, Taylor & Krishna 1993, sec. 5.3-5.4); valid when the capillary relaxes
(:math:`\ell^2/Ð`) much faster than the bulbs (:math:`V\ell/(AÐ)`).

**Fick** (``law="fick"``): each of the first n-1 species with its own constant effective
diffusivity (no cross terms), species n by difference.

References
----------
Duncan, J. B. & Toor, H. L. (1962). AIChE J. 8, 38.
Taylor, R. & Krishna, R. (1993). Multicomponent Mass Transfer, Wiley, ch. 2, 5.
Hairer, E. & Wanner, G. (1996). Solving Ordinary Differential Equations II, Springer (BDF;
linear invariants are preserved by linear multistep methods).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import integrate, sparse

from ..core.errors import ConvergenceError, InputError

__all__ = ["TwoBulbSolution", "two_bulb_diffusion"]


@dataclass
class TwoBulbSolution:
    """Result of :func:`two_bulb_diffusion` (SI units).

    Attributes
    ----------
    t : ndarray (T,)
        Times (s).
    bulb1, bulb2 : ndarray (T, n)
        Mole fractions in the bulbs.
    capillary : ndarray (T, N, n)
        Cell mole fractions along the capillary (N = 0 for the quasi-steady capillary).
    flux : ndarray (T, n)
        Molar fluxes at the capillary mid-plane, from bulb 1 towards bulb 2 (mol/(m^2 s)).
    moles : ndarray (T, n)
        Moles of each species in the apparatus (should be constant).
    info : dict
        Integrator statistics: ``nfev``, ``njev``, ``nlu``, ``message``.
    """

    t: np.ndarray
    bulb1: np.ndarray
    bulb2: np.ndarray
    capillary: np.ndarray
    flux: np.ndarray
    moles: np.ndarray
    info: dict = field(default_factory=dict)


def _B(x: np.ndarray, inv: np.ndarray) -> np.ndarray:
    """Maxwell–Stefan [B] (faces, n-1, n-1) at compositions x (faces, n); inv = 1/Ð with zero diagonal."""
    n = x.shape[-1]
    m = n - 1
    B = -x[:, :m, None] * (inv[:m, :m] - inv[:m, n - 1:n])
    idx = np.arange(m)
    B[:, idx, idx] = x[:, :m] * inv[:m, n - 1] + x @ inv[:m].T
    return B


def two_bulb_diffusion(x1, x2, *, volume1: float, volume2: float, area: float, length: float, diffusivities,
                       total_concentration: float, times, capillary_cells: int = 20, law: str = "maxwell_stefan",
                       fick_diffusivities=None, rtol: float = 1e-9, atol: float = 1e-13) -> TwoBulbSolution:
    r"""Compositions of a two-bulb diffusion cell over time (module docstring).

    Parameters
    ----------
    x1, x2 : array_like (n,)
        Initial mole fractions of bulbs 1 and 2 (each summing to 1; the capillary starts
        at their mean, or linear between them).
    volume1, volume2, area, length : float
        m^3, m^3, m^2, m.
    diffusivities : array_like (n, n)
        Symmetric binary Maxwell–Stefan diffusivities (m^2/s; diagonal ignored).
    total_concentration : float
        :math:`c_t = p/RT` (mol/m^3).
    times : array_like
        Output times (s), increasing from 0.
    capillary_cells : int
        Finite volumes along the capillary; 0 for the quasi-steady capillary.
    law : {"maxwell_stefan", "fick"}
    fick_diffusivities : array_like (n-1,), optional
        Constant effective diffusivities of the first n-1 species for ``law="fick"`` (m^2/s).

    Raises
    ------
    InputError
        Bad compositions, sizes or diffusivities.
    ConvergenceError
        The integrator failed or produced non-finite compositions.
    """
    x1, x2 = np.asarray(x1, dtype=float), np.asarray(x2, dtype=float)
    n = x1.size
    if n < 2 or x2.shape != x1.shape or np.any(x1 < 0) or np.any(x2 < 0) or \
            not (np.isclose(x1.sum(), 1, atol=1e-9) and np.isclose(x2.sum(), 1, atol=1e-9)):
        raise InputError(f"x1, x2: expected two compositions of the same n >= 2 species, each >= 0 summing to 1; "
                         f"got {x1.tolist()} and {x2.tolist()}")
    for name, v in (("volume1", volume1), ("volume2", volume2), ("area", area), ("length", length),
                    ("total_concentration", total_concentration)):
        if not (np.isfinite(v) and v > 0):
            raise InputError(f"{name}: expected a positive finite number (SI), got {v!r}")
    D = np.asarray(diffusivities, dtype=float)
    off = ~np.eye(n, dtype=bool)
    if D.shape != (n, n) or not np.allclose(D, D.T) or np.any(~(D[off] > 0)) or not np.all(np.isfinite(D[off])):
        raise InputError(f"diffusivities: expected a symmetric ({n}, {n}) matrix with positive off-diagonal entries")
    inv = np.zeros((n, n))
    inv[off] = 1.0 / D[off]
    if law not in ("maxwell_stefan", "fick"):
        raise InputError(f"law: got {law!r}, expected 'maxwell_stefan' or 'fick'")
    if law == "fick":
        Df = np.asarray(fick_diffusivities, dtype=float) if fick_diffusivities is not None else None
        if Df is None or Df.shape != (n - 1,) or np.any(~(Df > 0)):
            raise InputError(f"fick_diffusivities: law 'fick' needs {n - 1} positive effective diffusivities")
    N = int(capillary_cells)
    if N != capillary_cells or N < 0:
        raise InputError(f"capillary_cells: expected an integer >= 0, got {capillary_cells!r}")
    t_out = np.asarray(times, dtype=float)
    if t_out.ndim != 1 or t_out.size < 2 or t_out[0] != 0 or np.any(np.diff(t_out) <= 0):
        raise InputError("times: expected an increasing 1-D array starting at 0")

    m, ct = n - 1, float(total_concentration)
    h = length / N if N else length
    dist = np.r_[h / 2, np.full(N - 1, h), h / 2] if N else np.array([length])
    # node "volumes": bulb 1, capillary cells, bulb 2
    vol = np.r_[volume1, np.full(N, area * h), volume2]

    def face_fluxes(X):                                    # X (N + 2, n) -> J (N + 1, n)
        grad = (X[1:, :m] - X[:-1, :m]) / dist[:, None]
        if law == "fick":
            J = -ct * Df * grad
        else:
            J = -ct * np.linalg.solve(_B(0.5 * (X[1:] + X[:-1]), inv), grad[..., None])[..., 0]
        return np.concatenate([J, -J.sum(axis=1, keepdims=True)], axis=1)

    def unpack(y):
        X = np.empty((N + 2, n))
        X[:, :m] = y.reshape(N + 2, m)
        X[:, m] = 1.0 - X[:, :m].sum(axis=1)
        return X

    def rhs(_t, y):
        J = face_fluxes(unpack(y))[:, :m]
        net = np.zeros((N + 2, m))
        net[:-1] -= J
        net[1:] += J
        return (area * net / (ct * vol[:, None])).ravel()

    # each node couples to its neighbours (all species)
    blocks = sparse.diags([np.ones(N + 1), np.ones(N + 2), np.ones(N + 1)], [-1, 0, 1], shape=(N + 2, N + 2))
    pattern = sparse.kron(blocks, np.ones((m, m)), format="csr")
    if N:
        s = (np.arange(N) + 0.5) / N
        cap0 = x1[None, :] + s[:, None] * (x2 - x1)[None, :]
    else:
        cap0 = np.empty((0, n))
    y0 = np.concatenate([x1[None], cap0, x2[None]])[:, :m].ravel()
    sol = integrate.solve_ivp(rhs, (0.0, t_out[-1]), y0, method="BDF", t_eval=t_out, rtol=rtol, atol=atol,
                              jac_sparsity=pattern)
    if not sol.success or not np.all(np.isfinite(sol.y)):
        raise ConvergenceError(f"two_bulb_diffusion: integrator failed ({sol.message})")
    X = np.stack([unpack(y) for y in sol.y.T])            # (T, N + 2, n)
    moles = ct * np.einsum("tkn,k->tn", X, vol)
    mid = (N + 1) // 2 if N else 0
    if N and N % 2 == 1:                                  # odd cell count: average the faces around the mid cell
        flux = 0.5 * np.stack([face_fluxes(x)[mid - 1] + face_fluxes(x)[mid] for x in X])
    else:
        flux = np.stack([face_fluxes(x)[mid] for x in X])
    return TwoBulbSolution(t=sol.t, bulb1=X[:, 0], bulb2=X[:, -1], capillary=X[:, 1:-1], flux=flux, moles=moles,
                           info={"nfev": int(sol.nfev), "njev": int(sol.njev), "nlu": int(sol.nlu),
                                 "message": sol.message})
