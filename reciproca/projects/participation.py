"""Who took part in the portfolio's activities and exchanges, whichever app records them (OBJ-2).

Participants are counted by the results app (the meetings of a project's activities) and by the
finance app (the exchanges of the reciprocity ledger): apps of one layer that do not import each
other. Each registers a source here in its `AppConfig.ready()`; the portfolio's participation
page adds them up per year and partnership without knowing who holds what.

A source answers, for one user, the counts it holds over what that user may see (its own
policy's scoped queryset; nothing else), in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ParticipationCount:
    """Participants of one activity or exchange: the year, the partnership, how many people,
    how many women and how many young people (as the source defines its age groups)."""

    year: int
    partnership_id: int
    partnership: str
    total: int
    women: int
    young: int


@dataclass(frozen=True)
class Source:
    code: str
    label: Any  # a lazy translation: "activités des projets", "échanges"
    young_definition: Any  # "15–24 ans", "moins de 30 ans"
    counts: Callable[[Any], Iterable[ParticipationCount]]


_sources: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Register (or replace, by code) a participation source."""
    _sources[source.code] = source
    return source


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda s: s.code)
