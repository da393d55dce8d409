"""The apps' imports follow the layers of docs/architecture.md, without a cycle.

Every module under reciproca/ is parsed (nothing is imported): module-level imports, imports
inside functions and those under `if TYPE_CHECKING:` all count, absolute or relative. Test
modules (`*/tests/*`) are exempt; the test-support package (`reciproca/testing/`) sits above
every app. Imports written as strings (`include("reciproca.x.urls")`, settings) are not seen.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "reciproca"

# Lowest first; an app may import any app of a lower layer (docs/architecture.md).
LAYERS: list[set[str]] = [
    {"core"},
    {"accounts", "reference", "territories", "charter"},
    {"partnerships"},
    {"projects"},
    {"diagnosis"},
    {"results", "finance", "pooling"},
    {"api", "demo"},
    {"testing"},
]

# Edges the layers alone would refuse, each with its reason; docs/architecture.md lists them too.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("charter", "reference"): (
        "same layer: loading a charter checks that the SDG targets, DAC markers and purpose "
        "codes its themes suggest exist in the reference tables (charter/loader.py)"
    ),
}

# Where an exception is limited to some modules, those modules (any other import is refused).
EXCEPTION_MODULES: dict[tuple[str, str], set[str]] = {}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    path: str  # its file, relative to the repository
    line: int
    target: str  # what it imports, dotted

    @property
    def source_app(self) -> str:
        return app_of(self.module)

    @property
    def target_app(self) -> str:
        return app_of(self.target)

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.target}"


def app_of(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "reciproca" else ""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[Import]:
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    shown = str(path.relative_to(PACKAGE.parent))
    return imports_in(path.read_text(encoding="utf-8"), module, package, shown)


def imports_in(source: str, module: str, package: str, shown: str) -> list[Import]:
    found = []
    for node in ast.walk(ast.parse(source, filename=shown)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            # `from reciproca import diagnosis` names the app in the alias.
            targets = (
                [f"{origin}.{alias.name}" for alias in node.names]
                if origin == "reciproca"
                else [origin]
            )
        else:
            continue
        found.extend(Import(module, shown, node.lineno, t) for t in targets)
    return found


def app_imports() -> list[Import]:
    """Every import from one app of reciproca into another, test modules left out."""
    result = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "tests" in path.relative_to(PACKAGE).parts:
            continue
        for imp in imports_of(path):
            if imp.target_app and imp.source_app and imp.target_app != imp.source_app:
                result.append(imp)
    return result


def layer_of(app: str) -> int | None:
    return next((i for i, apps in enumerate(LAYERS) if app in apps), None)


def refusal(imp: Import) -> str | None:
    """Why the layers refuse this import, or None."""
    source, target = imp.source_app, imp.target_app
    if layer_of(source) is None:
        return f"the app {source!r} is in no layer: add it to LAYERS"
    if layer_of(target) is None:
        return f"the app {target!r} is in no layer: add it to LAYERS"
    if (source, target) in EXCEPTIONS:
        allowed = EXCEPTION_MODULES.get((source, target))
        if allowed is None or imp.module in allowed:
            return None
        return f"only {', '.join(sorted(allowed))} may import {target} ({source} → {target})"
    if layer_of(target) < layer_of(source):  # type: ignore[operator]
        return None
    direction = "upwards" if layer_of(target) > layer_of(source) else "within a layer"  # type: ignore[operator]
    return f"{source} → {target} points {direction}"


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """Every elementary cycle's apps, found by a depth-first search from each app."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    found: set[tuple[str, ...]] = set()

    def walk(start: str, node: str, path: list[str]) -> None:
        for nxt in graph[node]:
            if nxt == start:
                i = path.index(min(path))
                found.add(tuple(path[i:] + path[:i]))
            elif nxt not in path and nxt > start:
                walk(start, nxt, [*path, nxt])

    for app in sorted(graph):
        walk(app, app, [app])
    return [list(c) for c in sorted(found)]


def test_every_import_between_apps_follows_the_layers():
    problems = [f"{imp}: {reason}" for imp in app_imports() if (reason := refusal(imp))]
    assert not problems, "Imports against docs/architecture.md's layers:\n" + "\n".join(problems)


def test_no_cycle_between_apps():
    imports = app_imports()
    found = cycles({(imp.source_app, imp.target_app) for imp in imports})
    lines = []
    for cycle in found:
        lines.append(" → ".join([*cycle, cycle[0]]))
        for source, target in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
            lines.extend(
                f"    {imp}"
                for imp in imports
                if (imp.source_app, imp.target_app) == (source, target)
            )
    assert not found, "Cycles between apps:\n" + "\n".join(lines)


def test_every_exception_is_still_needed():
    used = {(imp.source_app, imp.target_app) for imp in app_imports()}
    stale = sorted(set(EXCEPTIONS) - used)
    assert not stale, f"Declared exceptions nothing needs any more (remove them): {stale}"


def test_the_check_sees_every_kind_of_import():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from reciproca.diagnosis.models import Need\n"
        "def f():\n"
        "    from ..projects import services\n"
        "from reciproca import api\n"
        "from . import policies\n"
    )
    module = "reciproca.partnerships.probe"
    found = imports_in(source, module, "reciproca.partnerships", "reciproca/partnerships/probe.py")
    assert sorted((i.line, i.target) for i in found) == [
        (1, "typing"),
        (3, "reciproca.diagnosis.models"),
        (5, "reciproca.projects"),
        (6, "reciproca.api"),
        (7, "reciproca.partnerships"),
    ]
    by_target = {i.target: i for i in found}
    assert refusal(by_target["reciproca.diagnosis.models"]) == (
        "partnerships → diagnosis points upwards"
    )
    assert refusal(by_target["reciproca.projects"]) == "partnerships → projects points upwards"
    assert refusal(by_target["reciproca.api"]) == "partnerships → api points upwards"
    assert refusal(Import("reciproca.charter.x", "x.py", 1, "reciproca.accounts")) == (
        "charter → accounts points within a layer"
    )
    assert refusal(Import("reciproca.charter.x", "x.py", 1, "reciproca.reference")) is None
    assert refusal(Import("reciproca.api.x", "x.py", 1, "reciproca.core")) is None
    assert cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [["a", "b", "c"]]
