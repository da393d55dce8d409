"""Reads on projects: scoped lists with their joins, the dashboard, the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from reciproca.core.models import AuditEvent, events_for
from reciproca.partnerships.models import Partnership
from reciproca.partnerships.queries import partnership_list
from reciproca.projects.models import Project, ProjectPartner, SignOff, Stage
from reciproca.projects.policies import projects_visible_to


def project_list(user: Any) -> QuerySet[Project]:
    return (
        projects_visible_to(user)
        .select_related("partnership__partner", "partnership__territory", "programme")
        .prefetch_related(
            Prefetch("partners", queryset=ProjectPartner.objects.select_related("organisation")),
            "themes",
        )
        .order_by("-updated_at", "-id")
    )


def project_detail(project: Project) -> Project:
    """Prefetch what the project page shows, in a fixed number of queries."""
    return (
        Project.objects.filter(pk=project.pk)
        .select_related(
            "partnership__host",
            "partnership__partner",
            "partnership__territory",
            "programme",
            "redesigned_from",
        )
        .prefetch_related(
            Prefetch("partners", queryset=ProjectPartner.objects.select_related("organisation")),
            "themes",
            "sdg_targets",
            "purpose_codes",
            "locations",
            "services",
            "elected_officials",
            "markers__marker",
            "markers__significance",
            "decisions__decided_by",
            "decisions__new_project",
            "redesigns",
            Prefetch(
                "signoffs",
                queryset=SignOff.objects.select_related("organisation", "signed_by"),
            ),
        )
        .get()
    )


def stage_counts(user: Any) -> list[tuple[Stage, int]]:
    # order_by() clears Project's default ordering, which would otherwise join the GROUP BY
    # and count every project as its own group.
    counts = dict(
        projects_visible_to(user)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return [(stage, counts.get(stage.value, 0)) for stage in Stage]


def upcoming_project_ends(user: Any, *, within_days: int = 90) -> QuerySet[Project]:
    today = timezone.localdate()
    return (
        projects_visible_to(user)
        .filter(end_date__gte=today, end_date__lte=today + timedelta(days=within_days))
        .exclude(stage=Stage.CLOSED)
        .select_related("partnership__partner")
        .order_by("end_date")
    )


def timeline(project: Project) -> QuerySet[AuditEvent]:
    return events_for(project)


@dataclass(frozen=True)
class Activity:
    event: AuditEvent
    project: Project


def recent_activity(user: Any, *, limit: int = 10) -> list[Activity]:
    """The latest audit events on projects the user can see, newest first, with their project.

    A fixed number of queries: the events with their actors, then their projects in one go.
    """
    from django.contrib.contenttypes.models import ContentType

    events = list(
        AuditEvent.objects.filter(
            subject_type=ContentType.objects.get_for_model(Project),
            subject_id__in=projects_visible_to(user).values("pk"),
        )
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    projects = Project.objects.in_bulk({event.subject_id for event in events})
    return [
        Activity(event=event, project=projects[event.subject_id])
        for event in events
        if event.subject_id in projects
    ]


def partnerships_with_project_counts(user: Any) -> QuerySet[Partnership]:
    """The partnership list, each row with the number of its projects the user may see."""
    visible = projects_visible_to(user).values("pk")
    return partnership_list(user).annotate(
        project_count=Count("projects", filter=Q(projects__pk__in=visible))
    )


def projects_of_partnership(user: Any, partnership: Partnership) -> list[Project]:
    return list(
        projects_visible_to(user)
        .filter(partnership=partnership)
        .select_related("programme")
        .order_by("-updated_at")
    )
