"""The history pages of a project's results framework and of one indicator
(core/history.py), read by whoever may see the project (404 otherwise): the framework, the
evaluation plan, their validations, the reported values, reviews and evaluations; an
indicator's page keeps the events that name it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from reciproca.core import history
from reciproca.projects.policies import get_project_for
from reciproca.results.models import Criterion, Indicator, Level, Report, Timing
from reciproca.results.policies import indicators_visible_to


def framework_history(user: Any, pk: str) -> history.Target:
    """`pk` is the project's: a project has one results framework."""
    project = get_project_for(user, pk)
    return history.Target(
        title=str(project),
        kind_label=_("cadre de résultats"),
        url=reverse("results:page", args=[project.pk]),
        events=history.events_about(project).filter(action__startswith="results."),
    )


def indicator_history(user: Any, pk: str) -> history.Target:
    try:
        indicator = (
            indicators_visible_to(user).select_related("node__framework__project").get(pk=int(pk))
        )
    except (Indicator.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    project = indicator.node.framework.project
    named = Q(after__indicator=indicator.title) | Q(before__indicator=indicator.title)
    added = Q(action="results.indicator.added", after__title=indicator.title)
    return history.Target(
        title=indicator.title,
        kind_label=_("indicateur"),
        url=reverse("results:page", args=[project.pk]) + f"#indicateur-{indicator.pk}",
        events=history.events_about(project)
        .filter(action__startswith="results.")
        .filter(named | added),
    )


def register() -> None:
    history.register_field_labels(
        {
            "indicator": _l("indicateur"),
            "period": _l("période"),
            "target": _l("cible"),
            "revision": _l("révision"),
            "aggregation": _l("valeurs saisies"),
            "scale": _l("échelle"),
            "level": _l("niveau"),
            "parent": _l("rattaché à"),
            "led_by": _l("conduite par"),
            "timings": _l("moments de l'évaluation"),
            "participants": _l("participants"),
            "cost": _l("coût"),
            "criterion": _l("critère"),
            "state": _l("état"),
            "development_plan": _l("plan de développement du partenaire"),
        }
    )
    history.register("resultats", framework_history)
    history.register("indicateur", indicator_history)
    history.register_value_labels(
        {
            "kind": Indicator.Kind,
            "aggregation": Indicator.Aggregation,
            "level": Level,
            "criterion": Criterion,
            "timing": Timing,
            "state": Report.State,
        }
    )
