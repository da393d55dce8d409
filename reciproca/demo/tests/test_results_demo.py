"""The results part of the demo: a project in implementation with a validated evaluation plan
and reported periods, and one evaluated and closed through the workflow."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from reciproca.charter.loader import load_charter
from reciproca.projects import workflow
from reciproca.projects.models import Project, Stage
from reciproca.results.models import Report


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        call_command("load_reference", verbosity=0, stdout=io.StringIO())
        load_charter(path=settings.RECIPROCA_CHARTER_FILE)
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.charter("PRJ-5")
def test_a_project_in_implementation_has_its_validated_plan_and_reported_periods(_demo_loaded, db):
    project = Project.objects.get(title__startswith="Tourisme rural durable")
    assert project.stage == Stage.IMPLEMENTATION
    # The project is past elaboration; its two results conditions hold on their own data.
    Project.objects.filter(pk=project.pk).update(stage=Stage.ELABORATION)
    project.refresh_from_db()
    checks = {u.check for u in workflow.unmet_conditions(project, "start_implementation")}
    assert "evaluation_plan_validated" not in checks
    assert "results_framework_defined" not in checks
    states = set(
        Report.objects.filter(period__framework__project=project).values_list("state", flat=True)
    )
    assert {Report.State.APPROVED, Report.State.SUBMITTED} <= states


@pytest.mark.charter("PRJ-8")
def test_a_project_is_evaluated_and_closed_through_the_workflow(_demo_loaded, db):
    project = Project.objects.get(title__startswith="Irrigantes")
    assert project.stage == Stage.CLOSED
    assert project.results_framework.evaluations.filter(completed_on__isnull=False).exists()
