"""The run report: report.html beside every record, self-contained, and rendered by a real browser."""

import re
import shutil
import subprocess
from html.parser import HTMLParser

import matplotlib
import numpy as np
import pytest

from scalebridge.core import CheckResult
from scalebridge.records import RunRecord

matplotlib.use("Agg")


class _Elements(HTMLParser):
    """Tags, table classes and image sources of a page."""

    def __init__(self):
        super().__init__()
        self.tags, self.tables, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "table":
            self.tables.append(attrs.get("class"))
        if tag == "img":
            self.images.append(attrs.get("src", ""))


def _record(tmp_path, error=None):
    import matplotlib.pyplot as plt

    rec = RunRecord(tmp_path, "report <test>", {"app": "x", "temperature": "500 K"}, seed=3)
    with rec.timed("solve"):
        rec.add_arrays(z=np.linspace(0, 1, 5))
    for name in ("first", "second"):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [1, 0])
        rec.add_figure(fig, name)
    rec.add_checks([CheckResult("units a -> b", True, "K -> K"), CheckResult("scale separation", False, "collide")])
    rec.add_results(tof=1.5e3, profile=list(range(50)), nested={"conversion": 0.25})
    return rec.finish(error=error)


def test_report_is_self_contained_with_checks_numbers_figures_and_scenario(tmp_path):
    page = (_record(tmp_path) / "report.html").read_text()
    parsed = _Elements()
    parsed.feed(page)
    assert parsed.tables == ["checks", "results", "timings", "versions"]
    assert len(parsed.images) == 2 and all(src.startswith("data:image/png;base64,") for src in parsed.images)
    assert not re.search(r'(src|href)="https?://', page)          # nothing loaded from the network
    assert "report &lt;test&gt;" in page and "1 of 2 passed" in page and "FAIL" in page
    assert "nested.conversion" in page and "[50 values]" in page and "temperature: 500 K" in page


def test_failed_run_report_says_failed_and_why(tmp_path):
    page = (_record(tmp_path, error=RuntimeError("Newton diverged")) / "report.html").read_text()
    assert 'class="status-failed">failed<' in page and "RuntimeError: Newton diverged" in page


def _browser():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("no Chromium on this machine (.ci/run installs it: apt-get install chromium)")


def test_report_renders_in_headless_chromium(tmp_path):
    """The browser decodes both embedded figures (the page's own load-time count) and builds every table."""
    path = _record(tmp_path / "runs") / "report.html"
    profile = tmp_path / "profile"
    dom = subprocess.run([_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                          "--no-first-run", "--disable-background-networking", "--disable-component-update",
                          "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=5000",
                          "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-figures-rendered="2"' in dom.stdout
    assert dom.stdout.count("<table") == 4 and "scale separation" in dom.stdout
