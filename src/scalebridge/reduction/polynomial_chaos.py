"""Polynomial chaos expansion surrogate (chaospy): a total-degree orthonormal basis fitted by
least squares or by quadrature; moments and Sobol' indices from the coefficients.

See :mod:`scalebridge.reduction.surrogate` for the common surrogate interface.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ..core.errors import InputError
from ..core.model import Model
from ..core.optional import require
from .doe import unflatten_ports
from .fidelity import Declarations
from .surrogate import Surrogate, _log_where, _slices

__all__ = ["PolynomialChaosSurrogate"]


class PolynomialChaosSurrogate(Surrogate):
    r"""A total-degree polynomial chaos expansion fitted by least squares.

    .. math:: y(x) \approx \sum_{|\alpha| \le p} c_\alpha \Psi_\alpha(\xi(x)), \qquad
              \Psi_\alpha(\xi) = \prod_{j=1}^d \psi^{(j)}_{\alpha_j}(\xi_j),

    with :math:`\psi^{(j)}_k` orthonormal for the distribution of input component
    :math:`j` (Wiener-Askey scheme, Xiu & Karniadakis 2002): by default uniform over
    the box, :math:`\xi = 2(z - a)/(b - a) - 1` and normalised Legendre
    polynomials (log-uniform for ``log_inputs``, :math:`z = \ln x`). Given
    ``distributions`` (chaospy, over :math:`z`), the basis comes from the three-term
    recurrence of each marginal (Stieltjes), in :math:`\xi = (z - E z)/\sqrt{\mathrm{Var}\,z}`.
    The :math:`P = \binom{d + p}{p}` coefficients solve :math:`\min_c \lVert \Psi c - y\rVert_2`
    on the design (``n >= P`` points, typically 2P-3P). Then

    .. math:: E[y] = c_0, \qquad \mathrm{Var}[y] = \sum_{\alpha \ne 0} c_\alpha^2, \qquad
              S_j = \frac{\sum_{\alpha \in A_j} c_\alpha^2}{\mathrm{Var}[y]},

    :math:`A_j` the multi-indices with only :math:`\alpha_j > 0` (first order) or
    with :math:`\alpha_j > 0` (total), Sudret (2008). A model that is a polynomial
    of total degree :math:`\le p` is reproduced to round-off. Tangents are the
    derivative of the polynomial.

    Parameters
    ----------
    model, inputs, outputs, scale, name, bounds, log_inputs, declarations
        See :class:`Surrogate`.
    degree : int
        Total degree :math:`p`.
    distributions : sequence of chaospy distributions or chaospy.J, optional
        One independent 1-D distribution per flattened input component (of
        :math:`\ln x` for ``log_inputs``). Default: uniform over the box.
    """

    kind = "polynomial_chaos"

    def __init__(self, model: Model | None = None, *, degree: int = 3, distributions=None, **ports):
        if ports.get("log_outputs"):
            raise InputError("PolynomialChaosSurrogate: log_outputs are not supported (moments would be "
                             "those of ln y); model y itself")
        super().__init__(model, **ports)
        if int(degree) != degree or degree < 1:
            raise InputError(f"{self.name}: degree must be an integer >= 1, got {degree!r}")
        self.degree, self.distributions = int(degree), distributions
        d = self._log_x.size
        if distributions is not None and len(distributions) != d:
            raise InputError(f"{self.name}: {len(distributions)} distributions given for {d} input components")
        self.exponents: np.ndarray | None = None
        self.coefficients: np.ndarray | None = None
        self._basis1d: np.ndarray | None = None

    def options(self) -> dict[str, Any]:
        return {"degree": self.degree, "distributions": None if self.distributions is None else
                [str(self.distributions[j]) for j in range(len(self.distributions))]}

    def _clone_options(self):
        return {"degree": self.degree, "distributions": self.distributions}

    def _build_basis(self) -> None:
        """Orthonormal 1-D polynomials in ``xi`` per component (monomial coefficients) and multi-indices."""
        chaospy = require("chaospy", extra="surrogates")
        p, d = self.degree, self._log_x.size
        self.exponents = np.asarray(chaospy.glexindex(start=0, stop=p + 1, dimensions=d, cross_truncation=1.0,
                                                      graded=True), dtype=int)
        basis = np.zeros((d, p + 1, p + 1))
        xi = chaospy.variable(1)
        for j in range(d):
            if self.distributions is None:
                shift, scale = 0.5 * (self._z_low[j] + self._z_high[j]), 0.5 * (self._z_high[j] - self._z_low[j])
                polys = chaospy.generate_expansion(p, chaospy.Uniform(-1.0, 1.0), normed=True)
            else:
                marginal = self.distributions[j]
                shift = float(marginal.mom(1))
                scale = float(np.sqrt(marginal.mom(2) - shift**2))
                polys = chaospy.generate_expansion(p, marginal, normed=True)(shift + scale * xi)
            self._x_shift[j], self._x_scale[j] = shift, scale
            for k, poly in enumerate(polys):
                for e, c in zip(poly.exponents, poly.coefficients):
                    basis[j, k, e[0]] = c
        self._basis1d = basis

    def _psi(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Basis values ``(B, P)`` and derivatives ``(B, P, d)`` at standardised points ``u``."""
        p = self.degree
        powers = u[:, :, None] ** np.arange(p + 1)                               # (B, d, p+1)
        dpowers = np.concatenate([np.zeros_like(u[:, :, None]), powers[:, :, :-1] * np.arange(1, p + 1)], axis=2)
        values = np.einsum("bdk,djk->bdj", powers, self._basis1d)                # psi_j of degree k at u_d
        slopes = np.einsum("bdk,djk->bdj", dpowers, self._basis1d)
        d = u.shape[1]
        factors = np.stack([values[:, j, self.exponents[:, j]] for j in range(d)], axis=2)    # (B, P, d)
        dfactors = np.stack([slopes[:, j, self.exponents[:, j]] for j in range(d)], axis=2)
        psi = np.prod(factors, axis=2)
        dpsi = np.stack([dfactors[:, :, j] * np.prod(np.delete(factors, j, axis=2), axis=2) for j in range(d)],
                        axis=2)
        return psi, dpsi

    def fit(self, inputs: Mapping[str, Any], outputs: Mapping[str, Any], *,
            declarations: Declarations | None = None, weights=None) -> "PolynomialChaosSurrogate":
        r"""Coefficients from fine evaluations (SI, batch axis first); returns ``self``.

        By least squares, or, given quadrature ``weights``, by spectral projection
        :math:`c_\alpha = \sum_i w_i\, y(x_i)\, \Psi_\alpha(\xi_i)` (Le Maître & Knio
        2010, sec. 3.4): with Gauss nodes and weights of the input distribution (``p + 1``
        per dimension, e.g. ``chaospy.generate_quadrature(p, dist, rule="gaussian")``) a
        polynomial of degree :math:`\le p` per variable is projected exactly.
        The basis is built on the first fit (over the box, or the training bounding
        box if no bounds were given) and kept for later fits.

        Raises
        ------
        InputError
            Bad data, weights of the wrong length or not summing to 1, or (least
            squares) fewer independent points than basis functions.
        """
        if declarations is not None:
            declarations.check_against(self)
            self.declarations = declarations
        z, w = self._data(inputs, outputs)
        if self._basis1d is None:
            box = self.box
            self._z_low, self._z_high = _log_where(self._log_x, box.low), _log_where(self._log_x, box.high)
            self._x_shift, self._x_scale = np.zeros(z.shape[1]), np.ones(z.shape[1])
            self._build_basis()
        psi, _ = self._psi((z - self._x_shift) / self._x_scale)
        if weights is not None:
            weights = np.asarray(weights, dtype=float)
            if weights.shape != (len(z),) or not np.isclose(weights.sum(), 1.0):
                raise InputError(f"{self.name}: quadrature weights must be {len(z)} numbers summing to 1, "
                                 f"got shape {weights.shape}, sum {weights.sum():.6g}")
            self.coefficients = psi.T @ (weights[:, None] * w)
            return self
        n_basis = psi.shape[1]
        coefficients, _, rank, _ = np.linalg.lstsq(psi, w, rcond=None)
        if rank < n_basis:
            raise InputError(f"{self.name}: {len(z)} training points determine only {rank} of the {n_basis} "
                             f"coefficients of degree {self.degree}; add points (>= {2 * n_basis} advised) "
                             "or lower the degree")
        self.coefficients = coefficients
        return self

    def _predict(self, u):
        psi, dpsi = self._psi(u)
        return psi @ self.coefficients, np.einsum("bpd,pm->bmd", dpsi, self.coefficients), None

    def _by_output(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        return {k: v[0] for k, v in unflatten_ports(flat[None], self._out_shapes).items()}

    @property
    def mean(self) -> dict[str, np.ndarray]:
        """:math:`E[y] = c_0` per output (SI, item shape), under the input distribution."""
        return self._by_output(self.coefficients[0])

    @property
    def variance(self) -> dict[str, np.ndarray]:
        r""":math:`\mathrm{Var}[y] = \sum_{\alpha \ne 0} c_\alpha^2` per output (SI², item shape)."""
        return self._by_output(np.sum(self.coefficients[1:] ** 2, axis=0))

    def sobol_indices(self, total: bool = False) -> dict[str, dict[str, np.ndarray]]:
        """First-order (or total) Sobol' indices from the coefficients (Sudret 2008).

        Returns
        -------
        dict
            ``indices[output][input]`` of shape ``(*output.shape, *input.shape)``;
            zero where the output variance is zero.
        """
        e = self.exponents
        var = np.sum(self.coefficients[1:] ** 2, axis=0)
        per_component = []
        for j in range(e.shape[1]):
            mask = e[:, j] > 0 if total else (e[:, j] > 0) & (np.sum(e, axis=1) == e[:, j])
            share = np.sum(self.coefficients[mask] ** 2, axis=0)
            per_component.append(np.divide(share, var, out=np.zeros_like(var), where=var > 0))
        s = np.stack(per_component, axis=1)                                      # (m, d)
        return {out: {inp: s[so, si].reshape(self._out_shapes[out] + self._in_shapes[inp])
                      for inp, si in _slices(self._in_shapes).items()}
                for out, so in _slices(self._out_shapes).items()}

    def _state(self):
        return {"x_shift": self._x_shift, "x_scale": self._x_scale, "basis1d": self._basis1d,
                "exponents": self.exponents, "coefficients": self.coefficients}

    def _restore(self, arrays, inputs, outputs):
        self._data(inputs, outputs)
        self._x_shift, self._x_scale = arrays["x_shift"], arrays["x_scale"]
        self._basis1d, self.exponents = arrays["basis1d"], arrays["exponents"]
        self.coefficients = arrays["coefficients"]
