"""Where a record takes place, as index rows: each subdivision code resolved to the territory
that held it at the activity's date (with ISO's code reuse: MA-12 before 2019 is
Tadla-Azilal), each point placed in the admin-1 boundaries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import yaml
from django.utils import timezone

from reciproca.pooling import geo
from reciproca.pooling.iati import Record
from reciproca.pooling.models import PlaceHow, PlaceKind
from reciproca.territories.models import Territory

# (kind, how, code, territory_id, latitude, longitude)
PlaceRow = tuple[str, str, str, int | None, float | None, float | None]


@dataclass(frozen=True)
class Holder:
    id: int
    valid_from: date | None
    valid_until: date | None


@cache
def code_reuse() -> dict[str, date]:
    data = yaml.safe_load((geo.DATA / "code_reuse.yaml").read_text(encoding="utf-8"))
    return {
        country: value["reassigned_on"] for country, value in (data.get("countries") or {}).items()
    }


class Resolver:
    """The territories table read once per import: code → its holders through time."""

    def __init__(self) -> None:
        self.holders: dict[str, list[Holder]] = {}
        for pk, code, start, end in Territory.objects.exclude(iso_code="").values_list(
            "id", "iso_code", "valid_from", "valid_until"
        ):
            self.holders.setdefault(code.upper(), []).append(Holder(pk, start, end))
        for holders in self.holders.values():
            holders.sort(key=lambda h: h.valid_from or date.min)
        self.today = timezone.localdate()
        self.reuse = code_reuse()

    def territory(self, code: str, on: date) -> int | None:
        holders = self.holders.get(code)
        if not holders:
            return None
        for holder in holders:
            if (holder.valid_from is None or holder.valid_from <= on) and (
                holder.valid_until is None or on <= holder.valid_until
            ):
                return holder.id
        reassigned = self.reuse.get(code[:2])
        if reassigned and on < reassigned:
            former = [h for h in holders if h.valid_until is not None and h.valid_until < on]
            if former:
                return former[-1].id
        return None

    def places(self, record: Record) -> list[PlaceRow]:
        on = record.start_date or record.end_date or self.today
        rows: dict[tuple[str, str, int | None], PlaceRow] = {}
        for code in record.countries:
            rows[(PlaceKind.COUNTRY, code, None)] = (
                PlaceKind.COUNTRY,
                PlaceHow.DECLARED,
                code,
                None,
                None,
                None,
            )
        for code in record.regions:
            rows[(PlaceKind.REGION, code, None)] = (
                PlaceKind.REGION,
                PlaceHow.DECLARED,
                code,
                None,
                None,
                None,
            )
        for code in record.admin_codes:
            territory = self.territory(code, on)
            key = (PlaceKind.SUBDIVISION, code, territory)
            if key not in rows:
                rows[key] = (
                    PlaceKind.SUBDIVISION,
                    PlaceHow.ADMIN_CODE,
                    code,
                    territory,
                    None,
                    None,
                )
        for lat, lon in record.points[:50]:
            placed = False
            for unit in geo.units_at(lat, lon):
                for code in (unit.code, unit.region_2015, unit.region_1997):
                    if not code:
                        continue
                    territory = self.territory(code, on)
                    if territory is None:
                        continue
                    key = (PlaceKind.POINT, code, territory)
                    if key not in rows:
                        rows[key] = (
                            PlaceKind.SUBDIVISION,
                            PlaceHow.POINT,
                            code,
                            territory,
                            lat,
                            lon,
                        )
                    placed = True
                if not placed:
                    rows[(PlaceKind.POINT, f"{lat},{lon}", None)] = (
                        PlaceKind.POINT,
                        PlaceHow.POINT,
                        unit.code,
                        None,
                        lat,
                        lon,
                    )
                    placed = True
            if not placed:
                rows[(PlaceKind.POINT, f"{lat},{lon}", None)] = (
                    PlaceKind.POINT,
                    PlaceHow.POINT,
                    "",
                    None,
                    lat,
                    lon,
                )
        return list(rows.values())
