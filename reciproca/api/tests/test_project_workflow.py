"""The lifecycle through the API: transitions refused with every unmet condition (409),
decisions that need a rationale (PRJ-4), sign-offs by each partner (PRJ-8), the checklist and
the timeline."""

from __future__ import annotations

import pytest

from reciproca.core.models import AuditEvent, events_for
from reciproca.diagnosis.tests.conftest import sign_as_row
from reciproca.projects.models import Decision, Project, SignOff, Stage

pytestmark = pytest.mark.django_db


def _transition(client, project, name, reason=""):
    return client.post(
        f"/api/v1/projects/{project.pk}/transition/",
        {"transition": name, "reason": reason},
        format="json",
    )


def _put_at(project: Project, stage: Stage) -> None:
    # Reaching implementation needs the diagnosis, results and finance apps' data; these
    # tests are about the API's answers at that stage, so the project is placed there.
    Project.objects.filter(pk=project.pk).update(stage=stage)
    project.refresh_from_db()


def test_a_transition_moves_the_project_and_is_recorded(world, client_for, make_project):
    project = make_project()
    response = _transition(client_for(world.constantine_editor), project, "start_diagnosis")
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == Stage.DIAGNOSIS
    project.refresh_from_db()
    assert project.stage == Stage.DIAGNOSIS
    event = events_for(project).filter(action="projects.project.start_diagnosis").get()
    assert event.actor == world.constantine_editor


@pytest.mark.charter("PRJ-2")
@pytest.mark.charter("PRJ-13")
@pytest.mark.charter("PRJ-15")
def test_a_refused_transition_lists_every_unmet_condition_and_changes_nothing(
    world, client_for, make_project
):
    project = make_project()
    karim = client_for(world.constantine_editor)
    assert _transition(karim, project, "start_diagnosis").status_code == 200
    events_before = AuditEvent.objects.count()

    response = _transition(karim, project, "submit_for_decision")

    assert response.status_code == 409
    body = response.json()
    assert body["detail"]
    unmet = body["unmet"]
    assert all(set(u) == {"check", "label", "clauses", "reason"} for u in unmet)
    assert all(u["reason"] and u["label"] for u in unmet)
    by_check = {u["check"]: u for u in unmet}
    # The charter's gate names the clause behind each condition.
    assert by_check["diagnosis_shared"]["clauses"] == ["PRJ-2", "PRI-1", "PRI-2"]
    assert by_check["themes_tagged"]["clauses"] == ["PRJ-15"]
    assert by_check["themes_tagged"]["reason"] == (
        "Aucun thème prioritaire de la charte n'est indiqué pour le projet."
    )
    cross_cutting = [u for u in unmet if u["check"] == "cross_cutting_involvement"]
    assert len(cross_cutting) == 2  # no service and no elected official: one reason each
    assert all(u["clauses"] == ["PRJ-13"] for u in cross_cutting)
    assert body["reasons"] == [u["reason"] for u in unmet]

    project.refresh_from_db()
    assert project.stage == Stage.DIAGNOSIS
    assert AuditEvent.objects.count() == events_before


def test_a_transition_from_the_wrong_stage_is_refused_with_the_reason(
    world, client_for, make_project
):
    project = make_project()
    response = _transition(client_for(world.officer), project, "close")
    assert response.status_code == 409
    [unmet] = response.json()["unmet"]
    assert unmet["check"] == "stage"
    assert unmet["clauses"] == []
    assert "idée" in unmet["reason"]


def test_an_unknown_transition_is_a_bad_request(world, client_for, make_project):
    project = make_project()
    response = _transition(client_for(world.officer), project, "teleport")
    assert response.status_code == 400
    assert "transition" in response.json()["errors"]


def test_the_decision_is_not_a_transition(world, client_for, make_project):
    project = make_project()
    response = _transition(client_for(world.officer), project, "decide")
    assert response.status_code == 400
    assert response.json()["reasons"]


def test_suspending_needs_a_reason_and_is_recorded_with_it(world, client_for, make_project):
    project = make_project()
    alice = client_for(world.officer)
    assert _transition(alice, project, "suspend").status_code == 400
    response = _transition(alice, project, "suspend", reason="Élections locales")
    assert response.status_code == 200
    assert response.json()["is_suspended"] is True
    assert events_for(project).filter(action="projects.project.suspend").get().reason == (
        "Élections locales"
    )


def test_a_reader_cannot_move_a_project(world, client_for, make_project):
    project = make_project()
    response = _transition(client_for(world.constantine_reader), project, "start_diagnosis")
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.stage == Stage.IDEA


def test_moving_a_project_outside_the_scope_is_not_found(world, client_for, make_project):
    olive = make_project(world.bethlehem_partnership)
    response = _transition(client_for(world.constantine_editor), olive, "start_diagnosis")
    assert response.status_code == 404
    olive.refresh_from_db()
    assert olive.stage == Stage.IDEA


def test_transitions_are_posted_not_fetched(world, client_for, make_project):
    project = make_project()
    assert (
        client_for(world.officer).get(f"/api/v1/projects/{project.pk}/transition/").status_code
        == 405
    )


# --- decisions (PRJ-4) ------------------------------------------------------------------------


@pytest.mark.charter("PRJ-4")
def test_a_decision_without_rationale_is_refused_and_records_nothing(
    world, client_for, make_project
):
    project = make_project()
    _put_at(project, Stage.DECISION)
    events_before = AuditEvent.objects.count()

    response = client_for(world.officer).post(
        f"/api/v1/projects/{project.pk}/decision/",
        {"outcome": "IMPLEMENT", "rationale": "   ", "deliberation_reference": "CP-2025-12"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["reasons"] == ["La motivation de la décision est obligatoire."]
    assert not Decision.objects.exists()
    assert AuditEvent.objects.count() == events_before
    project.refresh_from_db()
    assert project.stage == Stage.DECISION


@pytest.mark.charter("PRJ-4")
def test_a_decision_needs_one_of_the_four_outcomes(world, client_for, make_project):
    project = make_project()
    _put_at(project, Stage.DECISION)
    response = client_for(world.officer).post(
        f"/api/v1/projects/{project.pk}/decision/",
        {"outcome": "MAYBE", "rationale": "Pourquoi pas"},
        format="json",
    )
    assert response.status_code == 400
    assert "outcome" in response.json()["errors"]
    assert not Decision.objects.exists()


@pytest.mark.charter("PRJ-2")
def test_a_decision_before_the_shared_diagnosis_is_refused(world, client_for, make_project):
    project = make_project()
    _put_at(project, Stage.DECISION)
    response = client_for(world.elected).post(
        f"/api/v1/projects/{project.pk}/decision/",
        {"outcome": "IMPLEMENT", "rationale": "Projet prioritaire"},
        format="json",
    )
    assert response.status_code == 409
    assert "diagnosis_shared" in {u["check"] for u in response.json()["unmet"]}
    assert not Decision.objects.exists()


def _diagnosis_signed_by_both_partners(world, project: Project) -> None:

    sign_as_row(project, world.officer)
    sign_as_row(project, world.constantine_editor)


@pytest.mark.charter("PRJ-4")
def test_a_motivated_decision_is_recorded_and_moves_the_project(world, client_for, make_project):
    project = make_project()
    _put_at(project, Stage.DIAGNOSIS)
    _diagnosis_signed_by_both_partners(world, project)
    _put_at(project, Stage.DECISION)

    response = client_for(world.elected).post(
        f"/api/v1/projects/{project.pk}/decision/",
        {
            "outcome": "IMPLEMENT",
            "rationale": "Besoin partagé, impacts maîtrisés.",
            "deliberation_reference": "CP-2025-12-041",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outcome"] == "IMPLEMENT"
    assert body["rationale"] == "Besoin partagé, impacts maîtrisés."
    assert body["deliberation_reference"] == "CP-2025-12-041"
    assert body["decided_by"]["username"] == "elise"
    assert body["new_project"] is None
    project.refresh_from_db()
    assert project.stage == Stage.ELABORATION
    event = events_for(project).get(action="projects.project.decided")
    assert event.reason == "Besoin partagé, impacts maîtrisés."


@pytest.mark.charter("PRJ-4")
def test_a_redesign_decision_opens_a_linked_project(world, client_for, make_project):
    project = make_project()
    _put_at(project, Stage.DIAGNOSIS)
    _diagnosis_signed_by_both_partners(world, project)
    _put_at(project, Stage.DECISION)

    response = client_for(world.constantine_editor).post(
        f"/api/v1/projects/{project.pk}/decision/",
        {
            "outcome": "REDESIGN",
            "rationale": "Mieux vaut réhabiliter les sources existantes.",
            "new_title": "Réhabilitation des sources",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    new = client_for(world.constantine_editor).get(
        f"/api/v1/projects/{response.json()['new_project']}/"
    )
    assert new.json()["title_fr"] == "Réhabilitation des sources"
    assert new.json()["redesigned_from"] == project.pk
    assert response.json()["new_project_reference"] == new.json()["reference"]


def test_a_reader_cannot_decide(world, client_for, make_project):
    project = make_project()
    _put_at(project, Stage.DECISION)
    response = client_for(world.constantine_reader).post(
        f"/api/v1/projects/{project.pk}/decision/",
        {"outcome": "REJECT", "rationale": "Non"},
        format="json",
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


# --- sign-offs (PRJ-8) ------------------------------------------------------------------------


@pytest.mark.charter("PRJ-8")
@pytest.mark.charter("PRI-1")
def test_each_partner_signs_off_the_stage_for_its_organisation(world, client_for, make_project):
    project = make_project()
    response = client_for(world.constantine_editor).post(f"/api/v1/projects/{project.pk}/sign-off/")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == Stage.IDEA
    assert body["organisation"]["name"] == "Wilaya de Constantine"
    assert body["signed_by"]["username"] == "karim"
    assert events_for(project).filter(action="projects.stage.signed_off").count() == 1

    again = client_for(world.constantine_editor).post(f"/api/v1/projects/{project.pk}/sign-off/")
    assert again.status_code == 400
    assert again.json()["reasons"] == ["Votre organisation a déjà validé cette étape."]
    assert SignOff.objects.filter(project=project).count() == 1


@pytest.mark.charter("PRJ-8")
def test_a_stage_change_waits_for_every_partners_sign_off(world, client_for, make_project):
    project = make_project()
    _put_at(project, Stage.IMPLEMENTATION)
    # A monitoring period still running: the results app's `reporting_up_to_date` holds.
    import datetime as dt

    from reciproca.results import services as results_services

    today = dt.date.today()
    results_services.add_period(
        project=project, by=world.officer, label="En cours",
        start=today, end=today + dt.timedelta(days=90),
    )  # fmt: skip
    alice, karim = client_for(world.officer), client_for(world.constantine_editor)
    assert alice.post(f"/api/v1/projects/{project.pk}/sign-off/").status_code == 201

    refused = _transition(alice, project, "start_evaluation")
    assert refused.status_code == 409
    assert refused.json()["unmet"] == [
        {
            "check": "stage_signed_by_all_partners",
            "label": "étape validée par chaque partenaire",
            "clauses": ["PRJ-8"],
            "reason": "L'étape « mise en œuvre » n'a pas été validée par la Wilaya de Constantine.",
        }
    ]

    assert karim.post(f"/api/v1/projects/{project.pk}/sign-off/").status_code == 201
    moved = _transition(karim, project, "start_evaluation")
    assert moved.status_code == 200, moved.content
    assert moved.json()["stage"] == Stage.EVALUATION


def test_a_reader_cannot_sign_off(world, client_for, make_project):
    project = make_project()
    response = client_for(world.constantine_reader).post(f"/api/v1/projects/{project.pk}/sign-off/")
    assert response.status_code == 403
    assert not SignOff.objects.exists()


def test_signing_off_a_project_outside_the_scope_is_not_found(world, client_for, make_project):
    olive = make_project(world.bethlehem_partnership)
    response = client_for(world.constantine_editor).post(f"/api/v1/projects/{olive.pk}/sign-off/")
    assert response.status_code == 404


# --- checklist and timeline ------------------------------------------------------------------


def test_the_checklist_lists_each_gate_condition_met_or_not(world, client_for, make_project):
    project = make_project()
    karim = client_for(world.constantine_editor)
    _transition(karim, project, "start_diagnosis")

    response = karim.get(f"/api/v1/projects/{project.pk}/checklist/")

    assert response.status_code == 200
    rows = {row["transition"]: row for row in response.json()}
    assert set(rows) == {"submit_for_decision", "suspend"}
    submit = rows["submit_for_decision"]
    assert submit["target"] == Stage.DECISION
    assert submit["is_possible"] is False
    conditions = {c["check"]: c for c in submit["conditions"]}
    assert set(conditions) == {
        "diagnosis_shared",
        "impact_dimensions_addressed",
        "negative_impacts_answered",
        "alternatives_assessed",
        "sustainability_assessed",
        "cross_cutting_involvement",
        "themes_tagged",
    }
    assert conditions["themes_tagged"]["clauses"] == ["PRJ-15"]
    assert conditions["themes_tagged"]["met"] is False
    assert conditions["cross_cutting_involvement"]["clauses"] == ["PRJ-13"]
    assert len(conditions["cross_cutting_involvement"]["reasons"]) == 2

    karim.patch(
        f"/api/v1/projects/{project.pk}/",
        {
            "services": [world.service.pk],
            "elected_officials": [world.elected_official.pk],
            "revision": project.revision,
        },
        format="json",
    )
    rows = {
        r["transition"]: r for r in karim.get(f"/api/v1/projects/{project.pk}/checklist/").json()
    }
    conditions = {c["check"]: c for c in rows["submit_for_decision"]["conditions"]}
    assert conditions["cross_cutting_involvement"] == {
        "check": "cross_cutting_involvement",
        "label": "services et élus de la collectivité impliqués",
        "clauses": ["PRJ-13"],
        "met": True,
        "reasons": [],
        "is_planned": False,
        "evidence_url": f"/diagnostic/{project.pk}/transversalite/",
    }


def test_the_checklist_shows_a_met_gate_as_possible(world, client_for, make_project):
    project = make_project()
    rows = client_for(world.constantine_reader).get(f"/api/v1/projects/{project.pk}/checklist/")
    start = next(r for r in rows.json() if r["transition"] == "start_diagnosis")
    assert start["is_possible"] is True
    assert start["conditions"] == [
        {
            "check": "partners_named",
            "label": "partenaires co-maîtres d'ouvrage désignés",
            "clauses": ["PRI-1"],
            "met": True,
            "reasons": [],
            "is_planned": False,
            "evidence_url": f"/projets/{project.pk}/#partners-title",
        }
    ]


def test_the_checklist_of_a_suspended_project_says_so(world, client_for, make_project):
    project = make_project()
    alice = client_for(world.officer)
    _transition(alice, project, "suspend", reason="Pause")
    rows = {
        r["transition"]: r for r in alice.get(f"/api/v1/projects/{project.pk}/checklist/").json()
    }
    assert set(rows) == {"start_diagnosis", "resume"}
    assert rows["resume"]["is_possible"] is True
    start = rows["start_diagnosis"]
    assert start["is_possible"] is False
    assert start["conditions"][0]["check"] == "suspended"
    assert start["conditions"][0]["met"] is False


def test_the_timeline_tells_who_did_what_and_why_newest_first(world, client_for, make_project):
    project = make_project()
    karim = client_for(world.constantine_editor)
    _transition(karim, project, "suspend", reason="Saison des pluies")

    response = client_for(world.constantine_reader).get(f"/api/v1/projects/{project.pk}/timeline/")

    assert response.status_code == 200
    events = response.json()["results"]
    assert [e["action"] for e in events] == ["projects.project.suspend", "projects.project.created"]
    assert events[0]["actor"]["username"] == "karim"
    assert events[0]["reason"] == "Saison des pluies"
    assert events[0]["before"] == {"stage": "IDEA", "is_suspended": False}
    after = events[0]["after"]
    assert {k: after[k] for k in ("stage", "is_suspended")} == {
        "stage": "IDEA",
        "is_suspended": True,
    }
    # The charter version in force is on the record (suspension has no gate conditions here).
    assert after["charter"]["charter"] == "isere"
    assert after["charter"]["version"]
    assert after["conditions"] == []
