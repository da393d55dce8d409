"""Who may feed the index, search it and record a coordination decision.

The index holds published data (IATI, the national atlas): any signed-in user with a role may
search it. Feeding it is the host authority's administrators' and officers' work. The finder of
a project is read through the project's own scope (`get_project_for`: 404 outside it), and a
coordination decision is shared work on the project: whoever may edit the project (the host's
officer or the partner's editor, with the same rights — PRI-1) may record one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reciproca.accounts.models import Role, RoleGrant
from reciproca.accounts.policies import is_authenticated
from reciproca.pooling.models import Activity, Coordination, ImportRun
from reciproca.projects.models import Project
from reciproca.projects.policies import can_edit_project, can_view_project, projects_visible_to


def can_search_index(user: Any) -> bool:
    return is_authenticated(user) and (
        user.is_superuser or RoleGrant.objects.filter(user_id=user.pk).exists()
    )


def can_manage_index(user: Any) -> bool:
    if not is_authenticated(user):
        return False
    if user.is_superuser:
        return True
    return RoleGrant.objects.filter(
        user_id=user.pk,
        role__in=[Role.ADMIN, Role.OFFICER],
        organisation__is_host=True,
    ).exists()


def can_consult_for(user: Any, project: Project) -> bool:
    return can_view_project(user, project)


def can_record_coordination(user: Any, project: Project) -> bool:
    return can_edit_project(user, project)


def coordinations_visible_to(user: Any) -> QuerySet[Coordination]:
    return Coordination.objects.filter(project__in=projects_visible_to(user))


def runs_visible_to(user: Any) -> QuerySet[ImportRun]:
    if not can_manage_index(user):
        return ImportRun.objects.none()
    return ImportRun.objects.all()


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    """The index is other actors' published work: open to every user who may search it."""
    if not can_search_index(user):
        return Activity.objects.none()
    return Activity.objects.all()
