"""SVG charts of the results, the same functions on screen and in printable reports: an
indicator's progress (reported values, cumulative line, targets) and the portfolio's share of
women and young people among participants."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

W, H, PAD = 420, 160, 28


def _y(value: Decimal | float, top: float) -> float:
    top = top or 1.0
    return H - PAD - (float(value) / top) * (H - 2 * PAD)


def progress_svg(
    title: str,
    labels: Sequence[str],
    cumulative: Sequence[Decimal | None],
    targets: Sequence[Decimal | None],
) -> SafeString:
    """Bars: the cumulative value at each period; ticks: the target. Labelled for screen
    readers; the same numbers are in the table next to it."""
    n = max(len(labels), 1)
    label = _("Progression de « %(title)s »") % {"title": title}
    numbers = [float(v) for v in (*cumulative, *targets) if v is not None]
    top = max(numbers, default=1.0) or 1.0
    step = (W - 2 * PAD) / n
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
        f'class="chart chart--progress" aria-label="{escape(label)}">',
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" '
        'stroke="currentColor" stroke-width="1"/>',
    ]
    for i, label in enumerate(labels):
        x = PAD + i * step + step * 0.2
        value = cumulative[i] if i < len(cumulative) else None
        if value is not None:
            y = _y(value, top)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.6:.1f}" '
                f'height="{H - PAD - y:.1f}" '
                f'class="chart__bar"><title>{escape(label)} : {escape(str(value))}</title></rect>'
            )
        target = targets[i] if i < len(targets) else None
        if target is not None:
            ty = _y(target, top)
            parts.append(
                f'<line x1="{x - 2:.1f}" y1="{ty:.1f}" x2="{x + step * 0.6 + 2:.1f}" y2="{ty:.1f}" '
                f'class="chart__target" stroke-width="3"/>'
            )
        if n <= 12:
            parts.append(
                f'<text x="{x + step * 0.3:.1f}" y="{H - PAD + 14}" text-anchor="middle" '
                f'font-size="9">{escape(label[:10])}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)


def shares_svg(rows: Sequence[tuple[str, float, float]]) -> SafeString:
    """One group per row (year and partnership): share of women and of young people, in %."""
    height = 30 + 36 * len(rows)
    label = _("Part des femmes et des jeunes parmi les participants")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" role="img" '
        f'class="chart chart--shares" aria-label="{escape(label)}">'
    ]
    for i, (label, women, young) in enumerate(rows):
        y = 20 + i * 36
        parts.append(f'<text x="0" y="{y + 10}" font-size="10">{escape(label[:40])}</text>')
        for j, (share, css) in enumerate(((women, "chart__women"), (young, "chart__young"))):
            width = (W - 160) * share / 100
            parts.append(
                f'<rect x="150" y="{y + j * 13}" width="{width:.1f}" height="11" class="{css}">'
                f"<title>{share:.0f} %</title></rect>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308
