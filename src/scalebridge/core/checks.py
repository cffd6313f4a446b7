"""Checks that read a model tree: units of every connection, scale separation, and the rest.

A check returns :class:`CheckResult` records (name, passed, message, data) so the
CLI can print them and a run record can archive them. :func:`run_checks` aggregates
every check a tree opts into without solving the coarse problem: the structural ones
here (units, scale separation, surrogate fidelity, the mean-field advisor through its
model) and the sample-state ones of :mod:`scalebridge.core.consistency` (tangents vs
finite differences, an RVE's Hill–Mandel residual, conservation, patch tests of
domain couplings) that nodes provide through ``sample_inputs()`` and ``self_checks()``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterator

import numpy as np

from .consistency import model_self_checks
from .errors import InputError
from .model import Model, Scale
from .timescales import autocorrelation_times, spectral_time_scales

__all__ = ["CheckResult", "ScaleSeparation", "walk", "bridges", "check_units", "scale_separation",
           "check_scale_separation", "check_fidelity", "run_checks", "HIERARCHICAL_BELOW", "CONCURRENT_BELOW",
           "check_mean_field_validity", "MEAN_FIELD_INTERACTION_BELOW", "MEAN_FIELD_DAMKOHLER_BELOW",
           "check_time_scale_separation", "patch_test"]

#: Scale ratio eps = max(l_fine/l_coarse, t_fine/t_coarse) below which a fine model
#: may be replaced by an offline bridging law (hierarchical coupling).
HIERARCHICAL_BELOW = 1e-2
#: Ratio below which a local fine model still closes the coarse one, but should be
#: evaluated for the actual coarse state (concurrent coupling). At or above it
#: the scales collide: no local closure, resolve the fine scale (domain coupling).
CONCURRENT_BELOW = 0.2


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check."""

    name: str
    passed: bool
    message: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ScaleSeparation:
    """Length and time ratios between a fine and a coarse scale, and the verdict.

    Attributes
    ----------
    length_ratio, time_ratio : float
        l_fine / l_coarse and t_fine / t_coarse.
    epsilon : float
        The larger of the two: the scale-separation parameter.
    recommendation : str
        ``"hierarchical"`` (eps < HIERARCHICAL_BELOW), ``"concurrent"``
        (eps < CONCURRENT_BELOW) or ``"scales collide"``.
    """

    coarse: str
    fine: str
    length_ratio: float
    time_ratio: float
    epsilon: float
    recommendation: str


def scale_separation(coarse: Scale, fine: Scale, hierarchical_below: float = HIERARCHICAL_BELOW,
                     concurrent_below: float = CONCURRENT_BELOW) -> ScaleSeparation:
    r"""Scale-separation parameter and coupling recommendation.

    .. math:: \varepsilon = \max\left(\frac{\ell_f}{\ell_c}, \frac{t_f}{t_c}\right)

    Homogenization and bridging laws are asymptotic in :math:`\varepsilon \to 0`
    (Bensoussan, Lions & Papanicolaou 1978; E & Engquist 2003, Comm. Math. Sci. 1,
    87). With the default thresholds:

    * :math:`\varepsilon < 10^{-2}`: *hierarchical*: the fine answer depends only on
      the local coarse state and relaxes much faster, so it can be computed once
      and passed up as a law, table or surrogate;
    * :math:`10^{-2} \le \varepsilon < 0.2`: *concurrent*: a local fine model still
      closes the coarse one (first-order homogenization error is O(eps)) but is
      not negligible, so evaluate it for the actual coarse states (HMM, FE²)
      and check RVE size;
    * :math:`\varepsilon \ge 0.2`: *scales collide*: no local closure; resolve the
      fine scale where it matters (domain coupling, handshake, full resolution).

    A fine scale *larger* than the coarse one (eps > 1) also collides. A coarse
    model solved at steady state (``time = inf``) puts no bound on the fine
    relaxation time, so only the length ratio counts.
    """
    if not 0 < hierarchical_below < concurrent_below:
        raise InputError(f"scale_separation: need 0 < hierarchical_below < concurrent_below, got "
                         f"{hierarchical_below}, {concurrent_below}")
    lr = fine.length_si / coarse.length_si
    # A steady coarse model (infinite time) constrains no fine relaxation time.
    tr = 0.0 if np.isinf(coarse.time_si) else fine.time_si / coarse.time_si
    eps = max(lr, tr)
    if eps < hierarchical_below:
        verdict = "hierarchical"
    elif eps < concurrent_below:
        verdict = "concurrent"
    else:
        verdict = "scales collide"
    return ScaleSeparation(coarse.name, fine.name, lr, tr, eps, verdict)


def walk(model: Model, parent: Model | None = None) -> Iterator[tuple[Model, Model | None]]:
    """Yield ``(model, parent)`` for every node of a model tree, depth first."""
    yield model, parent
    for child in getattr(model, "children", ()):
        yield from walk(child, model)


def check_units(model: Model) -> list[CheckResult]:
    """One result per connection in the tree: do the two ports agree in dimension and shape?"""
    results = []
    for node, _ in walk(model):
        for c in getattr(node, "couplings", ()):
            problem = c.mismatch()
            results.append(CheckResult(
                f"units {c.source}.{c.output} -> {c.target}.{c.input}", problem is None,
                problem or f"{c.output_port.unit or 'dimensionless'} -> {c.input_port.unit or 'dimensionless'}",
                {"source": c.source, "target": c.target, "port": c.input}))
    return results


def bridges(model: Model) -> list[tuple[Model, Model]]:
    """Every (coarse, fine) pair of the tree where a finer model informs a coarser one.

    A bridge is a node with a ``fine`` model under it (``upscale`` and the
    coupling strategies), or a chain connection whose source model has a smaller
    characteristic length than its target (a fine result passed up).
    """
    pairs: dict[tuple[int, int], tuple[Model, Model]] = {}
    for node, _ in walk(model):
        fine = getattr(node, "fine", None)
        if fine is not None:
            pairs.setdefault((id(node), id(fine)), (node, fine))
        members = {m.name: m for m in getattr(node, "children", ())}
        for c in getattr(node, "couplings", ()):
            src, dst = members.get(c.source), members.get(c.target)
            if src is not None and dst is not None and src.scale.length_si < dst.scale.length_si:
                pairs.setdefault((id(dst), id(src)), (dst, src))
    return list(pairs.values())


def check_scale_separation(model: Model, **thresholds) -> list[CheckResult]:
    """A scale-separation result for every bridge of the tree (see :func:`bridges`).

    A bridge coupled hierarchically (the default reading) passes when the verdict
    is ``"hierarchical"``; a coarse node can declare ``coupling = "concurrent"``
    to accept the concurrent regime. "scales collide" never passes.
    """
    results = []
    for coarse, fine in bridges(model):
        s = scale_separation(coarse.scale, fine.scale, **thresholds)
        kind = getattr(coarse, "coupling", None) or "hierarchical"
        ok = s.recommendation == "hierarchical" or (kind == "concurrent" and s.recommendation == "concurrent")
        results.append(CheckResult(
            f"scale separation {coarse.name} / {fine.name}", ok,
            f"length ratio {s.length_ratio:.2e}, time ratio {s.time_ratio:.2e}: {s.recommendation}"
            + ("" if ok else f" (coupled as {kind})"),
            asdict(s)))
    return results


def check_fidelity(model: Model) -> list[CheckResult]:
    """Fidelity results of every node of the tree that can check itself (surrogates).

    Duck-typed: a node with a callable ``fidelity_checks()`` returning
    :class:`CheckResult` records (held-out error, positivity, symmetry,
    dissipation, ...; see ``scalebridge.reduction.fidelity``). Such checks
    evaluate the surrogate, never the fine model it replaces.
    """
    results = []
    for node, _ in walk(model):
        own = getattr(node, "fidelity_checks", None)
        if callable(own):
            results.extend(own())
    return results


def run_checks(model: Model) -> list[CheckResult]:
    """Every check of a model tree that needs no coarse solve.

    Units of every connection, scale separation at every bridge, surrogate fidelity,
    and each node's sample-state checks (:func:`~scalebridge.core.consistency.model_self_checks`:
    tangents at ``sample_inputs()``, the node's ``self_checks()``).
    """
    own = [r for node, _ in walk(model) for r in model_self_checks(node)]
    return check_units(model) + check_scale_separation(model) + check_fidelity(model) + own


#: |eps| / k_B T below which nearest-neighbour correlations are weak enough for mean field:
#: the quasi-chemical pair-probability correction exp(-eps/kT) - 1 stays within about 20 %
#: (Hill 1960, *Statistical Thermodynamics*, ch. 14; Fowler & Guggenheim 1939, ch. 10).
MEAN_FIELD_INTERACTION_BELOW = 0.2
#: Damköhler-like ratio (reaction rate / hop rate per site) below which diffusion mixes the
#: surface between reactions; mean field is the limit ratio -> 0 (Evans 1991, Langmuir 7,
#: 2514; Tammaro, Sabella & Evans 1995, J. Chem. Phys. 103, 10277).
MEAN_FIELD_DAMKOHLER_BELOW = 0.1


def check_mean_field_validity(interaction_energy_kT: float, reaction_rate: float, diffusion_rate: float, *,
                              interaction_below: float = MEAN_FIELD_INTERACTION_BELOW,
                              damkohler_below: float = MEAN_FIELD_DAMKOHLER_BELOW) -> CheckResult:
    r"""Is mean-field (well-mixed) microkinetics expected to hold, or is lattice kMC needed?

    Mean-field rate equations treat adsorbates as uncorrelated. Two mechanisms
    correlate them: lateral interactions (:math:`|\varepsilon|/k_BT`) and reactions
    that outpace mixing by surface diffusion, measured by

    .. math:: \mathrm{Da} = \frac{k_\mathrm{reaction}}{k_\mathrm{hop}},

    both rates in 1/s per site. The check passes when
    :math:`|\varepsilon|/k_BT <` ``interaction_below`` and
    :math:`\mathrm{Da} <` ``damkohler_below`` (defaults
    :data:`MEAN_FIELD_INTERACTION_BELOW`, :data:`MEAN_FIELD_DAMKOHLER_BELOW`);
    otherwise it recommends lattice kMC (:mod:`scalebridge.solvers.kmc`).
    """
    x, kr, kd = float(interaction_energy_kT), float(reaction_rate), float(diffusion_rate)
    if not np.isfinite(x):
        raise InputError(f"check_mean_field_validity: interaction_energy_kT must be finite, got {interaction_energy_kT!r}")
    if not (np.isfinite(kr) and kr >= 0) or not (kd > 0):
        raise InputError(f"check_mean_field_validity: need reaction_rate >= 0 and diffusion_rate > 0 (1/s), "
                         f"got {reaction_rate!r}, {diffusion_rate!r}")
    if not (0 < interaction_below and 0 < damkohler_below):
        raise InputError("check_mean_field_validity: thresholds must be positive")
    da = kr / kd if np.isfinite(kd) else 0.0
    problems = []
    if abs(x) >= interaction_below:
        problems.append(f"lateral interactions |eps|/kT = {abs(x):.3g} >= {interaction_below:g}")
    if da >= damkohler_below:
        problems.append(f"reaction outpaces diffusion, Da = {da:.3g} >= {damkohler_below:g}")
    ok = not problems
    message = (f"mean field expected to hold (|eps|/kT = {abs(x):.3g}, Da = {da:.3g})" if ok
               else "mean field unreliable: " + "; ".join(problems) + "; use lattice kMC")
    return CheckResult("mean-field validity", ok, message,
                       {"interaction_energy_kT": x, "damkohler": da,
                        "recommendation": "mean field" if ok else "kinetic Monte Carlo"})


def check_time_scale_separation(*, jacobian=None, trajectory=None, dt: float | None = None,
                                hierarchical_below: float = HIERARCHICAL_BELOW,
                                concurrent_below: float = CONCURRENT_BELOW,
                                name: str = "dynamics") -> list[CheckResult]:
    r"""Are the fast and slow time scales of fine dynamics separated? Is projective integration justified?

    From a Jacobian (eigenvalue spectrum, :func:`~scalebridge.core.timescales.spectral_time_scales`)
    and/or a sampled trajectory (integrated autocorrelation times,
    :func:`~scalebridge.core.timescales.autocorrelation_times`), one result per source.
    With :math:`\varepsilon = \tau_\mathrm{fast}/\tau_\mathrm{slow}` across the largest gap
    and the thresholds of :func:`scale_separation`:

    * :math:`\varepsilon <` ``hierarchical_below``: *eliminate the fast variables*
      (quasi-steady state, partial equilibrium, averaging: a hierarchical closure,
      :mod:`scalebridge.laws.fast_variables`);
    * :math:`\varepsilon <` ``concurrent_below``: *projective integration*: short fine
      bursts that damp the fast modes, then an extrapolation step of the slow ones
      (Gear & Kevrekidis 2003, SIAM J. Sci. Comput. 24, 1091; Kevrekidis et al. 2003,
      Commun. Math. Sci. 1, 715); the speed-up is of order :math:`1/\varepsilon`;
    * otherwise *scales collide*: integrate the fine dynamics as it is.

    Projective integration is justified (``data["projective_integration"]``) in the
    first two regimes; a result passes unless the scales collide.

    Parameters
    ----------
    jacobian : array_like, shape (n, n), optional
        :math:`\partial f/\partial y` of the fine dynamics at a representative state, 1/s.
    trajectory : array_like, shape (n_times,) or (n_times, n_components), optional
        A stationary sampled trajectory of the fine dynamics; needs ``dt`` (s).
    name : str
        Name of the dynamics, for the messages.
    """
    if jacobian is None and trajectory is None:
        raise InputError(f"check_time_scale_separation ({name}): give a jacobian and/or a trajectory")
    if not 0 < hierarchical_below < concurrent_below:
        raise InputError(f"check_time_scale_separation: need 0 < hierarchical_below < concurrent_below, got "
                         f"{hierarchical_below}, {concurrent_below}")
    estimates = []
    if jacobian is not None:
        estimates.append(spectral_time_scales(jacobian))
    if trajectory is not None:
        if dt is None:
            raise InputError(f"check_time_scale_separation ({name}): a trajectory needs its sampling interval dt (s)")
        estimates.append(autocorrelation_times(trajectory, dt))
    results = []
    for ts in estimates:
        eps = ts.epsilon
        if eps < hierarchical_below:
            verdict, advice = "hierarchical", "eliminate the fast variables (quasi-steady state / averaging)"
        elif eps < concurrent_below:
            verdict, advice = "concurrent", "projective integration (fine bursts + extrapolation)"
        else:
            verdict, advice = "scales collide", "no time-scale gap: integrate the fine dynamics"
        ok = verdict != "scales collide"
        gap = (f"{ts.n_fast} fast time scale(s) up to {ts.fast_time:.3g} s, slow from {ts.slow_time:.3g} s"
               if ts.n_fast else f"a single time scale {ts.fast_time:.3g} s")
        results.append(CheckResult(
            f"time-scale separation {name} ({ts.method})", ok,
            f"{gap}: eps = {eps:.3g}: {verdict}; {advice}",
            {"method": ts.method, "time_scales": ts.time_scales.tolist(), "n_fast": ts.n_fast,
             "fast_time": ts.fast_time, "slow_time": ts.slow_time, "epsilon": eps,
             "n_neutral": ts.n_neutral, "recommendation": verdict, "projective_integration": ok,
             "projective_speedup": 1.0 / eps}))
    return results


def patch_test(coupling, strains=(1e-2, -1e-2), rtol: float = 1e-10, force_scale: float | None = None,
               name: str | None = None) -> CheckResult:
    r"""Patch test of an atomistic/continuum domain coupling: are there ghost forces?

    A coupling that is consistent reproduces a uniform deformation exactly: every
    node not held by the boundary condition is in equilibrium. For each uniform
    displacement gradient :math:`H` the nodes are placed at :math:`u = X H^T` and the
    largest force on a free node, the *ghost force*, is compared with
    ``rtol × force_scale`` (Shenoy et al. 1999, J. Mech. Phys. Solids 47, 611; Miller &
    Tadmor 2009, Modelling Simul. Mater. Sci. Eng. 17, 053001, sec. 3: "the patch test").
    Run it in tension and in compression: a lattice with a non-stress-free
    reference may pass at one strain by accident.

    The coupling is duck-typed (nothing of ``scalebridge.coupling`` is imported):

    * ``reference_positions``: array (n_nodes, dim), reference node/atom positions X;
    * ``fixed_nodes``: int array, nodes held by the boundary condition (their
      reaction forces are not ghost forces);
    * ``forces(u)``: forces on all nodes, array (n_nodes, dim), for displacements
      u of shape (n_nodes, dim);
    * optionally ``apply_uniform_strain(H)`` returning u for displacement gradient
      H (default ``X @ H.T``), for couplings with internal degrees of freedom.

    Parameters
    ----------
    coupling : object
        As above.
    strains : sequence of float or (dim, dim) arrays
        Uniform displacement gradients; a number e means :math:`H = e\,I` (uniform
        tension for e > 0, compression for e < 0).
    rtol : float
        Pass when max ghost force <= rtol × force_scale for every strain.
    force_scale : float, optional
        Force used to judge "zero". Default: the largest reaction force on a
        fixed node under the same strain (the load the patch carries).
    name : str, optional
        Name of the coupling in the message (default its class name).

    Returns
    -------
    CheckResult
        ``data``: ``max_ghost_force`` (over strains), per-strain ``ghost_force``,
        ``node`` (index of the largest), ``force_scale`` and ``strains``.
    """
    for attr in ("reference_positions", "fixed_nodes", "forces"):
        if not hasattr(coupling, attr):
            raise InputError(f"patch_test: coupling {type(coupling).__name__} has no {attr!r}; expected "
                             "reference_positions, fixed_nodes and forces(u)")
    X = np.asarray(coupling.reference_positions, dtype=float)
    if X.ndim != 2 or not np.all(np.isfinite(X)):
        raise InputError(f"patch_test: reference_positions has shape {X.shape}, expected finite (n_nodes, dim)")
    n, dim = X.shape
    fixed = np.zeros(n, dtype=bool)
    fixed[np.asarray(coupling.fixed_nodes, dtype=int)] = True
    if fixed.all():
        raise InputError("patch_test: every node is fixed; nothing to test")
    if not (np.isfinite(rtol) and rtol > 0):
        raise InputError(f"patch_test: rtol must be > 0, got {rtol!r}")
    label = name or type(coupling).__name__
    ghosts, nodes, scales, shown = [], [], [], []
    for e in strains:
        H = np.asarray(e, dtype=float)
        H = H * np.eye(dim) if H.ndim == 0 else H
        if H.shape != (dim, dim) or not np.all(np.isfinite(H)):
            raise InputError(f"patch_test: strain {e!r} is not a number or a finite ({dim}, {dim}) matrix")
        apply = getattr(coupling, "apply_uniform_strain", None)
        u = np.asarray(apply(H) if callable(apply) else X @ H.T, dtype=float)
        f = np.asarray(coupling.forces(u), dtype=float).reshape(n, dim)
        if not np.all(np.isfinite(f)):
            raise InputError(f"patch_test: {label}.forces returned non-finite forces at strain {e!r}")
        size = np.linalg.norm(f, axis=1)
        free = np.where(~fixed)[0]
        k = free[np.argmax(size[free])]
        ghosts.append(float(size[k]))
        nodes.append(int(k))
        scales.append(float(force_scale) if force_scale is not None else float(size[fixed].max(initial=0.0)))
        shown.append(H.tolist())
    limits = [rtol * s for s in scales]
    ok = all(g <= lim for g, lim in zip(ghosts, limits))
    worst = int(np.argmax([g / max(s, 1e-300) for g, s in zip(ghosts, scales)]))
    message = (f"{label}: max ghost force {max(ghosts):.3e} (node {nodes[worst]}), "
               f"{ghosts[worst] / max(scales[worst], 1e-300):.2e} of the force scale {scales[worst]:.3e}; "
               + ("passes" if ok else f"fails (limit rtol = {rtol:g})"))
    return CheckResult(f"patch test {label}", ok, message,
                       {"max_ghost_force": max(ghosts), "ghost_force": ghosts, "node": nodes,
                        "force_scale": scales, "strains": shown})
