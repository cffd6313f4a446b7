"""Checkpoint files: written atomically, read back with their kind and format version checked.

A checkpoint is one file, written to a temporary file beside its destination,
flushed to disk (``fsync``) and moved into place with :func:`os.replace`, which is
atomic on POSIX and Windows. A run killed at any instant (SIGKILL, power loss)
therefore leaves either the previous checkpoint or the new one, never a torn file.

Format of :func:`save_checkpoint`: a :mod:`pickle` (protocol 4) of the dictionary::

    {"format": "scalebridge-checkpoint", "version": 1, "kind": <str>, "payload": <object>}

``kind`` names the writer (``"solve_macro"``, ...) and ``payload`` is its state
(NumPy arrays, floats, lists, dicts). Pickle executes code when it loads: read only
checkpoints that you (or your own runs) wrote.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .errors import InputError

__all__ = ["FORMAT", "VERSION", "atomic_write", "save_checkpoint", "load_checkpoint", "array_digest"]

FORMAT = "scalebridge-checkpoint"
VERSION = 1


def atomic_write(path: str | Path, write: Callable[[Any], None], binary: bool = True) -> Path:
    """Write ``path`` atomically: ``write(file)`` fills a temporary file that then replaces ``path``.

    Parameters
    ----------
    path : path
        Destination; its directory is created if missing.
    write : callable
        ``write(f)`` with ``f`` an open file object (binary unless ``binary=False``).
    binary : bool

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def save_checkpoint(path: str | Path, kind: str, payload: Any) -> Path:
    """Write ``payload`` as a checkpoint of ``kind`` to ``path`` (atomically, format above)."""
    document = {"format": FORMAT, "version": VERSION, "kind": kind, "payload": payload}
    return atomic_write(path, lambda f: pickle.dump(document, f, protocol=4))


def load_checkpoint(path: str | Path, kind: str) -> Any:
    """The payload of a checkpoint of ``kind`` written by :func:`save_checkpoint`.

    Raises
    ------
    InputError
        The file is missing, unreadable, not a scalebridge checkpoint, of another
        kind, or of a newer format version.
    """
    path = Path(path)
    try:
        with open(path, "rb") as f:
            document = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise InputError(f"checkpoint {path}: cannot read it ({type(exc).__name__}: {exc})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(f"checkpoint {path}: not a scalebridge checkpoint (expected format {FORMAT!r})")
    if document.get("kind") != kind:
        raise InputError(f"checkpoint {path}: holds a {document.get('kind')!r} checkpoint, expected {kind!r}")
    if document.get("version", 0) > VERSION:
        raise InputError(f"checkpoint {path}: format version {document['version']} is newer than this "
                         f"scalebridge reads ({VERSION})")
    return document["payload"]


def array_digest(*arrays) -> str:
    """SHA-1 of the dtypes, shapes and bytes of ``arrays``: what a resumed run must share with the checkpoint."""
    h = hashlib.sha1()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(str((a.dtype, a.shape)).encode())
        h.update(a.tobytes())
    return h.hexdigest()
