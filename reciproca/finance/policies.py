"""Who may see and write a project's money, a partnership's ledger, rates and declarations.

Equality (PRI-1): a partner authority's editor has the same rights on a shared project's budget,
funding plan and in-kind contributions as the host's officer, and on the partnership's
reciprocity ledger and partner revenue. Exchange rates and the yearly ODA declaration are the
host authority's own business: its officers and administrators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from reciproca.accounts.models import Role, RoleGrant
from reciproca.accounts.policies import is_authenticated
from reciproca.core.exceptions import PermissionDenied
from reciproca.finance.models import TransactionDocument
from reciproca.partnerships.models import Partnership
from reciproca.partnerships.policies import (
    can_edit_partnership,
    can_read_partnership_records,
    can_view_partnership,
    get_partnership_for,
    partnerships_with_records_for,
)
from reciproca.projects.models import Project
from reciproca.projects.policies import can_edit_project, can_view_project, projects_visible_to


def can_view_finance(user: Any, project: Project) -> bool:
    return can_view_project(user, project)


def can_edit_finance(user: Any, project: Project) -> bool:
    return can_edit_project(user, project)


def require_edit_finance(user: Any, project: Project) -> None:
    """Refuse who may not write the project's money (services, and the API before it reads a
    request's body)."""
    if not can_edit_finance(user, project):
        raise PermissionDenied(_("Vous ne pouvez pas modifier les finances de ce projet."))


def can_view_ledger(user: Any, partnership: Partnership) -> bool:
    """The ledger and the partner's revenue are partnership records: not for who sees the
    partnership through one project only (an evaluator of that project)."""
    return can_view_partnership(user, partnership) and can_read_partnership_records(
        user, partnership
    )


def get_ledger_partnership_for(user: Any, pk: int | str) -> Partnership:
    """The partnership whose ledger the user may read, else 404 (existence is not leaked)."""
    partnership = get_partnership_for(user, pk)
    if not can_view_ledger(user, partnership):
        raise Http404
    return partnership


def can_edit_ledger(user: Any, partnership: Partnership) -> bool:
    return can_edit_partnership(user, partnership)


def is_host_officer(user: Any) -> bool:
    """An officer or administrator of the host authority (rates, the e-APD declaration)."""
    if not is_authenticated(user):
        return False
    if user.is_superuser:
        return True
    return RoleGrant.objects.filter(
        user_id=user.pk, role__in=[Role.ADMIN, Role.OFFICER], organisation__is_host=True
    ).exists()


def can_manage_rates(user: Any) -> bool:
    return is_host_officer(user)


def can_declare(user: Any) -> bool:
    return is_host_officer(user)


def declarable_projects(user: Any) -> QuerySet[Project]:
    """The projects a declaration by this user covers: those it may see, if it may declare."""
    if not can_declare(user):
        return Project.objects.none()
    return projects_visible_to(user)


def ledger_partnerships(user: Any) -> QuerySet[Partnership]:
    """The reciprocity ledger is a partnership record: not for who sees one project only."""
    return partnerships_with_records_for(user)


def get_document_for(user: Any, pk: int | str) -> TransactionDocument:
    """A supporting document if the user may see its project, else 404."""
    try:
        return TransactionDocument.objects.select_related("transaction__project").get(
            pk=pk, transaction__project__in=projects_visible_to(user)
        )
    except (TransactionDocument.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
