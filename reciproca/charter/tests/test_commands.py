"""`reciproca charter load|show|coverage` through the command line interface."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from textwrap import dedent

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from reciproca.charter import engine
from reciproca.charter.coverage import scan_tests
from reciproca.charter.models import Charter, Clause

from .conftest import EXAMPLE_FILE


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("charter", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- load ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_makes_the_file_the_charter_in_force() -> None:
    out, _ = run("load", str(EXAMPLE_FILE))

    assert "chargée et en vigueur" in out
    assert engine.active_charter().slug == "ville-exemple"


@pytest.mark.django_db
def test_load_without_a_file_loads_the_default_charter() -> None:
    run("load")

    assert engine.active_charter().slug == "isere"
    out, _ = run("load")
    assert "rien n'a changé" in out


@pytest.mark.django_db
def test_load_quietly_for_scripts() -> None:
    out = StringIO()
    call_command("charter", "load", str(EXAMPLE_FILE), verbosity=0, stdout=out)
    assert out.getvalue() == ""


@pytest.mark.django_db
def test_load_prints_every_problem_one_per_line_and_changes_nothing(
    isere: Charter, write_charter: Callable[[str], Path]
) -> None:
    broken = EXAMPLE_FILE.read_text().replace("  slug: ville-exemple\n", "  slug: Ville Exemple\n")
    broken = broken.replace("    text: Les projets sont évalués.\n", "")
    path = write_charter(broken)
    err = StringIO()

    with pytest.raises(CommandError, match=r"charte\.yaml : 2 problème"):
        call_command("charter", "load", str(path), stderr=err)

    assert err.getvalue().splitlines() == [
        "ligne 3, champ charter.slug : format invalide (attendu : ^[a-z0-9]+(?:[-_][a-z0-9]+)*$)",
        "ligne 34, champ clauses[2].text : champ obligatoire manquant",
    ]
    assert engine.active_charter() == isere
    assert Charter.objects.count() == 1


@pytest.mark.django_db
def test_load_refuses_a_changed_file_under_the_same_version(
    isere: Charter, write_charter: Callable[[str], Path]
) -> None:
    text = Path(settings.RECIPROCA_CHARTER_FILE).read_text(encoding="utf-8")
    path = write_charter(text.replace("agreement_warning_days: 180", "agreement_warning_days: 90"))

    with pytest.raises(CommandError, match="changez le numéro de version"):
        run("load", str(path))


# --- show ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_show_prints_the_charter_in_force(isere: Charter) -> None:
    out, _ = run("show")

    assert out.startswith("Charte Relations internationales et coopération décentralisée")
    assert "version 1.0" in out
    assert "PRI-1  Égalité" in out
    assert "water-soil" in out and "14010, 14015" in out
    assert "PRJ-12  [Une culture de projets]" in out and "(prévue)" not in out
    assert "start_implementation" in out and "evaluation_plan_validated [PRJ-5]" in out
    assert "agreement_warning_days : 180" in out
    assert "Lutte contre le changement climatique" in out


@pytest.mark.django_db
def test_show_as_yaml_gives_back_the_validated_document(isere: Charter) -> None:
    out, _ = run("show", "--format", "yaml")

    document = yaml.safe_load(out)
    assert document["charter"]["slug"] == "isere"
    assert len(document["clauses"]) == 28
    assert document["themes"][2]["sdg_targets"] == ["16.10", "16.7"]


@pytest.mark.django_db
def test_show_without_a_charter_says_how_to_load_one() -> None:
    with pytest.raises(CommandError, match="reciproca charter load"):
        run("show")


def test_an_unknown_subcommand_is_refused() -> None:
    with pytest.raises(CommandError):
        run("unload")


# --- coverage --------------------------------------------------------------------------------

MODULE_MARKED = """
import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.charter("PRI-1")]


def test_equal_rights():
    pass


def helper_not_a_test():
    pass
"""

CLASS_AND_PARAMS = """
import pytest
from pytest import mark


@pytest.mark.charter("PRJ-1", "PRJ-2")
class TestDiagnosis:
    def test_decision_needs_diagnosis(self):
        pass

    class TestNested:
        pytestmark = mark.charter("PRI-1")

        def test_nested(self):
            pass


@mark.charter("PRJ-1")
async def test_async_decision():
    pass


@pytest.mark.parametrize("x", [1, pytest.param(2, marks=pytest.mark.charter("PRI-1"))])
def test_param(x):
    pass


@pytest.mark.charter("PRJ-99")
def test_unknown_clause():
    pass
"""

ONLY_PRINCIPLE = """
import pytest


@pytest.mark.charter("PRI-1")
def test_equal_rights():
    pass
"""


@pytest.fixture
def tests_tree(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "app" / "tests").mkdir(parents=True)
    (root / "app" / "tests" / "test_module.py").write_text(MODULE_MARKED)
    (root / "app" / "tests" / "test_classes.py").write_text(CLASS_AND_PARAMS)
    # Never scanned: installed packages and hidden directories.
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / ".venv" / "lib" / "test_vendor.py").write_text(ONLY_PRINCIPLE.replace("PRI-1", "PRJ-2"))
    return root


def test_the_scan_sees_marks_on_functions_classes_modules_and_params(tests_tree: Path) -> None:
    result = scan_tests(root=tests_tree)

    assert result.tests_by_clause["PRI-1"] == [
        "app/tests/test_classes.py::TestDiagnosis::TestNested::test_nested",
        "app/tests/test_classes.py::test_param",
        "app/tests/test_module.py::test_equal_rights",
    ]
    assert result.tests_by_clause["PRJ-1"] == [
        "app/tests/test_classes.py::TestDiagnosis::test_decision_needs_diagnosis",
        "app/tests/test_classes.py::TestDiagnosis::TestNested::test_nested",
        "app/tests/test_classes.py::test_async_decision",
    ]
    assert (
        "app/tests/test_classes.py::TestDiagnosis::test_decision_needs_diagnosis"
        in (result.tests_by_clause["PRJ-2"])
    )
    assert not any(".venv" in test for tests in result.tests_by_clause.values() for test in tests)
    assert result.warnings == []


@pytest.mark.django_db
def test_coverage_passes_when_every_unplanned_clause_has_a_test(tests_tree: Path) -> None:
    out, err = run("coverage", "--file", str(EXAMPLE_FILE), "--tests-root", str(tests_tree))

    rows = {line.split()[0]: line for line in out.splitlines() if line[:4] in {"PRI-", "PRJ-"}}
    assert "testée (3)" in rows["PRI-1"]
    assert "testée (3)" in rows["PRJ-1"]
    # PRJ-2 is planned yet tested: a warning, not a failure.
    assert "PRJ-2 est marquée prévue mais a 2 tests" in err
    assert "PRJ-99" in err
    assert Charter.objects.count() == 0  # --file reads, never loads


@pytest.mark.django_db
def test_coverage_fails_when_an_unplanned_clause_has_no_test(tmp_path: Path) -> None:
    (tmp_path / "test_only.py").write_text(ONLY_PRINCIPLE)
    out = StringIO()

    with pytest.raises(CommandError, match="1 clause non prévue sans test : PRJ-1"):
        call_command(
            "charter", "coverage", "--file", str(EXAMPLE_FILE), "--tests-root", str(tmp_path),
            stdout=out, stderr=StringIO(),
        )  # fmt: skip

    rows = {line.split()[0]: line for line in out.getvalue().splitlines() if line[:4] == "PRJ-"}
    assert "MANQUANTE" in rows["PRJ-1"]
    assert "prévue" in rows["PRJ-2"]


@pytest.mark.django_db
def test_coverage_reads_the_active_charter_and_speaks_json(tmp_path: Path) -> None:
    run("load", str(EXAMPLE_FILE))
    (tmp_path / "test_only.py").write_text(ONLY_PRINCIPLE)
    out = StringIO()

    with pytest.raises(CommandError):
        call_command(
            "charter", "coverage", "--format", "json", "--tests-root", str(tmp_path),
            stdout=out, stderr=StringIO(),
        )  # fmt: skip

    report = json.loads(out.getvalue())
    statuses = {row["id"]: row["status"] for row in report["clauses"]}
    assert statuses == {"PRI-1": "tested", "PRJ-1": "missing", "PRJ-2": "planned"}
    assert report["missing"] == ["PRJ-1"]
    assert report["clauses"][0]["tests"] == ["test_only.py::test_equal_rights"]


@pytest.mark.django_db
def test_coverage_lists_every_clause_of_the_isere_charter(isere: Charter, tmp_path: Path) -> None:
    out = StringIO()

    with pytest.raises(CommandError):
        call_command(
            "charter", "coverage", "--tests-root", str(tmp_path), stdout=out, stderr=StringIO()
        )

    listed = [line.split()[0] for line in out.getvalue().splitlines()[3:] if line[:1].isupper()]
    assert listed[:28] == list(Clause.objects.order_by("position").values_list("code", flat=True))


def test_coverage_reports_marks_it_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "test_odd.py").write_text(
        dedent(
            """
            import pytest
            CLAUSE = "PRI-1"

            @pytest.mark.charter(CLAUSE)
            def test_indirect():
                pass

            def test_broken(:
                pass
            """
        )
    )

    result = scan_tests(root=tmp_path)

    assert result.tests_by_clause == {}
    assert len(result.warnings) == 1 and "illisible" in result.warnings[0]
