"""The history pages of a partnership and of its access (role grants and invitations)
(core/history.py). The partnership's history is read by whoever may see the partnership;
its access — who was given or lost which role — only by whoever manages access there, as on
the "Accès et invitations" page (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from reciproca.accounts import services as account_services
from reciproca.accounts.models import Role
from reciproca.core import history
from reciproca.partnerships.policies import can_read_partnership_records, get_partnership_for

ACCESS = "accounts."


def partnership_history(user: Any, pk: str) -> history.Target:
    partnership = get_partnership_for(user, pk)
    if not can_read_partnership_records(user, partnership):
        raise Http404  # its history is a record: not for a grant on one of its projects
    return history.Target(
        title=str(partnership),
        kind_label=_("partenariat"),
        url=reverse("partnerships:detail", args=[partnership.pk]),
        events=history.events_about(partnership).exclude(action__startswith=ACCESS),
    )


def access_history(user: Any, pk: str) -> history.Target:
    partnership = get_partnership_for(user, pk)
    if not account_services.can_manage_access(user, partnership=partnership):
        raise Http404
    return history.Target(
        title=str(partnership),
        kind_label=_("accès et rôles"),
        url=reverse("partnerships:access", args=[partnership.pk]),
        events=history.events_about(partnership).filter(action__startswith=ACCESS),
    )


def register() -> None:
    history.register("partenariat", partnership_history)
    history.register("acces", access_history)
    history.register_value_labels({"role": Role})
