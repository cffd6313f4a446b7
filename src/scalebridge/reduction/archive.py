"""Saving and loading a fitted surrogate: ``.npz`` arrays and JSON metadata, no pickle."""

from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from ..core.errors import InputError
from ..core.model import Port, Scale
from ..core.optional import require
from .doe import InputBox
from .fidelity import Declarations
from .polynomial_chaos import PolynomialChaosSurrogate
from .surrogate import GaussianProcessSurrogate, Surrogate
from .training import KINDS

__all__ = ["save", "load_surrogate", "SURROGATE_FORMAT"]

#: Tag in the metadata of a saved surrogate (checked on load).
SURROGATE_FORMAT = "scalebridge-surrogate/1"


def _ports_doc(ports: Mapping[str, Port]) -> dict[str, Any]:
    return {k: {"unit": p.unit, "shape": list(p.shape), "description": p.description} for k, p in ports.items()}


def _versions(kind: str) -> dict[str, str]:
    import scipy

    versions = {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
                "scalebridge": metadata.version("scalebridge")}
    library = "sklearn" if kind == GaussianProcessSurrogate.kind else "chaospy"
    versions[library] = getattr(require(library, extra="surrogates"), "__version__", "unknown")
    return versions


def save(surrogate: Surrogate, path: str | Path) -> Path:
    """Write a fitted surrogate to an ``.npz`` file: arrays and JSON metadata, no pickle.

    The file holds the training (and held-out) data, the fitted state (GP
    standardisation and log-hyperparameters; PCE basis, multi-indices and
    coefficients) and a ``metadata`` JSON string: kind, name, ports with units and
    shapes, scale, input box, options, declared properties (functions by name
    only), library versions. :func:`load_surrogate` rebuilds it exactly.

    Returns
    -------
    Path
        The path written (``.npz`` appended if missing).
    """
    if not surrogate.fitted:
        raise InputError(f"save: surrogate {surrogate.name!r} is not fitted")
    path = Path(path)
    path = path if path.suffix == ".npz" else path.with_name(path.name + ".npz")
    meta = {"format": SURROGATE_FORMAT, "kind": surrogate.kind, "name": surrogate.name,
            "fine_model": None if surrogate.model is None else surrogate.model.name,
            "inputs": _ports_doc(surrogate.inputs), "outputs": _ports_doc(surrogate.outputs),
            "scale": {"length_m": surrogate.scale.length_si, "time_s": surrogate.scale.time_si,
                      "name": surrogate.scale.name},
            "box": surrogate.box.to_dict(), "box_given": surrogate._given_box is not None,
            "log_inputs": list(surrogate.log_inputs), "log_outputs": list(surrogate.log_outputs),
            "options": surrogate.options(), "declarations": surrogate.declarations.to_dict(),
            "held_out": surrogate.held_out is not None, "versions": _versions(surrogate.kind)}
    train = surrogate.training_set
    arrays = {f"train_inputs/{k}": v for k, v in train.inputs.items()}
    arrays.update({f"train_outputs/{k}": v for k, v in train.outputs.items()})
    if surrogate.held_out is not None:
        arrays.update({f"held_inputs/{k}": np.asarray(surrogate.held_out[0][k]) for k in surrogate.inputs})
        arrays.update({f"held_outputs/{k}": np.asarray(surrogate.held_out[1][k]) for k in surrogate.outputs})
    arrays.update({f"state/{k}": v for k, v in surrogate._state().items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, metadata=np.array(json.dumps(meta)), **arrays)
    return path


def load_surrogate(path: str | Path, functions: Mapping[str, Callable] | None = None,
                   distributions=None) -> Surrogate:
    """Rebuild a surrogate written by :func:`save`.

    Parameters
    ----------
    path : str or Path
    functions : mapping of str to callable, optional
        The declared entropy-production and conservation functions, by name
        (functions are not saved; missing ones make their fidelity check fail).
    distributions : optional
        The chaospy distributions of a PCE built with them (only needed to refit;
        the fitted basis is stored).

    Raises
    ------
    InputError
        Unreadable file, or not a surrogate written by :func:`save`.
    """
    path = Path(path)
    try:
        data = np.load(path, allow_pickle=False)
        meta = json.loads(str(data["metadata"]))
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"cannot read surrogate file {str(path)!r}: {exc}") from None
    if meta.get("format") != SURROGATE_FORMAT or meta.get("kind") not in KINDS:
        raise InputError(f"{str(path)!r} is not a scalebridge surrogate file (format {meta.get('format')!r})")
    cls = KINDS[meta["kind"]]
    ports = {side: {k: Port(p["unit"], tuple(p["shape"]), p["description"]) for k, p in meta[side].items()}
             for side in ("inputs", "outputs")}
    scale = Scale(meta["scale"]["length_m"], meta["scale"]["time_s"], meta["scale"]["name"])
    options = dict(meta["options"])
    if cls is PolynomialChaosSurrogate:
        options["distributions"] = distributions
    else:
        options["log_outputs"] = meta["log_outputs"]
    box = InputBox.from_dict(meta["box"])
    surrogate = cls(**ports, scale=scale, name=meta["name"], bounds=box if meta["box_given"] else None,
                    log_inputs=meta["log_inputs"],
                    declarations=Declarations.from_dict(meta["declarations"], functions), **options)
    group = {g: {k.split("/", 1)[1]: data[k] for k in data.files if k.startswith(g + "/")}
             for g in ("train_inputs", "train_outputs", "held_inputs", "held_outputs", "state")}
    surrogate._restore(group["state"], group["train_inputs"], group["train_outputs"])
    surrogate.box = box
    if meta["held_out"]:
        surrogate.held_out = (group["held_inputs"], group["held_outputs"])
    return surrogate
