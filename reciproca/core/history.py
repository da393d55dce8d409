"""The history of one object: every change recorded by the services, with its date, author,
action in words, the fields changed (before → after, worded for a reader) and the reason.

Every service writes one `AuditEvent` per change (`record_event`, the write pipeline's
`change.record`); most have the project, the partnership or the access scope as subject. The
app that owns an object registers here, in its `AppConfig.ready()`, a **resolver** for its
kind of object: given the reader and an id, it fetches the object through its own policy
(`get_*_for`: 404 outside what the reader may see — existence is not leaked) and says which
events are its history. One generic page, `/historique/<kind>/<id>/`, renders them; each
object's page links to it ("Historique").

The words: actions through `register_action_labels`, before/after keys through
`register_change_labels` (core.templatetags.reciproca), and the values of a key that holds a
code (a stage, a role, a budget category) through `register_value_labels`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from reciproca.core.language import join_list
from reciproca.core.models import AuditEvent
from reciproca.core.templatetags.reciproca import describe_action, describe_change_key

PAGE_SIZE = 50
# Keys of the charter record (`projects.services.charter_record`): summarised, not listed.
CHARTER_KEYS = frozenset({"charter", "conditions"})


@dataclass(frozen=True)
class Target:
    """What a resolver answers: the object's name, its page, and the events of its history."""

    title: str
    kind_label: str
    url: str
    events: QuerySet[AuditEvent]


Resolver = Callable[[Any, str], Target]
_resolvers: dict[str, Resolver] = {}
_value_labels: dict[str, dict[str, Any]] = {}
_field_labels: dict[str, Any] = {}


def register(kind: str, resolver: Resolver) -> Resolver:
    """Register the resolver of a kind of object (`projet`, `diagnostic`, `budget`…)."""
    _resolvers[kind] = resolver
    return resolver


def kinds() -> list[str]:
    return sorted(_resolvers)


def register_field_labels(labels: Mapping[str, Any]) -> None:
    """The words for before/after keys on history pages, beyond those the timeline already
    knows (`register_change_labels`): {"amount": gettext_lazy("montant")}."""
    _field_labels.update(labels)


def register_value_labels(choices: Mapping[str, Any]) -> None:
    """Word the values of a before/after key that holds a code: {"stage": Stage} (a
    TextChoices). Two apps naming the same key add up their codes."""
    for key, codes in choices.items():
        _value_labels.setdefault(key, {}).update(dict(codes.choices))


register_field_labels(
    {
        "version": gettext_lazy("version"),
        "title": gettext_lazy("intitulé"),
        "label": gettext_lazy("libellé"),
        "text": gettext_lazy("texte"),
        "description": gettext_lazy("description"),
        "kind": gettext_lazy("nature"),
        "status": gettext_lazy("statut"),
        "user": gettext_lazy("utilisateur"),
        "scope": gettext_lazy("périmètre"),
        "email": gettext_lazy("adresse électronique"),
        "name": gettext_lazy("nom"),
        "value": gettext_lazy("valeur"),
        "amount": gettext_lazy("montant"),
        "currency": gettext_lazy("devise"),
        "year": gettext_lazy("année"),
    }
)


def events_about(obj: Any) -> QuerySet[AuditEvent]:
    """The events whose subject is `obj` (a project, a partnership…)."""
    from django.contrib.contenttypes.models import ContentType

    return AuditEvent.objects.filter(
        subject_type=ContentType.objects.get_for_model(type(obj)), subject_id=obj.pk
    )


def history_url(kind: str, pk: Any) -> str:
    return reverse("history", args=[kind, pk])


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: the key was not there before (a creation)
    after: str | None  # None: the key is not there after (a deletion)


@dataclass(frozen=True)
class Entry:
    event: AuditEvent
    label: str
    changes: list[Change]
    reason: str
    charter: str = ""
    conditions_met: int = 0
    conditions: int = 0
    extra: list[str] = field(default_factory=list)


def _language_field(key: str) -> tuple[str, str]:
    base, _sep, suffix = key.rpartition("_")
    if suffix in {"fr", "en", "ar", "hy"} and base:
        return base, suffix
    return key, ""


def display_value(key: str, value: Any) -> str:
    """A before/after value as a reader reads it: never raw JSON."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    base, _lang = _language_field(key)
    if isinstance(value, list):
        return join_list(display_value(key, v) for v in value)
    if isinstance(value, dict):
        return join_list(
            f"{_label(k)} : {display_value(k, v)}" for k, v in value.items() if v not in (None, "")
        )
    label = _value_labels.get(base, {}).get(value) if isinstance(value, str) else None
    return str(label) if label is not None else str(value)


def _label(key: str) -> str:
    base, lang = _language_field(key)
    label = describe_change_key(base)
    if label is None:
        known = _field_labels.get(base)
        label = str(known) if known is not None else base.replace("_", " ")
    return f"{label} ({lang})" if lang else label


def changes(event: AuditEvent) -> list[Change]:
    """The fields the event changed, before → after, in the reader's words."""
    before, after = event.before or {}, event.after or {}
    found = []
    for key in dict.fromkeys([*before, *after]):
        if key in CHARTER_KEYS:
            continue
        old = display_value(key, before[key]) if key in before else None
        new = display_value(key, after[key]) if key in after else None
        if old == new:
            continue
        found.append(Change(label=_label(key), before=old, after=new))
    return found


def entry(event: AuditEvent) -> Entry:
    after = event.after or {}
    charter = after.get("charter") or {}
    conditions = [c for c in after.get("conditions") or [] if isinstance(c, dict)]
    return Entry(
        event=event,
        label=describe_action(event.action),
        changes=changes(event),
        reason=event.reason or "",
        charter=(
            _("Selon la charte « %(title)s », version %(version)s")
            % {"title": charter.get("title", ""), "version": charter.get("version", "")}
            if isinstance(charter, dict) and charter.get("version")
            else ""
        ),
        conditions_met=sum(1 for c in conditions if c.get("met")),
        conditions=len(conditions),
    )


@login_required
@require_GET
def history(request: HttpRequest, kind: str, pk: str) -> HttpResponse:
    """The history page of one object, scoped by the object's own policy (else 404)."""
    resolver = _resolvers.get(kind)
    if resolver is None:
        raise Http404
    target = resolver(request.user, pk)
    events = target.events.select_related("actor").order_by("-at", "-pk")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/history.html",
        {
            "target": target,
            "page": page,
            "entries": [entry(e) for e in page.object_list],
        },
    )
