"""Reads about territories through time: which territory held a code on a date, and where a
territory's line of succession leads today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from reciproca.territories.models import Territory, TerritorySuccession


@dataclass(frozen=True)
class CurrentSuccessor:
    """A territory valid today that a former territory's line of succession leads to."""

    territory: Territory
    # True when every step from the former territory is a legal succession: the authority
    # that inherited its rights and obligations, hence its agreements.
    is_legal_successor: bool


def territories_valid_on(on_date: date) -> QuerySet[Territory]:
    """Territories that existed on `on_date` (both ends of a period are included)."""
    return Territory.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on_date),
        Q(valid_until__isnull=True) | Q(valid_until__gte=on_date),
    )


def territory_at(code: str, on_date: date) -> Territory | None:
    """The territory that held ISO 3166-2 `code` on `on_date`, or None.

    A code alone is ambiguous: ISO gave MA-12 to Tadla-Azilal, then in 2019 to
    Dakhla-Oued Ed-Dahab.
    """
    code = code.strip().upper()
    if not code:
        return None
    return (
        territories_valid_on(on_date)
        .filter(iso_code=code)
        .select_related("country", "parent")
        .order_by("-valid_from")
        .first()
    )


def code_claims_overlapping(territory: Territory) -> QuerySet[Territory]:
    """Other territories holding `territory`'s code during part of its period."""
    if not territory.iso_code or territory.valid_from is None:
        return Territory.objects.none()
    claims = Territory.objects.filter(iso_code=territory.iso_code).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=territory.valid_from)
    )
    if territory.valid_until is not None:
        claims = claims.filter(valid_from__lte=territory.valid_until)
    if territory.pk is not None:
        claims = claims.exclude(pk=territory.pk)
    return claims


def current_successors(
    territory: Territory, *, on_date: date | None = None
) -> list[CurrentSuccessor]:
    """Where `territory` stands today: itself if still valid, else the valid territories its
    successions lead to, legal successor first.

    One query per generation of successions, not per territory.
    """
    on_date = on_date or timezone.localdate()
    if territory.is_valid_on(on_date):
        return [CurrentSuccessor(territory=territory, is_legal_successor=True)]

    found: dict[int, CurrentSuccessor] = {}
    # predecessor id -> whether the chain up to it is made of legal successions only
    frontier: dict[int, bool] = {territory.pk: True}
    seen: set[int] = {territory.pk}
    while frontier:
        links = TerritorySuccession.objects.filter(
            predecessor_id__in=frontier, effective_date__lte=on_date
        ).select_related("successor__country")
        next_frontier: dict[int, bool] = {}
        for link in links:
            is_legal = frontier[link.predecessor_id] and link.is_legal_successor
            successor = link.successor
            if successor.is_valid_on(on_date):
                # Reached by several paths: legal if any path is.
                earlier = found.get(successor.pk)
                if earlier is not None:
                    is_legal = is_legal or earlier.is_legal_successor
                found[successor.pk] = CurrentSuccessor(
                    territory=successor, is_legal_successor=is_legal
                )
            elif successor.pk not in seen:
                next_frontier[successor.pk] = is_legal or next_frontier.get(successor.pk, False)
            seen.add(successor.pk)
        frontier = next_frontier
    return sorted(
        found.values(), key=lambda s: (not s.is_legal_successor, s.territory.name, s.territory.pk)
    )
