"""Partnership pages: the list of partnerships and one partnership's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from reciproca.accounts import services as account_services
from reciproca.accounts.models import Invitation, RoleGrant
from reciproca.core.exceptions import DomainError
from reciproca.core.templatetags.reciproca import register_action_labels
from reciproca.core.uploads import serve_document
from reciproca.partnerships import pages, policies, queries
from reciproca.partnerships.forms import InviteForm, RevokeForm
from reciproca.partnerships.models import Agreement, Partnership
from reciproca.partnerships.rules import agreement_warning_days

register_action_labels(
    {
        "partnerships.organisation.created": _("a ajouté l'organisation"),
        "partnerships.agreement.created": _("a enregistré une convention"),
        "partnerships.programme.created": _("a créé un programme"),
        "accounts.role.granted": _("a accordé un rôle"),
        "accounts.role.revoked": _("a retiré un rôle"),
        "accounts.invitation.sent": _("a envoyé une invitation"),
        "accounts.invitation.accepted": _("a accepté une invitation"),
    }
)


@dataclass(frozen=True)
class AgreementRow:
    agreement: Agreement
    status: str  # "in_force", "expiring", "expired", "future"
    days_left: int | None


def _agreement_rows(agreements: list[Agreement], today: date) -> list[AgreementRow]:
    warning = agreement_warning_days()
    rows = []
    for agreement in agreements:
        days_left = (agreement.valid_until - today).days if agreement.valid_until else None
        if agreement.valid_from > today:
            status = "future"
        elif days_left is not None and days_left < 0:
            status = "expired"
        elif days_left is not None and days_left <= warning:
            status = "expiring"
        else:
            status = "in_force"
        rows.append(AgreementRow(agreement=agreement, status=status, days_left=days_left))
    return rows


@dataclass(frozen=True)
class HistoryRow:
    record: Any
    kind: str
    changes: list[tuple[str, Any, Any]]


def _history_rows(records: list[Any]) -> list[HistoryRow]:
    """Each historical row with what it changed compared with the row before it (in memory)."""
    kinds = {"+": _("création"), "~": _("modification"), "-": _("suppression")}
    rows = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changes: list[tuple[str, Any, Any]] = []
        if older is not None and record.history_type == "~":
            for change in record.diff_against(older).changes:
                field = Partnership._meta.get_field(change.field)
                label = str(getattr(field, "verbose_name", change.field))
                if field.is_relation:
                    changes.append((label, None, None))
                else:
                    changes.append((label, change.old, change.new))
        rows.append(
            HistoryRow(record=record, kind=str(kinds.get(record.history_type, "")), changes=changes)
        )
    return rows


LIST_PAGE_SIZE = 50


@login_required
@require_GET
def partnership_list(request: HttpRequest) -> HttpResponse:
    # The rows carry their project counts, registered by the projects app (pages.py); a page
    # holds LIST_PAGE_SIZE of them, whatever the portfolio's size.
    page = Paginator(pages.list_rows(request.user), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "partnerships/partnership_list.html",
        {"page": page, "partnerships": list(page.object_list)},
    )


@login_required
@require_GET
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = policies.get_partnership_for(request.user, pk)
    context = queries.partnership_detail_context(partnership, request.user)
    context["can_manage_access"] = account_services.can_manage_access(
        request.user, partnership=partnership
    )
    # Its projects and "Nouveau projet", registered by the projects app (pages.py).
    context |= pages.detail_context(request.user, partnership)
    today = timezone.localdate()
    context.update(
        {
            "partnership": partnership,
            "agreement_rows": _agreement_rows(context["agreements"], today),
            "history_rows": _history_rows(context["history"]),
            "warning_days": agreement_warning_days(),
        }
    )
    return render(request, "partnerships/partnership_detail.html", context)


@login_required
@require_GET
def agreement_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The signed agreement, to who may read its partnership's records (404 otherwise)."""
    agreement = get_object_or_404(
        Agreement.objects.filter(partnership__in=policies.partnerships_visible_to(request.user)),
        pk=pk,
    )
    if not policies.can_read_partnership_records(request.user, agreement.partnership):
        raise Http404
    return serve_document(agreement.document, f"convention-{agreement.pk}.pdf")


@login_required
def partnership_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Who holds which role on the partnership; invite a person, take a role back. Only who
    manages access here sees it (404 otherwise); every write goes through accounts.services."""
    partnership = policies.get_partnership_for(request.user, pk)
    if not account_services.can_manage_access(request.user, partnership=partnership):
        raise Http404
    invite_form = InviteForm(
        request.POST if request.POST.get("action") == "invite" else None, partnership=partnership
    )
    revoke_form = RevokeForm(request.POST if request.POST.get("action") == "revoke" else None)
    if request.method == "POST":
        try:
            if invite_form.is_bound and invite_form.is_valid():
                data = invite_form.cleaned_data
                account_services.invite(
                    by=request.user, email=data["email"], organisation=data["organisation"],
                    role=data["role"], language=data["language"], partnership=partnership,
                )  # fmt: skip
                messages.success(
                    request, _("Invitation envoyée à %(email)s.") % {"email": data["email"]}
                )
                return redirect("partnerships:access", pk=partnership.pk)
            if revoke_form.is_bound and revoke_form.is_valid():
                grant = get_object_or_404(
                    RoleGrant.objects.filter(partnership=partnership),
                    pk=revoke_form.cleaned_data["grant"],
                )
                account_services.revoke_role(
                    by=request.user, grant=grant, reason=revoke_form.cleaned_data["reason"]
                )
                messages.success(request, _("Le rôle est retiré."))
                return redirect("partnerships:access", pk=partnership.pk)
        except DomainError as error:
            target = invite_form if invite_form.is_bound else revoke_form
            for reason in error.reasons:
                target.add_error(None, reason)
    grants = (
        RoleGrant.objects.filter(partnership=partnership)
        .select_related("user__organisation")
        .order_by("user__last_name", "user__username", "role")
    )
    pending = Invitation.objects.filter(
        partnership=partnership, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("organisation")
    return render(
        request,
        "partnerships/partnership_access.html",
        {
            "partnership": partnership, "grants": grants, "pending": pending,
            "invite_form": invite_form, "revoke_form": revoke_form,
            "invitation_days": account_services.invitation_days(),
        },
    )  # fmt: skip
