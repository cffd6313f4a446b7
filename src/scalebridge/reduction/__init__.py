"""Model reduction and surrogates: POD-Galerkin ROMs, GPR and PCE surrogates, fidelity checks."""

from .affine import AffineProblem
from .doe import InputBox, design, input_box, latin_hypercube, sobol
from .fidelity import Declarations, fidelity_checks, relative_errors
from .rom import GreedyResult, ReducedModel, ReducedSolution, pod, weak_greedy
from .archive import load_surrogate, save
from .polynomial_chaos import PolynomialChaosSurrogate
from .surrogate import GaussianProcessSurrogate, Surrogate, TrainingSet
from .training import CrossValidation, cross_validate, fit_surrogate
from .thermal_block import thermal_block

__all__ = ["AffineProblem", "GreedyResult", "ReducedModel", "ReducedSolution", "pod", "thermal_block", "weak_greedy",
           "InputBox", "design", "input_box", "latin_hypercube", "sobol", "Declarations", "fidelity_checks",
           "relative_errors", "CrossValidation", "GaussianProcessSurrogate", "PolynomialChaosSurrogate", "Surrogate",
           "TrainingSet", "cross_validate", "fit_surrogate", "load_surrogate", "save"]
