"""One owner for the diagnosis' rules: every path that changes what the partners signed goes
through the project's write pipeline (`projects.services.shared_change`), so the page, the API
and the services withdraw the sign-offs alike, and refuse alike once the diagnosis is decided.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reciproca.charter import engine
from reciproca.core.exceptions import ContentFrozen
from reciproca.core.models import events_for
from reciproca.diagnosis import services
from reciproca.diagnosis.models import Alternative, Diagnosis, DiagnosisSignOff
from reciproca.diagnosis.tests.conftest import score_grid
from reciproca.projects import services as project_services
from reciproca.projects.models import Project, Stage
from reciproca.projects.services import TransitionRefused


def _live(project: Project) -> list[str]:
    return sorted(
        DiagnosisSignOff.objects.filter(
            diagnosis__project=project, withdrawn_at__isnull=True
        ).values_list("organisation__name", flat=True)
    )


def _sign_both(project: Project, world: Any) -> None:
    services.sign_off_diagnosis(project=project, by=world.constantine_editor)
    services.sign_off_diagnosis(project=project, by=world.officer)


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _other_theme(project: Project) -> Any:
    current = set(project.themes.values_list("pk", flat=True))
    return engine.themes().exclude(pk__in=current).first()


@pytest.mark.charter("PRJ-2")
@pytest.mark.charter("PRI-1")
def test_a_theme_change_on_the_tags_page_withdraws_the_signed_diagnosis(completed, world, client):
    _sign_both(completed, world)
    assert len(_live(completed)) == 2
    theme = _other_theme(completed)
    client.force_login(world.constantine_editor)
    response = client.post(
        reverse("projects:tags", args=[completed.pk]),
        {
            "themes": [theme.pk],
            "services": [world.service.pk],
            "elected_officials": [world.elected_official.pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    assert list(completed.themes.all()) == [theme]
    # Nobody signed the new themes: both sign-offs are withdrawn, with the change as cause.
    assert _live(completed) == []
    withdrawn = DiagnosisSignOff.objects.filter(diagnosis__project=completed).first()
    assert withdrawn is not None
    assert withdrawn.withdrawn_cause["code"] == "themes_changed"
    assert withdrawn.withdrawn_by == world.constantine_editor
    # The project cannot go to the decision on content one side signed alone.
    with pytest.raises(TransitionRefused) as refused:
        project_services.transition_project(
            project=completed, transition="submit_for_decision", by=world.officer
        )
    assert any(u.check == "diagnosis_shared" for u in refused.value.unmet)
    # The new theme brings its criterion to the grid: both options are scored on it.
    score_grid(completed, world.officer)
    score_grid(
        completed,
        world.constantine_editor,
        alternative=Alternative.objects.get(diagnosis__project=completed, is_do_nothing=True),
        score=1,
    )
    services.sign_off_diagnosis(project=completed, by=world.officer)
    with pytest.raises(TransitionRefused):
        project_services.transition_project(
            project=completed, transition="submit_for_decision", by=world.officer
        )
    services.sign_off_diagnosis(project=completed, by=world.constantine_editor)
    project_services.transition_project(
        project=completed, transition="submit_for_decision", by=world.officer
    )
    completed.refresh_from_db()
    assert completed.stage == Stage.DECISION


@pytest.mark.charter("PRJ-2")
@pytest.mark.charter("PRI-1")
def test_a_theme_change_through_the_api_withdraws_the_signed_diagnosis(completed, world):
    _sign_both(completed, world)
    theme = _other_theme(completed)
    completed.refresh_from_db()
    response = _api(world.officer).patch(
        f"/api/v1/projects/{completed.pk}/",
        {"themes": [theme.code], "revision": completed.revision},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert _live(completed) == []
    diagnosis = Diagnosis.objects.get(project=completed)
    detail = _api(world.constantine_editor).get(f"/api/v1/diagnoses/{completed.pk}/").json()
    assert "live_signoffs" in detail, detail
    assert detail["live_signoffs"] == []
    assert detail["version"] == diagnosis.version


@pytest.mark.charter("PRJ-2")
@pytest.mark.charter("PRJ-4")
def test_the_decision_waits_for_both_partners_after_a_change_at_the_decision_stage(
    completed, world, client
):
    _sign_both(completed, world)
    project_services.transition_project(
        project=completed, transition="submit_for_decision", by=world.officer
    )
    before = sorted(completed.themes.values_list("code", flat=True))
    theme = _other_theme(completed)
    # The content under decision is frozen on every path: the page, the API and the services.
    client.force_login(world.officer)
    response = client.post(reverse("projects:tags", args=[completed.pk]), {"themes": [theme.pk]})
    assert response.status_code == 422
    assert "figé" in response.content.decode()
    completed.refresh_from_db()
    response = _api(world.constantine_editor).patch(
        f"/api/v1/projects/{completed.pk}/",
        {"themes": [theme.code], "revision": completed.revision},
        format="json",
    )
    assert response.status_code == 409
    assert "figé" in response.json()["detail"]
    with pytest.raises(ContentFrozen):
        project_services.set_project_tags(project=completed, by=world.officer, themes=[theme])
    assert sorted(completed.themes.values_list("code", flat=True)) == before
    assert len(_live(completed)) == 2
    decision = project_services.record_decision(
        project=completed, by=world.elected, outcome="IMPLEMENT", rationale="Accord des deux."
    )
    assert decision.outcome == "IMPLEMENT"


@pytest.mark.charter("PRJ-4")
def test_once_decided_the_themes_cannot_change_on_any_path(completed, world, client):
    _sign_both(completed, world)
    project_services.transition_project(
        project=completed, transition="submit_for_decision", by=world.officer
    )
    project_services.record_decision(
        project=completed, by=world.officer, outcome="IMPLEMENT", rationale="Accord."
    )
    theme = _other_theme(completed)
    client.force_login(world.constantine_editor)
    response = client.post(reverse("projects:tags", args=[completed.pk]), {"themes": [theme.pk]})
    assert response.status_code == 422
    assert "figé depuis la décision" in response.content.decode()
    completed.refresh_from_db()
    response = _api(world.officer).patch(
        f"/api/v1/projects/{completed.pk}/",
        {"themes": [theme.code], "revision": completed.revision},
        format="json",
    )
    assert response.status_code == 409
    assert theme not in completed.themes.all()
    # The diagnosis itself neither.
    with pytest.raises(ContentFrozen):
        services.set_reversibility_statement(project=completed, by=world.officer, text="Non.")


@pytest.mark.charter("PRJ-4")
@pytest.mark.charter("PRI-1")
def test_after_adjust_the_api_list_and_detail_agree(completed, world):
    _sign_both(completed, world)
    project_services.transition_project(
        project=completed, transition="submit_for_decision", by=world.officer
    )
    signed_version = Diagnosis.objects.get(project=completed).version
    project_services.record_decision(
        project=completed, by=world.officer, outcome="ADJUST", rationale="Préciser les coûts."
    )
    diagnosis = Diagnosis.objects.get(project=completed)
    # Reopened when the decision was recorded, not on the next write.
    assert diagnosis.version == signed_version + 1
    assert _live(completed) == []
    karim = _api(world.constantine_editor)
    listed = next(
        d for d in karim.get("/api/v1/diagnoses/").json()["results"] if d["project"] == completed.pk
    )
    detail = karim.get(f"/api/v1/diagnoses/{completed.pk}/").json()
    assert listed["live_signoffs"] == detail["live_signoffs"] == []
    assert listed["version"] == detail["version"] == diagnosis.version
    actions = [e.action for e in events_for(completed)]
    assert "diagnosis.diagnosis.reopened" in actions
    # Both partners sign the adjusted diagnosis again before it goes back to the decision.
    with pytest.raises(TransitionRefused):
        project_services.transition_project(
            project=completed, transition="submit_for_decision", by=world.officer
        )


@pytest.mark.charter("PRJ-4")
def test_transitions_decisions_and_sign_offs_record_the_charter_version(completed, world):
    _sign_both(completed, world)
    project_services.transition_project(
        project=completed, transition="submit_for_decision", by=world.officer
    )
    project_services.record_decision(
        project=completed, by=world.officer, outcome="IMPLEMENT", rationale="Accord."
    )
    charter = engine.active_charter()
    events = {e.action: e for e in events_for(completed)}
    for action in (
        "projects.project.start_diagnosis",
        "projects.project.submit_for_decision",
        "projects.project.decided",
        "diagnosis.diagnosis.signed_off",
    ):
        after = events[action].after
        assert after["charter"] == {
            "charter": charter.slug,
            "version": charter.version,
            "title": charter.title,
        }, action
    submitted = events["projects.project.submit_for_decision"].after["conditions"]
    assert {c["check"] for c in submitted} >= {"diagnosis_shared", "themes_tagged"}
    assert all(c["met"] for c in submitted)
    assert all(c["clauses"] for c in submitted)
