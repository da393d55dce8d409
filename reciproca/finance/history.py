"""The history page of a project's budget and funding plan (core/history.py): budget lines,
the plan, its sources and their status, in-kind contributions, read by whoever may see the
project's money (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from reciproca.core import history
from reciproca.finance.models import BudgetCategory
from reciproca.projects.policies import get_project_for

BUDGET_ACTIONS = ("finance.budget.", "finance.plan.", "finance.source.", "finance.in_kind.")


def budget_history(user: Any, pk: str) -> history.Target:
    """`pk` is the project's: its budget and funding plan."""
    project = get_project_for(user, pk)
    actions = Q()
    for prefix in BUDGET_ACTIONS:
        actions |= Q(action__startswith=prefix)
    actions |= Q(action__in=["finance.sponsorship.recorded", "finance.staff_time.recorded"])
    return history.Target(
        title=str(project),
        kind_label=_("budget et plan de financement"),
        url=reverse("finance:project", args=[project.pk]),
        events=history.events_about(project).filter(actions),
    )


def register() -> None:
    history.register_field_labels(
        {
            "category": _l("catégorie"),
            "rates_date": _l("date des taux"),
            "notes": _l("notes"),
            "call": _l("appel"),
        }
    )
    history.register("budget", budget_history)
    history.register_value_labels({"category": BudgetCategory})
