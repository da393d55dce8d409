"""Who may see, edit, move, decide and sign off a project.

Equality (PRI-1): a partner authority's editor has the same rights on the shared project as
the host authority's officer; a reader or an elected official reads; nobody sees a project outside
the partnerships and projects they hold a role on.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from reciproca.accounts.models import EDITING_ROLES, Role, RoleGrant
from reciproca.accounts.policies import (
    can_edit_with,
    grant_scopes,
    host_role_organisation,
    is_authenticated,
    roles_on,
)
from reciproca.partnerships.models import Partnership
from reciproca.partnerships.policies import can_edit_partnership
from reciproca.projects.models import Project, ProjectPartner


def projects_visible_to(user: Any) -> QuerySet[Project]:
    if not is_authenticated(user):
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    scopes = grant_scopes(user)
    return Project.objects.filter(
        Q(partnership__host_id__in=scopes["organisations"])
        | Q(partnership__partner_id__in=scopes["organisations"])
        | Q(partnership_id__in=scopes["partnerships"])
        | Q(pk__in=scopes["projects"])
    )


def projects_listed_for(user: Any) -> QuerySet[Project]:
    """`projects_visible_to` for the lists and counts that cover many projects. The host
    authority's own staff see every project of the host's partnerships (their grant on the
    host is the first case above), so theirs filter on the host alone, without a subquery over
    the grants; everyone else's are `projects_visible_to`. Never wider than it."""
    if is_authenticated(user) and not user.is_superuser:
        host = host_role_organisation(user)
        if host is not None:
            return Project.objects.filter(partnership__host_id=host)
    return projects_visible_to(user)


def projects_with_role(user: Any, roles: frozenset[str] | set[str]) -> QuerySet[Project]:
    """The projects on which the user holds one of `roles` (through any enclosing scope): the
    dashboard's "to do" lists ask for the projects a user may act on, not only see."""
    if not is_authenticated(user):
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    grants = RoleGrant.objects.filter(user_id=user.pk, role__in=list(roles))
    organisations = grants.filter(organisation__isnull=False).values("organisation_id")
    return Project.objects.filter(
        Q(partnership__host_id__in=organisations)
        | Q(partnership__partner_id__in=organisations)
        | Q(partnership_id__in=grants.filter(partnership__isnull=False).values("partnership_id"))
        | Q(pk__in=grants.filter(project__isnull=False).values("project_id"))
    )


def projects_editable_by(user: Any) -> QuerySet[Project]:
    return projects_with_role(user, EDITING_ROLES)


def projects_decidable_by(user: Any) -> QuerySet[Project]:
    return projects_with_role(user, EDITING_ROLES | {Role.ELECTED})


def roles_on_project(user: Any, project: Project) -> frozenset[str]:
    partnership = project.partnership
    return roles_on(
        user,
        organisation_ids=(partnership.host_id, partnership.partner_id),
        partnership_id=project.partnership_id,
        project_id=project.pk,
    )


def can_view_project(user: Any, project: Project) -> bool:
    return bool(roles_on_project(user, project))


def can_edit_project(user: Any, project: Project) -> bool:
    return can_edit_with(roles_on_project(user, project))


def can_transition_project(user: Any, project: Project) -> bool:
    return can_edit_project(user, project)


def can_decide_project(user: Any, project: Project) -> bool:
    roles = roles_on_project(user, project)
    return can_edit_with(roles) or Role.ELECTED in roles


def can_sign_off_project(user: Any, project: Project) -> bool:
    """A user signs for their own organisation, when it co-owns the project."""
    if not can_edit_project(user, project) or not getattr(user, "organisation_id", None):
        return False
    return any(
        p.organisation_id == user.organisation_id and p.signs_off for p in project.partners.all()
    )


def can_create_project_in(user: Any, partnership: Partnership) -> bool:
    return bool(can_edit_partnership(user, partnership))


def partnerships_open_to_new_projects(user: Any) -> QuerySet[Partnership]:
    """The partnerships in which the user may register a project."""
    if not is_authenticated(user):
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    editing = RoleGrant.objects.filter(
        user_id=user.pk, role__in=[Role.ADMIN, Role.OFFICER, Role.PARTNER_EDITOR]
    )
    return Partnership.objects.filter(
        Q(host_id__in=editing.filter(organisation__isnull=False).values("organisation_id"))
        | Q(partner_id__in=editing.filter(organisation__isnull=False).values("organisation_id"))
        | Q(pk__in=editing.filter(partnership__isnull=False).values("partnership_id"))
    )


def get_project_for(user: Any, pk: int | str) -> Project:
    """The project if the user may see it, else 404 (never 403: existence is not leaked)."""
    try:
        return (
            projects_visible_to(user)
            .select_related("partnership__host", "partnership__partner", "programme")
            .get(pk=pk)
        )
    except (Project.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def signing_partners(project: Project) -> list[ProjectPartner]:
    return [p for p in project.partners.all() if p.signs_off]
