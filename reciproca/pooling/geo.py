"""Admin-1 boundaries and a fast point-in-polygon: no GDAL, bounding boxes first, then an
even-odd ray cast on the few rings whose box holds the point.

The boundaries are `data/partners_admin1_from_ne10m.geojson` (Natural Earth, public domain). A
feature names its unit (`iso_3166_2`) and, for Moroccan provinces, the region of 2015
(`region_2015`) and the one of 1997–2015 (`region_1997_2015`, "Tadla-Azilal (old MA-12)").
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
BOUNDARIES = DATA / "partners_admin1_from_ne10m.geojson"
_OLD_CODE = re.compile(r"\(old ([A-Z]{2}-[A-Z0-9]{1,3})\)")

Ring = list[tuple[float, float]]  # (lon, lat)


@dataclass(frozen=True)
class Unit:
    """One boundary: its own code, and the codes of the units it belonged to."""

    code: str
    name: str
    country: str
    region_2015: str = ""
    region_1997: str = ""
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # min lon, min lat, max…
    polygons: tuple[tuple[Ring, ...], ...] = field(default=(), repr=False)

    @property
    def centroid(self) -> tuple[float, float]:
        """(lat, lon) of the area-weighted centre of the outer rings."""
        total = cx = cy = 0.0
        for polygon in self.polygons:
            ring = polygon[0]
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
                cross = x0 * y1 - x1 * y0
                total += cross
                cx += (x0 + x1) * cross
                cy += (y0 + y1) * cross
        if not total:
            return ((self.bbox[1] + self.bbox[3]) / 2, (self.bbox[0] + self.bbox[2]) / 2)
        return (cy / (3 * total), cx / (3 * total))

    def contains(self, lat: float, lon: float) -> bool:
        min_lon, min_lat, max_lon, max_lat = self.bbox
        if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
            return False
        for polygon in self.polygons:
            if _in_ring(polygon[0], lon, lat) and not any(
                _in_ring(hole, lon, lat) for hole in polygon[1:]
            ):
                return True
        return False


def _in_ring(ring: Ring, x: float, y: float) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _bbox(polygons: list[tuple[Ring, ...]]) -> tuple[float, float, float, float]:
    xs = [x for polygon in polygons for x, _ in polygon[0]]
    ys = [y for polygon in polygons for _, y in polygon[0]]
    return (min(xs), min(ys), max(xs), max(ys))


def read_units(path: Path = BOUNDARIES) -> list[Unit]:
    data = json.loads(path.read_text(encoding="utf-8"))
    units = []
    for feature in data["features"]:
        props = feature["properties"]
        geometry = feature["geometry"]
        coords = geometry["coordinates"]
        raw = [coords] if geometry["type"] == "Polygon" else coords
        polygons = [
            tuple([(float(x), float(y)) for x, y, *_ in ring] for ring in polygon)
            for polygon in raw
        ]
        old = _OLD_CODE.search(props.get("region_1997_2015") or "")
        units.append(
            Unit(
                code=props["iso_3166_2"],
                name=props.get("name", ""),
                country=props.get("iso_a2", ""),
                region_2015=props.get("region_2015", "") or "",
                region_1997=old.group(1) if old else "",
                bbox=_bbox(polygons),
                polygons=tuple(polygons),
            )
        )
    return units


@cache
def units() -> tuple[Unit, ...]:
    return tuple(read_units())


@cache
def units_by_code() -> dict[str, list[Unit]]:
    """Every unit under its own code and under the regions it belonged to."""
    found: dict[str, list[Unit]] = {}
    for unit in units():
        for code in {unit.code, unit.region_2015, unit.region_1997} - {""}:
            found.setdefault(code, []).append(unit)
    return found


def units_at(lat: float, lon: float) -> list[Unit]:
    """The units whose boundary holds the point (admin-1 units do not overlap: 0 or 1)."""
    return [unit for unit in units() if unit.contains(lat, lon)]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def box_around(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(min lat, max lat, min lon, max lon) of a box holding the circle of `km` around."""
    dlat = km / 111.32
    dlon = km / max(1e-6, 111.32 * math.cos(math.radians(lat)))
    return (lat - dlat, lat + dlat, lon - dlon, lon + dlon)
