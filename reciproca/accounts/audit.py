"""The audit log for administrators: every event of every service, filtered by actor, kind of
object, action and date, paged, and exported as CSV (the same filters)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from reciproca.accounts.models import Role, RoleGrant, User
from reciproca.core.models import AuditEvent
from reciproca.core.templatetags.reciproca import describe_action

PAGE_SIZE = 100


def can_read_audit_log(user: Any) -> bool:
    """A superuser, or an administrator of the host authority."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return RoleGrant.objects.filter(
        user_id=user.pk, role=Role.ADMIN, organisation__is_host=True
    ).exists()


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Auteur"), queryset=User.objects.none(), required=False)
    subject_type = forms.ModelChoiceField(
        label=_("Objet"), queryset=ContentType.objects.none(), required=False
    )
    action = forms.CharField(label=_("Action (début du code)"), max_length=100, required=False)
    since = forms.DateField(
        label=_("Depuis le"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = self.fields["actor"]
        subject_type = self.fields["subject_type"]
        assert isinstance(actor, forms.ModelChoiceField)
        assert isinstance(subject_type, forms.ModelChoiceField)
        actor.queryset = User.objects.filter(pk__in=AuditEvent.objects.values("actor_id")).order_by(
            "username"
        )
        subject_type.queryset = ContentType.objects.filter(
            pk__in=AuditEvent.objects.values("subject_type_id")
        ).order_by("app_label", "model")

    def events(self) -> QuerySet[AuditEvent]:
        events = AuditEvent.objects.select_related("actor", "subject_type").order_by("-at", "-id")
        if not self.is_valid():
            return events.none()
        data = self.cleaned_data
        if data["actor"]:
            events = events.filter(actor=data["actor"])
        if data["subject_type"]:
            events = events.filter(subject_type=data["subject_type"])
        if data["action"]:
            events = events.filter(action__startswith=data["action"])
        tz = timezone.get_current_timezone()
        if data["since"]:
            events = events.filter(at__gte=datetime.combine(data["since"], time.min, tz))
        if data["until"]:
            events = events.filter(at__lte=datetime.combine(data["until"], time.max, tz))
        return events


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponseBase:
    if not can_read_audit_log(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or {})
    events = form.events()
    if request.GET.get("format") == "csv":
        return _csv(events)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(events: QuerySet[AuditEvent]) -> StreamingHttpResponse:
    def rows() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(
            ["at", "actor", "action", "label", "subject_type", "subject_id", "reason", "before",
             "after"]
        )  # fmt: skip
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    event.at.isoformat(), event.actor.username if event.actor else "",
                    event.action, describe_action(event.action),
                    f"{event.subject_type.app_label}.{event.subject_type.model}",
                    event.subject_id, event.reason,
                    json.dumps(event.before, ensure_ascii=False),
                    json.dumps(event.after, ensure_ascii=False),
                ]
            )  # fmt: skip

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="journal-{date.today().isoformat()}.csv"'
    )
    return response
