"""The history pages of a project and of its decisions (core/history.py): the events whose
subject is the project, read by whoever may see the project (`get_project_for`, else 404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from reciproca.core import history
from reciproca.projects.models import Decision, Stage
from reciproca.projects.policies import get_project_for


def project_history(user: Any, pk: str) -> history.Target:
    project = get_project_for(user, pk)
    return history.Target(
        title=str(project),
        kind_label=_("projet"),
        url=reverse("projects:detail", args=[project.pk]),
        events=history.events_about(project),
    )


def decision_history(user: Any, pk: str) -> history.Target:
    try:
        decision = Decision.objects.select_related("project").get(pk=int(pk))
    except (Decision.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    project = get_project_for(user, decision.project_id)
    return history.Target(
        title=str(project),
        kind_label=_("décision"),
        url=reverse("projects:detail", args=[project.pk]) + "#decision",
        events=history.events_about(project).filter(action="projects.project.decided"),
    )


def register() -> None:
    history.register("projet", project_history)
    history.register("decision", decision_history)
    history.register_value_labels(
        {
            "stage": Stage,
            "outcome": Decision.Outcome,
        }
    )
