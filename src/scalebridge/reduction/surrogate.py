r"""Surrogates with error control: Gaussian-process and polynomial-chaos models of a fine model.

A surrogate *is* a :class:`~scalebridge.core.model.Model` with the ports, units and
scale of the model it replaces, so a macro solver cannot tell them apart. It is
learned from fine evaluations (SI arrays with a batch axis) and returns, besides
the prediction, its tangents :math:`\partial y/\partial x` (analytic) and, for the
Gaussian process, a predictive standard deviation in ``info["std"]``.

* :class:`GaussianProcessSurrogate`: one Gaussian process per output component
  (scikit-learn), kernel :math:`k = \sigma_f^2 \exp(-\tfrac12 \sum_j (u_j - u'_j)^2/\ell_j^2)
  + \sigma_n^2 \delta`; posterior mean and variance (Rasmussen & Williams 2006, eqs. 2.25-2.26)

  .. math:: \mu(u) = k_*^\mathsf{T} (K + \sigma_n^2 I)^{-1} t, \qquad
            s^2(u) = \sigma_f^2 - k_*^\mathsf{T} (K + \sigma_n^2 I)^{-1} k_*

* :class:`~scalebridge.reduction.polynomial_chaos.PolynomialChaosSurrogate`: :math:`y(\xi) = \sum_{|\alpha| \le p} c_\alpha \Psi_\alpha(\xi)`
  with :math:`\Psi_\alpha = \prod_j \psi^{(j)}_{\alpha_j}` orthonormal for the input
  distribution (chaospy), coefficients by least-squares regression on the design
  (point collocation, Hosder et al. 2007); then :math:`E[y] = c_0`,
  :math:`\mathrm{Var}[y] = \sum_{\alpha \ne 0} c_\alpha^2` (Xiu & Karniadakis 2002) and
  Sobol' indices from sums of squared coefficients (Sudret 2008).

Inputs are standardised, :math:`u = (z - m)/s`, with :math:`z = x` or :math:`z = \ln x`
for inputs declared ``log_inputs``; the Gaussian process also standardises its
targets, :math:`t = (w - m_y)/s_y` with :math:`w = y` or :math:`\ln y` (``log_outputs``,
then the prediction is :math:`e^{\mu}`, the median of the log-normal predictive,
and its std the delta-method :math:`y\,s_y\,s`). Tangents follow by the chain rule.

:func:`~scalebridge.reduction.training.fit_surrogate` runs the whole offline step
(design, one batched fine solve, fit); :func:`~scalebridge.reduction.training.cross_validate`
measures the error; :func:`~scalebridge.reduction.archive.save` /
:func:`~scalebridge.reduction.archive.load_surrogate` archive a surrogate as ``.npz``
arrays and JSON metadata (no pickle).

scikit-learn and chaospy are optional (``pip install 'scalebridge[surrogates]'``).

References
----------
Rasmussen C. E. & Williams C. K. I. (2006), *Gaussian Processes for Machine
Learning*, MIT Press, ch. 2 and 5. Xiu D. & Karniadakis G. E. (2002), SIAM J. Sci.
Comput. 24, 619. Sudret B. (2008), Reliab. Eng. Syst. Saf. 93, 964. Hosder S.,
Walters R. W. & Balch M. (2007), AIAA 2007-1939. Le Maître O. P. & Knio O. M. (2010),
*Spectral Methods for Uncertainty Quantification*, Springer. Feinberg J. & Langtangen H. P.
(2015), J. Comput. Sci. 11, 46 (chaospy). Pedregosa F. et al. (2011), J. Mach.
Learn. Res. 12, 2825 (scikit-learn).
"""

from __future__ import annotations

import warnings
from typing import Any, Iterable, Mapping, NamedTuple

import numpy as np
from scipy.linalg import solve_triangular
from scipy.optimize import minimize

from ..core.checks import CheckResult
from ..core.errors import ConvergenceError, InputError
from ..core.model import Evaluation, Model, Port, Scale, batch_size
from ..core.optional import require
from .doe import InputBox, flatten_ports, input_box, unflatten_ports
from .fidelity import Declarations, fidelity_checks

__all__ = ["TrainingSet", "Surrogate", "GaussianProcessSurrogate"]


class TrainingSet(NamedTuple):
    """Fine evaluations a surrogate was fitted to: SI arrays with a batch axis."""

    inputs: dict[str, np.ndarray]
    outputs: dict[str, np.ndarray]


def _size(shape: tuple[int, ...]) -> int:
    return int(np.prod(shape, dtype=int))


def _log_where(mask: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``a`` with its components (last axis) under ``mask`` replaced by their logarithm."""
    out = np.array(a, dtype=float)
    out[..., mask] = np.log(out[..., mask])
    return out


def _slices(shapes: Mapping[str, tuple[int, ...]]) -> dict[str, slice]:
    """Slice of each port's components in the flattened vector (ports in order, C order within)."""
    bounds = np.cumsum([0] + [_size(s) for s in shapes.values()])
    return {k: slice(int(a), int(b)) for k, a, b in zip(shapes, bounds[:-1], bounds[1:])}


class Surrogate:
    """Common part of the surrogates: ports, transforms, evaluation, fidelity.

    Parameters
    ----------
    model : Model, optional
        The fine model replaced: the surrogate takes its inputs, scale and
        (all, or the ``outputs`` named) outputs; kept as :attr:`model` and as the
        only child of the tree (like ``Tabulated``).
    inputs, outputs : mapping of str to Port
        Ports, without a model (``outputs`` may name a subset of the model's outputs otherwise).
    scale : Scale
        Without a model: the scale of the physics replaced.
    name : str, optional
    bounds : mapping or InputBox, optional
        Input box (see :func:`~scalebridge.reduction.doe.input_box`), used by
        fidelity checks and as the PCE domain. Default: the training bounding box.
    log_inputs, log_outputs : iterable of str
        Ports modelled in :math:`\\ln x` / :math:`\\ln y` (positive values only).
    declarations : Declarations, optional
        Physical properties checked by :meth:`fidelity_checks`.
    """

    kind = ""
    coupling = "hierarchical"

    def __init__(self, model: Model | None = None, *, inputs: Mapping[str, Port] | None = None,
                 outputs: Mapping[str, Port] | Iterable[str] | None = None, scale: Scale | None = None,
                 name: str | None = None, bounds=None, log_inputs: Iterable[str] = (),
                 log_outputs: Iterable[str] = (), declarations: Declarations | None = None):
        if model is not None:
            if inputs is not None or scale is not None:
                raise InputError(f"{type(self).__name__}: give either a model or inputs/scale, not both")
            names = list(model.outputs) if outputs is None else list(outputs)
            unknown = [k for k in names if k not in model.outputs]
            if unknown:
                raise InputError(f"{type(self).__name__}: model {model.name!r} has no output(s) {unknown}; "
                                 f"it gives {sorted(model.outputs)}")
            self.inputs, self.outputs = dict(model.inputs), {k: model.outputs[k] for k in names}
            self.scale, self.children = model.scale, [model]
            name = name or f"{self.kind}({model.name})"
        else:
            if inputs is None or outputs is None or scale is None or not isinstance(outputs, Mapping):
                raise InputError(f"{type(self).__name__}: without a model, give inputs and outputs "
                                 "(mappings of Port) and a scale")
            self.inputs, self.outputs, self.scale, self.children = dict(inputs), dict(outputs), scale, []
            name = name or self.kind
        self.model, self.name = model, name
        self.log_inputs, self.log_outputs = tuple(log_inputs), tuple(log_outputs)
        for names, ports, what in ((self.log_inputs, self.inputs, "log_inputs"),
                                   (self.log_outputs, self.outputs, "log_outputs")):
            if set(names) - set(ports):
                raise InputError(f"{self.name}: {what} {sorted(set(names) - set(ports))} are not ports; "
                                 f"ports are {sorted(ports)}")
        self._given_box = input_box(bounds, self, self.log_inputs) if bounds is not None else None
        self.box: InputBox | None = self._given_box
        self.declarations = declarations if declarations is not None else Declarations()
        self.declarations.check_against(self)
        self.held_out: tuple[dict, dict] | None = None
        self._in_shapes = {k: p.shape for k, p in self.inputs.items()}
        self._out_shapes = {k: p.shape for k, p in self.outputs.items()}
        self._log_x = np.concatenate([np.full(_size(p.shape), k in self.log_inputs) for k, p in self.inputs.items()])
        self._log_y = np.concatenate([np.full(_size(p.shape), k in self.log_outputs)
                                      for k, p in self.outputs.items()])
        self._train: TrainingSet | None = None
        self._x_shift = self._x_scale = None
        self._y_shift, self._y_scale = np.zeros(self._log_y.size), np.ones(self._log_y.size)

    # -- data -------------------------------------------------------------------------------
    @property
    def fitted(self) -> bool:
        """True once :meth:`fit` has run."""
        return self._train is not None

    @property
    def training_set(self) -> TrainingSet:
        """Copies of the inputs and outputs of the last fit (SI arrays with a batch axis)."""
        if self._train is None:
            raise InputError(f"{self.name}: not fitted yet; call fit(inputs, outputs) first")
        return TrainingSet({k: v.copy() for k, v in self._train.inputs.items()},
                           {k: v.copy() for k, v in self._train.outputs.items()})

    def _data(self, inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
        """Check training data; return features ``z`` (B, d) and targets ``w`` (B, m)."""
        for given, ports, what in ((inputs, self.inputs, "input"), (outputs, self.outputs, "output")):
            missing = set(ports) - set(given)
            if missing:
                raise InputError(f"{self.name}: training {what}s miss {sorted(missing)}")
        x = {k: np.asarray(inputs[k], dtype=float) for k in self.inputs}
        y = {k: np.asarray(outputs[k], dtype=float) for k in self.outputs}
        n_in, n_out = batch_size(self.name, self.inputs, x), batch_size(self.name, self.outputs, y)
        if n_in != n_out:
            raise InputError(f"{self.name}: {n_in} training inputs but {n_out} outputs")
        if n_in < 2:
            raise InputError(f"{self.name}: need at least 2 training points, got {n_in}")
        X, Y = flatten_ports(x, self._in_shapes), flatten_ports(y, self._out_shapes)
        if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
            raise InputError(f"{self.name}: training data contain non-finite values")
        for mask, a, names in ((self._log_x, X, self.log_inputs), (self._log_y, Y, self.log_outputs)):
            if np.any(a[:, mask] <= 0):
                raise InputError(f"{self.name}: ports {list(names)} are modelled in log but have values <= 0")
        self._train = TrainingSet(x, y)
        if self._given_box is None:
            self.box = InputBox(dict(self._in_shapes), X.min(axis=0), X.max(axis=0), self._log_x.copy(),
                                {k: p.unit for k, p in self.inputs.items()})
        return _log_where(self._log_x, X), _log_where(self._log_y, Y)

    # -- evaluation -------------------------------------------------------------------------
    def _predict(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Standardised prediction ``t`` (B, m), ``dt/du`` (B, m, d) and std of ``t`` or None."""
        raise NotImplementedError

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        """Prediction, analytic tangents ``(output, input)`` and (GP) ``info["std"]``, all SI."""
        if self._train is None:
            raise InputError(f"{self.name}: not fitted yet; call fit(inputs, outputs) first")
        arrays = {k: np.asarray(inputs[k], dtype=float) for k in self.inputs}
        batch_size(self.name, self.inputs, arrays)
        X = flatten_ports(arrays, self._in_shapes)
        if np.any(X[:, self._log_x] <= 0):
            raise InputError(f"{self.name}: inputs {list(self.log_inputs)} are modelled in log and must be > 0")
        z = _log_where(self._log_x, X)
        du_dx = 1.0 / (self._x_scale * np.where(self._log_x, X, 1.0))
        t, dt_du, s = self._predict((z - self._x_shift) / self._x_scale)
        w = t * self._y_scale + self._y_shift
        y = w.copy()
        with np.errstate(over="ignore"):
            y[:, self._log_y] = np.exp(w[:, self._log_y])
        dy_dt = self._y_scale * np.where(self._log_y, y, 1.0)
        dy_dx = dy_dt[:, :, None] * dt_du * du_dx[:, None, :]
        if not (np.all(np.isfinite(y)) and np.all(np.isfinite(dy_dx))):
            raise ConvergenceError(f"{self.name}: non-finite prediction for "
                                   f"{int(np.sum(~np.all(np.isfinite(y), axis=1)))} of {len(y)} points")
        outputs = unflatten_ports(y, self._out_shapes)
        tangents = {(out, inp): dy_dx[:, so, si].reshape((len(y),) + self._out_shapes[out] + self._in_shapes[inp])
                    for out, so in _slices(self._out_shapes).items()
                    for inp, si in _slices(self._in_shapes).items()}
        info = {} if s is None else {"std": unflatten_ports(np.abs(dy_dt) * s, self._out_shapes)}
        return Evaluation(outputs=outputs, tangents=tangents, info=info)

    # -- checks, description, copies ---------------------------------------------------------
    def fidelity_checks(self, n: int = 256, seed=0) -> list[CheckResult]:
        """:func:`~scalebridge.reduction.fidelity.fidelity_checks` with the stored declarations,
        box and held-out set; check names start with the surrogate's name."""
        if not self.fitted:
            return [CheckResult(f"{self.name}: fidelity", False, "surrogate is not fitted")]
        return [CheckResult(f"{self.name}: {c.name}", c.passed, c.message, c.data)
                for c in fidelity_checks(self, n=n, seed=seed)]

    def options(self) -> dict[str, Any]:
        """Constructor options of the method (JSON-serialisable)."""
        return {}

    def parameters(self) -> dict[str, Any]:
        """Method, training size and options, for :func:`scalebridge.core.describe.describe`."""
        return {"kind": self.kind, "training_points": 0 if self._train is None else
                len(next(iter(self._train.inputs.values()))), "log_inputs": list(self.log_inputs),
                "log_outputs": list(self.log_outputs), **self.options(),
                "declarations": self.declarations.to_dict()}

    def clone(self) -> "Surrogate":
        """A new, unfitted surrogate with the same ports and settings."""
        ports = ({"model": self.model, "outputs": list(self.outputs)} if self.model is not None else
                 {"inputs": self.inputs, "outputs": self.outputs, "scale": self.scale})
        return type(self)(**ports, name=self.name, bounds=self._given_box, log_inputs=self.log_inputs,
                          declarations=self.declarations, **self._clone_options())

    def _clone_options(self) -> dict[str, Any]:
        return {"log_outputs": self.log_outputs, **self.options()}

    def _state(self) -> dict[str, np.ndarray]:
        """Fitted arrays for :func:`save`."""
        raise NotImplementedError

    def _restore(self, arrays: Mapping[str, np.ndarray], inputs, outputs) -> None:
        """Rebuild the fitted state written by :meth:`_state` (see :func:`load_surrogate`)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.name!r}, inputs={list(self.inputs)}, outputs={list(self.outputs)}, "
                f"fitted={self.fitted})")


class GaussianProcessSurrogate(Surrogate):
    r"""One Gaussian process per output component, with an analytic mean derivative.

    The kernel is fixed to

    .. math:: k(u, u') = \sigma_f^2 \exp\Big(-\frac12 \sum_j \frac{(u_j - u'_j)^2}{\ell_j^2}\Big)
              + \sigma_n^2 \delta_{uu'}

    (``ConstantKernel * RBF(anisotropic) + WhiteKernel``), in standardised inputs
    :math:`u`. The squared exponential makes the mean infinitely smooth and its
    derivative analytic,

    .. math:: \frac{\partial \mu}{\partial u_j}(u) = -\sum_i \alpha_i\, k_1(u, u_i)\,
              \frac{u_j - u_{ij}}{\ell_j^2}, \qquad \alpha = (K + \sigma_n^2 I)^{-1} t,

    where :math:`k_1` is the RBF part (the white noise does not correlate distinct points),
    so tangents are exact derivatives of the prediction, as a Newton solver needs; one
    length scale per input learns which inputs matter (automatic relevance
    determination, Rasmussen & Williams 2006, sec. 5.1). The white noise absorbs
    round-off and solver noise of the fine model. The reported std is that of the
    latent function, :math:`s^2 = \sigma_f^2 - k_1^\mathsf{T} (K + \sigma_n^2 I)^{-1} k_1`
    (no noise term), small at training points and growing away from them. It is then
    calibrated by leave-one-out (LOO) cross-validation, which a GP gives in closed form
    (Rasmussen & Williams 2006, sec. 5.4.2): with :math:`\tilde K = K + \sigma_n^2 I`,
    the LOO residuals are :math:`e_i = \alpha_i / [\tilde K^{-1}]_{ii}` with variances
    :math:`1/[\tilde K^{-1}]_{ii}`, and the std is multiplied by
    :math:`c = \max\big(1, (\tfrac1N\sum_i e_i^2 [\tilde K^{-1}]_{ii})^{1/2}\big)`, so a
    GP whose likelihood-optimal hyperparameters are overconfident (standardised LOO
    residuals above 1, common with few points) reports honestly larger errors.
    ``std_calibration`` holds c per output component.

    Hyperparameters maximise the log marginal likelihood (L-BFGS-B from the
    previous fit's values, ``n_restarts`` extra random starts). ``fit(..., optimize=False)`` reuses the
    hyperparameters and standardisation of the previous fit: one Cholesky
    factorisation, for adaptive refits.

    Parameters
    ----------
    model, inputs, outputs, scale, name, bounds, log_inputs, log_outputs, declarations
        See :class:`Surrogate`.
    n_restarts : int
        Extra optimiser starts from random hyperparameters (default 0).
    seed : int
        Seed of those starts.
    alpha : float
        Jitter added to the kernel diagonal (in standardised units, default 1e-10).
    min_noise : float
        Lower bound of :math:`\sigma_n^2` (standardised units, default 1e-8): keeps
        :math:`K + \sigma_n^2 I` well conditioned, so the likelihood optimisation is
        fast and the mean and its derivative free of cancellation, at a smoothing
        of order :math:`\sqrt{\sigma_n^2}\,s_y` (1e-4 of the output spread).
    """

    kind = "gaussian_process"

    def __init__(self, model: Model | None = None, *, n_restarts: int = 0, seed: int = 0, alpha: float = 1e-10,
                 min_noise: float = 1e-8, **ports):
        super().__init__(model, **ports)
        if int(n_restarts) != n_restarts or n_restarts < 0 or not alpha > 0 or not 0 < min_noise < 1e-2:
            raise InputError(f"{self.name}: need an integer n_restarts >= 0, alpha > 0 and 0 < min_noise < 1e-2, "
                             f"got {n_restarts}, {alpha}, {min_noise}")
        self.n_restarts, self.seed, self.alpha = int(n_restarts), int(seed), float(alpha)
        self.min_noise = float(min_noise)
        self._gps: list = []

    def options(self) -> dict[str, Any]:
        return {"n_restarts": self.n_restarts, "seed": self.seed, "alpha": self.alpha, "min_noise": self.min_noise}

    def _kernel(self):
        kernels = require("sklearn.gaussian_process.kernels", extra="surrogates")
        d = self._log_x.size
        return (kernels.ConstantKernel(1.0, (1e-3, 1e3)) * kernels.RBF(np.ones(d), (1e-2, 1e3))
                + kernels.WhiteKernel(max(1e-6, self.min_noise), (self.min_noise, 1e-1)))

    @property
    def hyperparameters(self) -> list[dict[str, Any]]:
        r"""Per output component: :math:`\sigma_f^2`, :math:`\ell_j` (standardised units), :math:`\sigma_n^2`."""
        return [{"signal_variance": float(gp.kernel_.k1.k1.constant_value),
                 "length_scales": np.atleast_1d(gp.kernel_.k1.k2.length_scale).tolist(),
                 "noise_variance": float(gp.kernel_.k2.noise_level),
                 "log_marginal_likelihood": float(gp.log_marginal_likelihood_value_)} for gp in self._gps]

    def fit(self, inputs: Mapping[str, Any], outputs: Mapping[str, Any], *, optimize: bool = True,
            declarations: Declarations | None = None) -> "GaussianProcessSurrogate":
        """Fit (or refit) to fine evaluations; returns ``self``.

        Parameters
        ----------
        inputs, outputs : mapping of str to ndarray
            The whole training set (SI, batch axis first); it replaces the previous one.
        optimize : bool
            Optimise the hyperparameters (from the previous ones, if any). ``False``
            keeps the previous hyperparameters and standardisation.
        declarations : Declarations, optional
            Replace the declared properties.

        Raises
        ------
        InputError
            Bad data, or ``optimize=False`` before any optimised fit.
        ConvergenceError
            The kernel matrix is not positive definite or the likelihood not finite.
        """
        gp_module = require("sklearn.gaussian_process", extra="surrogates")
        sk_exceptions = require("sklearn.exceptions", extra="surrogates")
        if not optimize and not self._gps:
            raise InputError(f"{self.name}: fit(optimize=False) needs hyperparameters from an earlier fit")
        if declarations is not None:
            declarations.check_against(self)
            self.declarations = declarations
        z, w = self._data(inputs, outputs)
        if optimize:
            self._x_shift, self._x_scale = z.mean(axis=0), z.std(axis=0)
            self._y_shift, self._y_scale = w.mean(axis=0), w.std(axis=0)
            self._x_scale[self._x_scale == 0] = 1.0
            self._y_scale[self._y_scale == 0] = 1.0
        u, t = (z - self._x_shift) / self._x_scale, (w - self._y_shift) / self._y_scale
        kernels = [gp.kernel_ for gp in self._gps] or [self._kernel()] * t.shape[1]
        gps = []
        with warnings.catch_warnings():
            # A deterministic fine model drives the noise to its lower bound and a
            # (nearly) linear input its length scale to the upper bound: expected.
            warnings.filterwarnings("ignore", message=".*close to the specified (lower|upper) bound",
                                    category=sk_exceptions.ConvergenceWarning)
            for c, kernel in enumerate(kernels):
                gp = gp_module.GaussianProcessRegressor(
                    kernel, alpha=self.alpha, optimizer=_maximise_likelihood if optimize else None,
                    n_restarts_optimizer=self.n_restarts, random_state=self.seed)
                try:
                    gp.fit(u, t[:, c])
                except np.linalg.LinAlgError as exc:
                    raise ConvergenceError(f"{self.name}: Gaussian process of output component {c} failed: "
                                           f"kernel matrix not positive definite ({exc})") from None
                if not np.isfinite(gp.log_marginal_likelihood_value_) or not np.all(np.isfinite(gp.alpha_)):
                    raise ConvergenceError(f"{self.name}: Gaussian process of output component {c}: "
                                           "non-finite likelihood or weights")
                gps.append(gp)
        self._gps = gps
        self.std_calibration = np.array([_loo_calibration(gp) for gp in gps])
        return self

    def _predict(self, u):
        outs, dts, stds = [], [], []
        for gp in self._gps:
            signal, rbf = gp.kernel_.k1.k1.constant_value, gp.kernel_.k1.k2
            ell = np.broadcast_to(rbf.length_scale, (u.shape[1],))
            diff = (u[:, None, :] - gp.X_train_[None, :, :]) / ell            # (B, N, d)
            k_star = signal * np.exp(-0.5 * np.sum(diff**2, axis=2))        # (B, N)
            outs.append(k_star @ gp.alpha_)
            dts.append(-np.einsum("bn,n,bnd->bd", k_star, gp.alpha_, diff) / ell)
            v = solve_triangular(gp.L_, k_star.T, lower=True, check_finite=False)
            stds.append(np.sqrt(np.maximum(signal - np.sum(v**2, axis=0), 0.0)))
        stds = [sd * c for sd, c in zip(stds, self.std_calibration)]
        return np.stack(outs, axis=1), np.stack(dts, axis=1), np.stack(stds, axis=1)

    def _state(self):
        return {"x_shift": self._x_shift, "x_scale": self._x_scale, "y_shift": self._y_shift,
                "y_scale": self._y_scale, "theta": np.stack([gp.kernel_.theta for gp in self._gps])}

    def _restore(self, arrays, inputs, outputs):
        self._x_shift, self._x_scale = arrays["x_shift"], arrays["x_scale"]
        self._y_shift, self._y_scale = arrays["y_shift"], arrays["y_scale"]
        gp_module = require("sklearn.gaussian_process", extra="surrogates")
        self._gps = [gp_module.GaussianProcessRegressor(self._kernel().clone_with_theta(theta))
                     for theta in arrays["theta"]]
        for gp in self._gps:
            gp.kernel_ = gp.kernel
        self.fit(inputs, outputs, optimize=False)


def _loo_calibration(gp) -> float:
    r"""LOO std factor :math:`\max(1, \mathrm{RMS}(e_i\sqrt{[\tilde K^{-1}]_{ii}}))` of a fitted GP."""
    inverse_diagonal = np.sum(solve_triangular(gp.L_, np.eye(len(gp.alpha_)), lower=True, check_finite=False) ** 2,
                              axis=0)
    standardised = gp.alpha_ / np.sqrt(inverse_diagonal)
    return float(max(1.0, np.sqrt(np.mean(standardised ** 2))))


def _maximise_likelihood(objective, theta0, bounds):
    """L-BFGS-B on the negative log marginal likelihood, stopping at a relative change of 1e-7.

    scikit-learn's default stops at 2e-9 and, with a near-interpolating noise level,
    spends most of its evaluations in failing line searches for changes of the
    likelihood that do not change the prediction.
    """
    result = minimize(objective, theta0, method="L-BFGS-B", jac=True, bounds=bounds,
                      options={"ftol": 1e-7, "gtol": 1e-4, "maxiter": 200})
    return result.x, result.fun
