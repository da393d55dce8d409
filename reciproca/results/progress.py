"""Per-period and cumulative totals of an indicator, from its current values.

PER_PERIOD: each value is the period's own; the cumulative total adds them up.
CUMULATIVE: each value is the total since the start; the period's own figure is the difference
with the last reported one. A period without a value keeps the cumulative total where it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Point:
    period_id: int
    reported: bool
    period_value: Decimal | None
    cumulative: Decimal | None


def progress(
    aggregation: str, period_ids: Iterable[int], values: Mapping[int, Decimal | None]
) -> list[Point]:
    """One point per period in order; `values` maps a period to its current value."""
    points: list[Point] = []
    running: Decimal | None = None
    for period_id in period_ids:
        value = values.get(period_id)
        if value is None:
            points.append(Point(period_id, False, None, running))
            continue
        if aggregation == "CUMULATIVE":
            own = value - (running or Decimal(0))
            running = value
        else:
            own = value
            running = (running or Decimal(0)) + value
        points.append(Point(period_id, True, own, running))
    return points
