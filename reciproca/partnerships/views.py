"""Partnership pages: the list of partnerships and one partnership's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from reciproca.core.templatetags.reciproca import register_action_labels
from reciproca.core.uploads import serve_document
from reciproca.partnerships import pages, policies, queries
from reciproca.partnerships.models import Agreement, Partnership
from reciproca.partnerships.rules import agreement_warning_days

register_action_labels(
    {
        "partnerships.organisation.created": _("a ajouté l'organisation"),
        "partnerships.agreement.created": _("a enregistré une convention"),
        "partnerships.programme.created": _("a créé un programme"),
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


@login_required
@require_GET
def partnership_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partnerships/partnership_list.html",
        # The rows carry their project counts, registered by the projects app (pages.py).
        {"partnerships": pages.list_rows(request.user)},
    )


@login_required
@require_GET
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = policies.get_partnership_for(request.user, pk)
    context = queries.partnership_detail_context(partnership, request.user)
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
    """The signed agreement, to who may see its partnership (404 otherwise: no leak)."""
    agreement = get_object_or_404(
        Agreement.objects.filter(partnership__in=policies.partnerships_visible_to(request.user)),
        pk=pk,
    )
    return serve_document(agreement.document, f"convention-{agreement.pk}.pdf")
