"""The buttons and forms that change a project: transitions, decisions, sign-offs, suspension.

Each mutating view: anonymous → login, outside the partnership → 404, visible but not allowed
→ 403, GET → 405; a refusal shows every reason and changes nothing.
"""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from reciproca.core.models import events_for
from reciproca.projects import queries, services, workflow
from reciproca.projects.models import Decision, Project, SignOff, Stage


@pytest.fixture
def project(world):
    return services.create_project(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Eau potable rurale",
        programme=world.constantine_programme,
    )


def _place(project: Project, stage: Stage) -> Project:
    Project.objects.filter(pk=project.pk).update(stage=stage)
    project.refresh_from_db()
    return project


def _text(response) -> str:
    return html.unescape(response.content.decode())


MUTATING = [
    ("projects:transition", {"transition": "start_diagnosis"}),
    ("projects:decide", {"outcome": "IMPLEMENT", "rationale": "Vu le diagnostic."}),
    ("projects:sign_off", {}),
]


@pytest.mark.parametrize(("url_name", "data"), MUTATING)
def test_mutating_views_refuse_get(client, world, project, url_name, data):
    client.force_login(world.officer)
    assert client.get(reverse(url_name, args=[project.pk])).status_code == 405


@pytest.mark.parametrize(("url_name", "data"), MUTATING)
def test_mutating_views_send_anonymous_visitors_to_login(client, world, project, url_name, data):
    response = client.post(reverse(url_name, args=[project.pk]), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("url_name", "data"), MUTATING)
def test_mutating_views_hide_projects_of_other_partnerships(client, world, project, url_name, data):
    client.force_login(world.bethlehem_editor)
    assert client.post(reverse(url_name, args=[project.pk]), data).status_code == 404
    project.refresh_from_db()
    assert project.stage == Stage.IDEA


@pytest.mark.parametrize(("url_name", "data"), MUTATING)
def test_a_reader_may_look_but_not_act(client, world, project, url_name, data):
    client.force_login(world.constantine_reader)
    assert client.post(reverse(url_name, args=[project.pk]), data).status_code == 403
    project.refresh_from_db()
    assert project.stage == Stage.IDEA
    assert not SignOff.objects.exists()


# --- transitions -------------------------------------------------------------------------------


@pytest.mark.charter("PRI-1")
def test_a_partner_editor_moves_the_project_like_the_officer(client, world, project):
    client.force_login(world.constantine_editor)
    response = client.post(
        reverse("projects:transition", args=[project.pk]),
        {"transition": "start_diagnosis", "reason": "Besoin exprimé par la wilaya."},
        follow=True,
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.stage == Stage.DIAGNOSIS
    assert "Le diagnostic partagé est ouvert." in _text(response)
    event = events_for(project).get(action="projects.project.start_diagnosis")
    assert event.actor == world.constantine_editor


@pytest.mark.charter("PRJ-2")
def test_a_refused_transition_lists_every_reason_and_changes_nothing(client, world, project):
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    events_before = events_for(project).count()
    reasons = [u.reason for u in workflow.unmet_conditions(project, "submit_for_decision")]
    assert len(reasons) > 1
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:transition", args=[project.pk]),
        {"transition": "submit_for_decision"},
        follow=True,
    )
    assert response.status_code == 200
    text = _text(response)
    assert "« Soumettre à la décision » est refusé" in text
    (message,) = [str(m) for m in response.context["messages"]]
    # The message says how many conditions are unmet; the page lists them once, under the
    # next step (the refusal does not repeat the whole list).
    unmet = [
        c
        for gate in queries.checklist(project, transitions=["submit_for_decision"])
        for c in gate.unmet
    ]
    assert f"{len(unmet)} conditions ne sont pas remplies" in message
    for reason in reasons:
        assert reason not in message
        assert reason in text
    project.refresh_from_db()
    assert project.stage == Stage.DIAGNOSIS
    assert events_for(project).count() == events_before


@pytest.mark.charter("PRJ-2")
def test_with_htmx_a_refusal_swaps_the_checklist_with_its_reasons(client, world, project):
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    reasons = [u.reason for u in workflow.unmet_conditions(project, "submit_for_decision")]
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:transition", args=[project.pk]),
        {"transition": "submit_for_decision"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    text = _text(response)
    assert text.lstrip().startswith('<section id="next-step"')
    # The success message of an earlier action does not stay above the refusal.
    assert 'hx-swap-oob="delete:.messages"' in text
    assert "<html" not in text
    assert 'role="alert"' in text
    for reason in reasons:
        assert reason in text
    project.refresh_from_db()
    assert project.stage == Stage.DIAGNOSIS


def test_with_htmx_a_successful_transition_reloads_the_page(client, world, project):
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:transition", args=[project.pk]),
        {"transition": "start_diagnosis"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Redirect"] == reverse("projects:detail", args=[project.pk])
    project.refresh_from_db()
    assert project.stage == Stage.DIAGNOSIS


def test_an_unknown_transition_is_refused_with_a_message(client, world, project):
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:transition", args=[project.pk]), {"transition": "teleport"}, follow=True
    )
    assert "Transition inconnue" in _text(response)
    project.refresh_from_db()
    assert project.stage == Stage.IDEA


def test_suspending_needs_a_reason(client, world, project):
    client.force_login(world.officer)
    url = reverse("projects:transition", args=[project.pk])
    response = client.post(url, {"transition": "suspend", "reason": ""}, follow=True)
    assert "Indiquez le motif de la suspension ou de la reprise." in _text(response)
    project.refresh_from_db()
    assert not project.is_suspended
    client.post(url, {"transition": "suspend", "reason": "Élections locales."})
    project.refresh_from_db()
    assert project.is_suspended
    content = _text(client.get(reverse("projects:detail", args=[project.pk])))
    assert "Reprendre le projet" in content
    assert "Le projet est suspendu : reprenez-le d'abord." in content


def test_the_timeline_shows_each_transition_with_who_why_and_what_changed(client, world, project):
    client.force_login(world.officer)
    url = reverse("projects:transition", args=[project.pk])
    client.post(url, {"transition": "start_diagnosis", "reason": "Besoin exprimé."})
    client.force_login(world.constantine_editor)
    client.post(url, {"transition": "suspend", "reason": "Élections locales."})
    client.post(url, {"transition": "resume", "reason": "Nouvel exécutif installé."})
    response = client.get(reverse("projects:detail", args=[project.pk]))
    text = _text(response)
    assert "a créé le projet" in text
    assert "a ouvert le diagnostic partagé" in text
    assert "a suspendu le projet" in text
    assert "a repris le projet" in text
    for reason in ("Besoin exprimé.", "Élections locales.", "Nouvel exécutif installé."):
        assert reason in text
    rows = response.context["timeline"]
    opened = next(r for r in rows if r.event.action == "projects.project.start_diagnosis")
    assert opened.event.actor == world.officer
    stage_change = next(c for c in opened.changes if c.label == "étape")
    assert (stage_change.before, stage_change.after) == ("idée", "diagnostic partagé")
    assert "Karim" in text


# --- decisions ---------------------------------------------------------------------------------


@pytest.mark.charter("PRJ-4")
def test_a_decision_without_rationale_is_refused_next_to_the_form(client, world, project):
    _place(project, Stage.DECISION)
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:decide", args=[project.pk]), {"outcome": "IMPLEMENT", "rationale": " "}
    )
    assert response.status_code == 422
    text = _text(response)
    assert "La motivation de la décision est obligatoire." in text
    assert 'id="decision"' in text
    assert not Decision.objects.exists()
    project.refresh_from_db()
    assert project.stage == Stage.DECISION


def test_with_htmx_a_refused_decision_swaps_only_the_form(client, world, project):
    _place(project, Stage.DECISION)
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:decide", args=[project.pk]),
        {"rationale": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    text = _text(response)
    assert text.lstrip().startswith('<section id="decision"')
    assert "La motivation de la décision est obligatoire." in text
    assert "Choisissez une décision" in text


@pytest.mark.charter("PRJ-2")
def test_a_decision_before_the_diagnosis_is_shared_shows_the_charter_reasons(
    client, world, project
):
    _place(project, Stage.DECISION)
    reasons = [u.reason for u in workflow.unmet_conditions(project, "decide")]
    client.force_login(world.elected)
    response = client.post(
        reverse("projects:decide", args=[project.pk]),
        {"outcome": "IMPLEMENT", "rationale": "Le projet répond aux besoins."},
    )
    if not reasons:
        pytest.skip("the diagnosis gate is met in this installation")
    assert response.status_code == 422
    text = _text(response)
    for reason in reasons:
        assert reason in text
    assert not Decision.objects.exists()


def test_the_decision_form_is_offered_at_the_decision_stage_only(client, world, project):
    client.force_login(world.elected)
    url = reverse("projects:detail", args=[project.pk])
    assert 'id="decision"' not in _text(client.get(url))
    _place(project, Stage.DECISION)
    text = _text(client.get(url))
    assert 'id="decision"' in text
    for outcome in Decision.Outcome:
        assert str(outcome.label) in text


# --- sign-offs ---------------------------------------------------------------------------------


@pytest.mark.charter("PRJ-8")
def test_each_co_owner_signs_off_the_stage_for_its_organisation(client, world, project):
    client.force_login(world.constantine_editor)
    response = client.post(reverse("projects:sign_off", args=[project.pk]), follow=True)
    assert response.status_code == 200
    assert SignOff.objects.filter(
        project=project, organisation=world.constantine, stage=Stage.IDEA, withdrawn_at=None
    ).exists()
    text = _text(response)
    assert "est validée au nom de la Wilaya de Constantine." in text
    assert "a validé l'étape « idée »" in text
    # Signing twice is refused with a message, not an error page.
    response = client.post(reverse("projects:sign_off", args=[project.pk]), follow=True)
    assert "Votre organisation a déjà validé cette étape." in _text(response)
    assert SignOff.objects.count() == 1


def test_an_elected_official_decides_but_does_not_sign_off(client, world, project):
    client.force_login(world.elected)
    assert client.post(reverse("projects:sign_off", args=[project.pk])).status_code == 403


def test_a_long_timeline_shows_the_latest_events_and_links_to_all(client, world, project):
    url = reverse("projects:transition", args=[project.pk])
    client.force_login(world.officer)
    for n in range(10):
        client.post(url, {"transition": "suspend", "reason": f"Pause {n}."})
        client.post(url, {"transition": "resume", "reason": f"Reprise {n}."})
    detail = reverse("projects:detail", args=[project.pk])
    text = _text(client.get(detail))
    assert "Reprise 9." in text
    assert "a créé le projet" not in text
    assert "Voir tout l'historique (21 événements)" in text
    text = _text(client.get(detail, {"historique": "tout"}))
    assert "a créé le projet" in text
    assert "Pause 0." in text
