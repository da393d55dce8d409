"""Template tags shared by every page: optional links, day counts, audit-event wording.

`{% load reciproca %}`. Apps add the words for their own audit actions and for the keys of
their events' before/after with
`register_action_labels({"projects.project.created": gettext_lazy("a créé le projet")})` and
`register_change_labels({"stage": gettext_lazy("étape")})`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from reciproca.core import language

register = template.Library()

ACTION_LABELS: dict[str, str | Promise] = {}
CHANGE_LABELS: dict[str, str | Promise] = {}


def register_action_labels(labels: Mapping[str, str | Promise]) -> None:
    """Give audit actions (`projects.project.decided`) the words a timeline shows."""
    ACTION_LABELS.update(labels)


def register_change_labels(labels: Mapping[str, str | Promise]) -> None:
    """Give the keys of audit events' before/after (`stage`) the words a timeline shows."""
    CHANGE_LABELS.update(labels)


def describe_action(action: str) -> str:
    """The words for an audit action; an action nobody described shows as its code."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def describe_change_key(key: str) -> str | None:
    """The words for a before/after key; None for a key nobody described (a timeline leaves
    it out: the page of the app that wrote it shows the details)."""
    label = CHANGE_LABELS.get(key)
    return str(label) if label is not None else None


def optional_reverse(name: str, *args: Any) -> str:
    """The URL of a page another app may not provide yet, or "" when it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.simple_tag
def optional_url(name: str, *args: Any) -> str:
    """`{% optional_url "charter:detail" as charter_url %}`: "" when the page does not exist."""
    return optional_reverse(name, *args)


@register.filter
def days_until(value: date | None) -> int | None:
    """Whole days from today to a date (negative when past), None when there is no date."""
    if value is None:
        return None
    return (value - timezone.localdate()).days


@register.filter
def action_label(action: str) -> str:
    return describe_action(action)


@register.filter
def percent_of(value: int, total: int) -> int:
    """An integer percentage for CSS bar widths; 0 when the total is 0."""
    if not total:
        return 0
    return round(100 * int(value) / int(total))


@register.filter
def message_lines(message: Any) -> list[str]:
    """A message's first line and the list under it: services' refusals carry every reason,
    one per line, and the page shows them as a list."""
    return [line for line in str(message).splitlines() if line.strip()]


# --- Language: articles, bidi, lists, amounts (reciproca.core.language) ---------------------


def _isolated(text: str) -> Any:
    """A name in a <bdi> on a right-to-left page (it may be in French or any script)."""
    return format_html("<bdi>{}</bdi>", text) if language.is_bidi() else text


@register.filter(name="le")
def le_filter(organisation: Any) -> str:
    """`{{ org|le }}` → "le Département de l'Isère" (the bare name in other languages)."""
    return _isolated(language.le(organisation, isolated=False))


@register.filter(name="du")
def du_filter(organisation: Any) -> str:
    """`{{ org|du }}` → "du Département de l'Isère", "de la Wilaya de Constantine"."""
    return _isolated(language.du(organisation, isolated=False))


@register.filter(name="au")
def au_filter(organisation: Any) -> str:
    """`{{ org|au }}` → "au Département de l'Isère", "à la Wilaya de Constantine"."""
    return _isolated(language.au(organisation, isolated=False))


@register.filter
def bdi(value: Any) -> Any:
    """Stored text isolated from the sentence around it on a right-to-left page."""
    if not language.is_bidi():
        return value
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def join_list(items: Any, conjunction: str = "") -> str:
    """`{{ items|join_list }}`: joined with the locale's comma ("،" in Arabic);
    `{{ items|join_list:"et" }}` ends with the locale's "and"."""
    return language.join_list(items or [], conjunction=bool(conjunction))


@register.filter
def amount(value: Any, currency: str = "") -> str:
    """`{{ a.forecast_amount|amount:a.currency }}` → "300 000,00 EUR" as the locale writes it."""
    return language.amount(value, currency)


@register.filter
def lang_attr(obj: Any, field: str = "name") -> str:
    """` lang="fr"` on an element whose text has no version in the reader's language and
    shows in French (a theme, a purpose code): screen readers then read it as French.
    `<li{{ item|lang_attr }}>{{ item.name }}</li>`."""
    return mark_safe(' lang="fr"') if language.shown_in_french(obj, field) else ""
