"""The command line: ``scalebridge run | check | describe | list | demo``.

A thin door over the pipeline: load and validate a scenario, build its model tree,
check it, solve it, record it. Bad input prints one clear message and exits with
code 2; it never shows a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .apps import APPS, load_app
from .core.checks import run_checks
from .core.describe import describe
from .model_card import model_card_jsonld, model_card_markdown
from .core.errors import ConvergenceError, InputError, ScalebridgeError
from .figures import scale_map
from .records import RunRecord, to_jsonable, unfinished_records
from .reduction.archive import load_surrogate
from .scenario import LoadedScenario, load_scenario

__all__ = ["main"]

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_NUMERICAL_FAILURE = 0, 1, 2, 3
#: Suffix of a surrogate written by :func:`scalebridge.reduction.archive.save`.
SURROGATE_SUFFIX = ".npz"


def _checks_table(checks, title: str = "Checks (no solve)") -> Table:
    table = Table(title=title)
    table.add_column("check")
    table.add_column("result")
    table.add_column("details")
    for c in checks:
        table.add_row(c.name, "[green]pass[/]" if c.passed else "[red]FAIL[/]", c.message)
    return table


#: Value of a bare ``--resume``: the newest unfinished record of the scenario under ``--output``.
LATEST = "latest"


def _record(scenario: LoadedScenario, output: Path, resume: str | None) -> RunRecord:
    """A new record, or the killed/failed one to finish (``--resume [RECORD_DIR]``)."""
    if resume is None:
        return RunRecord(output, scenario.name, scenario.raw, seed=scenario.raw.get("seed"))
    if resume == LATEST:
        found = unfinished_records(output, scenario.name)
        if not found:
            raise InputError(f"--resume: no unfinished (running or failed) record of scenario {scenario.name!r} "
                             f"under {output}; give the record directory: --resume RECORD_DIR")
        resume = found[-1]
    return RunRecord.reopen(resume, scenario.raw)


def _run(scenario: LoadedScenario, output: Path, console: Console, resume: str | None = None) -> int:
    model = scenario.app.build(scenario.config)
    checks = run_checks(model)
    record = _record(scenario, output, resume)
    if resume is not None:
        console.print(f"resuming run record {record.path}", highlight=False, soft_wrap=True)
    record.add_checks(checks)
    record.add_figure(scale_map(model), "scale_map")
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("starting", total=1)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)
            if not console.is_terminal:
                console.print(f"[{done}/{total}] {stage}", highlight=False)

        try:
            with record.timed("solve"):
                summary = scenario.app.run(scenario.config, record, progress)
        except BaseException as exc:
            record.finish(error=exc)
            raise
    path = record.finish()
    console.print(scenario.app.summary_table(summary))
    failed = [c for c in checks if not c.passed]
    console.print(f"checks: {len(checks) - len(failed)} of {len(checks)} passed"
                  + "".join(f"\n  FAILED {c.name}: {c.message}" for c in failed), highlight=False)
    console.print(f"run record: {path}\nreport: {path / 'report.html'}", highlight=False)
    return EXIT_OK


def _report_checks(checks, as_json: bool, console: Console, title: str = "Checks (no solve)") -> int:
    """Print check results (a table, or JSON with the offending model and port in ``data``); exit 0 or 1."""
    if as_json:
        print(json.dumps({"passed": all(c.passed for c in checks), "checks": [to_jsonable(c.to_dict()) for c in checks]},
                         indent=2))
    else:
        console.print(_checks_table(checks, title))
    return EXIT_OK if all(c.passed for c in checks) else EXIT_CHECK_FAILED


def _shipped(app_name: str | None = None) -> dict[str, Path]:
    found = {}
    for name in APPS if app_name is None else [app_name]:
        for key, path in sorted(load_app(name).SCENARIOS.items()):
            found[f"{name}/{key}"] = path
    return found


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="scalebridge", description="Build, run and verify multiscale models.")
    sub = p.add_subparsers(dest="command", required=True)
    for name, help_ in (("run", "solve a scenario and write a run record"),
                        ("check", "every check of the model tree without solving it (units, scale separation, "
                                  "tangents, Hill-Mandel, conservation, patch tests, fidelity); for a saved "
                                  "surrogate (.npz) its fidelity checks"),
                        ("describe", "the scenario's model card: JSON, JSON-LD or MODA-style Markdown")):
        s = sub.add_parser(name, help=help_)
        s.add_argument("scenario", help="scenario YAML file" + (" or saved surrogate (.npz)" if name == "check" else ""))
        if name == "check":
            s.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
        if name == "describe":
            s.add_argument("--format", choices=("json", "jsonld", "markdown"), default="json",
                           help="json (default): the model tree; jsonld: an RDF graph with EMMO/QUDT terms "
                                "(needs scalebridge[cards]); markdown: a MODA-style page with the checks")
        if name == "run":
            s.add_argument("-o", "--output", default="runs", help="directory for run records (default: runs)")
            s.add_argument("--resume", nargs="?", const=LATEST, default=None, metavar="RECORD_DIR",
                           help="finish a killed run from its checkpoints, in its own record: RECORD_DIR, or "
                                "without a value the newest unfinished record of this scenario under --output")
    sub.add_parser("list", help="available apps and shipped scenarios")
    d = sub.add_parser("demo", help="run the shipped CO-oxidation chain (atoms -> reactor)")
    d.add_argument("-o", "--output", default="runs", help="directory for run records (default: runs)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``scalebridge`` command; returns the exit code."""
    args = _parser().parse_args(argv)
    console = Console()
    err = Console(stderr=True)
    try:
        if args.command == "list":
            table = Table(title="scalebridge apps and shipped scenarios")
            table.add_column("scenario")
            table.add_column("file")
            for key, path in _shipped().items():
                table.add_row(key, str(path))
            console.print(table)
            return EXIT_OK
        if args.command == "demo":
            return _run(load_scenario(_shipped("catalysis")["catalysis/co_oxidation"]), Path(args.output), console)
        if args.command == "check" and Path(args.scenario).suffix == SURROGATE_SUFFIX:
            return _report_checks(run_checks(load_surrogate(args.scenario)), args.json, console,
                                  "Fidelity checks (surrogate only, no fine solve)")
        scenario = load_scenario(args.scenario)
        if args.command == "describe":
            model = scenario.app.build(scenario.config)
            doc = describe(model)
            if args.format == "jsonld":
                print(json.dumps(model_card_jsonld(doc), indent=2))
            elif args.format == "markdown":
                print(model_card_markdown(doc, run_checks(model), title=scenario.name), end="")
            else:
                print(json.dumps(doc, indent=2, allow_nan=False))
            return EXIT_OK
        if args.command == "check":
            return _report_checks(run_checks(scenario.app.build(scenario.config)), args.json, console)
        return _run(scenario, Path(args.output), console, args.resume)
    except ConvergenceError as exc:
        err.print(Text.assemble(("numerical failure: ", "red"), str(exc)), soft_wrap=True)
        return EXIT_NUMERICAL_FAILURE
    except ScalebridgeError as exc:
        err.print(Text.assemble(("error: ", "red"), str(exc)), soft_wrap=True)
        return EXIT_BAD_INPUT


def entry() -> None:  # pragma: no cover - thin wrapper for console_scripts
    sys.exit(main())
