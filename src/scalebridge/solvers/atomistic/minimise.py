r"""Energy minimisers: FIRE and L-BFGS, with fixed components and optional cell relaxation.

Both act on one vector of degrees of freedom. Positions alone: x = r (Å), gradient
-F. With the cell (``relax_cell=True``) the cell is :math:`\mathbf H = \mathbf H_0\mathbf G^{\mathsf T}`
and positions :math:`\mathbf r = \mathbf G\mathbf s` with :math:`\mathbf G = \mathbf I + \boldsymbol\eta`,
and the extra degrees of freedom are :math:`N\boldsymbol\eta` (9), whose "forces" are

.. math:: -\frac{1}{N}\frac{\partial E}{\partial \boldsymbol\eta} = -\frac{V}{N}\,\boldsymbol\sigma\,\mathbf G^{-\mathsf T},

(eV, like the atomic forces when multiplied by Å; the scaling by N follows the unit-cell
filter idea of Tadmor & Miller 2011, sec. 6.4.5). Convergence: every atomic force
:math:`|\mathbf F_i| <` ``fmax`` (eV/Å) and, with the cell, every :math:`|V\sigma_{ab}/N| <` ``fmax``
(eV). A ``mask`` (N, 3) of booleans (True = free) freezes components (e.g. in-plane
motion for a generalised stacking fault).

* FIRE: Bitzek, Koskinen, Gähler, Moseler & Gumbsch, Phys. Rev. Lett. 97, 170201
  (2006), with their parameters N_min = 5, f_inc = 1.1, f_dec = 0.5, alpha_start = 0.1,
  f_alpha = 0.99, unit masses, and a cap of ``max_step`` Å per step.
* L-BFGS: ``scipy.optimize.minimize(method="L-BFGS-B")`` (Liu & Nocedal 1989).

Not converging within ``max_steps`` raises :class:`~scalebridge.core.errors.ConvergenceError`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from ...core.errors import ConvergenceError, InputError
from .base import AtomisticResult, as_engine, configuration

__all__ = ["Relaxation", "relax", "fire", "lbfgs", "fire_steps"]


@dataclass(frozen=True)
class Relaxation:
    """A relaxed configuration: arrays in Å, ``energy`` eV, ``result`` the engine output there."""

    positions: np.ndarray
    cell: np.ndarray
    pbc: np.ndarray
    energy: float
    result: AtomisticResult
    steps: int
    max_force: float
    converged: bool
    method: str

    def to_atoms(self, symbols):
        """The relaxed structure as an ``ase.Atoms`` (needs ASE)."""
        from .ase_adapter import to_atoms
        return to_atoms(self.positions, self.cell, self.pbc, symbols)


class _Objective:
    """Energy and gradient over the packed degrees of freedom (module notes)."""

    def __init__(self, engine, positions, cell, pbc, mask, relax_cell):
        self.engine, self.cell0, self.pbc, self.relax_cell = engine, cell, pbc, relax_cell
        self.n = len(positions)
        if mask is None:
            mask = np.ones((self.n, 3), dtype=bool)
        mask = np.asarray(mask, dtype=bool)
        if mask.shape == (self.n,):
            mask = np.repeat(mask[:, None], 3, axis=1)
        if mask.shape != (self.n, 3):
            raise InputError(f"mask: got shape {mask.shape}, expected ({self.n},) or ({self.n}, 3) booleans")
        self.mask = mask
        self.x0 = np.concatenate([positions.ravel(), np.zeros(9 if relax_cell else 0)])
        self.last = None

    def unpack(self, x):
        r = x[: 3 * self.n].reshape(self.n, 3)
        if not self.relax_cell:
            return r, self.cell0, np.eye(3)
        G = np.eye(3) + x[3 * self.n:].reshape(3, 3) / self.n
        return r @ G.T, self.cell0 @ G.T, G

    def evaluate(self, x):
        """(energy, generalised forces = -gradient masked, result, positions, cell, max_force)."""
        r, cell, G = self.unpack(x)
        res = self.engine.compute(r, cell, self.pbc)
        if not (np.isfinite(res.energy) and np.all(np.isfinite(res.forces))):
            raise ConvergenceError("minimiser: the engine returned non-finite energy or forces "
                                   "(atoms too close? check the starting structure)")
        f = res.forces * self.mask
        fmax = float(np.sqrt((f * f).sum(1)).max())
        if self.relax_cell:
            volume = abs(np.linalg.det(cell))
            f = f @ G
            fcell = -volume * res.stress @ np.linalg.inv(G).T / self.n
            fmax = max(fmax, float(np.abs(volume * res.stress / self.n).max()))
            f = np.concatenate([f.ravel(), fcell.ravel()])
        self.last = (res, r, cell, fmax)
        return res.energy, f.ravel(), fmax


def _finish(obj, x, steps, converged, method, fmax_goal, raise_on_failure):
    energy, _, fm = obj.evaluate(x)
    res, r, cell, fm = obj.last
    if not converged and raise_on_failure:
        raise ConvergenceError(f"{method}: max force {fm:.3g} eV/Å after {steps} steps, expected < fmax = "
                               f"{fmax_goal:g}; raise max_steps or check the structure")
    return Relaxation(r, cell, obj.pbc, energy, res, steps, fm, converged, method)


def fire_steps(force_fn, x, fmax, max_steps, dt=0.1, dt_max=1.0, max_step=0.2, n_atoms_dims=3):
    """Generic FIRE loop on a flat vector; ``force_fn(x) -> (forces (flat), max_force)``.

    Returns (x, steps, converged). Used by :func:`fire` and by the NEB optimiser.
    Parameters of Bitzek et al. (2006); ``max_step`` caps the move of any 3-vector (Å).
    """
    n_min, f_inc, f_dec, alpha0, f_alpha = 5, 1.1, 0.5, 0.1, 0.99
    v = np.zeros_like(x)
    alpha, since_negative = alpha0, 0
    for step in range(max_steps + 1):
        f, fm = force_fn(x)
        if fm < fmax:
            return x, step, True
        if step == max_steps:
            break
        power = float(f @ v)
        if power > 0:
            fn = np.linalg.norm(f)
            v = (1 - alpha) * v + alpha * np.linalg.norm(v) * f / (fn if fn > 0 else 1.0)
            if since_negative > n_min:
                dt = min(dt * f_inc, dt_max)
                alpha *= f_alpha
            since_negative += 1
        else:
            v[:] = 0.0
            dt *= f_dec
            alpha, since_negative = alpha0, 0
        v = v + dt * f
        dx = (dt * v).reshape(-1, n_atoms_dims)
        longest = float(np.sqrt((dx * dx).sum(1)).max())
        if longest > max_step:
            dx *= max_step / longest
        x = x + dx.ravel()
    return x, max_steps, False


def fire(engine, positions=None, cell=None, pbc=True, *, atoms=None, fmax=1e-3, max_steps=5000, dt=0.1,
         dt_max=1.0, max_step=0.2, mask=None, relax_cell=False, symbols=None, raise_on_failure=True) -> Relaxation:
    """Relax with FIRE (Bitzek et al. 2006); see the module notes for units and criteria.

    Parameters
    ----------
    engine : engine or ASE calculator
        Our potential or an ASE calculator (then ``symbols`` or ``atoms`` is needed).
    positions, cell, pbc : array_like
        Configuration (Å), or ``atoms=`` an ``ase.Atoms``.
    fmax : float
        Force tolerance (eV/Å).
    dt, dt_max : float
        Initial and largest FIRE time step, in the units implied by unit masses (ASE's FIRE uses the same numbers).
    """
    engine = as_engine(engine, symbols if symbols is not None else _symbols(atoms))
    positions, cell, pbc = configuration(atoms, positions, cell, pbc)
    _check_tolerance(fmax, max_steps)
    obj = _Objective(engine, positions, cell, pbc, mask, relax_cell)

    def force_fn(x):
        _, f, fm = obj.evaluate(x)
        return f, fm

    x, steps, ok = fire_steps(force_fn, obj.x0.copy(), fmax, max_steps, dt, dt_max, max_step)
    return _finish(obj, x, steps, ok, "FIRE", fmax, raise_on_failure)


def lbfgs(engine, positions=None, cell=None, pbc=True, *, atoms=None, fmax=1e-3, max_steps=5000, mask=None,
          relax_cell=False, symbols=None, raise_on_failure=True, restarts=3) -> Relaxation:
    """Relax with L-BFGS (``scipy.optimize``); arguments as :func:`fire`.

    SciPy stops on the largest gradient component; the run is restarted (up to
    ``restarts`` times) until the per-atom force criterion ``fmax`` holds. When the
    energy line search stalls at round-off (very tight ``fmax``), FIRE finishes the job.
    """
    engine = as_engine(engine, symbols if symbols is not None else _symbols(atoms))
    positions, cell, pbc = configuration(atoms, positions, cell, pbc)
    _check_tolerance(fmax, max_steps)
    obj = _Objective(engine, positions, cell, pbc, mask, relax_cell)
    x, steps, ok = obj.x0.copy(), 0, False
    for _ in range(restarts + 1):
        sol = minimize(lambda y: (lambda e, f, fm: (e, -f))(*obj.evaluate(y)), x, jac=True, method="L-BFGS-B",
                       options=dict(maxiter=max_steps - steps, gtol=fmax / 3, ftol=1e-16, maxcor=20))
        x, steps = sol.x, steps + int(sol.nit)
        obj.evaluate(x)
        if obj.last[3] < fmax:
            ok = True
            break
        if steps >= max_steps or sol.nit == 0:
            break
    if not ok and steps < max_steps:
        # the energy line search stalls at round-off (tight fmax): finish with FIRE, which needs forces only
        def force_fn(y):
            _, f, fm = obj.evaluate(y)
            return f, fm

        x, extra, ok = fire_steps(force_fn, x, fmax, max_steps - steps, dt=0.05, dt_max=0.5)
        steps += extra
    return _finish(obj, x, steps, ok, "L-BFGS", fmax, raise_on_failure)


def relax(engine, positions=None, cell=None, pbc=True, *, method="fire", **options) -> Relaxation:
    """Relax with ``method`` "fire" or "lbfgs" (a registry, not an if-chain, would be overkill for two)."""
    methods = {"fire": fire, "lbfgs": lbfgs}
    if method not in methods:
        raise InputError(f"method: got {method!r}, expected one of {sorted(methods)}")
    return methods[method](engine, positions, cell, pbc, **options)


def _symbols(atoms):
    return None if atoms is None else atoms.get_chemical_symbols()


def _check_tolerance(fmax, max_steps):
    if not (np.isfinite(fmax) and fmax > 0):
        raise InputError(f"fmax: got {fmax!r}, expected a force tolerance > 0 eV/Å")
    if int(max_steps) != max_steps or max_steps < 1:
        raise InputError(f"max_steps: got {max_steps!r}, expected an integer >= 1")
