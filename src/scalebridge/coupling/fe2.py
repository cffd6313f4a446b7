r"""FE² / HMM: a macro finite-element problem whose material is any ``Model``.

The macro engine (:func:`scalebridge.solvers.fem.solve_macro`) asks its material for the
flux (stress) and tangent at *all* quadrature points at once. :func:`fe2_solve` answers
that question with a ``Model`` whose ports are ``gradient -> flux`` (conduction) or
``strain -> stress`` (mechanics, Mandel notation), returning the tangent
d(flux)/d(gradient). The same macro code therefore runs with a closed-form law, a
table (:class:`~scalebridge.coupling.hierarchical.Tabulated`), an RVE behind
:func:`~scalebridge.homogenization.cell.rve_model`, or fine models evaluated on the fly
(:class:`~scalebridge.coupling.on_the_fly.OnTheFly`): that is the choice between
hierarchical and concurrent coupling, made in one line.

References: Feyel & Chaboche (2000), Comput. Methods Appl. Mech. Eng. 183, 309 (FE²);
E & Engquist (2003), Comm. Math. Sci. 1, 87 (HMM); Kouznetsova, Brekelmans & Baaijens
(2001), Comput. Mech. 27, 37.
"""

from __future__ import annotations

from typing import Any


from ..core.errors import InputError
from ..core.model import Model
from ..solvers.fem import MacroSolution, solve_macro
from ..solvers.tensors import mandel_size

__all__ = ["material_from_model", "fe2_solve", "PORTS"]

#: (input, output) port names of a material model, by macro problem.
PORTS = {"conduction": ("gradient", "flux"), "mechanics": ("strain", "stress")}


def material_from_model(model: Model, problem: str, dim: int):
    """The engine's material callback ``(gradients, state, step) -> (flux, tangent, state)``.

    Checks once that ``model`` has the right ports and item shapes; every call checks
    that it returned the tangent. Internal state is passed through untouched: the
    engine commits it only at converged load steps.
    """
    if problem not in PORTS:
        raise InputError(f"problem: got {problem!r}, expected one of {sorted(PORTS)}")
    g, q = PORTS[problem]
    n = dim if problem == "conduction" else mandel_size(dim)
    for ports, name in ((model.inputs, g), (model.outputs, q)):
        if name not in ports:
            raise InputError(f"model {model.name!r} has no port {name!r} for a {problem} macro problem; "
                             f"it has inputs {sorted(model.inputs)} and outputs {sorted(model.outputs)}")
        if ports[name].shape != (n,):
            raise InputError(f"model {model.name!r}, port {name!r}: item shape {ports[name].shape}, expected ({n},) "
                             f"for a {dim}-D {problem} problem")

    def material(gradients, state, step):
        ev = model.evaluate({g: gradients}, state)
        if not ev.tangents or (q, g) not in ev.tangents:
            raise InputError(f"model {model.name!r} returned no tangent d{q}/d{g}; Newton needs it")
        return ev[q], ev.tangents[(q, g)], ev.state

    return material


def fe2_solve(mesh, problem: str, material: Model, **options: Any) -> MacroSolution:
    """Solve a macro problem whose constitutive response comes from ``material``.

    Parameters
    ----------
    mesh : skfem.Mesh
        Macro mesh (linear triangles, quads, tets or hexes).
    problem : {"conduction", "mechanics"}
    material : Model
        ``gradient (d,) -> flux (d,)`` or ``strain (m,) -> stress (m,)`` with tangents,
        batched over quadrature points.
    **options
        Passed to :func:`scalebridge.solvers.fem.solve_macro` (``dirichlet``, ``neumann``,
        ``load_steps``, ``state``, ``commit``, ``progress``, Newton settings, and
        ``checkpoint``, ``checkpoint_every``, ``resume`` to checkpoint the converged
        macro state and continue a killed run bitwise identically; see
        ``docs/fault_tolerance.md``). A material with ``get_checkpoint_state()`` and
        ``set_checkpoint_state(obj)`` methods (e.g. holding a random generator) has
        that state saved in, and restored from, the checkpoint.

    Returns
    -------
    MacroSolution
        Macro fields, Newton history (``iterations``, ``residuals``) and ``timings``,
        which here also count the micro solves: ``micro_solves`` (material points
        evaluated, summed over all macro Newton iterations), ``micro_solves_per_second``
        (per second of material time) and, when ``material`` keeps ``statistics`` (as
        :class:`~scalebridge.coupling.on_the_fly.OnTheFly` and
        :class:`~scalebridge.coupling.adaptive.Adaptive` do), the ``fine_evaluations``
        (and ``cache_hits``) of this run.
    """
    dim = mesh.p.shape[0]
    evaluate = material_from_model(material, problem, dim)
    count = {"points": 0}

    def counted(gradients, state, step):
        count["points"] += len(gradients)
        return evaluate(gradients, state, step)

    for hook in ("get_checkpoint_state", "set_checkpoint_state"):  # e.g. a random generator of the material
        if callable(getattr(material, hook, None)):
            setattr(counted, hook, getattr(material, hook))
    stats = getattr(material, "statistics", None)
    before = dict(stats) if isinstance(stats, dict) else None
    sol = solve_macro(mesh, problem, counted, **options)
    sol.timings["micro_solves"] = count["points"]
    sol.timings["micro_solves_per_second"] = count["points"] / max(sol.timings["material"], 1e-300)
    if before is not None:
        for key in ("fine_evaluations", "cache_hits"):
            if key in before:
                sol.timings[key] = material.statistics[key] - before[key]
    return sol
