"""Run records: every run leaves a directory that says what was run and what came out.

Layout of a record directory::

    run.json      inputs (the scenario as written), seed, package versions,
                  timings, check results, summary results, list of files
    arrays.npz    named arrays (profiles, sweeps, tables)
    *.png         figures
    report.html   the same as one self-contained page (:mod:`scalebridge.report`)

Records are written when the run finishes *and* when it fails, so no data is lost:
a failed run's ``run.json`` carries ``"status": "failed"`` and the error.

Resuming. ``run.json`` is first written when the record is created, with
``"status": "running"``; a run killed outright (SIGKILL, power loss) leaves it so,
together with the checkpoints its solvers wrote into ``checkpoints/``
(:attr:`RunRecord.checkpoint_dir`). :meth:`RunRecord.reopen` opens such a record
again (``scalebridge run SCENARIO --resume``): the run starts over from its
checkpoints, fills the same record, and on success marks it ``"finished"``, adds
the time of every resume to ``"resumed"`` and removes ``checkpoints/``.
"""

from __future__ import annotations

import json
import platform
import shutil
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from .core.checkpoint import atomic_write
from .core.errors import InputError
from .figures import save_figure
from .report import write_report

__all__ = ["RunRecord", "package_versions", "unfinished_records", "to_jsonable"]

#: Statuses of a record that ``reopen`` accepts (a killed run stays "running").
RESUMABLE = ("running", "failed")

_PACKAGES = ("scalebridge", "numpy", "scipy", "pint", "pydantic", "pyyaml", "rich", "matplotlib",
             "dask", "distributed")


def package_versions() -> dict[str, str]:
    """Installed versions of scalebridge and the packages it runs on."""
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def to_jsonable(value: Any) -> Any:
    """Plain JSON data of ``value``: arrays as lists, NumPy scalars as numbers, non-finite floats as strings."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return str(value)
    return value


class RunRecord:
    """The directory of one run.

    Parameters
    ----------
    root : path
        Parent directory; the record goes into ``root/<name>-<UTC timestamp>``.
    name : str
        Short name of the run (the scenario's name).
    inputs : dict
        The scenario as written by the user (strings with units kept as given).
    seed : int, optional
        Seed of every random generator in the run.
    """

    def __init__(self, root: str | Path, name: str, inputs: dict[str, Any], seed: int | None = None):
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        slug = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:60] or "run"
        self.path = Path(root) / f"{slug}-{stamp}"
        self.path.mkdir(parents=True, exist_ok=False)
        self.meta: dict[str, Any] = {
            "name": name, "status": "running", "started": stamp, "seed": seed, "inputs": inputs,
            "packages": package_versions(), "timings_s": {}, "checks": [], "results": {},
            "arrays": [], "figures": [],
        }
        self._arrays: dict[str, np.ndarray] = {}
        self._write_meta()

    @classmethod
    def reopen(cls, path: str | Path, inputs: dict[str, Any] | None = None) -> "RunRecord":
        """Open the record at ``path`` of a killed or failed run to finish it.

        Checks, results, arrays, figures and timings are cleared (the resumed run
        adds them again); name, start time, seed and inputs are kept, and the
        ``checkpoints/`` directory is left for the run to resume from.

        Parameters
        ----------
        path : path
            The record directory (holding ``run.json``).
        inputs : dict, optional
            The scenario as given now; it must equal the record's inputs.

        Raises
        ------
        InputError
            No record at ``path``, a finished record, or other inputs.
        """
        path = Path(path)
        try:
            meta = json.loads((path / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"--resume {path}: not a run record (cannot read run.json: {exc})") from None
        if meta.get("status") not in RESUMABLE:
            raise InputError(f"--resume {path}: the run is {meta.get('status')!r}; only a killed (status "
                             f"'running') or failed run can be resumed")
        if inputs is not None and to_jsonable(inputs) != meta.get("inputs"):
            raise InputError(f"--resume {path}: the record was started from another scenario "
                             f"({meta.get('name')!r}); resume it with the scenario it was started from")
        record = cls.__new__(cls)
        record.path = path
        meta.update(status="running", timings_s={}, checks=[], results={}, arrays=[], figures=[])
        meta.pop("error", None)
        meta.pop("finished", None)
        meta.setdefault("resumed", []).append(datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ"))
        record.meta = meta
        record._arrays = {}
        record._write_meta()
        return record

    @property
    def checkpoint_dir(self) -> Path:
        """``checkpoints/`` in the record: where solvers of the run checkpoint (created on demand)."""
        return self.path / "checkpoints"

    def _write_meta(self) -> None:
        text = json.dumps(to_jsonable(self.meta), indent=2)
        atomic_write(self.path / "run.json", lambda f: f.write(text), binary=False)

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Time a stage of the run (wall clock, s) into ``run.json``."""
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.meta["timings_s"][stage] = round(time.perf_counter() - t0, 6)

    def add_arrays(self, **arrays: Any) -> None:
        """Keep named arrays for ``arrays.npz``."""
        for key, value in arrays.items():
            self._arrays[key] = np.asarray(value)
        self.meta["arrays"] = sorted(self._arrays)

    def add_figure(self, figure, name: str) -> Path:
        """Save a matplotlib figure as ``name.png`` in the record and close it."""
        path = save_figure(figure, self.path, name)
        self.meta["figures"].append(path.name)
        return path

    def add_checks(self, checks) -> None:
        """Store check results (objects with ``to_dict()``)."""
        self.meta["checks"].extend(c.to_dict() for c in checks)

    def add_results(self, **results: Any) -> None:
        """Store summary results (scalars, small lists) in ``run.json``."""
        self.meta["results"].update(results)

    def finish(self, error: BaseException | None = None) -> Path:
        """Write ``arrays.npz``, ``run.json`` and ``report.html``; mark the run finished or failed."""
        if self._arrays:
            np.savez_compressed(self.path / "arrays.npz", **self._arrays)
        self.meta["status"] = "failed" if error else "finished"
        if error:
            self.meta["error"] = f"{type(error).__name__}: {error}"
        self.meta["finished"] = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        self._write_meta()
        write_report(self.path)
        if not error and self.checkpoint_dir.is_dir():
            shutil.rmtree(self.checkpoint_dir)
        return self.path


def unfinished_records(root: str | Path, name: str | None = None) -> list[Path]:
    """Records under ``root`` whose run is not finished (killed or failed), newest last.

    ``name``: only records of runs of that name (the scenario's name).
    """
    found = []
    for run_json in Path(root).glob("*/run.json"):
        try:
            meta = json.loads(run_json.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if meta.get("status") in RESUMABLE and (name is None or meta.get("name") == name):
            found.append((str(meta.get("started", "")), run_json.parent))
    return [p for _, p in sorted(found)]
