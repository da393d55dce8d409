"""The finder: who else works where a project, a diagnosis, a partnership or a territory
stands — the activities of other actors placed in the same territory (or one it succeeded or
that succeeded it: MA-12 before 2019 is Tadla-Azilal, today in Béni Mellal-Khénifra), its
sub-units, or within a radius of its places — ranked by the overlap of sectors, SDG targets and
dates, French local authorities first, each with the reasons of its rank (PRJ-12, PRJ-13)."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from reciproca.pooling import geo
from reciproca.pooling.models import Activity, ActivityPlace, ActorKind, PlaceKind
from reciproca.projects.models import Project
from reciproca.territories.models import Territory, TerritorySuccession

SECTOR_EXACT = 3
SECTOR_CATEGORY = 1
TARGET_EXACT = 3
GOAL_SAME = 1
DATES_MAX = 2
SUBDIVISION_POINTS = 2
RADIUS_POINTS = 1
LIMIT = 200


@dataclass
class Query:
    territories: list[Territory]
    purpose_codes: set[str] = field(default_factory=set)
    sdg_targets: set[str] = field(default_factory=set)
    start: date | None = None
    end: date | None = None
    radius_km: float = 0.0
    include_country: bool = False
    exclude_refs: set[str] = field(default_factory=set)
    french_only: bool = False
    min_score: int = 0
    text: str = ""


@dataclass
class Found:
    activity: Activity
    score: int
    reasons: list[str]
    where: str

    @property
    def actor_label(self) -> str:
        return str(ActorKind(self.activity.actor_kind).label)


def query_for_project(project: Project, **filters: Any) -> Query:
    places = list(project.locations.all()) or [project.partnership.territory]
    return Query(
        territories=places,
        purpose_codes={p.code for p in project.purpose_codes.all()},
        sdg_targets={t.code for t in project.sdg_targets.all()},
        start=project.start_date,
        end=project.end_date,
        exclude_refs={
            ref
            for ref in (
                project.partnership.host.iati_identifier,
                project.partnership.partner.iati_identifier,
            )
            if ref
        },
        **filters,
    )


def related_territories(territory: Territory) -> dict[int, str]:
    """The territory, its sub-units, the territories before and after it in its line of
    succession (transitively), and for a unit without ISO code its parent: id → why.

    Two queries whatever the length of the lines: the successions (a small table) are read
    whole and followed here, then the names of every territory met are read at once."""
    links = list(
        TerritorySuccession.objects.order_by().values_list("predecessor_id", "successor_id")
    )
    before: list[int] = []  # predecessors, nearest first
    after: list[int] = []
    for found, step in ((before, 1), (after, 0)):
        frontier = {territory.pk}
        seen = {territory.pk}
        while frontier:
            nxt = {link[1 - step] for link in links if link[step] in frontier} - seen
            found.extend(sorted(nxt))
            seen |= nxt
            frontier = nxt
    parent_id = territory.parent_id if not territory.iso_code else None
    others = {
        t.pk: t
        for t in Territory.objects.order_by("pk").filter(
            Q(parent=territory) | Q(pk__in=[*before, *after, *([parent_id] if parent_id else [])])
        )
    }
    related: dict[int, str] = {territory.pk: _("dans %(name)s") % {"name": territory.name}}
    for pk, other in others.items():
        if other.parent_id == territory.pk:
            related.setdefault(pk, _("dans %(name)s, qui en fait partie") % {"name": other.name})
    if parent_id and parent_id in others:
        related.setdefault(
            parent_id,
            _("dans %(name)s, qui englobe %(unit)s")
            % {"name": others[parent_id].name, "unit": territory.name},
        )
    for pk in before:
        related.setdefault(
            pk, _("dans %(old)s, devenu %(new)s") % {"old": others[pk].name, "new": territory.name}
        )
    for pk in after:
        related.setdefault(
            pk,
            _("dans %(new)s, qui a succédé à %(old)s")
            % {"new": others[pk].name, "old": territory.name},
        )
    return related


def _centres(territories: list[Territory]) -> list[tuple[float, float]]:
    """(lat, lon) of the boundaries of the territories (or of the provinces they group; a
    unit without ISO code, such as the Département de Kédougou, by its parent's)."""
    by_code = geo.units_by_code()
    codes = [t.iso_code or (t.parent.iso_code if t.parent else "") for t in territories]
    return [u.centroid for code in codes if code for u in by_code.get(code, [])]


def _overlap_days(a0: date | None, a1: date | None, b0: date | None, b1: date | None) -> int | None:
    if not (a0 or a1) or not (b0 or b1):
        return None
    start = max(a0 or b0 or date.min, b0 or a0 or date.min)
    end = min(a1 or b1 or date.max, b1 or a1 or date.max)
    return (end - start).days


# What the ranking reads of each candidate, without building a model instance: over a large
# index a territory holds thousands of candidates, only the `limit` best become `Found`.
LIGHT = ("id", "actor_kind", "sectors", "sdg_goals", "sdg_targets", "start_date", "end_date")


def _light_filters(query: Query, prefix: str = "") -> dict[str, Any]:
    filters: dict[str, Any] = {}
    if query.french_only:
        filters[f"{prefix}actor_kind__lt"] = ActorKind.OTHER
    if query.text:
        filters[f"{prefix}title__icontains"] = query.text
    return filters


def find(query: Query, *, limit: int = LIMIT) -> list[Found]:
    where: dict[int, str] = {}
    for territory in query.territories:
        for pk, why in related_territories(territory).items():
            where.setdefault(pk, why)
    order = {pk: rank for rank, pk in enumerate(where)}
    # activity id → (its LIGHT values, the reason of its place, its place points)
    candidates: dict[int, tuple[tuple[Any, ...], str, int]] = {}
    places = ActivityPlace.objects.filter(
        territory_id__in=list(where), **_light_filters(query, "activity__")
    )
    if query.exclude_refs:
        places = places.exclude(activity__reporting_org_ref__in=query.exclude_refs)
    best: dict[int, int] = {}
    for territory_id, *light in places.values_list(
        "territory_id", *(f"activity__{name}" for name in LIGHT)
    ):
        activity_id = light[0]
        rank = order[territory_id]
        if activity_id not in best or rank < best[activity_id]:
            best[activity_id] = rank
            candidates[activity_id] = (tuple(light), where[territory_id], SUBDIVISION_POINTS)
    if query.radius_km > 0:
        near: dict[int, float] = {}
        for lat, lon in _centres(query.territories):
            lat0, lat1, lon0, lon1 = geo.box_around(lat, lon, query.radius_km)
            for activity_id, plat, plon in ActivityPlace.objects.filter(
                latitude__gte=lat0, latitude__lte=lat1, longitude__gte=lon0, longitude__lte=lon1
            ).values_list("activity_id", "latitude", "longitude"):
                if activity_id in candidates or plat is None or plon is None:
                    continue
                km = geo.distance_km(lat, lon, plat, plon)
                if km <= query.radius_km:
                    near[activity_id] = km
        for light in _light(query, near):
            why = _("à %(km)d km des lieux du projet") % {"km": round(near[light[0]])}
            candidates[light[0]] = (light, why, RADIUS_POINTS)
    if query.include_country:
        countries = {t.country.iso2 for t in query.territories}
        in_country: dict[int, str] = {}
        for activity_id, code in ActivityPlace.objects.filter(
            kind=PlaceKind.COUNTRY, code__in=countries
        ).values_list("activity_id", "code"):
            if activity_id not in candidates:
                in_country.setdefault(activity_id, code)
        for light in _light(query, in_country):
            why = _("dans le même pays (%(code)s), sans lieu plus précis") % {
                "code": in_country[light[0]]
            }
            candidates[light[0]] = (light, why, 0)
    scored = []
    for light, why, points in candidates.values():
        score = _score(query, points, *light[2:])
        if score >= query.min_score:
            scored.append(
                (light[1], -score, -(light[5] or date.min).toordinal(), light[0], why, points)
            )
    # the `limit` best, and every row tied with the last of them on all keys but the
    # identifier (read for the shortlist only, it breaks those ties below)
    shortlist = heapq.nsmallest(limit, scored)
    if len(shortlist) == limit:
        edge = shortlist[-1][:3]
        shortlist = [row for row in scored if row[:3] <= edge]
    if not shortlist:
        return []
    activities = Activity.objects.defer("participating_orgs", "amounts").in_bulk(
        [row[3] for row in shortlist]
    )
    found = [_rank(activities[row[3]], query, row[4], row[5]) for row in shortlist]
    found.sort(
        key=lambda f: (
            f.activity.actor_kind,
            -f.score,
            -(f.activity.start_date or date.min).toordinal(),
            f.activity.identifier,
        )
    )
    return found[:limit]


def _light(query: Query, ids: dict[int, Any]) -> list[tuple[Any, ...]]:
    activities = Activity.objects.filter(pk__in=list(ids), **_light_filters(query))
    if query.exclude_refs:
        activities = activities.exclude(reporting_org_ref__in=query.exclude_refs)
    return list(activities.values_list(*LIGHT))


def _sector_sets(sectors: list[dict[str, str]]) -> tuple[set[str], set[str]]:
    codes = {s["code"] for s in sectors if s.get("vocabulary") in ("1", "")}
    categories = {s["code"][:3] for s in sectors if s.get("vocabulary") in ("1", "2", "")}
    return codes, categories


def _score(
    query: Query,
    place_points: int,
    sectors: list[dict[str, str]],
    sdg_goals: str,
    sdg_targets: str,
    start: date | None,
    end: date | None,
) -> int:
    """The score `_rank` gives, without its reasons (the same rules, see `_rank`)."""
    score = place_points
    if query.purpose_codes and sectors:
        codes, categories = _sector_sets(sectors)
        same = query.purpose_codes & codes
        score += SECTOR_EXACT * len(same)
        score += SECTOR_CATEGORY * len(
            {c[:3] for c in query.purpose_codes} & categories - {c[:3] for c in same}
        )
    if query.sdg_targets and (sdg_goals or sdg_targets):
        targets = query.sdg_targets & {t for t in sdg_targets.split(",") if t}
        score += TARGET_EXACT * len(targets)
        score += GOAL_SAME * len(
            ({t.split(".")[0] for t in query.sdg_targets} & {g for g in sdg_goals.split(",") if g})
            - {t.split(".")[0] for t in targets}
        )
    days = _overlap_days(query.start, query.end, start, end)
    if days is not None and days >= 365:
        score += DATES_MAX
    elif days is not None and days >= 0:
        score += 1
    return score


def _rank(activity: Activity, query: Query, where: str, place_points: int) -> Found:
    reasons = [where]
    if activity.actor_kind == ActorKind.FRENCH_AUTHORITY:
        reasons.append(_("collectivité territoriale française : classée en premier"))
    elif activity.actor_kind == ActorKind.FRENCH_ACTOR:
        reasons.append(_("acteur français : classé après les collectivités"))
    score = place_points
    codes, categories = _sector_sets(activity.sectors)
    same = sorted(query.purpose_codes & codes)
    if same:
        score += SECTOR_EXACT * len(same)
        reasons.append(_("même code-objet CAD : %(codes)s") % {"codes": ", ".join(same)})
    near = sorted({c[:3] for c in query.purpose_codes} & categories - {c[:3] for c in same})
    if near:
        score += SECTOR_CATEGORY * len(near)
        reasons.append(_("même catégorie CAD : %(codes)s") % {"codes": ", ".join(near)})
    targets = sorted(query.sdg_targets & activity.target_set)
    if targets:
        score += TARGET_EXACT * len(targets)
        reasons.append(_("mêmes cibles ODD : %(codes)s") % {"codes": ", ".join(targets)})
    goals = sorted(
        ({t.split(".")[0] for t in query.sdg_targets} & activity.goal_set)
        - {t.split(".")[0] for t in targets},
        key=int,
    )
    if goals:
        score += GOAL_SAME * len(goals)
        reasons.append(_("mêmes objectifs ODD : %(codes)s") % {"codes": ", ".join(goals)})
    days = _overlap_days(query.start, query.end, activity.start_date, activity.end_date)
    if days is None:
        reasons.append(_("dates inconnues : pas de point pour la période"))
    elif days >= 365:
        score += DATES_MAX
        reasons.append(_("périodes qui se recouvrent d'au moins un an"))
    elif days >= 0:
        score += 1
        reasons.append(_("périodes qui se recouvrent de moins d'un an"))
    else:
        reasons.append(_("périodes disjointes"))
    return Found(activity=activity, score=score, reasons=reasons, where=where)
