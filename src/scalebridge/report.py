"""The run report: ``report.html`` beside every run record, one self-contained page.

The page shows what was run and what came out: the status (finished or failed, with
the error), the scenario as written, the check table, the key numbers, the figures,
the timings and the package versions. Figures are embedded as base64 PNG and the
style is inline, so the file opens offline, can be mailed or archived alone, and
loads nothing from the network. A small inline script counts the figures the
browser actually decoded into ``<body data-figures-rendered="N">``, which the
browser test reads.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

import yaml

__all__ = ["render_report", "write_report"]

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.5em 0; } td, th { border: 1px solid #ccc; padding: 0.25em 0.6em;
text-align: left; vertical-align: top; } th { background: #f3f3f3; }
.pass { color: #1a7f37; font-weight: bold; } .fail { color: #c62828; font-weight: bold; }
.status-finished { color: #1a7f37; } .status-failed, .status-running { color: #c62828; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
figure { display: inline-block; margin: 0.5em; } img { max-width: 34em; border: 1px solid #ddd; }
figcaption { font-size: 0.85em; text-align: center; }
"""

_COUNT_FIGURES = """
window.addEventListener("load", function () {
  var ok = Array.prototype.filter.call(document.images, function (i) { return i.complete && i.naturalWidth > 0; });
  document.body.setAttribute("data-figures-rendered", String(ok.length));
});
"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def _table(header: tuple[str, ...], rows, cls: str) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _key_numbers(results: dict, prefix: str = "") -> list[tuple[str, str]]:
    """Scalars and short lists of the summary, flattened to ``a.b.c`` keys."""
    rows = []
    for key, value in results.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += _key_numbers(value, f"{name}.")
        elif isinstance(value, (list, tuple)) and len(value) > 12:
            rows.append((name, f"[{len(value)} values]"))
        elif isinstance(value, float):
            rows.append((name, f"{value:.6g}"))
        else:
            rows.append((name, json.dumps(value) if isinstance(value, (list, tuple)) else str(value)))
    return rows


def render_report(meta: dict[str, Any], directory: str | Path) -> str:
    """The HTML page of a run record's ``meta`` (the content of ``run.json``); figures read from ``directory``."""
    directory = Path(directory)
    status = meta.get("status", "unknown")
    parts = [f"<h1>{_e(meta.get('name', 'run'))}</h1>",
             f'<p>Status: <strong class="status-{_e(status)}">{_e(status)}</strong>; '
             f"started {_e(meta.get('started', ''))}, finished {_e(meta.get('finished', ''))}; "
             f"seed {_e(meta.get('seed'))}.</p>"]
    if meta.get("error"):
        parts.append(f'<p class="fail">Error: {_e(meta["error"])}</p>')
    checks = meta.get("checks", [])
    if checks:
        failed = sum(not c.get("passed") for c in checks)
        parts.append(f"<h2>Checks ({len(checks) - failed} of {len(checks)} passed)</h2>")
        parts.append(_table(("check", "result", "details"),
                            [(_e(c.get("name")), '<span class="pass">pass</span>' if c.get("passed")
                              else '<span class="fail">FAIL</span>', _e(c.get("message", ""))) for c in checks],
                            "checks"))
    numbers = _key_numbers(meta.get("results", {}))
    if numbers:
        parts.append("<h2>Key numbers</h2>")
        parts.append(_table(("quantity", "value"), [(_e(k), _e(v)) for k, v in numbers], "results"))
    figures = [name for name in meta.get("figures", []) if (directory / name).is_file()]
    if figures:
        parts.append("<h2>Figures</h2>")
        for name in figures:
            data = base64.b64encode((directory / name).read_bytes()).decode("ascii")
            parts.append(f'<figure><img alt="{_e(name)}" src="data:image/png;base64,{data}">'
                         f"<figcaption>{_e(name)}</figcaption></figure>")
    if meta.get("timings_s"):
        parts.append("<h2>Timings</h2>")
        parts.append(_table(("stage", "wall time [s]"), [(_e(k), f"{v:.3f}") for k, v in meta["timings_s"].items()],
                            "timings"))
    if meta.get("arrays"):
        parts.append(f"<p>Arrays in <code>arrays.npz</code>: {_e(', '.join(meta['arrays']))}</p>")
    parts.append("<h2>Scenario</h2>")
    parts.append(f"<pre>{_e(yaml.safe_dump(meta.get('inputs', {}), sort_keys=False, allow_unicode=True))}</pre>")
    parts.append("<h2>Versions</h2>")
    parts.append(_table(("package", "version"), [(_e(k), _e(v)) for k, v in meta.get("packages", {}).items()],
                        "versions"))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(meta.get('name', 'run'))}: scalebridge run report</title>"
            f"<style>{_STYLE}</style><script>{_COUNT_FIGURES}</script></head>\n<body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


def write_report(directory: str | Path) -> Path:
    """Write ``report.html`` for the run record in ``directory`` (from its ``run.json`` and figures)."""
    directory = Path(directory)
    meta = json.loads((directory / "run.json").read_text(encoding="utf-8"))
    path = directory / "report.html"
    path.write_text(render_report(meta, directory), encoding="utf-8")
    return path
