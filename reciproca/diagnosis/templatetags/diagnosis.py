"""Template filters of the diagnosis pages: a direction is shown with a sign AND a word AND a
colour, never with colour alone. `{% load diagnosis %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats, translation
from django.utils.html import format_html

from reciproca.diagnosis import causes
from reciproca.diagnosis.models import Direction

register = template.Library()

ICONS = {
    Direction.POSITIVE: "▲",
    Direction.NEGATIVE: "▼",
    Direction.NONE: "●",
    Direction.UNKNOWN: "?",
}


@register.filter
def direction_icon(value: str) -> str:
    return ICONS.get(value, "—")  # type: ignore[call-overload]


@register.filter
def direction_class(value: str) -> str:
    return f"dir--{str(value).lower()}" if value else "dir--blank"


@register.filter
def direction_label(value: str) -> str:
    return str(Direction(value).label) if value in Direction.values else ""


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def score(value: float | None) -> str:
    """A mean score with one decimal where needed ("3", "2,5"), or a dash."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return formats.number_format(value, 1)


@register.filter
def bdi(value: Any) -> Any:
    """On a right-to-left page, isolate stored text (a name, a reason written in its author's
    language) from the sentence around it: otherwise the Arabic sentence pulls a French
    reason's final "!" or "?" to the wrong end of it. `{% blocktranslate with reason=x|bdi %}`;
    left-to-right pages are left as they are."""
    if not translation.get_language_bidi():
        return value
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def cause_text(cause: Any, fallback: str = "") -> str:
    """Why a sign-off was withdrawn or a version opened, in the reader's language (the stored
    text for rows older than causes): `{{ s.withdrawn_cause|cause_text:s.withdrawn_reason }}`."""
    return causes.cause_text(cause if isinstance(cause, dict) else None, fallback or "")
