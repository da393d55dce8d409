"""Reads on partnerships for pages, the API and exports: scoped, with their joins at the site."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from reciproca.partnerships.models import Agreement, Partnership, Programme
from reciproca.partnerships.policies import (
    can_read_partnership_records,
    partnerships_listed_for,
    partnerships_visible_to,
    partnerships_with_records_for,
)
from reciproca.partnerships.rules import agreement_warning_days


def partnership_list(user: Any) -> QuerySet[Partnership]:
    """Visible partnerships with what their rows show (projects counts: projects.queries)."""
    visible = partnerships_listed_for(user)
    return (
        visible.select_related("partner", "host", "territory__country", "successor")
        # A successor is named only to who may see it (a link is a disclosure too).
        .annotate(successor_visible=Exists(visible.filter(pk=OuterRef("successor_id"))))
        .order_by("since_date", "name")
    )


def partnership_detail_context(partnership: Partnership, user: Any) -> dict[str, Any]:
    """What the partnership page shows of the partnership itself (its projects come from
    projects.queries: they are scoped by the projects' own policies). Its predecessors and
    successor are named only when the user may see them: a link is a disclosure too."""
    visible = partnerships_visible_to(user)
    successor = None
    if partnership.successor_id and visible.filter(pk=partnership.successor_id).exists():
        successor = partnership.successor
    partnership.successor_visible = successor is not None  # type: ignore[attr-defined]
    if not can_read_partnership_records(user, partnership):
        return {"records_open": False, "successor": successor, "agreements": [],
                "programmes": [], "predecessors": [], "history": []}  # fmt: skip
    return {
        "records_open": True,
        "successor": successor,
        "agreements": list(partnership.agreements.all()),
        "programmes": list(
            partnership.programmes.prefetch_related(Prefetch("participations__organisation"))
        ),
        "predecessors": list(
            partnership.predecessors.filter(pk__in=visible.values("pk")).select_related("partner")
        ),
        "history": list(
            partnership.history.select_related("history_user").order_by("-history_date")[:20]
        ),
    }


def agreements_expiring(user: Any, *, within_days: int | None = None) -> QuerySet[Agreement]:
    """Agreements of visible partnerships ending within the warning horizon, soonest first."""
    days = within_days if within_days is not None else agreement_warning_days()
    today = timezone.localdate()
    return (
        Agreement.objects.filter(
            partnership__in=partnerships_with_records_for(user).values("pk"),
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=days),
        )
        .select_related("partnership__partner")
        .order_by("valid_until")
    )


def programmes_visible_to(user: Any) -> QuerySet[Programme]:
    return Programme.objects.filter(
        partnership__in=partnerships_with_records_for(user).values("pk")
    ).select_related("partnership")
