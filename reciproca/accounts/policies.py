"""Who holds which role where. Every other app's policies build on these two functions."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from reciproca.accounts.models import EDITING_ROLES, Role, RoleGrant


def is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def grant_scopes(user: Any) -> dict[str, QuerySet[RoleGrant, Any]]:
    """Subqueries of the organisations, partnerships and projects the user holds a role on.

    Used inside `filter(...__in=...)`, so a scoped list stays one query without DISTINCT.
    """
    grants = RoleGrant.objects.filter(user_id=user.pk)
    return {
        "organisations": grants.filter(organisation__isnull=False).values("organisation_id"),
        "partnerships": grants.filter(partnership__isnull=False).values("partnership_id"),
        "projects": grants.filter(project__isnull=False).values("project_id"),
    }


def roles_on(
    user: Any,
    *,
    organisation_ids: tuple[int | None, ...] = (),
    partnership_id: int | None = None,
    project_id: int | None = None,
) -> frozenset[str]:
    """The roles the user holds on a scope, through a grant on any enclosing scope.

    Cached on the user object for the request, so a page asking several predicates of the same
    object costs one query.
    """
    if not is_authenticated(user):
        return frozenset()
    key = (tuple(sorted(i for i in organisation_ids if i)), partnership_id, project_id)
    cache: dict[Any, frozenset[str]] = user.__dict__.setdefault("_reciproca_roles", {})
    if key in cache:
        return cache[key]
    scope = Q(organisation_id__in=[i for i in organisation_ids if i])
    if partnership_id:
        scope |= Q(partnership_id=partnership_id)
    if project_id:
        scope |= Q(project_id=project_id)
    roles = frozenset(
        RoleGrant.objects.filter(scope, user_id=user.pk).values_list("role", flat=True)
    )
    if user.is_superuser:
        roles |= {Role.ADMIN}
    cache[key] = roles
    return roles


def host_role_organisation(user: Any) -> int | None:
    """The host authority's id when the user holds a role on the host authority itself (its
    staff), else None. Cached with the roles for the request (`forget_roles` drops it)."""
    if not is_authenticated(user):
        return None
    cache: dict[Any, Any] = user.__dict__.setdefault("_reciproca_roles", {})
    if "host" not in cache:
        cache["host"] = (
            RoleGrant.objects.filter(user_id=user.pk, organisation__is_host=True)
            .values_list("organisation_id", flat=True)
            .first()
        )
    host: int | None = cache["host"]
    return host


def can_edit_with(roles: frozenset[str]) -> bool:
    return bool(roles & EDITING_ROLES)


def forget_roles(user: Any) -> None:
    """Drop the per-request role cache (after a grant changes)."""
    user.__dict__.pop("_reciproca_roles", None)
