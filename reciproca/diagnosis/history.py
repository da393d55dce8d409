"""The history page of a project's shared diagnosis (core/history.py): the diagnosis events
of the project (needs, matrix, responses, alternatives, grid, sign-offs and their withdrawal,
versions), read by whoever may see the project (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from reciproca.core import history
from reciproca.projects.policies import get_project_for


def diagnosis_history(user: Any, pk: str) -> history.Target:
    """`pk` is the project's: a project has one diagnosis."""
    project = get_project_for(user, pk)
    return history.Target(
        title=str(project),
        kind_label=_("diagnostic partagé"),
        url=reverse("diagnosis:overview", args=[project.pk]),
        events=history.events_about(project).filter(action__startswith="diagnosis."),
    )


def register() -> None:
    history.register_field_labels(
        {
            "cell": _l("case"),
            "side": _l("territoire"),
            "need": _l("besoin"),
            "alternative": _l("alternative"),
            "criterion": _l("critère"),
            "score": _l("note"),
            "justification": _l("justification"),
            "due_date": _l("échéance"),
            "is_do_nothing": _l("option « ne rien faire »"),
            "population_concerned": _l("population concernée"),
            "evidence": _l("éléments probants"),
        }
    )
    history.register("diagnostic", diagnosis_history)
