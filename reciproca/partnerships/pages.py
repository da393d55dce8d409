"""What the partnership pages show from the apps above this one: the list's rows (each with
the number of its projects the user may see) and the detail page's extra context (its projects,
whether the user may start one). The projects app registers both in its `ready()`, so this app
imports nothing above it; without them the pages show the partnerships alone."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from reciproca.partnerships import queries
from reciproca.partnerships.models import Partnership

ListRows = Callable[[Any], Iterable[Partnership]]
DetailContext = Callable[[Any, Partnership], dict[str, Any]]

_list_rows: list[ListRows] = []
_detail_contexts: list[DetailContext] = []


def register_list_rows(rows: ListRows) -> None:
    """`rows(user)` replaces the plain partnership list (one provider: the last one wins)."""
    _list_rows[:] = [rows]


def register_detail_context(context: DetailContext) -> None:
    """`context(user, partnership)` adds its keys to the detail page's context."""
    if context not in _detail_contexts:
        _detail_contexts.append(context)


def list_rows(user: Any) -> Any:
    """The partnership list's rows, as a queryset (the page takes one page of it)."""
    rows = _list_rows[0] if _list_rows else queries.partnership_list
    return rows(user)


def detail_context(user: Any, partnership: Partnership) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for extra in _detail_contexts:
        context |= extra(user, partnership)
    return context
