r"""Green (projection) operators of the FFT cell solver, assembled on the fly.

Both operators of :mod:`scalebridge.solvers.fft` are *orthogonal projections* onto the
compatible fields of a periodic grid: at every discrete frequency :math:`\xi` the
compatible gradients (strains) are spanned by one real direction
:math:`n(\xi)` (:math:`|n| = 1`), and

.. math::

    \hat G(\xi)\,\hat g = n\,(n\cdot\hat g) \quad\text{(conductivity)},\qquad
    \hat G(\xi)\,\hat\varepsilon = 2\,\mathrm{sym}(n\otimes\hat\varepsilon n)
        - (n\cdot\hat\varepsilon n)\,n\otimes n \quad\text{(elasticity)},

the projection onto :math:`\{\mathrm{sym}(n\otimes u)\}` in the Frobenius (Mandel)
inner product; :math:`\hat G(0) = 0`. This is the Green operator :math:`\Gamma^0` of a
reference medium :math:`C^0 = c_0\,\mathbb I` times :math:`c_0` (isotropic with
:math:`\mu_0 = c_0/2`, :math:`\lambda_0 = 0`); Zeman et al., J. Comput. Phys. 229,
8065 (2010); Vondřejc, Zeman & Marek, Comput. Math. Appl. 68, 156 (2014). Only the
``d`` direction cosines per frequency are stored, never an ``m x m`` matrix.

Directions :math:`n = a/|a|`:

* ``"spectral"`` (Moulinec & Suquet 1994, C. R. Acad. Sci. II 318, 1417; 1998, Comput.
  Methods Appl. Mech. Eng. 157, 69): :math:`a_j = \xi_j / n_j` (continuous derivative
  of the trigonometric interpolant).
* ``"discrete"``: the rotated staggered-grid scheme of Willot (2015, C. R. Mécanique 343,
  232): the gradient at a voxel centre is the mean of the forward differences over the
  2^d voxel corners, whose symbol is
  :math:`k_j = (e^{i\theta_j}-1)\prod_{l\ne j}(1+e^{i\theta_l})/2^{d-1}`,
  :math:`\theta_j = 2\pi\xi_j/n_j`; up to a common complex phase
  :math:`a_j = \sin(\theta_j/2)\prod_{l\ne j}\cos(\theta_l/2)`. Frequencies where
  :math:`a = 0` but :math:`\xi \ne 0` (two or more Nyquist components: the
  hourglass/checkerboard modes of the corner displacement) carry no compatible field:
  :math:`\hat G = 0` there.

For the potential formulation of :mod:`scalebridge.solvers.fft`,
:class:`RotatedGradient` applies the same rotated gradient as a real-space stencil on a
corner potential, its adjoint, and the inverse discrete Laplacian :math:`1/(4^d|a|^2)`;
:math:`D(D^{\mathsf T}D)^{+}D^{\mathsf T}` is exactly the ``"discrete"`` :math:`\hat G`.

Nyquist frequencies of even grids (spectral operator). The grid mode
:math:`\xi_j = n_j/2` is the same as :math:`\xi_j = -n_j/2`, so the direction is
ambiguous and a non-symmetric choice would produce complex fields. We keep only the
part of the compatible space that does not depend on the sign: for a pure axis
frequency :math:`\xi = (n_j/2)e_j` the direction :math:`\pm e_j` gives the same
projection and is kept (so laminates are exact); any other frequency with a Nyquist
component gets :math:`\hat G = 0` (for conductivity this is exactly the
sign-independent subspace, for elasticity a subspace of it). The operator stays a real,
orthogonal projection and the trial space conforming (compatible for either sign); cf.
Moulinec & Suquet (1998, sec. 2.4), who also zero these modes.
"""

from __future__ import annotations

import numpy as np

__all__ = ["OPERATORS", "frequency_directions", "ProjectionOperator", "RotatedGradient"]

OPERATORS = ("spectral", "discrete")
_SQRT2 = np.sqrt(2.0)
#: Mandel index pairs (same order as :data:`scalebridge.solvers.tensors.MANDEL_PAIRS`).
_PAIRS = {2: ((0, 0), (1, 1), (0, 1)), 3: ((0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1))}


def _axis_frequencies(shape: tuple[int, ...]) -> list[np.ndarray]:
    """Integer frequencies per axis of an ``rfftn`` spectrum (last axis halved), broadcastable."""
    d = len(shape)
    out = []
    for j, n in enumerate(shape):
        f = np.fft.rfftfreq(n, 1.0 / n) if j == d - 1 else np.fft.fftfreq(n, 1.0 / n)
        out.append(f.reshape([-1 if i == j else 1 for i in range(d)]))
    return out


def _rotated_vectors(shape: tuple[int, ...]) -> np.ndarray:
    r"""Unnormalised directions of the rotated scheme, :math:`a_j = \sin\frac{\theta_j}{2}\prod_{l\ne j}
    \cos\frac{\theta_l}{2}`, shape (d, *spectrum) (see the module docstring)."""
    d = len(shape)
    xi = _axis_frequencies(shape)
    theta = [np.pi * xi[j] / shape[j] for j in range(d)]  # half angles
    s = [np.sin(t) for t in theta]
    c = [np.cos(t) for t in theta]
    out = []
    for j in range(d):
        prod = s[j]
        for ell in range(d):
            if ell != j:
                prod = prod * c[ell]
        out.append(np.broadcast_to(prod, tuple(shape[:-1]) + (shape[-1] // 2 + 1,)))
    return np.array(out)


def frequency_directions(shape: tuple[int, ...], operator: str) -> np.ndarray:
    r"""Unit directions :math:`n(\xi)` of the compatible fields, shape (d, *spectrum).

    ``spectrum`` is the ``rfftn`` half spectrum ``(n1, ..., n_d // 2 + 1)``; rows are 0
    where no compatible field exists (:math:`\xi = 0`, dropped Nyquist modes, and the
    zero modes of the rotated scheme). See the module docstring for both operators.
    """
    shape = tuple(int(s) for s in shape)
    d = len(shape)
    xi = _axis_frequencies(shape)
    spec = tuple(shape[:-1]) + (shape[-1] // 2 + 1,)
    a = np.zeros((d,) + spec)
    if operator == "spectral":
        for j in range(d):
            a[j] = xi[j] / shape[j]
        nyq = [(shape[j] % 2 == 0) & (np.abs(xi[j]) == shape[j] // 2) & (shape[j] > 1) for j in range(d)]
        any_nyq = np.zeros(spec, dtype=bool)
        nonzero = np.zeros(spec, dtype=int)
        for j in range(d):
            any_nyq |= nyq[j]
            nonzero += (xi[j] != 0)
        a[:, any_nyq & (nonzero > 1)] = 0.0   # sign-ambiguous mixed Nyquist modes
    elif operator == "discrete":
        a[...] = _rotated_vectors(shape)
    else:  # pragma: no cover - validated by the caller
        raise ValueError(operator)
    norm = np.sqrt(np.einsum("j...,j...->...", a, a))
    small = norm < 1e-12 * max(1.0, float(norm.max(initial=0.0)))
    norm[small] = np.inf
    a /= norm
    return a


class ProjectionOperator:
    r"""The real orthogonal projection :math:`\hat G(\xi)` applied in place to a spectrum.

    Parameters
    ----------
    shape : tuple of int
        Grid (n1, n2[, n3]).
    operator : {"spectral", "discrete"}
    problem : {"conductivity", "elasticity"}
        Components: ``d`` gradient components, or ``m`` Mandel strain components.

    Notes
    -----
    Storage: the ``d`` direction cosines per frequency of the half spectrum, repeated for
    the real and imaginary parts so that the projection uses real multiplications only
    (plus :math:`n/\sqrt2` for elasticity), float64 -- 24 (conductivity) or 48
    (elasticity) bytes per voxel in 3-D, independent of the number of load cases.
    """

    def __init__(self, shape, operator: str, problem: str):
        self.shape = tuple(int(s) for s in shape)
        self.dim = len(self.shape)
        self.problem = problem
        # real view of the spectrum: (re, im) interleaved along the last axis, so the
        # real operator is applied with real multiplications only
        self.n = np.repeat(frequency_directions(self.shape, operator), 2, axis=-1)
        if problem == "elasticity":
            self.n_half = self.n / _SQRT2

    def nbytes(self) -> int:
        """Bytes held by the operator."""
        return self.n.nbytes + getattr(self, "n_half", self.n[:0]).nbytes

    def apply(self, spec: np.ndarray) -> np.ndarray:
        """Project ``spec`` (n_loads, n_components, *spectrum), complex128, in place; returns it."""
        v = spec.view(np.float64)
        if self.problem == "conductivity":
            self._apply_conductivity(v)
        else:
            self._apply_elasticity(v)
        return spec

    def _apply_conductivity(self, v):
        n = self.n
        s = v[:, 0] * n[0]
        tmp = np.empty_like(s)
        for j in range(1, self.dim):
            np.multiply(v[:, j], n[j], out=tmp)
            s += tmp
        for j in range(self.dim):
            np.multiply(s, n[j], out=v[:, j])

    def _apply_elasticity(self, v):
        # u = eps n (tensor times vector), s = n . u, t = 2u - s n,
        # out_ii = n_i t_i, out_(ij) = sqrt2 (n_i t_j + n_j t_i) / 2 = n_i t_j/sqrt2 + n_j t_i/sqrt2
        d, n, nh, pairs = self.dim, self.n, self.n_half, _PAIRS[self.dim]
        index = {}
        for a, (i, j) in enumerate(pairs):
            index[(i, j)] = index[(j, i)] = a
        L = v.shape[0]
        u = np.empty((L, d) + v.shape[2:])
        tmp = np.empty((L,) + v.shape[2:])
        for i in range(d):
            np.multiply(v[:, index[(i, i)]], n[i], out=u[:, i])
            for j in range(d):
                if j != i:
                    np.multiply(v[:, index[(i, j)]], nh[j], out=tmp)
                    u[:, i] += tmp
        s = u[:, 0] * n[0]
        for i in range(1, d):
            np.multiply(u[:, i], n[i], out=tmp)
            s += tmp
        for i in range(d):
            u[:, i] *= 2.0
            np.multiply(s, n[i], out=tmp)
            u[:, i] -= tmp
        for a, (i, j) in enumerate(pairs):
            out = v[:, a]
            if i == j:
                np.multiply(u[:, i], n[i], out=out)
            else:
                np.multiply(u[:, j], nh[i], out=out)
                np.multiply(u[:, i], nh[j], out=tmp)
                out += tmp


class RotatedGradient:
    r"""Willot's rotated gradient :math:`D` and its adjoint as real-space stencils, and the
    inverse of the discrete Laplacian :math:`D^{\mathsf T}D` in Fourier space.

    A scalar potential :math:`\phi` lives at the voxel corners (corner ``i`` is the lower
    corner of voxel ``i``); the gradient at the centre of voxel ``i`` is

    .. math:: (D\phi)_j = \delta_j \prod_{l\ne j}\mu_l\,\phi,\qquad
        (\delta_l\phi)_i = \phi_{i+e_l}-\phi_i,\quad (\mu_l\phi)_i = \phi_{i+e_l}+\phi_i,

    i.e. :math:`2^{d-1}` times the mean of the forward differences along the
    :math:`2^{d-1}` voxel edges parallel to :math:`e_j` (Willot 2015, C. R. Mécanique 343,
    232; the factor is immaterial: :math:`\phi` is an internal unknown). Its symbol is
    :math:`\hat D_j = c(\xi)\,2^d a_j(\xi)` with :math:`|c| = 1` and :math:`a` of
    :func:`frequency_directions`, so :math:`D(D^{\mathsf T}D)^{+}D^{\mathsf T}` is
    exactly the ``"discrete"`` projection :math:`G` and :math:`D^{\mathsf T}D` has the
    real symbol :math:`4^d|a|^2`. The adjoint (a discrete divergence) is
    :math:`D^{\mathsf T}q = \sum_j \delta_j^{\mathsf T}\prod_{l\ne j}\mu_l^{\mathsf T} q_j`
    with the backward stencils :math:`(\delta^{\mathsf T}_l v)_i = v_{i-e_l} - v_i`,
    :math:`(\mu^{\mathsf T}_l v)_i = v_{i-e_l} + v_i`.

    Each 1-D stencil is one vectorised pass over the flattened voxels (a shift by the
    axis stride) plus a fix-up of the wrapped slab, written into preallocated buffers:
    :math:`d^2` passes for :math:`D`, :math:`d^2` for :math:`D^{\mathsf T}`.

    Parameters
    ----------
    shape : tuple of int
        Grid (n1, n2[, n3]).

    Notes
    -----
    Fields are 2-D views ``(n_loads, n_voxels)`` (C order over the grid; the load axis
    may have any stride). ``inverse_laplacian`` holds :math:`1/(4^d|a|^2)` (0 at the zero
    and hourglass modes, where :math:`a = 0`) repeated for the real and imaginary parts
    of the ``rfftn`` half spectrum: 8 B per voxel.
    """

    def __init__(self, shape):
        self.shape = tuple(int(s) for s in shape)
        self.dim = len(self.shape)
        self.size = int(np.prod(self.shape))
        self.strides = [int(np.prod(self.shape[j + 1:])) for j in range(self.dim)]
        a2 = np.einsum("j...,j...->...", *(2 * (_rotated_vectors(self.shape),)))
        small = a2 <= (1e-12 * max(1.0, float(np.sqrt(a2.max(initial=0.0))))) ** 2
        inv = np.zeros_like(a2)
        inv[~small] = 1.0 / (4.0 ** self.dim * a2[~small])
        self.inverse_laplacian = np.repeat(inv, 2, axis=-1)

    def nbytes(self) -> int:
        """Bytes held by the operator."""
        return self.inverse_laplacian.nbytes

    def _grid(self, a: np.ndarray) -> np.ndarray:
        return a.reshape(a.shape[:1] + self.shape)

    def _stencil(self, op, a: np.ndarray, axis: int, out: np.ndarray, forward: bool) -> None:
        """``out = op(a shifted by -e_axis, a)`` (forward) or ``op(a shifted by +e_axis, a)``, periodic."""
        R = self.strides[axis]
        if R < self.size:
            if forward:
                op(a[:, R:], a[:, :-R], out=out[:, :-R])
            else:
                op(a[:, :-R], a[:, R:], out=out[:, R:])
        ag, og = self._grid(a), self._grid(out)
        first = (slice(None),) * (axis + 1) + (0,)
        last = (slice(None),) * (axis + 1) + (-1,)
        if forward:   # entries at index n-1 wrapped to index 0
            op(ag[first], ag[last], out=og[last])
        else:         # entries at index 0 wrapped from index n-1
            op(ag[last], ag[first], out=og[first])

    def gradient(self, phi: np.ndarray, out: np.ndarray, scratch: np.ndarray) -> np.ndarray:
        """``out[:, j] = (D phi)_j``: phi (L, N), out (L, d, N), scratch (L, N); returns out."""
        for j in range(self.dim):
            others = [ell for ell in range(self.dim) if ell != j]
            src = phi
            for k, ell in enumerate(others):  # the last mean lands in scratch, then the difference
                dst = scratch if (len(others) - 1 - k) % 2 == 0 else out[:, j]
                self._stencil(np.add, src, ell, dst, forward=True)
                src = dst
            self._stencil(np.subtract, src, j, out[:, j], forward=True)
        return out

    def divergence(self, q: np.ndarray, out: np.ndarray, scratch: np.ndarray) -> np.ndarray:
        """``out = D^T q`` for q (L, d, N), which is overwritten (used as scratch); returns out."""
        for j in range(self.dim):
            chain = [(np.subtract, j)] + [(np.add, ell) for ell in range(self.dim) if ell != j]
            src = q[:, j]
            for k, (op, axis) in enumerate(chain):
                dst = out if (j == 0 and k == len(chain) - 1) else (scratch if k % 2 == 0 else q[:, j])
                self._stencil(op, src, axis, dst, forward=False)
                src = dst
            if j > 0:
                out += src
        return out
