"""Who may see and change partnerships, agreements and programmes.

A grant on an organisation reaches every partnership it hosts or is partner in; a grant on a
partnership reaches it; a grant on one project lets its holder see that project's partnership.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from reciproca.accounts.policies import (
    can_edit_with,
    grant_scopes,
    host_role_organisation,
    is_authenticated,
    roles_on,
)
from reciproca.partnerships.models import Organisation, Partnership


def _partnership_grants(user: Any) -> Q:
    """A role on the partnership itself or on one of its two organisations."""
    scopes = grant_scopes(user)
    return (
        Q(host_id__in=scopes["organisations"])
        | Q(partner_id__in=scopes["organisations"])
        | Q(pk__in=scopes["partnerships"])
    )


def partnerships_visible_to(user: Any) -> QuerySet[Partnership]:
    """The partnerships the user may see: those it holds a role on (itself or through its
    organisations) and those of the projects it holds a role on (named on their pages)."""
    if not is_authenticated(user):
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    from reciproca.accounts.models import RoleGrant

    project_partnerships = RoleGrant.objects.filter(user_id=user.pk, project__isnull=False).values(
        "project__partnership_id"
    )
    return Partnership.objects.filter(_partnership_grants(user) | Q(pk__in=project_partnerships))


def partnerships_with_records_for(user: Any) -> QuerySet[Partnership]:
    """The partnerships whose records (agreements, programmes, ledger, documents, history) the
    user may read: `can_read_partnership_records` as a queryset, for lists."""
    if not is_authenticated(user):
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(_partnership_grants(user))


def partnerships_listed_for(user: Any) -> QuerySet[Partnership]:
    """`partnerships_visible_to` for lists and counts: the host authority's own staff see
    every partnership the host runs, without a subquery over the grants. Never wider."""
    if is_authenticated(user) and not user.is_superuser:
        host = host_role_organisation(user)
        if host is not None:
            return Partnership.objects.filter(host_id=host)
    return partnerships_visible_to(user)


def roles_on_partnership(user: Any, partnership: Partnership) -> frozenset[str]:
    return roles_on(
        user,
        organisation_ids=(partnership.host_id, partnership.partner_id),
        partnership_id=partnership.pk,
    )


def can_view_partnership(user: Any, partnership: Partnership) -> bool:
    return partnerships_visible_to(user).filter(pk=partnership.pk).exists()


def can_read_partnership_records(user: Any, partnership: Partnership) -> bool:
    """Its agreements, programmes, documents and history: for who holds a role on the
    partnership or its organisations — not for who sees it only through one project (an
    evaluator of one project sees that project, not the partnership's records)."""
    if not is_authenticated(user):
        return False
    return bool(user.is_superuser or roles_on_partnership(user, partnership))


def can_edit_partnership(user: Any, partnership: Partnership) -> bool:
    return can_edit_with(roles_on_partnership(user, partnership))


def get_partnership_for(user: Any, pk: int | str) -> Partnership:
    """The partnership if the user may see it, else 404 (never 403: existence is not leaked)."""
    try:
        return (
            partnerships_visible_to(user)
            .select_related("host", "partner", "territory__country", "successor")
            .get(pk=pk)
        )
    except (Partnership.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    """Organisations are a shared directory: any signed-in user may read it."""
    if not is_authenticated(user):
        return Organisation.objects.none()
    return Organisation.objects.all()


def can_manage_organisations(user: Any) -> bool:
    if not is_authenticated(user):
        return False
    if user.is_superuser:
        return True
    from reciproca.accounts.models import Role, RoleGrant

    return RoleGrant.objects.filter(
        user_id=user.pk,
        role__in=[Role.ADMIN, Role.OFFICER],
        organisation__is_host=True,
    ).exists()
