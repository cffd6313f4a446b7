"""The grammar of scalebridge: units, models, bridges, strategies, checks. No physics."""

from .checks import CheckResult, ScaleSeparation, check_scale_separation, check_units, run_checks, scale_separation
from .combinators import Chain, Coupling, Upscaled, chain, upscale
from .describe import describe, describe_json
from .dimensionless import biot, damkohler, knudsen, peclet, thiele
from .errors import *  # noqa: F401,F403
from .errors import __all__ as _errors_all
from .executors import DaskExecutor, ProcessExecutor, SerialExecutor, evaluate_in_chunks, get_executor
from .model import Dynamics, Evaluation, FunctionModel, Model, Port, Scale, prepare_inputs
from .optional import require
from .units import Quantity, check_dimension, energy_per_particle, parse_quantity, to_si, ureg

__all__ = list(_errors_all) + [
    "CheckResult", "ScaleSeparation", "check_scale_separation", "check_units", "run_checks",
    "scale_separation", "Chain", "Coupling", "Upscaled", "chain", "upscale", "describe",
    "describe_json", "biot", "damkohler", "knudsen", "peclet", "thiele", "DaskExecutor",
    "ProcessExecutor", "SerialExecutor", "evaluate_in_chunks", "get_executor", "Dynamics",
    "Evaluation", "FunctionModel", "Model", "Port", "Scale", "prepare_inputs", "require",
    "Quantity", "check_dimension", "energy_per_particle", "parse_quantity", "to_si", "ureg",
]
