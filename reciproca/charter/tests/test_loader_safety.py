"""A charter file is untrusted input: aliases, size, encoding, reference codes, reactivation,
and what a new version does to the projects' themes."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from reciproca.charter import engine
from reciproca.charter.docs import generated_reference
from reciproca.charter.loader import CharterFileError, load_charter, load_charter_text
from reciproca.charter.models import Charter
from reciproca.core.models import AuditEvent
from reciproca.reference.models import SdgTarget

from .conftest import EXAMPLE_FILE

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_a_billion_laughs_file_is_refused_at_once(write_charter: Callable[..., Path]) -> None:
    assert len(BILLION_LAUGHS.encode()) < 400
    started = time.perf_counter()

    with pytest.raises(CharterFileError) as refused:
        load_charter(path=write_charter(BILLION_LAUGHS))

    assert time.perf_counter() - started < 1
    problem = refused.value.problems[0]
    assert problem.line == 2
    assert "alias" in problem.message


@pytest.mark.django_db
def test_a_12_mb_file_is_refused_before_it_is_parsed(write_charter: Callable[..., Path]) -> None:
    path = write_charter("# " + "x" * 12_000_000 + "\n")

    with pytest.raises(CharterFileError, match="fichier trop volumineux"):
        load_charter(path=path)
    assert Charter.objects.count() == 0


@pytest.mark.django_db
def test_more_than_500_clauses_are_refused(example_text: str) -> None:
    clause = "  - id: PRX-{n}\n    section: S\n    text: T\n    mechanism: M\n"
    extra = "".join(clause.format(n=n) for n in range(501))
    text = example_text.replace("clauses:\n", "clauses:\n" + extra, 1)

    with pytest.raises(CharterFileError) as refused:
        load_charter_text(text=text)

    assert any("au plus 500" in p.message for p in refused.value.problems)


@pytest.mark.django_db
def test_a_file_not_in_utf8_is_refused_with_its_line(tmp_path: Path, example_text: str) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(example_text.encode("latin-1", errors="replace"))

    with pytest.raises(CharterFileError) as refused:
        load_charter(path=path)

    problem = refused.value.problems[0]
    first_bad = next(n for n, line in enumerate(example_text.splitlines(), 1) if not line.isascii())
    assert problem.line == first_bad
    assert "enregistrez le fichier en UTF-8" in problem.message


@pytest.mark.django_db
def test_without_reference_tables_the_loader_says_to_load_them_first() -> None:
    SdgTarget.objects.all().delete()

    with pytest.raises(CharterFileError) as refused:
        load_charter(path=EXAMPLE_FILE)

    assert any("reciproca load_reference" in p.message for p in refused.value.problems)


@pytest.mark.django_db
def test_reactivating_from_the_command_needs_the_flag(isere: Charter) -> None:
    call_command("charter", "load", str(EXAMPLE_FILE), stdout=io.StringIO())

    with pytest.raises(Exception, match="--reactivate"):
        call_command("charter", "load", stdout=io.StringIO())
    assert engine.active_charter().slug == "ville-exemple"

    out = io.StringIO()
    call_command("charter", "load", "--reactivate", stdout=out)
    assert engine.active_charter() == isere
    assert "de nouveau en vigueur" in out.getvalue()


def _isere_v2(*, drop: str = "") -> str:
    text = Path(settings.RECIPROCA_CHARTER_FILE).read_text(encoding="utf-8")
    text = text.replace('version: "1.0"', 'version: "2.0"', 1)
    if drop:
        start = text.index(f"  - code: {drop}\n")
        end = text.index("  - code: ", start + 1)
        text = text[:start] + text[end:]
    return text


@pytest.mark.charter("PRJ-15")
def test_a_new_version_carries_the_projects_themes_over_by_code(world: Any) -> None:
    from reciproca.projects import services

    project = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Eau"
    )
    kept, dropped = list(engine.themes()[:2])
    project.themes.add(kept, dropped)

    result = load_charter_text(text=_isere_v2(drop=dropped.code))

    new_codes = set(project.themes.filter(charter=result.charter).values_list("code", flat=True))
    assert new_codes == {kept.code}
    assert dropped.code in result.message and "n'existe plus" in result.message
    event = AuditEvent.objects.filter(action="charter.charter.loaded").latest("pk")
    assert any(dropped.code in note for note in event.after["notes"])
    # The theme that disappeared counts no longer; the one carried over does.
    assert engine.check_gate("submit_for_decision", project).conditions[-1].is_met


@pytest.mark.charter("PRJ-15")
def test_a_theme_of_another_charter_does_not_tag_the_project(world: Any) -> None:
    from reciproca.projects import services

    project = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Eau"
    )
    project.themes.add(engine.themes()[0])
    load_charter(path=EXAMPLE_FILE)

    gate = engine.check_gates(project)["submit_for_decision"]
    assert gate.conditions == ()  # the example charter has no such gate
    from reciproca.projects.gates import themes_tagged

    assert themes_tagged(project, None) != []


@pytest.mark.django_db
def test_the_charter_is_read_once_per_request(
    isere: Charter, client: Any, django_assert_max_num_queries: Any
) -> None:
    from reciproca.charter.middleware import ActiveCharterMiddleware

    calls: list[int] = []

    def view(request: Any) -> Any:
        from django.db import connection
        from django.http import HttpResponse

        before = len(connection.queries)
        engine.active_charter()
        engine.rule("min_alternatives")
        engine.gates()
        calls.append(len(connection.queries) - before)
        load_charter(path=EXAMPLE_FILE)
        calls.append(engine.active_charter().slug == "ville-exemple")
        return HttpResponse("ok")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection):
        ActiveCharterMiddleware(view)(object())  # type: ignore[arg-type]
    assert calls == [1, True]  # one query, and never a stale charter after a load


def test_the_format_documentation_carries_the_generated_reference() -> None:
    doc = (Path(settings.BASE_DIR) / "docs" / "charter-format.md").read_text(encoding="utf-8")
    assert generated_reference() in doc, (
        "docs/charter-format.md is stale: run `reciproca charter docs --write`"
    )


@pytest.mark.django_db
def test_show_prints_the_conditions_parameters_and_the_rules(isere: Charter) -> None:
    out = io.StringIO()
    call_command("charter", "show", stdout=out)
    text = out.getvalue()

    assert "min_elected_officials_involved : — (règle : 1)" in text
    assert "agreement_warning_days : 180" in text
