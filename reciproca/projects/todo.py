"""The dashboard's "À faire" panel: one list per kind of thing waiting for the person, with
its count. Each list is provided by the app that owns its data and registered here, the way
gate conditions are (the projects app provides the stage sign-offs awaited from the user's
organisation, the decisions waiting and the agreements expiring; the diagnosis app the
diagnosis sign-offs; results will add the returned reports).

A provider receives the user and returns a `TodoList` (or None when the list does not concern
them, e.g. sign-offs for a user who cannot sign). It must run a fixed number of queries,
whatever the number of rows: the dashboard's query count does not grow with the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class TodoItem:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class TodoList:
    key: str
    title: str | Promise
    items: list[TodoItem] = field(default_factory=list)
    # The number of things waiting (the items shown may be fewer: `LIMIT` per list).
    count: int = 0


TodoProvider = Callable[[Any], TodoList | None]

# Items shown per list; the count says how many there are.
LIMIT = 5

_PROVIDERS: dict[str, tuple[int, TodoProvider]] = {}


def register(key: str, provider: TodoProvider, *, order: int = 100) -> None:
    """Add a list to the panel (registering the same key again replaces it)."""
    _PROVIDERS[key] = (order, provider)


def keys() -> list[str]:
    return [key for key, _value in sorted(_PROVIDERS.items(), key=lambda kv: (kv[1][0], kv[0]))]


def todo_lists(user: Any) -> list[TodoList]:
    """Every registered list that concerns the user, in the registered order."""
    lists = []
    for key in keys():
        result = _PROVIDERS[key][1](user)
        if result is not None:
            lists.append(result)
    return lists
