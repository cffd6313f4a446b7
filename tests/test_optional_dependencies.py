"""The base install works without the optional extras: every app imports, `scalebridge list` and `check` run.

A subprocess blocks the optional packages (as if only `pip install scalebridge` had run);
importing any app, listing the scenarios and checking every shipped scenario must still
work, and a feature that needs an extra must say which one to install.
"""

import subprocess
import sys

# (dask is not blocked: pint probes for it with find_spec at import time)
OPTIONAL = ["sklearn", "chaospy", "numba", "ase", "rdflib", "threadpoolctl", "hypothesis"]

SCRIPT = f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {OPTIONAL!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}} (blocked)")
sys.meta_path.insert(0, Block())
import contextlib, io
from scalebridge.apps import APPS, load_app
from scalebridge.cli import main
for name in APPS:
    load_app(name)
with contextlib.redirect_stdout(io.StringIO()):
    assert main(["list"]) == 0
    for name in APPS:
        for path in load_app(name).SCENARIOS.values():
            assert main(["check", str(path)]) in (0, 1), path
from scalebridge.core.optional import require
try:
    require("ase", extra="atoms")
except Exception as exc:
    assert "pip install 'scalebridge[atoms]'" in str(exc)
else:
    raise AssertionError("ase was not blocked")
print("ok")
"""


def test_apps_list_and_check_without_optional_extras():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
