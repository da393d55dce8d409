"""Which tests show each charter clause holding: a static scan of `@pytest.mark.charter(...)`.

The scan reads test files with `ast` rather than running pytest's collection: it needs no
database or settings, is fast, and sees marks on functions, classes (decorators and a class
`pytestmark`), modules (`pytestmark`) and `pytest.param(..., marks=...)` cases.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Directories never holding the project's tests (virtualenvs, caches, installed packages).
_SKIPPED_DIRS = {"node_modules", "__pycache__", "site-packages", "venv", "build", "dist"}


@dataclass(frozen=True)
class ScanResult:
    """Test node ids by clause ID, and what could not be read (file:line: message)."""

    tests_by_clause: dict[str, list[str]]
    warnings: list[str]


@dataclass(frozen=True)
class ClauseCoverage:
    code: str
    section: str
    is_planned: bool
    tests: tuple[str, ...]

    @property
    def status(self) -> str:
        """`tested`, `planned` or `missing` (an unplanned clause without a test)."""
        if self.tests:
            return "tested"
        return "planned" if self.is_planned else "missing"


@dataclass(frozen=True)
class CoverageReport:
    clauses: list[ClauseCoverage]
    unknown_clauses: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[ClauseCoverage]:
        return [clause for clause in self.clauses if clause.status == "missing"]

    @property
    def planned_with_tests(self) -> list[ClauseCoverage]:
        return [clause for clause in self.clauses if clause.is_planned and clause.tests]

    def as_dict(self) -> dict[str, Any]:
        return {
            "clauses": [
                {
                    "id": clause.code,
                    "section": clause.section,
                    "planned": clause.is_planned,
                    "status": clause.status,
                    "tests": list(clause.tests),
                }
                for clause in self.clauses
            ],
            "missing": [clause.code for clause in self.missing],
            "planned_with_tests": [clause.code for clause in self.planned_with_tests],
            "unknown_clauses": self.unknown_clauses,
            "warnings": self.warnings,
        }


def coverage_report(
    *, clauses: Iterable[tuple[str, str, bool]], tests_root: Path
) -> CoverageReport:
    """Match `(code, section, is_planned)` clauses with the marked tests under `tests_root`."""
    scan = scan_tests(root=tests_root)
    rows = [
        ClauseCoverage(
            code=code,
            section=section,
            is_planned=is_planned,
            tests=tuple(scan.tests_by_clause.get(code, [])),
        )
        for code, section, is_planned in clauses
    ]
    known = {row.code for row in rows}
    unknown = {
        code: tests for code, tests in sorted(scan.tests_by_clause.items()) if code not in known
    }
    return CoverageReport(clauses=rows, unknown_clauses=unknown, warnings=scan.warnings)


def scan_tests(*, root: Path) -> ScanResult:
    """Every `test_*.py` under `root`, and the clause IDs each of its tests carries."""
    root = Path(root)
    tests_by_clause: dict[str, list[str]] = {}
    warnings: list[str] = []
    for path in _test_files(root):
        relative = path.relative_to(root).as_posix()
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        except (SyntaxError, UnicodeDecodeError, OSError) as error:
            warnings.append(f"{relative}: illisible ({error})")
            continue
        scanner = _ModuleScanner(relative)
        for nodeid, codes in scanner.tests(tree):
            for code in dict.fromkeys(codes):
                tests_by_clause.setdefault(code, []).append(nodeid)
        warnings.extend(scanner.warnings)
    return ScanResult(tests_by_clause=tests_by_clause, warnings=warnings)


def _test_files(root: Path) -> Iterator[Path]:
    for directory, subdirectories, files in os.walk(root):
        # Pruned in place so os.walk does not descend into them.
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if not name.startswith(".") and name not in _SKIPPED_DIRS
        )
        for name in sorted(files):
            if name.startswith("test_") and name.endswith(".py"):
                yield Path(directory) / name


class _ModuleScanner:
    """Walks one module's tree the way pytest collects it: `Test*` classes, `test*` functions."""

    def __init__(self, relative_path: str) -> None:
        self.path = relative_path
        self.warnings: list[str] = []

    def tests(self, tree: ast.Module) -> Iterator[tuple[str, list[str]]]:
        module_marks = self._pytestmark(tree.body)
        yield from self._walk(tree.body, prefix=self.path, inherited=module_marks)

    def _walk(
        self, body: list[ast.stmt], *, prefix: str, inherited: list[str]
    ) -> Iterator[tuple[str, list[str]]]:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.name.startswith("test"):
                    marks = inherited + self._marks_in(node.decorator_list)
                    yield f"{prefix}::{node.name}", marks
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                marks = (
                    inherited + self._marks_in(node.decorator_list) + self._pytestmark(node.body)
                )
                yield from self._walk(node.body, prefix=f"{prefix}::{node.name}", inherited=marks)

    def _pytestmark(self, body: list[ast.stmt]) -> list[str]:
        marks: list[str] = []
        for node in body:
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign):
                targets, value = [node.target], node.value
            if value is not None and any(
                isinstance(target, ast.Name) and target.id == "pytestmark" for target in targets
            ):
                marks.extend(self._marks_in([value]))
        return marks

    def _marks_in(self, expressions: list[ast.expr]) -> list[str]:
        """Clause IDs of every `*.mark.charter(...)` call inside the expressions."""
        codes: list[str] = []
        for expression in expressions:
            for node in ast.walk(expression):
                if isinstance(node, ast.Call) and _is_charter_mark(node.func):
                    codes.extend(self._arguments(node))
        return codes

    def _arguments(self, call: ast.Call) -> list[str]:
        codes: list[str] = []
        for argument in call.args:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                codes.append(argument.value)
            else:
                self.warnings.append(
                    f"{self.path}:{call.lineno}: argument de pytest.mark.charter non littéral, "
                    "ignoré"
                )
        if not call.args:
            self.warnings.append(f"{self.path}:{call.lineno}: pytest.mark.charter sans clause")
        if call.keywords:
            self.warnings.append(
                f"{self.path}:{call.lineno}: pytest.mark.charter attend des identifiants de "
                "clause en arguments positionnels"
            )
        return codes


def _is_charter_mark(func: ast.expr) -> bool:
    # `pytest.mark.charter(...)` or, after `from pytest import mark`, `mark.charter(...)`.
    if not (isinstance(func, ast.Attribute) and func.attr == "charter"):
        return False
    owner = func.value
    return (isinstance(owner, ast.Attribute) and owner.attr == "mark") or (
        isinstance(owner, ast.Name) and owner.id == "mark"
    )
