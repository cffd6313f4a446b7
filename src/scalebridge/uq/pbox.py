r"""Probability boxes: the envelope of the output CDFs over the epistemic points.

For epistemic points :math:`e_1, \dots, e_K` with aleatoric output samples
:math:`y_{k1}, \dots, y_{kn}`, the empirical CDFs
:math:`F_k(y) = \frac1n \#\{i: y_{ki} \le y\}` bound the CDF of the output by

.. math:: \underline F(y) = \min_k F_k(y) \;\le\; F(y) \;\le\; \overline F(y) = \max_k F_k(y)

(Ferson et al. 2003). The width of the box is ignorance (epistemic); the slope of
each CDF is variability (aleatoric). Finite inner samples add a sampling error, bounded
uniformly in :math:`y` by the Dvoretzky–Kiefer–Wolfowitz inequality with Massart's
constant, :math:`P(\sup_y |F_n - F| > \varepsilon) \le 2 e^{-2 n \varepsilon^2}`;
``confidence`` widens the envelopes by :math:`\varepsilon = \sqrt{\ln(2K/\alpha)/(2n)}`
(Bonferroni over the :math:`K` CDFs), so they enclose every exact CDF with probability
at least :math:`1 - \alpha`.

References
----------
Ferson S., Kreinovich V., Ginzburg L., Myers D. S. & Sentz K. (2003), Sandia report
SAND2002-4015. Dvoretzky A., Kiefer J. & Wolfowitz J. (1956), Ann. Math. Stat. 27, 642;
Massart P. (1990), Ann. Probab. 18, 1269.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.errors import InputError

__all__ = ["PBox"]


@dataclass(frozen=True, eq=False)
class PBox:
    """The output CDFs of a nested propagation and their envelopes.

    Attributes
    ----------
    output : str
        Output name.
    unit : str
        Unit of the output port (values are SI).
    samples : ndarray, shape (K, n)
        Aleatoric output samples (SI) for each of the K epistemic points.
    outer_points : dict of str to ndarray, shape (K,)
        The epistemic input values (SI) of each row.
    """

    output: str
    unit: str
    samples: np.ndarray
    outer_points: dict[str, np.ndarray]

    def __post_init__(self):
        object.__setattr__(self, "samples", np.sort(np.asarray(self.samples, dtype=float), axis=1))

    def cdfs(self, y) -> np.ndarray:
        """Empirical CDFs :math:`F_k(y)`, shape ``(K, len(y))``."""
        y = np.atleast_1d(np.asarray(y, dtype=float))
        n = self.samples.shape[1]
        return np.stack([np.searchsorted(row, y, side="right") for row in self.samples]) / n

    def _epsilon(self, confidence: float | None) -> float:
        if confidence is None:
            return 0.0
        if not 0 < confidence < 1:
            raise InputError(f"p-box {self.output!r}: confidence must be in (0, 1), got {confidence!r}")
        k, n = self.samples.shape
        return float(np.sqrt(np.log(2 * k / (1 - confidence)) / (2 * n)))

    def bounds(self, y, confidence: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        r"""Lower and upper CDF envelopes :math:`(\underline F(y), \overline F(y))` at ``y`` (SI).

        With ``confidence`` (e.g. 0.99), widened by the DKW band (module docstring).
        """
        f = self.cdfs(y)
        eps = self._epsilon(confidence)
        return np.clip(f.min(axis=0) - eps, 0.0, 1.0), np.clip(f.max(axis=0) + eps, 0.0, 1.0)

    def quantile_bounds(self, p) -> tuple[np.ndarray, np.ndarray]:
        """Smallest and largest :math:`p`-quantile over the epistemic points (SI), ``p`` in (0, 1)."""
        p = np.atleast_1d(np.asarray(p, dtype=float))
        if np.any((p <= 0) | (p >= 1)):
            raise InputError(f"p-box {self.output!r}: probabilities must be in (0, 1), got {p.tolist()}")
        q = np.quantile(self.samples, p, axis=1, method="inverted_cdf")           # (len(p), K)
        return q.min(axis=1), q.max(axis=1)

    def mean_bounds(self) -> tuple[float, float]:
        """Smallest and largest aleatoric mean over the epistemic points (SI): the epistemic bias."""
        means = self.samples.mean(axis=1)
        return float(means.min()), float(means.max())

    def plot(self, ax=None, **options):
        """Draw the p-box (see :func:`scalebridge.uq.plots.plot_pbox`); returns the Figure."""
        from .plots import plot_pbox

        return plot_pbox(self, ax=ax, **options)
