r"""FFT-based periodic cell (RVE) solver: conductivity and small-strain elasticity on voxels.

The cell problem. On a periodic voxel cell :math:`Y` with phase tensors :math:`C(x)`
(conductivity :math:`k`, or a Mandel stiffness), find the periodic fluctuation
:math:`\tilde\varepsilon` of the gradient (strain) such that

.. math::

    \varepsilon = E + \tilde\varepsilon,\quad \tilde\varepsilon\ \text{compatible},\ \langle\tilde\varepsilon\rangle = 0,
    \qquad \operatorname{div}\sigma = 0,\ \sigma = C(x)\,\varepsilon,

for each imposed mean :math:`E`; then :math:`\langle\sigma\rangle = C^{\rm eff} E`. With
the orthogonal projection :math:`G` onto compatible zero-mean fields
(:mod:`scalebridge.solvers.fft_green`, applied in Fourier space) this is the
Fourier–Galerkin system (Zeman, Vondřejc, Novák & Marek 2010, J. Comput. Phys. 229,
8065; Vondřejc, Zeman & Marek 2014, Comput. Math. Appl. 68, 156)

.. math:: G[C\,\tilde\varepsilon] = -G[C\,E],\qquad \tilde\varepsilon \in \operatorname{range} G,

symmetric positive definite on :math:`\operatorname{range} G`, with condition number at
most the phase contrast :math:`\kappa = \lambda_{\max}/\lambda_{\min}` (extreme
eigenvalues of the phase matrices). Schemes:

* ``"cg"``: conjugate gradients on that system (the reference medium
  :math:`C^0 = c_0\mathbb I` is implicit: :math:`\Gamma^0 = G/c_0` and :math:`c_0`
  cancels in CG). Iterations grow like :math:`\sqrt\kappa`, independent of resolution.
* ``"basic"``: the Moulinec–Suquet fixed point (1994, C. R. Acad. Sci. II 318, 1417;
  1998, Comput. Methods Appl. Mech. Eng. 157, 69)
  :math:`\tilde\varepsilon \leftarrow \tilde\varepsilon - \Gamma^0[C\,\varepsilon]`
  with :math:`c_0 = (\lambda_{\min}+\lambda_{\max})/2`; iterations grow like
  :math:`\kappa`.

Both stop, per load case, when the relative equilibrium residual
:math:`\|G[\sigma]\|_2 / \|G[C E]\|_2` (the CG residual :math:`\|r_k\|/\|r_0\|`) is below
``tol``. The operators (``"spectral"``, ``"discrete"`` = Willot's rotated scheme) and the
treatment of Nyquist frequencies are described in :mod:`scalebridge.solvers.fft_green`.
All load cases are solved together: every array carries a leading load axis, the FFTs
(:func:`scipy.fft.rfftn`, all cores) transform all loads and components at once.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.fft as sfft

from ..core.errors import ConvergenceError, InputError
from .cell import CellSolution, effective_from_loads, hill_mandel_residual
from .fft_green import OPERATORS, ProjectionOperator
from .fft_law import material_law, phase_tensors_conductivity, phase_tensors_stiffness, validate_phases

__all__ = ["solve_conductivity", "solve_elasticity", "SCHEMES", "OPERATORS", "WORKERS"]

SCHEMES = ("cg", "basic")
#: Threads for scipy.fft (-1: all cores).
WORKERS = -1


def solve_conductivity(phases, conductivity, gradients=None, *, operator: str = "discrete", scheme: str = "cg",
                       tol: float = 1e-8, max_iter: int = 1000, return_fields: bool = False, unit: str = "",
                       raise_on_nonconvergence: bool = True) -> CellSolution:
    r"""Effective conductivity of a periodic voxel cell by the FFT (Fourier–Galerkin) method.

    Solves :math:`\operatorname{div}(k(x)\,g) = 0`, :math:`g = G_{\rm mean} + \nabla u`,
    :math:`u` periodic, for every imposed mean gradient; :math:`\langle q\rangle =
    K^{\rm eff}\langle g\rangle` with the flux :math:`q = k g` (sign dropped).

    Parameters
    ----------
    phases : array_like of int, shape (n1, n2) or (n1, n2, n3)
        Phase id (0 ... P-1) of every voxel of the periodic cell; voxels are cubic and
        only ratios matter (the cell size never enters).
    conductivity : array_like, shape (P,) or (P, d, d)
        Scalar or symmetric positive-definite conductivity of each phase, any unit
        (the result carries it, see ``unit``).
    gradients : array_like, shape (n_loads, d), optional
        Imposed mean gradients; default the identity (all unit load cases), so that
        ``effective`` is the complete tensor.
    operator : {"discrete", "spectral"}
        ``"discrete"``: Willot's (2015) rotated finite-difference Green operator (no
        ringing, accurate at sharp interfaces); ``"spectral"``: the continuous
        operator of Moulinec & Suquet. See :mod:`scalebridge.solvers.fft_green`.
    scheme : {"cg", "basic"}
        Conjugate gradients (Zeman et al. 2010) or the Moulinec–Suquet fixed point.
    tol : float
        Relative equilibrium residual :math:`\|G[q]\|/\|G[k G_{\rm mean}]\|` per load.
    max_iter : int
    return_fields : bool
        Put ``{"gradient": (n_loads, d, *grid), "flux": ...}`` in ``fields``.
    unit : str
        Unit of ``conductivity`` (copied to ``CellSolution.unit``).
    raise_on_nonconvergence : bool
        If True (default) raise :class:`~scalebridge.core.errors.ConvergenceError` when
        a load case misses ``tol`` within ``max_iter``; if False return the last
        iterate with ``converged=False``. Non-finite values always raise.

    Returns
    -------
    CellSolution
        ``problem="conductivity"``, ``boundary_condition="periodic"``; ``info`` holds
        operator, scheme, grid, contrast, reference, volume fractions and timings.
    """
    ph, n_phases = validate_phases(phases)
    tensors = phase_tensors_conductivity(conductivity, ph.ndim, n_phases)
    return _solve(ph, tensors, gradients, "conductivity", operator, scheme, tol, max_iter, return_fields, unit,
                  raise_on_nonconvergence, scalar=np.ndim(conductivity) == 1)


def solve_elasticity(phases, stiffness, strains=None, *, operator: str = "discrete", scheme: str = "cg",
                     tol: float = 1e-8, max_iter: int = 1000, return_fields: bool = False, unit: str = "",
                     raise_on_nonconvergence: bool = True) -> CellSolution:
    r"""Effective small-strain stiffness of a periodic voxel cell by the FFT method.

    Solves :math:`\operatorname{div}\sigma = 0`, :math:`\sigma = C(x)\,\varepsilon`,
    :math:`\varepsilon = E + \mathrm{sym}\,\nabla u`, :math:`u` periodic, in Mandel
    notation (:mod:`scalebridge.solvers.tensors`); :math:`\langle\sigma\rangle =
    C^{\rm eff} E`. In 2-D the state is plane strain (3 Mandel components).

    Parameters
    ----------
    phases : array_like of int, shape (n1, n2) or (n1, n2, n3)
        Phase id of every voxel (see :func:`solve_conductivity`).
    stiffness : array_like, shape (P, m, m)
        Symmetric positive-definite Mandel stiffness of each phase (m = 3 in 2-D,
        6 in 3-D), isotropic or anisotropic, any unit (e.g. GPa, see ``unit``).
    strains : array_like, shape (n_loads, m), optional
        Imposed mean Mandel strains; default the identity (all unit load cases).
    operator, scheme, tol, max_iter, unit, raise_on_nonconvergence
        As in :func:`solve_conductivity` (tolerance on :math:`\|G[\sigma]\|/\|G[C E]\|`).
    return_fields : bool
        Put ``{"strain": (n_loads, m, *grid), "stress": ...}`` in ``fields``.

    Returns
    -------
    CellSolution
        ``problem="elasticity"``, ``effective`` the (m, m) Mandel stiffness.
    """
    ph, n_phases = validate_phases(phases)
    tensors = phase_tensors_stiffness(stiffness, ph.ndim, n_phases)
    return _solve(ph, tensors, strains, "elasticity", operator, scheme, tol, max_iter, return_fields, unit,
                  raise_on_nonconvergence, scalar=False)


def _loads(loads, n_comp: int, name: str) -> np.ndarray:
    if loads is None:
        return np.eye(n_comp)
    a = np.asarray(loads, dtype=float)
    if a.ndim == 1:
        a = a[None, :]
    if a.ndim != 2 or a.shape[1] != n_comp or a.shape[0] < 1:
        raise InputError(f"{name}: got shape {np.shape(loads)}, expected (n_loads, {n_comp})")
    if not np.all(np.isfinite(a)):
        raise InputError(f"{name}: got non-finite values, expected finite mean {name}")
    return np.ascontiguousarray(a)


def _options(operator, scheme, tol, max_iter):
    if operator not in OPERATORS:
        raise InputError(f"operator: got {operator!r}, expected one of {OPERATORS}")
    if scheme not in SCHEMES:
        raise InputError(f"scheme: got {scheme!r}, expected one of {SCHEMES}")
    if not (np.isscalar(tol) and np.isfinite(tol) and 0 < tol < 1):
        raise InputError(f"tol: got {tol!r}, expected a number in (0, 1)")
    if int(max_iter) != max_iter or max_iter < 1:
        raise InputError(f"max_iter: got {max_iter!r}, expected an integer >= 1")


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per-load inner products of (n_loads, ...) arrays."""
    n = a.shape[0]
    return np.einsum("ij,ij->i", a.reshape(n, -1), b.reshape(n, -1))


def _solve(ph, tensors, loads, problem, operator, scheme, tol, max_iter, return_fields, unit,
           raise_on_nonconvergence, scalar):
    t_start = time.perf_counter()
    _options(operator, scheme, tol, max_iter)
    grid, dim = ph.shape, ph.ndim
    n_comp = tensors.shape[-1]
    names = ("gradient", "flux") if problem == "conductivity" else ("strain", "stress")
    E = _loads(loads, n_comp, names[0] + "s")
    n_loads = E.shape[0]
    fractions = np.bincount(ph.ravel(), minlength=tensors.shape[0]) / ph.size
    present = fractions > 0
    eig = np.linalg.eigvalsh(tensors[present])
    lam_min, lam_max = float(eig.min()), float(eig.max())
    law = material_law(ph, tensors, problem, scalar=scalar)
    green = ProjectionOperator(grid, operator, problem)
    axes = tuple(range(2, 2 + dim))
    shape = (n_loads, n_comp) + grid
    E_field = E.reshape((n_loads, n_comp) + (1,) * dim)

    def project(field: np.ndarray) -> np.ndarray:
        """G[field] for a real (n_loads, n_comp, *grid) field (its memory may be reused)."""
        spec = sfft.rfftn(field, axes=axes, workers=WORKERS, overwrite_x=True)
        green.apply(spec)
        return sfft.irfftn(spec, s=grid, axes=axes, workers=WORKERS, overwrite_x=True)

    buf = np.empty(shape)
    law.apply(np.broadcast_to(E_field, shape), out=buf)
    scale = np.sqrt(_dot(buf, buf))  # ||C E||, guards the trivial case G[C E] = 0
    r = project(buf)
    r0 = np.sqrt(_dot(r, r))
    iterations = np.zeros(n_loads, dtype=int)
    active = r0 > 1e-14 * np.maximum(scale, np.finfo(float).tiny)
    residual = np.where(active, 1.0, 0.0)
    r0 = np.where(active, r0, 1.0)
    x = np.zeros(shape)
    t_setup = time.perf_counter() - t_start
    bcast = (slice(None),) + (None,) * (dim + 1)
    if scheme == "cg":
        np.negative(r, out=r)
        p = r.copy()
        rr = _dot(r, r)
        for _ in range(max_iter):
            if not active.any():
                break
            law.apply(p, out=buf)
            q = project(buf)
            pq = _dot(p, q)
            alpha = np.where(active, rr / np.where(active, pq, 1.0), 0.0)
            np.multiply(p, alpha[bcast], out=buf)
            x += buf
            q *= alpha[bcast]
            r -= q
            rr_new = _dot(r, r)
            _check_finite(rr_new, problem, scheme)
            iterations += active
            residual = np.where(active, np.sqrt(rr_new) / r0, residual)
            active &= residual >= tol
            beta = np.where(active, rr_new / np.where(rr > 0, rr, 1.0), 0.0)
            p *= beta[bcast]
            p += r
            rr = rr_new
    else:
        c0 = 0.5 * (lam_min + lam_max)
        eps = buf
        for k in range(max_iter + 1):
            np.add(x, E_field, out=eps)
            g = project(law.apply(eps, out=np.empty(shape)))
            norm = np.sqrt(_dot(g, g))
            _check_finite(norm, problem, scheme)
            residual = np.where(active, norm / r0, residual)
            active &= residual >= tol
            if not active.any() or k == max_iter:
                break
            g *= (active / c0)[bcast]
            x -= g
            iterations += active
    # final fields: eps = E + x, sigma = C eps
    x += E_field
    eps = x
    sigma = law.apply(eps, out=buf)
    _check_finite(sigma.reshape(n_loads, -1).sum(axis=1), problem, scheme)
    mean_flux = sigma.reshape(n_loads, n_comp, -1).mean(axis=-1)
    hill_mandel = hill_mandel_residual(eps, sigma)
    converged = bool(np.all(residual < tol))
    if not converged and raise_on_nonconvergence:
        worst = int(np.argmax(residual))
        raise ConvergenceError(
            f"FFT {problem} solver ({scheme}, {operator} operator, grid {grid}): load case {worst} reached "
            f"relative residual {residual[worst]:.3e} after {iterations[worst]} iterations, expected < {tol:g} "
            f"(max_iter={max_iter}); contrast {lam_max / lam_min:.3g}. Raise max_iter, use scheme='cg', or pass "
            f"raise_on_nonconvergence=False to get the last iterate.")
    info = {"operator": operator, "scheme": scheme, "grid": tuple(grid), "tol": tol, "max_iter": max_iter,
            "contrast": lam_max / lam_min, "eigenvalue_range": (lam_min, lam_max),
            "reference": 0.5 * (lam_min + lam_max), "volume_fractions": fractions, "law": law.kind,
            "setup_time_s": t_setup, "time_s": time.perf_counter() - t_start}
    fields = {names[0]: eps, names[1]: sigma} if return_fields else None
    return CellSolution(effective=effective_from_loads(E, mean_flux), unit=unit, problem=problem,
                        boundary_condition="periodic", loads=E, mean_flux=mean_flux, iterations=iterations,
                        residual=residual, converged=converged, hill_mandel=hill_mandel, fields=fields, info=info)


def _check_finite(values: np.ndarray, problem: str, scheme: str) -> None:
    if not np.all(np.isfinite(values)):
        raise ConvergenceError(f"FFT {problem} solver ({scheme}): non-finite values in the iteration "
                               f"(got {values}); check the phase tensors for overflow")
