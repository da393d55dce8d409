"""Issue 7: the project's timeline groups a session of edits into one row naming each cell or
field changed: no "a ouvert le diagnostic partagé" twice, no six "a renseigné la matrice"."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from django.urls import reverse

from reciproca.core.models import AuditEvent, events_for
from reciproca.diagnosis.tests.conftest import fill_matrix
from reciproca.projects import services as project_services


def _timeline(client, user, project) -> str:
    client.force_login(user)
    page = unescape(client.get(reverse("projects:detail", args=[project.pk])).content.decode())
    start = page.index('<ol class="timeline">')
    return page[start : page.index("</ol>", start)]


def test_opening_the_diagnosis_is_one_line(project, client, world):
    # The transition opened it; the first content written creates its record: two events,
    # worded apart, and neither repeated.
    fill_matrix(project, world.constantine_editor)
    actions = {e.action for e in events_for(project)}
    assert {"projects.project.start_diagnosis", "diagnosis.diagnosis.opened"} <= actions
    client.force_login(world.officer)
    page = unescape(
        client.get(
            reverse("projects:detail", args=[project.pk]), {"historique": "tout"}
        ).content.decode()
    )
    assert page.count("a ouvert le diagnostic partagé") == 1
    assert page.count("a commencé à renseigner le diagnostic partagé") == 1


def test_a_session_of_matrix_edits_is_one_row_naming_each_cell(project, client, world):
    fill_matrix(project, world.officer)
    edits = events_for(project).filter(action="diagnosis.cell.updated").count()
    assert edits > 2
    timeline = _timeline(client, world.officer, project)
    assert timeline.count("a renseigné la matrice des impacts") == 1
    assert f'a renseigné la matrice des impacts <span class="muted">({edits} fois)</span>' in (
        timeline
    )
    cells = {e.after["cell"] for e in events_for(project).filter(action="diagnosis.cell.updated")}
    shown = [
        cell for cell in cells if f"<li><bdi>{cell[:1].upper()}{cell[1:]}</bdi></li>" in timeline
    ]
    # The timeline shows the latest events: every cell of those is named.
    assert len(shown) >= min(len(cells), 10)


def test_edits_far_apart_or_by_someone_else_stay_apart(project, client, world):
    project_services.update_project(project=project, by=world.officer, summary="Un.")
    project_services.update_project(project=project, by=world.constantine_editor, summary="Deux.")
    timeline = _timeline(client, world.officer, project)
    assert timeline.count("a modifié le projet") == 2
    # An hour later, the same person: a new session.
    latest = events_for(project).first()
    assert latest is not None
    AuditEvent.objects.filter(action="projects.project.updated").update(
        at=latest.at - timedelta(hours=2)
    )
    project_services.update_project(project=project, by=world.constantine_editor, summary="Trois.")
    timeline = _timeline(client, world.officer, project)
    assert timeline.count("a modifié le projet") == 3


def test_a_session_of_project_edits_shows_each_field_once(project, client, world):
    project_services.update_project(project=project, by=world.officer, summary="Un.")
    project_services.update_project(project=project, by=world.officer, summary="Deux.")
    project_services.update_project(project=project, by=world.officer, objectives="Trois.")
    timeline = _timeline(client, world.officer, project)
    assert timeline.count("a modifié le projet") == 1
    assert "(3 fois)" in timeline
    assert timeline.count("Résumé") == 1
    # One change per field: before the first edit, after the last.
    assert "<bdi>Deux.</bdi>" in timeline
    assert "<bdi>Un.</bdi>" not in timeline


def test_the_dashboard_activity_groups_a_session_too(project, client, world):
    fill_matrix(project, world.constantine_editor)
    client.force_login(world.officer)
    page = unescape(client.get(reverse("projects:dashboard")).content.decode())
    start = page.index('id="activity-title"')
    activity = page[start : page.index("</section>", start)]
    assert activity.count("a renseigné la matrice des impacts") == 1
    assert re.search(
        r"a renseigné la matrice des impacts <span class=\"muted\">\(\d+ fois\)", activity
    )
