"""Every ```python block of the user guide runs as written (```python notest opts out)."""

import contextlib
import io
import re
from pathlib import Path

import pytest

DOCS = sorted((Path(__file__).resolve().parents[1] / "docs").glob("*.md"))
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.name)
def test_python_blocks_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {}
    blocks = [b for b in BLOCK.findall(page.read_text()) if not b.lstrip().startswith(">>>")]
    with contextlib.redirect_stdout(io.StringIO()):
        for block in blocks:
            exec(compile(block, str(page), "exec"), namespace)  # raises if the page is wrong
    assert not blocks or len(namespace) > 1  # the blocks defined what they show
