"""The house has floors and imports only go down (DESIGN.md, "Layout")."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "scalebridge"

# floor of each top-level part of the package; a module may import its own floor or lower
FLOORS = {"core": 0, "solvers": 1, "laws": 2, "coupling": 2, "homogenization": 2, "reduction": 2, "uq": 2,
          "apps": 3, "cli": 4, "scenario": 4, "records": 4, "report": 4, "model_card": 4, "figures": 4, "__main__": 4, "__init__": 4}
# within a floor, the engines of solvers/ see only core.errors of the core (and core.optional and
# core.checkpoint, which import nothing else, for optional dependencies and atomic checkpoint files)
SOLVERS_MAY_IMPORT = {"core.errors", "core.optional", "core.checkpoint"}


def _part(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "__init__"


def _imports(path: Path):
    rel = path.relative_to(SRC.parent).with_suffix("")
    package = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                yield ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.startswith("scalebridge"):
                yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("scalebridge"))


MODULES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_only_go_down(path):
    module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
    part = _part(module)
    for target in _imports(path):
        if target == "scalebridge" or not target.startswith("scalebridge."):
            assert part in ("__init__", "__main__") or target != "scalebridge", f"{module} imports the package root"
            continue
        tpart = _part(target)
        assert FLOORS[tpart] <= FLOORS[part], f"{module} (floor {FLOORS[part]}) imports {target} (floor {FLOORS[tpart]})"
        if part == "solvers" and tpart == "core":
            assert target.removeprefix("scalebridge.") in SOLVERS_MAY_IMPORT, f"engine {module} imports {target}"
        if part == "apps" and tpart == "apps":
            assert target.split(".")[2:3] == module.split(".")[2:3] or target == "scalebridge.apps", \
                f"app {module} imports another app {target}"
