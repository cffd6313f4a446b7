"""Run records: every run leaves a directory that says what was run and what came out.

Layout of a record directory::

    run.json      inputs (the scenario as written), seed, package versions,
                  timings, check results, summary results, list of files
    arrays.npz    named arrays (profiles, sweeps, tables)
    *.png         figures
    report.html   the same as one self-contained page (:mod:`scalebridge.report`)

Records are written when the run finishes *and* when it fails, so no data is lost:
a failed run's ``run.json`` carries ``"status": "failed"`` and the error.
"""

from __future__ import annotations

import json
import platform
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from .report import write_report

__all__ = ["RunRecord", "package_versions"]

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


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
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
        import matplotlib.pyplot as plt

        path = self.path / f"{name}.png"
        figure.savefig(path, dpi=120, bbox_inches="tight")
        plt.close(figure)
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
        with open(self.path / "run.json", "w", encoding="utf-8") as f:
            json.dump(_jsonable(self.meta), f, indent=2)
        write_report(self.path)
        return self.path
