"""The results part of the demo: a project in implementation with a validated evaluation plan
and reported periods, and one evaluated and closed through the workflow."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from reciproca.core.models import AuditEvent
from reciproca.projects.models import Project, Stage
from reciproca.projects.workflow import TRANSITIONS
from reciproca.results.models import Report


@pytest.mark.charter("PRJ-5")
@pytest.mark.charter("PRJ-1")
@pytest.mark.charter("PRE-5")
@pytest.mark.charter("PRJ-8")
def test_sevan_enters_implementation_through_the_workflow_every_condition_met(demo_db):
    project = Project.objects.get(title__startswith="Tourisme rural durable")
    assert project.stage == Stage.IMPLEMENTATION
    # Never placed: every move is the transition service's, recorded in the audit trail.
    events = AuditEvent.objects.filter(
        subject_type=ContentType.objects.get_for_model(Project), subject_id=project.pk
    )
    assert not events.filter(action="demo.project.placed").exists()
    transitions = [f"projects.project.{name}" for name in TRANSITIONS] + [
        "projects.project.decided"
    ]
    moves = list(
        events.filter(action__in=transitions).order_by("pk").values_list("action", flat=True)
    )
    assert moves == [
        "projects.project.start_diagnosis",
        "projects.project.submit_for_decision",
        "projects.project.decided",
        "projects.project.start_implementation",
    ]
    event = events.get(action="projects.project.start_implementation")
    assert event.before["stage"] == Stage.ELABORATION
    assert event.after["stage"] == Stage.IMPLEMENTATION
    recorded = {c["check"]: c for c in event.after["conditions"]}
    assert set(recorded) == {
        "evaluation_plan_validated",
        "results_framework_defined",
        "funding_plan_complete",
        "agreement_in_force",
        "programme_set",
        "stage_signed_by_all_partners",
    }
    assert all(c["met"] and not c["reasons"] for c in recorded.values()), recorded
    # Every gate the project passed was met when it passed it.
    for passed in events.filter(
        action__in=[
            "projects.project.start_diagnosis",
            "projects.project.submit_for_decision",
            "projects.project.decided",
        ]
    ):
        assert all(c["met"] for c in passed.after["conditions"]), passed.action


@pytest.mark.charter("PRJ-5")
def test_a_project_in_implementation_has_its_validated_plan_and_reported_periods(demo_db):
    project = Project.objects.get(title__startswith="Tourisme rural durable")
    assert project.stage == Stage.IMPLEMENTATION
    states = set(
        Report.objects.filter(period__framework__project=project).values_list("state", flat=True)
    )
    assert {Report.State.APPROVED, Report.State.SUBMITTED} <= states


@pytest.mark.charter("PRJ-8")
def test_a_project_is_evaluated_and_closed_through_the_workflow(demo_db):
    project = Project.objects.get(title__startswith="Irrigantes")
    assert project.stage == Stage.CLOSED
    assert project.results_framework.evaluations.filter(completed_on__isnull=False).exists()


def test_a_placed_project_says_why_on_its_page_and_sevan_has_nothing_to_explain(demo_db, client):
    from reciproca.accounts.models import User

    client.force_login(User.objects.get(username="marie.dupont"))
    irrigation = Project.objects.get(title__startswith="Économies d'eau d'irrigation")
    page = client.get(f"/projets/{irrigation.pk}/").content.decode()
    assert 'data-testid="placement"' in page
    assert "les étapes précédentes de ce projet ont eu lieu avant la plateforme" in page
    maternal = Project.objects.get(title__startswith="Santé maternelle")
    assert 'data-testid="placement"' in client.get(f"/projets/{maternal.pk}/").content.decode()
    sevan = Project.objects.get(title__startswith="Tourisme rural durable")
    assert 'data-testid="placement"' not in client.get(f"/projets/{sevan.pk}/").content.decode()
