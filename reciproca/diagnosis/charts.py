"""The radar chart of the sustainable-development grid, as an SVG string written by hand: the
same picture in pages, in the conformity report and in printed documents.

One polygon per option (the proposal, then each alternative), told apart by colour AND by line
pattern and vertex marker, never by colour alone; a legend; a `<title>` and a `<desc>` that
state every value for screen readers. An unscored criterion is left out of the drawing, not
drawn as zero; with no score at all the chart shows its empty state. Labels are anchored in
their middle and the drawing is fixed left-to-right, so an Arabic page shows the same chart
with its labels in place.
"""

from __future__ import annotations

import hashlib
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Okabe–Ito palette (readable by colour-blind readers), with a pattern and a marker each.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 2", "12 2")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square", "triangle")

WIDTH = 800
CENTRE_X = WIDTH / 2
CENTRE_Y = 290
RADIUS = 180
LABEL_GAP = 22
LABEL_CHARS = 22
LINE_HEIGHT = 17
FONT_SIZE = 14
LABEL_COLOUR = "#1f1f1f"
LEGEND_ROW = 24


@dataclass(frozen=True)
class RadarAxis:
    code: str
    label: str


@dataclass(frozen=True)
class RadarSeries:
    """One option's values, in the axes' order; None where the criterion is not scored."""

    label: str
    values: Sequence[float | None]


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _point(index: int, count: int, fraction: float) -> tuple[float, float]:
    # The first axis points up; the others follow clockwise.
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return (
        CENTRE_X + RADIUS * fraction * math.cos(angle),
        CENTRE_Y + RADIUS * fraction * math.sin(angle),
    )


def _points(pairs: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in pairs)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return (
            f'<rect x="{_fmt(x - 3.5)}" y="{_fmt(y - 3.5)}" width="7" height="7" fill="{colour}"/>'
        )
    if kind == "triangle":
        points = _points([(x, y - 4.5), (x + 4.5, y + 3.5), (x - 4.5, y + 3.5)])
        return f'<polygon points="{points}" fill="{colour}"/>'
    if kind == "diamond":
        points = _points([(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)])
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" fill="{colour}"/>'


def _label_lines(label: str) -> list[str]:
    lines = textwrap.wrap(label, LABEL_CHARS) or [""]
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), LABEL_CHARS, placeholder="…")]
    return lines


def _axis_label(index: int, count: int, axis: RadarAxis) -> str:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    cos, sin = math.cos(angle), math.sin(angle)
    lines = _label_lines(axis.label)
    half_width = max(len(line) for line in lines) * FONT_SIZE * 0.3
    height = len(lines) * LINE_HEIGHT
    # Move the label's middle out of the circle by half its width (sideways) or height (up/down).
    x = CENTRE_X + (RADIUS + LABEL_GAP) * cos + half_width * cos
    y = CENTRE_Y + (RADIUS + LABEL_GAP) * sin + (height / 2) * sin - height / 2 + FONT_SIZE
    tspans = "".join(
        f'<tspan x="{_fmt(x)}" dy="{0 if n == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return (
        f'<text class="radar-axis-label" x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="middle" '
        f'font-size="{FONT_SIZE}" fill="{LABEL_COLOUR}">'
        f"<title>{escape(axis.label)}</title>{tspans}</text>"
    )


def _scored(item: RadarSeries, count: int) -> list[int]:
    """The axes this option has a score on."""
    return [i for i in range(count) if i < len(item.values) and item.values[i] is not None]


def _series(
    n: int, item: RadarSeries, count: int, max_value: float, colour: str, dash: str, marker: str
) -> list[str]:
    """One option: a closed polygon when every criterion is scored; otherwise only the lines
    between neighbouring scored criteria (an unscored criterion is not drawn, never as zero);
    nothing when none is scored. A marker on each scored value."""
    scored = _scored(item, count)
    if not scored:
        return []
    points = {
        i: _point(i, count, min(max(float(item.values[i] or 0) / max_value, 0), 1)) for i in scored
    }
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    title = f"<title>{escape(item.label)}</title>"
    if len(scored) == count:
        drawing = (
            f'<polygon class="radar-series" data-series="{n}" '
            f'points="{_points([points[i] for i in range(count)])}" '
            f'fill="{colour}" fill-opacity="0.10" stroke="{colour}" stroke-width="2.5"'
            f"{dash_attr}>{title}</polygon>"
        )
    else:
        segments = []
        for i in scored:
            following = (i + 1) % count
            if following in points and following != i:
                (x1, y1), (x2, y2) = points[i], points[following]
                segments.append(f"M{_fmt(x1)},{_fmt(y1)} L{_fmt(x2)},{_fmt(y2)}")
        drawing = (
            f'<path class="radar-series radar-series--partial" data-series="{n}" '
            f'd="{" ".join(segments)}" fill="none" stroke="{colour}" stroke-width="2.5"'
            f"{dash_attr}>{title}</path>"
        )
    return [drawing, *(_marker(marker, x, y, colour) for x, y in points.values())]


def _legend_label(item: RadarSeries, count: int) -> str:
    missing = count - len(_scored(item, count))
    if not count or not missing:
        return item.label
    if missing == count:
        return _("%(option)s (pas encore notée)") % {"option": item.label}
    return ngettext(
        "%(option)s (%(n)s critère non noté)",
        "%(option)s (%(n)s critères non notés)",
        missing,
    ) % {"option": item.label, "n": missing}


def _describe(series: Sequence[RadarSeries], axes: Sequence[RadarAxis], max_value: float) -> str:
    parts = []
    for item in series:
        values = ", ".join(
            f"{axis.label} : {_('non noté') if v is None else f'{v:g}/{max_value:g}'}"
            for axis, v in zip(axes, item.values, strict=False)
        )
        parts.append(f"{item.label} — {values}.")
    return " ".join(parts)


def radar_svg(
    series: Sequence[RadarSeries],
    axes: Sequence[RadarAxis],
    *,
    title: str = "",
    max_value: float = 4,
    id_prefix: str = "",
) -> str:
    """The radar chart as a standalone `<svg>` element (safe to inline in HTML).

    Values are clamped to [0, max_value]; an unscored criterion is not drawn (never as a
    zero), the legend counts the criteria an option lacks and the description states each as
    "not scored"; when no option has a score the chart says so (its empty state).
    """
    title = title or _("Grille de développement durable")
    if not id_prefix:
        digest = hashlib.sha1(  # noqa: S324 (an element id, not security)
            repr(
                (title, [(s.label, list(s.values)) for s in series], [a.code for a in axes])
            ).encode()
        ).hexdigest()[:8]
        id_prefix = f"radar-{digest}"
    legend_top = CENTRE_Y + RADIUS + LABEL_GAP + 3 * LINE_HEIGHT + 28
    height = legend_top + LEGEND_ROW * max(len(series), 1) + 12
    description = _describe(series, axes, max_value) if axes else _("Aucun critère à représenter.")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {_fmt(height)}" width="100%" direction="ltr" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f"font-family=\"system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans Arabic', "
        f"'Noto Sans Armenian', sans-serif\">",
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{_fmt(height)}" fill="#ffffff"/>',
    ]
    count = len(axes)
    if count:
        # Rings for each step of the scale, then the axes.
        for step in range(1, int(max_value) + 1):
            fraction = step / max_value
            ring = " ".join(
                "{},{}".format(*map(_fmt, _point(i, count, fraction))) for i in range(count)
            )
            out.append(
                f'<polygon class="radar-ring" points="{ring}" fill="none" stroke="#c8c8c8" '
                f'stroke-width="1"/>'
            )
            x, y = _point(0, count, fraction)
            out.append(
                f'<text x="{_fmt(x + 6)}" y="{_fmt(y + 4)}" font-size="10" fill="#555555" '
                f'text-anchor="middle">{step}</text>'
            )
        for i, axis in enumerate(axes):
            x, y = _point(i, count, 1)
            out.append(
                f'<line x1="{_fmt(CENTRE_X)}" y1="{_fmt(CENTRE_Y)}" x2="{_fmt(x)}" y2="{_fmt(y)}" '
                f'stroke="#9a9a9a" stroke-width="1"/>'
            )
            out.append(_axis_label(i, count, axis))
        for n, item in enumerate(series):
            colour, dash, marker = (
                COLOURS[n % len(COLOURS)],
                DASHES[n % len(DASHES)],
                MARKERS[n % len(MARKERS)],
            )
            out.extend(_series(n, item, count, max_value, colour, dash, marker))
        if not any(_scored(item, count) for item in series):
            # The empty state: the criteria are there, no option is scored yet.
            out.append(
                f'<rect x="{_fmt(CENTRE_X - 230)}" y="{_fmt(CENTRE_Y - 22)}" width="460" '
                f'height="44" rx="6" fill="#ffffff" stroke="#9a9a9a"/>'
                f'<text class="radar-empty" x="{_fmt(CENTRE_X)}" y="{_fmt(CENTRE_Y + 5)}" '
                f'text-anchor="middle" font-size="{FONT_SIZE}" fill="{LABEL_COLOUR}">'
                f"{escape(_('Aucun critère n’est encore noté.'))}</text>"
            )
    else:
        out.append(
            f'<text x="{_fmt(CENTRE_X)}" y="{_fmt(CENTRE_Y)}" text-anchor="middle" '
            f'font-size="{FONT_SIZE}">{escape(_("Aucun critère à représenter."))}</text>'
        )
    # The legend: the same line pattern and marker as the polygon, then the option's name.
    for n, item in enumerate(series):
        colour, dash, marker = (
            COLOURS[n % len(COLOURS)],
            DASHES[n % len(DASHES)],
            MARKERS[n % len(MARKERS)],
        )
        y = legend_top + n * LEGEND_ROW
        x0 = 40
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<g class="radar-legend-item"><line x1="{x0}" y1="{y}" x2="{x0 + 44}" y2="{y}" '
            f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            f"{_marker(marker, x0 + 22, y, colour)}"
            f'<text x="{x0 + 56}" y="{y + 4}" font-size="{FONT_SIZE}" text-anchor="start" '
            f'fill="{LABEL_COLOUR}">{escape(_legend_label(item, count))}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)
