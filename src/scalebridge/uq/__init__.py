"""Uncertainty quantification across scales: propagation (aleatoric/epistemic) and sensitivity.

Declare uncertain inputs on a model's ports (:mod:`.inputs`), propagate them through
any Model or chain by Monte Carlo, quasi-Monte Carlo or polynomial chaos, or by a
nested double loop into probability boxes (:mod:`.propagation`, :mod:`.pbox`), and
rank the inputs by Sobol' indices or Morris screening (:mod:`.sensitivity`).
"""

from .inputs import (KINDS, Empirical, FixedInputs, Interval, LogNormal, Normal, StandardizedInputs, TruncatedNormal,
                     Uncertain, UncertainInputs, Uniform)
from .pbox import PBox
from .plots import plot_distribution, plot_pbox, plot_sobol
from .propagation import Propagation, nested, propagate
from .sensitivity import MorrisScreening, SobolIndices, morris, saltelli, sobol_from_chaos

__all__ = ["KINDS", "Empirical", "FixedInputs", "Interval", "LogNormal", "Normal", "StandardizedInputs",
           "TruncatedNormal", "Uncertain",
           "UncertainInputs", "Uniform", "PBox", "plot_distribution", "plot_pbox", "plot_sobol", "Propagation",
           "nested", "propagate", "MorrisScreening", "SobolIndices", "morris", "saltelli", "sobol_from_chaos"]
