"""Every example in examples/ runs, writes its figure, and every shipped scenario passes its checks."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scalebridge.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(ROOT.glob("examples/**/*.py"))
SCENARIOS = sorted(ROOT.glob("examples/**/*.yaml"))


def test_examples_exist():
    assert SCRIPTS and SCENARIOS


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_example_script_runs_and_writes_a_figure(script, tmp_path):
    result = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "MPLBACKEND": "Agg"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert list(tmp_path.glob("*.png")), f"{script.name} wrote no figure"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: str(p.relative_to(ROOT)))
def test_example_scenario_passes_checks(scenario):
    assert main(["check", str(scenario)]) == 0


def test_readme_python_example_runs():
    """The 20-line example of the README, executed as written."""
    text = (ROOT / "README.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    tof = namespace["out"]["tof"]
    assert tof.shape == (3,) and np.all(np.diff(tof) > 0)  # one batch; Eyring rate rises with T
