r"""Macro finite-element engine with a batched constitutive callback and Newton–Raphson.

The macro problem (conduction or small-strain mechanics) in weak form: find the
nodal field :math:`u` with

.. math::
    r(u) = \int_\Omega B^T q(Bu)\,dV - \lambda f_{ext} = 0 \quad\text{on the free dofs},
    \qquad u = \lambda\,\bar u \text{ on } \Gamma_D,

where :math:`g = Bu` is the gradient (conduction, :math:`g = \nabla u`, n = d) or the
Mandel strain (mechanics, :math:`g = \varepsilon(u)`, n = 3 in plane strain, 6 in 3-D,
see :mod:`scalebridge.solvers.tensors`), and :math:`q = \mathcal M(g)` is the flux or
stress returned by the *material*, called once per evaluation with the gradients of
**all** quadrature points of the mesh as one batch. This is what an FE²/HMM macro
solver needs: the material may be an RVE, a surrogate or a closed form. The Jacobian

.. math:: K = \frac{\partial r}{\partial u} = \int_\Omega B^T\,\frac{\partial q}{\partial g}\,B\,dV
          \;\Big(+ \int_\Omega B^T\,\frac{\partial q}{\partial u}\,N\,dV\Big)

is assembled from the tangents at the quadrature points (the bracket only for a
material that also depends on the field value, e.g. :math:`k(u)`). Newton–Raphson
with an Armijo backtracking line search on :math:`\|r\|` and load-step cut-back
(Wriggers 2008, *Nonlinear Finite Element Methods*, Springer, ch. 5; de Souza Neto,
Perić & Owen 2008, *Computational Methods for Plasticity*, Wiley, ch. 4); the
material state is committed only at converged load steps (ibid., sec. 4.2:
path-dependent materials are integrated from the last converged state).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import scipy.sparse as sp
import skfem
from scipy.sparse.linalg import splu

from ...core.checkpoint import array_digest, load_checkpoint, save_checkpoint
from ...core.errors import ConvergenceError, InputError
from .macro_bc import boundary_data
from .macro_engine import PROBLEMS, Engine, MacroStep, StepFailed

__all__ = ["PROBLEMS", "MacroStep", "MacroSolution", "solve_macro"]

_ARMIJO = 1e-4          # sufficient decrease ||r(u + a du)|| <= (1 - c a) ||r(u)||
_MAX_HALVINGS = 12      # line-search step halvings before the iteration counts as failed
_DIVERGED = 1e10        # ||r|| above this times the step's first residual: divergence


@dataclass
class MacroSolution:
    """Result of :func:`solve_macro`.

    Attributes
    ----------
    u : ndarray, shape (n_dofs,)
        Nodal values at the last load factor (vector field: scikit-fem dof order,
        ``u[basis.nodal_dofs]`` is (d, n_nodes)).
    load_factors : ndarray
        Load factors of the converged (sub)steps, in order.
    iterations : ndarray of int
        Newton iterations of every converged step.
    residuals : list of ndarray
        Free-dof residual norms :math:`\\|r_k\\|` of every converged step, k = 0..iterations.
    reactions : dict
        Dirichlet selector -> sum of the residual over the dofs it constrains (float for
        conduction, per-component array for mechanics, 0 for a free component).
    gradients, fluxes : ndarray, shape (n_points, n)
        Gradients (Mandel strains) and fluxes (stresses) at the quadrature points.
    points : ndarray, shape (n_points, d)
    weights : ndarray, shape (n_points,)
        Quadrature weights times Jacobians (sum: the domain volume).
    state : object
        Last committed material state.
    cutbacks : int
        Number of load-increment halvings.
    failures : list of str
        Reason of every failed step attempt (then cut back).
    timings : dict
        Seconds in ``material``, ``assembly``, ``solve`` and ``total``; ``material_calls``.
    basis : skfem.Basis
        The (scalar or vector) basis of ``u``.
    problem : str
    resumed_from : int
        Converged (sub)steps restored from a checkpoint (0: the run started from scratch).
    """

    u: np.ndarray
    load_factors: np.ndarray
    iterations: np.ndarray
    residuals: list
    reactions: dict
    gradients: np.ndarray
    fluxes: np.ndarray
    points: np.ndarray
    weights: np.ndarray
    state: Any
    cutbacks: int
    failures: list
    timings: dict
    basis: Any = field(repr=False)
    problem: str = "conduction"
    resumed_from: int = 0


def _load_path(load_steps) -> np.ndarray:
    if np.isscalar(load_steps):
        if int(load_steps) != load_steps or load_steps < 1:
            raise InputError(f"load_steps: expected an integer >= 1 or a sequence of load factors, got {load_steps!r}")
        return np.arange(1, int(load_steps) + 1) / int(load_steps)
    path = np.asarray(load_steps, dtype=float).ravel()
    if path.size == 0 or not np.all(np.isfinite(path)):
        raise InputError(f"load_steps: expected a non-empty sequence of finite load factors, got {load_steps!r}")
    return path


def solve_macro(mesh: skfem.Mesh, problem: str, material: Callable, *, dirichlet: dict | None = None,
                neumann: dict | None = None, load_steps=1, newton_tol: float = 1e-10, max_newton: int = 25,
                line_search: bool = True, max_cutbacks: int = 5, state: Any = None,
                commit: Callable | None = None, progress: Callable | None = None,
                checkpoint: str | Path | None = None, checkpoint_every: int = 1,
                resume: bool | str | Path = False) -> MacroSolution:
    r"""Solve a nonlinear macro conduction or small-strain mechanics problem by Newton–Raphson.

    At every load factor :math:`\lambda` find :math:`u` (with :math:`u = \lambda\bar u`
    on the Dirichlet dofs) such that the free-dof residual vanishes,

    .. math:: r(u) = \int_\Omega B^T q\,dV - \lambda\int_{\Gamma_N} N^T \bar t\,dS,\qquad
              K\,\Delta u = -r,\quad u \leftarrow u + \alpha\,\Delta u,

    with :math:`K = \int_\Omega B^T (\partial q/\partial g) B\,dV` from the material
    tangents at the quadrature points and :math:`\alpha` halved from 1 until
    :math:`\|r(u+\alpha\Delta u)\| \le (1 - 10^{-4}\alpha)\|r(u)\|` (Armijo; Dennis &
    Schnabel 1996, *Numerical Methods for Unconstrained Optimization*, sec. 6.3).
    A step converges when :math:`\|r_f\| \le \mathrm{tol}\cdot\max(\|f_{int}\|, \lambda\|f_{ext}\|)`
    (all dofs, largest over the path so far, so unloading to zero keeps a scale;
    round-off floor :math:`10^3\epsilon` of the same scale). On failure
    (non-finite material output or solution, a :class:`ConvergenceError` raised by the
    material, e.g. by a micro Newton, divergence, failed line search, ``max_newton``
    reached) the increment is halved and retried from the last
    converged state, at most ``max_cutbacks`` times per load step (Wriggers 2008, sec. 5.1).

    Parameters
    ----------
    mesh : skfem.Mesh
        Linear triangles, quadrilaterals, tetrahedra or hexahedra (P1/Q1 elements).
    problem : {"conduction", "mechanics"}
        Scalar potential with :math:`g = \nabla u` (n = d), or small-strain displacement
        with Mandel strain :math:`g = \varepsilon(u)` (n = 3 plane strain, 6 in 3-D).
    material : callable
        ``material(gradients, state, step) -> (flux, tangent, new_state)`` with gradients
        (n_points, n) of all quadrature points, flux (n_points, n), tangent
        :math:`\partial q/\partial g` (n_points, n, n); ``state`` is the last committed
        state (``None`` at first), ``step`` a :class:`MacroStep`. A material that also
        depends on the field value (``step.u``, e.g. :math:`k(u)`) may return a fourth
        item :math:`\partial q/\partial u`, shape (n_points, n, c) ((n_points, n) for conduction).
    dirichlet : dict, optional
        Selector -> value. Selector: callable ``x -> bool mask`` on boundary node
        coordinates (d, n) or a name of ``mesh.boundaries``. Value: float or callable
        ``x -> (n,)`` values (conduction); for mechanics a float (all components), a
        dict ``{"x": 0.0}``, a sequence ``(0.0, None)`` (None = free) or a callable
        ``x -> (d, n)``. Scaled by the load factor.
    neumann : dict, optional
        Selector -> normal flux :math:`q\cdot n` (conduction, float; with :math:`q = k\nabla u`
        it is the flux *entering* the body) or traction vector :math:`\sigma n` (mechanics,
        d floats). A facet is loaded when all its nodes are selected. Scaled by the load factor.
    load_steps : int or sequence of float
        Number of equal increments up to :math:`\lambda = 1`, or the load path itself
        (any factors, e.g. ``[0.5, 1, 0.5, 0]`` to load and unload).
    newton_tol : float
        Relative residual tolerance.
    max_newton : int
        Newton iterations per load step before the step counts as failed.
    line_search : bool
        Armijo backtracking; if False full Newton steps.
    max_cutbacks : int
        Halvings of the increment allowed within one load step.
    state : object, optional
        Initial committed material state.
    commit : callable, optional
        ``commit(new_state)``, called once after every converged (sub)step.
    progress : callable, optional
        ``progress(info)`` after every converged step, info a dict with ``load_factor``,
        ``iterations``, ``residual`` and ``u`` (the converged field; do not modify it).
    checkpoint : path, optional
        Write the converged state to this file after every ``checkpoint_every``
        converged (sub)steps and once at the end (format below).
    checkpoint_every : int
        Converged (sub)steps between checkpoints (>= 1).
    resume : bool or path
        ``True``: continue from ``checkpoint`` if that file exists (else start from
        scratch, so the same call serves the first run and every restart); a path:
        continue from that checkpoint file. The restored committed state replaces
        ``state`` and is passed to ``commit`` once; ``progress`` is not replayed. A
        resumed run gives results bitwise identical to an uninterrupted one.

    Returns
    -------
    MacroSolution

    Notes
    -----
    Checkpoint format: a :func:`scalebridge.core.checkpoint.save_checkpoint` file of
    kind ``"solve_macro"`` (written atomically: temporary file, then ``os.replace``),
    whose payload is a dict with

    * ``fingerprint``: problem, dof and point counts, load path, Newton settings and
      SHA-1 digests of the mesh and the boundary data; a checkpoint of another
      problem is refused (InputError);
    * the loop position: ``target_index`` (load path entry being approached),
      ``load_factor``, ``increment`` and ``cutback_level`` (the current cut-back);
    * the converged state: ``u``, ``last`` = (gradients, fluxes, tangents, field
      tangents, committed material state, residual vector) at the last converged
      step (the next predictor starts from it), ``scale`` (the force scale of the
      convergence test);
    * the history: ``load_factors``, ``iterations``, ``residuals``, ``failures``,
      ``cutbacks``, ``steps``, ``complete``;
    * ``material``: what ``material.get_checkpoint_state()`` returned, if the
      material callback has that method (e.g. the state of a random generator);
      restored with ``material.set_checkpoint_state(...)``.

    Raises
    ------
    InputError
        Unknown problem, unsupported mesh, bad selector or value, material output of the wrong shape.
    ConvergenceError
        A load step failed after ``max_cutbacks`` halvings; names the load factor,
        iteration, residual and the reason (e.g. the batch indices of non-finite points).
    """
    t0 = time.perf_counter()
    engine = Engine(mesh, problem, material)
    bc = boundary_data(engine.basis, dirichlet, neumann)
    path = _load_path(load_steps)
    for name, value, low in (("newton_tol", newton_tol, 0.0), ("max_newton", max_newton, 1),
                             ("max_cutbacks", max_cutbacks, 0)):
        if not value >= low or (name == "newton_tol" and value <= 0):
            raise InputError(f"{name}: got {value!r}, expected {'> 0' if low == 0.0 else f'>= {low}'}")
    free = np.setdiff1d(np.arange(engine.basis.N), bc.dofs)
    settings = dict(tol=newton_tol, max_newton=int(max_newton), line_search=line_search, scale=0.0)
    every, source = _checkpoint_options(checkpoint, checkpoint_every, resume)
    fingerprint = _fingerprint(mesh, problem, engine, bc, path, settings, max_cutbacks)

    u, lam, committed = np.zeros(engine.basis.N), 0.0, state
    factors, iterations, histories, failures, cutbacks = [], [], [], [], 0
    start, full, level, resumed_from = 0, None, 0, 0
    if source is not None:
        saved = load_checkpoint(source, "solve_macro")
        if saved["fingerprint"] != fingerprint:
            diff = sorted(k for k in fingerprint if saved["fingerprint"].get(k) != fingerprint[k])
            raise InputError(f"solve_macro resume: checkpoint {source} belongs to another problem "
                             f"(differs in {diff})")
        u, lam, last, settings["scale"] = saved["u"], saved["load_factor"], saved["last"], saved["scale"]
        factors, iterations, histories = saved["load_factors"], saved["iterations"], saved["residuals"]
        failures, cutbacks = saved["failures"], saved["cutbacks"]
        start, full, level, resumed_from = saved["target_index"], saved["increment"], saved["cutback_level"], \
            saved["steps"]
        committed = last[4]
        if saved.get("material") is not None and hasattr(material, "set_checkpoint_state"):
            material.set_checkpoint_state(saved["material"])
        if commit is not None:
            commit(committed)
    else:
        try:  # the unloaded reference point: the tangent of the first predictor
            g, q, C, Cu, _ = engine.evaluate(u, committed, 0, 0.0, 0)
        except StepFailed as exc:
            raise ConvergenceError(f"solve_macro ({problem}): material at the unloaded state: {exc}") from None
        last = (g, q, C, Cu, committed, engine.internal_force(q))

    def save(index, complete):
        payload = dict(fingerprint=fingerprint, target_index=index, load_factor=lam, increment=full,
                       cutback_level=level, u=u, last=last, scale=settings["scale"], load_factors=factors,
                       iterations=iterations, residuals=histories, failures=failures, cutbacks=cutbacks,
                       steps=len(factors), complete=complete,
                       material=material.get_checkpoint_state() if hasattr(material, "get_checkpoint_state")
                       else None)
        save_checkpoint(checkpoint, "solve_macro", payload)

    saved_at = len(factors)
    for i in range(start, len(path)):
        target = path[i]
        if i != start or full is None:
            full, level = target - lam, 0
        while lam != target:
            increment = full / 2.0 ** level
            trial = target if abs(target - lam) <= abs(increment) * (1 + 1e-12) else lam + increment
            try:
                u_new, history, last_new = _newton(engine, bc, free, u, last, lam, trial, committed, len(factors),
                                                   settings)
            except StepFailed as exc:
                failures.append(f"load factor {trial:.6g}: {exc}")
                level += 1
                cutbacks += 1
                if level > max_cutbacks:
                    raise ConvergenceError(f"solve_macro ({problem}): load step to load factor {trial:.6g} failed "
                                           f"after {max_cutbacks} cut-back(s) from {lam:.6g}: {exc}") from None
                continue
            u, lam, last = u_new, trial, last_new
            committed = last[4]
            if commit is not None:
                commit(committed)
            factors.append(lam)
            iterations.append(len(history) - 1)
            histories.append(np.array(history))
            if checkpoint is not None and len(factors) - saved_at >= every:
                save(i, False)
                saved_at = len(factors)
            if progress is not None:
                progress({"load_factor": lam, "iterations": len(history) - 1, "residual": history[-1], "u": u})
    if checkpoint is not None:
        save(len(path), True)
    g, q, _, _, _ = last[:5]
    residual = last[5]
    reactions = {}
    for selector, dofs in bc.groups.items():
        sums = np.array([residual[row[row >= 0]].sum() for row in dofs])  # one row per component
        reactions[selector] = float(sums[0]) if engine.n_comp == 1 else sums
    engine.timings["total"] = time.perf_counter() - t0
    return MacroSolution(u=u, load_factors=np.array(factors), iterations=np.array(iterations, dtype=int),
                         residuals=histories, reactions=reactions, gradients=g, fluxes=q, points=engine.x,
                         weights=engine.weights, state=committed, cutbacks=cutbacks, failures=failures,
                         timings=dict(engine.timings), basis=engine.basis, problem=problem,
                         resumed_from=resumed_from)


def _checkpoint_options(checkpoint, every, resume):
    """Validated ``(checkpoint_every, file to resume from or None)``."""
    if isinstance(every, bool) or not isinstance(every, (int, np.integer)) or every < 1:
        raise InputError(f"checkpoint_every: expected an integer >= 1 (converged steps), got {every!r}")
    if resume is False or resume is None:
        return int(every), None
    if resume is True:
        if checkpoint is None:
            raise InputError("resume=True needs checkpoint=<file> (the checkpoint to continue from)")
        return int(every), (Path(checkpoint) if Path(checkpoint).exists() else None)
    if not isinstance(resume, (str, Path)) or not Path(resume).exists():
        raise InputError(f"resume: expected True, False or an existing checkpoint file, got {resume!r}")
    return int(every), Path(resume)


def _fingerprint(mesh, problem, engine, bc, path, settings, max_cutbacks) -> dict:
    """What must agree between a checkpoint and the run resuming from it."""
    return {"problem": problem, "dofs": int(engine.basis.N), "points": int(engine.n_points),
            "load_path": path.tolist(), "newton_tol": float(settings["tol"]),
            "max_newton": settings["max_newton"], "line_search": bool(settings["line_search"]),
            "max_cutbacks": int(max_cutbacks), "mesh": array_digest(mesh.p, mesh.t),
            "boundary": array_digest(bc.dofs, bc.values, bc.load)}


def _newton(engine: Engine, bc, free, u_prev, previous, lam_prev, lam, state, index, settings):
    r"""Tangent predictor, then Newton–Raphson with Armijo backtracking for one load factor.

    The predictor linearises at the last converged point ``previous`` (at ``lam_prev``):
    :math:`K_{ff}\,\Delta u_f = -(f_{int} - \lambda f_{ext})_f - K_{fD}\,\Delta u_D`, with
    :math:`\Delta u_D` the increment of the Dirichlet data (exact for a linear material).
    Returns ``(u, history, last)``, ``last = (g, q, C, Cu, new_state, residual)`` of the
    converged iterate; raises StepFailed on failure.
    """
    f_ext = lam * bc.load
    eps_floor = 1e3 * np.finfo(float).eps
    du = np.zeros_like(u_prev)
    du[bc.dofs] = lam * bc.values[bc.dofs] - u_prev[bc.dofs]
    K = engine.jacobian(previous[2], previous[3])
    r_prev = previous[5] + (lam_prev - lam) * bc.load
    du[free] = _solve(engine, K, -r_prev[free] - K[free][:, bc.dofs] @ du[bc.dofs], free, "predictor")
    u = u_prev + du

    def residual_at(u_trial, iteration):
        g, q, C, Cu, new_state = engine.evaluate(u_trial, state, index, lam, iteration)
        f_int = engine.internal_force(q)
        r = f_int - f_ext
        if not np.all(np.isfinite(r)):
            raise StepFailed("non-finite residual")
        scale = max(np.linalg.norm(f_int), np.linalg.norm(f_ext), settings["scale"], np.finfo(float).tiny)
        return (g, q, C, Cu, new_state, r), np.linalg.norm(r[free]), scale

    last, norm, scale = residual_at(u, 0)
    history = [norm]
    for k in range(1, settings["max_newton"] + 2):
        if norm <= max(settings["tol"], eps_floor) * scale or norm == 0.0:
            settings["scale"] = scale  # the force scale of the path so far: unloading to zero keeps it
            return u, history, last
        if k > settings["max_newton"]:
            raise StepFailed(f"no convergence in {settings['max_newton']} iterations "
                              f"(iteration {k - 1}, residual {norm:.3e}, tolerance {settings['tol'] * scale:.3e})")
        K = engine.jacobian(last[2], last[3])
        du = np.zeros_like(u)
        du[free] = _solve(engine, K[free][:, free], -last[5][free], None, f"iteration {k}")
        alpha, reason = 1.0, None
        for _ in range(_MAX_HALVINGS + 1):
            try:
                trial, trial_norm, trial_scale = residual_at(u + alpha * du, k)
            except StepFailed as exc:
                if not settings["line_search"]:
                    raise StepFailed(f"iteration {k}, residual {norm:.3e}: {exc}") from None
                reason = str(exc)
            else:
                if not settings["line_search"] or trial_norm <= (1.0 - _ARMIJO * alpha) * norm:
                    break
                reason = f"no sufficient decrease (residual {trial_norm:.3e} vs {norm:.3e})"
            alpha *= 0.5
        else:
            raise StepFailed(f"line search failed at iteration {k}, residual {norm:.3e}: {reason}")
        u, last, norm, scale = u + alpha * du, trial, trial_norm, max(scale, trial_scale)
        history.append(norm)
        if norm > _DIVERGED * max(history[0], scale):
            raise StepFailed(f"divergence at iteration {k}, residual {norm:.3e}")
    raise AssertionError("unreachable")  # pragma: no cover


def _solve(engine: Engine, K, rhs, free, where: str) -> np.ndarray:
    """Sparse LU solve of the (free-dof block of the) Jacobian; StepFailed if singular or non-finite."""
    if rhs.size == 0:  # every dof prescribed
        return rhs
    start = time.perf_counter()
    K = K if free is None else K[free][:, free]
    try:
        x = splu(sp.csc_matrix(K)).solve(rhs)
    except RuntimeError as exc:  # exactly singular tangent
        raise StepFailed(f"singular tangent ({where}): {exc}") from None
    finally:
        engine.timings["solve"] += time.perf_counter() - start
    if not np.all(np.isfinite(x)):
        raise StepFailed(f"non-finite Newton correction ({where})")
    return x
