r"""Input checks and the voxel-wise constitutive law of the FFT cell solver.

The law :math:`\sigma(x) = C_{p(x)}\,\varepsilon(x)` is applied to fields
``(n_loads, n_components, *grid)`` without storing a matrix per voxel when it can be
avoided:

* ``"scalar"``: isotropic conductivities, one voxel field :math:`k(x)` (8 B/voxel);
* ``"isotropic"``: isotropic stiffnesses :math:`C = \lambda\,\delta\otimes\delta + 2\mu\,\mathbb I`
  (Mandel), two voxel fields :math:`\lambda(x), 2\mu(x)` (16 B/voxel);
* ``"general"``: anisotropic phases, one voxel field per entry of the symmetric matrix
  that differs between phases (entries that are equal in all phases are scalars,
  entries that vanish in all phases are skipped): at most 21 fields in 3-D.
"""

from __future__ import annotations

import numpy as np

from ..core.errors import InputError

__all__ = ["validate_phases", "phase_tensors_conductivity", "phase_tensors_stiffness", "material_law",
           "MaterialLaw"]

_MANDEL = {2: 3, 3: 6}


def validate_phases(phases) -> tuple[np.ndarray, int]:
    """The phase map as a C-contiguous intp array, and max id + 1; InputError if malformed."""
    a = np.asarray(phases)
    if a.dtype == bool:
        a = a.astype(np.intp)
    if a.dtype.kind not in "iu":
        raise InputError(f"phases: got dtype {a.dtype}, expected an integer array of phase ids")
    if a.ndim not in (2, 3):
        raise InputError(f"phases: got {a.ndim}-D array of shape {a.shape}, expected a 2-D or 3-D voxel grid")
    if a.size < 2:
        raise InputError(f"phases: got grid {a.shape}, expected at least 2 voxels")
    lo, hi = int(a.min()), int(a.max())
    if lo < 0:
        raise InputError(f"phases: got phase id {lo}, expected ids >= 0")
    return np.ascontiguousarray(a, dtype=np.intp), hi + 1


def _check_spd(name: str, t: np.ndarray, n_phases: int, shape_txt: str) -> np.ndarray:
    if t.shape[0] < n_phases:
        raise InputError(f"{name}: got {t.shape[0]} phases, but the phase map uses ids up to {n_phases - 1} "
                         f"(expected {shape_txt} with P >= {n_phases})")
    if not np.all(np.isfinite(t)):
        raise InputError(f"{name}: got non-finite entries, expected finite phase tensors")
    asym = np.abs(t - np.swapaxes(t, -1, -2)).max(axis=(-2, -1))
    size = np.abs(t).max(axis=(-2, -1))
    bad = np.flatnonzero(asym > 1e-10 * size)
    if bad.size:
        raise InputError(f"{name}: phase {bad[0]} is not symmetric (max |T - T^T| = {asym[bad[0]]:.3g})")
    t = 0.5 * (t + np.swapaxes(t, -1, -2))
    eig = np.linalg.eigvalsh(t)
    bad = np.flatnonzero(eig[:, 0] <= 1e-12 * np.maximum(eig[:, -1], 0.0) + 0.0)
    if bad.size:
        raise InputError(f"{name}: phase {bad[0]} is not positive definite (eigenvalues {eig[bad[0]]}), "
                         "expected a symmetric positive-definite tensor for every phase")
    return np.ascontiguousarray(t)


def phase_tensors_conductivity(conductivity, dim: int, n_phases: int) -> np.ndarray:
    """Conductivities (P,) or (P, d, d) -> checked SPD tensors (P, d, d)."""
    k = np.asarray(conductivity, dtype=float)
    if k.ndim == 1:
        if np.any(~np.isfinite(k)) or np.any(k <= 0):
            raise InputError(f"conductivity: got {k}, expected finite positive scalars per phase")
        k = k[:, None, None] * np.eye(dim)
    elif k.ndim != 3 or k.shape[1:] != (dim, dim):
        raise InputError(f"conductivity: got shape {k.shape}, expected (P,) or (P, {dim}, {dim}) for a {dim}-D grid")
    return _check_spd("conductivity", k, n_phases, f"(P, {dim}, {dim})")


def phase_tensors_stiffness(stiffness, dim: int, n_phases: int) -> np.ndarray:
    """Mandel stiffnesses (P, m, m) -> checked SPD matrices."""
    c = np.asarray(stiffness, dtype=float)
    m = _MANDEL[dim]
    if c.ndim == 2 and c.shape == (m, m):
        c = c[None]
    if c.ndim != 3 or c.shape[1:] != (m, m):
        raise InputError(f"stiffness: got shape {c.shape}, expected (P, {m}, {m}) Mandel matrices for a "
                         f"{dim}-D grid ({'plane strain' if dim == 2 else '3-D'})")
    return _check_spd("stiffness", c, n_phases, f"(P, {m}, {m})")


class MaterialLaw:
    """Voxel-wise linear law ``out = C(x) x`` for fields (n_loads, n_comp, *grid); see module docstring."""

    def __init__(self, kind: str, n_comp: int, **data):
        self.kind, self.n_comp = kind, n_comp
        self.__dict__.update(data)

    def nbytes(self) -> int:
        """Bytes held in voxel fields."""
        return sum(v.nbytes for v in self.__dict__.values() if isinstance(v, np.ndarray)) + \
            sum(v.nbytes for v in getattr(self, "coef", {}).values() if isinstance(v, np.ndarray))

    def apply(self, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        """``out = C(x) x`` (``out`` must not alias ``x``); returns ``out``."""
        if self.kind == "scalar":
            return np.multiply(x, self.k, out=out)
        if self.kind == "isotropic":
            d = self.dim
            np.multiply(x, self.mu2, out=out)
            tr = x[:, 0] + x[:, 1]
            for i in range(2, d):
                tr += x[:, i]
            tr *= self.lam
            for i in range(d):
                out[:, i] += tr
            return out
        tmp = None
        for i in range(self.n_comp):
            first = True
            for j in range(self.n_comp):
                c = self.coef.get((min(i, j), max(i, j)))
                if c is None:
                    continue
                if first:
                    np.multiply(x[:, j], c, out=out[:, i])
                    first = False
                else:
                    if tmp is None:
                        tmp = np.empty(out.shape[:1] + out.shape[2:])
                    np.multiply(x[:, j], c, out=tmp)
                    out[:, i] += tmp
            if first:
                out[:, i] = 0.0
        return out


def material_law(phases: np.ndarray, tensors: np.ndarray, problem: str, scalar: bool = False) -> MaterialLaw:
    """Choose the cheapest exact representation of ``C(x) = tensors[phases]``."""
    n_comp = tensors.shape[-1]
    dim = phases.ndim
    eye = np.eye(n_comp)
    diag = tensors[:, 0, 0]
    if problem == "conductivity" and (scalar or np.allclose(tensors, diag[:, None, None] * eye, rtol=0,
                                                            atol=1e-14 * np.abs(tensors).max())):
        return MaterialLaw("scalar", n_comp, k=diag[phases])
    if problem == "elasticity":
        lam = tensors[:, 0, 1]
        mu2 = tensors[:, 0, 0] - lam
        normal = np.zeros((n_comp, n_comp))
        normal[:dim, :dim] = 1.0
        iso = lam[:, None, None] * normal + mu2[:, None, None] * eye
        if np.allclose(tensors, iso, rtol=0, atol=1e-12 * np.abs(tensors).max()):
            return MaterialLaw("isotropic", n_comp, dim=dim, lam=lam[phases], mu2=mu2[phases])
    used = np.unique(phases)
    coef = {}
    for i in range(n_comp):
        for j in range(i, n_comp):
            v = tensors[used, i, j]
            if np.all(v == 0.0):
                continue
            coef[(i, j)] = float(v[0]) if np.all(v == v[0]) else tensors[:, i, j][phases]
    return MaterialLaw("general", n_comp, coef=coef)
