"""Bar charts as SVG strings written by hand (budget against actual, the reciprocity balance,
the share of own revenue): two series told apart by colour AND pattern, a legend, a `<title>`
and a `<desc>` stating every value; each page also gives the same figures as a table."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#0072B2", "#D55E00")
WIDTH = 640
HEIGHT = 260
MARGIN_LEFT = 60
MARGIN_BOTTOM = 40
TOP = 30


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


def bars(
    *, title: str, categories: Sequence[str], series: Sequence[Series], unit: str = ""
) -> SafeString:
    """Grouped vertical bars, one group per category (a year), one bar per series; nothing
    when there is nothing to draw (the table beside it says so)."""
    if not categories:
        return mark_safe("")
    key = hashlib.sha1(title.encode()).hexdigest()[:8]  # noqa: S324  (an id, not a secret)
    values = [v for s in series for v in s.values if v is not None]
    top = max([*values, 1.0])
    plot_h = HEIGHT - MARGIN_BOTTOM - TOP
    plot_w = WIDTH - MARGIN_LEFT - 10
    group_w = plot_w / max(1, len(categories))
    bar_w = group_w * 0.8 / max(1, len(series))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 30}" '
        f'role="img" aria-labelledby="chart-t-{key} chart-d-{key}" direction="ltr" class="chart">',
        f'<title id="chart-t-{key}">{escape(title)}</title>',
    ]
    desc = "; ".join(
        f"{escape(cat)} — "
        + ", ".join(
            f"{escape(s.label)} : {'—' if s.values[i] is None else f'{s.values[i]:,.1f}'} {unit}"
            for s in series
        )
        for i, cat in enumerate(categories)
    )
    parts.append(f'<desc id="chart-d-{key}">{desc}</desc>')
    parts.append(
        f'<defs><pattern id="hatch-{key}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#D55E00"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern></defs>'
    )
    base_y = TOP + plot_h
    parts.append(
        f'<line x1="{MARGIN_LEFT}" y1="{base_y}" x2="{WIDTH - 10}" y2="{base_y}" stroke="#333"/>'
    )
    parts.append(
        f'<text x="{MARGIN_LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="11">'
        f"{top:,.0f}</text>"
    )
    for i, category in enumerate(categories):
        x0 = MARGIN_LEFT + i * group_w + group_w * 0.1
        for j, s in enumerate(series):
            value = s.values[i]
            if value is None:
                continue
            h = plot_h * max(0.0, value) / top
            fill = COLOURS[0] if j == 0 else f"url(#hatch-{key})"
            parts.append(
                f'<rect x="{x0 + j * bar_w:.1f}" y="{base_y - h:.1f}" width="{bar_w * 0.9:.1f}" '
                f'height="{h:.1f}" fill="{fill}" stroke="#333" stroke-width="0.5"/>'
            )
        parts.append(
            f'<text x="{x0 + group_w * 0.4:.1f}" y="{base_y + 16}" text-anchor="middle" '
            f'font-size="12">{escape(category)}</text>'
        )
    for j, s in enumerate(series):
        lx = MARGIN_LEFT + j * 220
        fill = COLOURS[0] if j == 0 else f"url(#hatch-{key})"
        parts.append(
            f'<rect x="{lx}" y="{HEIGHT + 6}" width="14" height="14" fill="{fill}" stroke="#333"/>'
            f'<text x="{lx + 20}" y="{HEIGHT + 18}" font-size="12">{escape(s.label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text is escaped above)
