"""Bridges: combinators that turn models into models.

``chain(a, b, ...)`` wires outputs to inputs by name; ``upscale(fine, lift,
restrict, ...)`` puts a fine model behind a coarse-scale interface. Both return a
``Model``, so couplings nest and a macro solver never knows what it got.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .errors import ConvergenceError, InputError, ShapeError, UnitError
from .model import Evaluation, Model, Port, Scale, batch_size
from .units import same_dimension

__all__ = ["Coupling", "Chain", "Upscaled", "chain", "upscale"]


@dataclass(frozen=True)
class Coupling:
    """A record of one connection: ``source.output`` feeds ``target.input``."""

    source: str
    output: str
    output_port: Port
    target: str
    input: str
    input_port: Port
    kind: str = "chain"

    def mismatch(self) -> str | None:
        """A message if the two ports disagree in dimension or shape, else None."""
        a, b = self.output_port, self.input_port
        if not same_dimension(a.unit or "dimensionless", b.unit or "dimensionless"):
            return (f"unit mismatch: output {self.output!r} of model {self.source!r} is in "
                    f"{a.unit or 'dimensionless'!r} but input {self.input!r} of model "
                    f"{self.target!r} expects {b.unit or 'dimensionless'!r}")
        if a.shape != b.shape:
            return (f"shape mismatch: output {self.output!r} of model {self.source!r} has item "
                    f"shape {a.shape} but input {self.input!r} of model {self.target!r} "
                    f"expects {b.shape}")
        return None


class Chain:
    """Models evaluated in order, each output feeding later inputs of the same name.

    The chain's inputs are the inputs no earlier model provides; its outputs are
    all outputs of its models (a later model's output of the same name wins).
    Its scale is the coarsest (largest length) of its members. Internal state
    is a dict keyed by member name.
    """

    def __init__(self, models: Sequence[Model], name: str | None = None):
        if not models:
            raise InputError("chain: needs at least one model")
        names = [m.name for m in models]
        if len(set(names)) != len(names):
            raise InputError(f"chain: model names must be unique, got {names}")
        self.children = list(models)
        self.name = name or " -> ".join(names)
        self.couplings: list[Coupling] = []
        self.inputs: dict[str, Port] = {}
        provided: dict[str, tuple[str, Port]] = {}
        for m in models:
            for key, port in m.inputs.items():
                if key in provided:
                    src, out_port = provided[key]
                    c = Coupling(src, key, out_port, m.name, key, port)
                    problem = c.mismatch()
                    if problem:
                        raise (UnitError if "unit" in problem else ShapeError)(f"chain {self.name!r}: {problem}")
                    self.couplings.append(c)
                elif key not in self.inputs:
                    self.inputs[key] = port
            for key, port in m.outputs.items():
                if key in self.inputs:
                    raise InputError(f"chain {self.name!r}: model {m.name!r} provides {key!r}, which an earlier model "
                                     "takes as input: that is a cycle (feedback loop); a chain is feed-forward, so "
                                     "order the models, or close the loop with a coupling strategy or a solver")
                provided[key] = (m.name, port)
        self.outputs = {k: p for k, (_, p) in provided.items()}
        self.scale = max((m.scale for m in models), key=lambda s: s.length_si)

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        values = {k: inputs[k] for k in self.inputs}
        new_state, info = {}, {}
        for m in self.children:
            ev = m.evaluate({k: values[k] for k in m.inputs},
                            None if state is None else state.get(m.name))
            _check_outputs(m, ev)
            values.update(ev.outputs)
            new_state[m.name] = ev.state
            info[m.name] = ev.info
        return Evaluation(outputs={k: values[k] for k in self.outputs},
                          state=new_state if any(v is not None for v in new_state.values()) else None,
                          info=info)

    def __repr__(self) -> str:
        return f"Chain({self.name!r})"


class Upscaled:
    """A fine model behind a coarse interface: lift, solve fine, restrict.

    See :func:`upscale`.
    """

    def __init__(self, fine: Model, lift: Callable[[Mapping[str, np.ndarray]], Mapping[str, np.ndarray]],
                 restrict: Callable[[Evaluation, Mapping[str, np.ndarray]], Mapping[str, np.ndarray]],
                 inputs: Mapping[str, Port], outputs: Mapping[str, Port], scale: Scale,
                 name: str | None = None):
        self.fine = fine
        self.lift = lift
        self.restrict = restrict
        self.inputs = dict(inputs)
        self.outputs = dict(outputs)
        self.scale = scale
        self.name = name or f"upscaled({fine.name})"
        self.children = [fine]
        self.couplings: list[Coupling] = []

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        coarse = {k: inputs[k] for k in self.inputs}
        n = batch_size(self.name, self.inputs, coarse)
        fine_inputs = dict(self.lift(coarse))
        missing = set(self.fine.inputs) - set(fine_inputs)
        if missing:
            raise InputError(f"{self.name!r}: lift did not provide fine input(s) {sorted(missing)} "
                             f"of model {self.fine.name!r}")
        batch_size(self.fine.name, self.fine.inputs, {k: np.asarray(fine_inputs[k]) for k in self.fine.inputs})
        fine_ev = self.fine.evaluate({k: fine_inputs[k] for k in self.fine.inputs}, state)
        _check_outputs(self.fine, fine_ev)
        out = self.restrict(fine_ev, coarse)
        out, tangents = out if isinstance(out, tuple) else (out, None)
        result = Evaluation(outputs={k: np.asarray(out[k], dtype=float) for k in self.outputs},
                            tangents=tangents, state=fine_ev.state, info={self.fine.name: fine_ev.info})
        _check_outputs(self, result, n)
        return result

    def __repr__(self) -> str:
        return f"Upscaled({self.name!r}, fine={self.fine.name!r})"


def chain(*models: Model, name: str | None = None) -> Chain:
    """Wire models by port name into one model, checking units and shapes.

    Parameters
    ----------
    *models : Model
        Models in evaluation order. An input of a later model whose name equals an
        output of an earlier one is connected to it.
    name : str, optional
        Name of the chained model.

    Raises
    ------
    UnitError
        If a connected output and input have different physical dimensions; the
        message names both ports, their units and both models.
    ShapeError
        If their per-item shapes differ.
    """
    return Chain(models, name)


def upscale(fine: Model, lift, restrict, *, inputs: Mapping[str, Port], outputs: Mapping[str, Port],
            scale: Scale, name: str | None = None) -> Upscaled:
    """Turn a fine model into a coarse-scale model.

    ``lift(coarse_inputs) -> fine_inputs`` builds the fine problem from the coarse
    state (boundary conditions, initial states); ``restrict(fine_evaluation,
    coarse_inputs) -> coarse_outputs`` reduces the fine answer (an average, a
    flux, a rate), and may return ``(coarse_outputs, coarse_tangents)`` to pass
    consistent tangents d(coarse output)/d(coarse input) up. All arrays are SI with a leading batch axis. An RVE behind
    ``upscale`` *is* a constitutive law.

    Parameters
    ----------
    fine : Model
        The fine-scale model.
    lift, restrict : callable
        The two halves of the scale bridge.
    inputs, outputs : mapping of str to Port
        The coarse interface.
    scale : Scale
        The coarse scale (compared with ``fine.scale`` by the scale-separation check).
    """
    return Upscaled(fine, lift, restrict, inputs, outputs, scale, name)


def _check_outputs(model: Model, ev: Evaluation, n: int | None = None) -> None:
    """Every declared output present with the right item shape and finite values."""
    for key, port in model.outputs.items():
        if key not in ev.outputs:
            raise InputError(f"model {model.name!r} did not return its output {key!r}")
        a = np.asarray(ev.outputs[key])
        if a.shape[1:] != port.shape or (n is not None and a.shape[0] != n):
            raise ShapeError(f"model {model.name!r}, output {key!r}: shape {a.shape}, expected "
                             f"({n if n is not None else 'batch'}, *{port.shape})")
        if not np.all(np.isfinite(a)):
            bad = np.flatnonzero(~np.isfinite(a.reshape(len(a), -1)).all(axis=1))
            raise ConvergenceError(f"model {model.name!r}, output {key!r}: non-finite values "
                                   f"at batch indices {bad[:10].tolist()}")
