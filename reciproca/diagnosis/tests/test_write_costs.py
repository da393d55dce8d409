"""A write costs what it changes (issue 11): editing a cell of the impact matrix or a score of
the grid runs the same, small number of queries whatever the size of the diagnosis, and the
versions, comparisons and sign-offs users see stay what they were."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reciproca.diagnosis import grid, services
from reciproca.diagnosis.models import (
    DiagnosisSignOff,
    DiagnosisVersion,
    Dimension,
    Direction,
    Directness,
    Horizon,
    Side,
)
from reciproca.diagnosis.tests.test_query_counts import grow
from reciproca.diagnosis.versions import snapshot

# A cell edit and a score edit, each: lock, rights, guards, the write, the audit event, the
# stage sign-offs and the diagnosis' own handler.
WRITE_QUERIES = 16


def edit_cell(project, by, text: str) -> None:
    services.set_impact_cell(
        project=project, by=by, side=Side.PARTNER, dimension=Dimension.SOCIAL,
        directness=Directness.DIRECT, horizon=Horizon.MEDIUM, direction=Direction.POSITIVE,
        magnitude=3, likelihood=2, justification=text,
    )  # fmt: skip


def edit_score(project, by, score: int) -> None:
    criterion = grid.project_criteria(project)[0]
    services.assess_options(
        project=project, by=by, scores={criterion.code: (score, f"Note {score} justifiée.")}
    )


def costs(project, world, round_: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as cell:
        edit_cell(project, world.officer, f"Effet social, relevé {round_}.")
    with CaptureQueriesContext(connection) as score:
        edit_score(project, world.officer, round_ % 5)
    return len(cell.captured_queries), len(score.captured_queries)


def test_a_cell_or_score_edit_costs_the_same_on_a_small_and_a_large_diagnosis(completed, world):
    small = costs(completed, world, 1)
    grow(completed, world, alternatives=1, assessors=2)
    large = costs(completed, world, 2)
    assert large == small
    assert max(small) <= WRITE_QUERIES


def test_a_signed_version_keeps_what_was_signed(completed, world, client):
    services.sign_off_diagnosis(project=completed, by=world.constantine_editor)
    signed = DiagnosisVersion.objects.get(diagnosis__project=completed, number=1)
    assert signed.snapshot == snapshot(completed.diagnosis)
    edit_cell(completed, world.officer, "Effet social revu après la validation.")
    edit_cell(completed, world.officer, "Effet social revu une seconde fois.")
    completed.diagnosis.refresh_from_db()
    assert completed.diagnosis.version == 2
    assert DiagnosisSignOff.objects.get(diagnosis__project=completed).withdrawn_at is not None
    # Version 1 holds the content as signed, version 2 the content now, and the history page
    # says what changed between them.
    signed.refresh_from_db()
    assert signed.snapshot["cells"]["proposal|PARTNER|SOCIAL|DIRECT|MEDIUM"]["justification"] == (
        "Effet social attendu."
    )
    client.force_login(world.officer)
    page = client.get(reverse("diagnosis:versions", args=[completed.pk]))
    assert page.status_code == 200
    assert "social" in page.content.decode()
    current = DiagnosisVersion.objects.get(diagnosis__project=completed, number=2)
    assert current.snapshot == snapshot(completed.diagnosis)
    assert (
        current.snapshot["cells"]["proposal|PARTNER|SOCIAL|DIRECT|MEDIUM"]["justification"]
        == "Effet social revu une seconde fois."
    )
