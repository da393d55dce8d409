"""What the active charter asks the diagnosis to cover: the impact matrix's axes and the
criteria of the sustainable-development grid (PRJ-3, PRJ-13, PRJ-14).

The grid is the charter's finalités and process elements, plus, when the charter says priority
themes are scored, the priority themes the project is tagged with (scoring a project on themes
it does not claim to serve would say nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reciproca.charter import engine
from reciproca.charter.models import Charter
from reciproca.diagnosis.models import Dimension, Directness, Horizon, ResponseKind

THEME_PREFIX = "theme:"


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    group: str | Promise


@dataclass(frozen=True)
class MatrixAxes:
    dimensions: tuple[str, ...]
    kinds: tuple[str, ...]
    horizons: tuple[str, ...]


def _known(values: Any, choices: Iterable[str]) -> tuple[str, ...]:
    allowed = list(choices)
    if not isinstance(values, list):
        return tuple(allowed)
    chosen = tuple(v for v in values if v in allowed)
    return chosen or tuple(allowed)


def matrix_axes(
    params: dict[str, Any] | None = None, *, charter: Charter | None = None
) -> MatrixAxes:
    """The dimensions, kinds and horizons the charter's rules ask for (all of them by default).

    `params` are a gate condition's parameters (the rules overlaid with its own); without them
    the active charter's rules are read.
    """
    if params is None:
        try:
            params = engine.rules(charter=charter)
        except engine.CharterNotLoaded:
            params = {}
    return MatrixAxes(
        dimensions=_known(params.get("impact_dimensions"), Dimension.values),
        kinds=_known(params.get("impact_kinds"), Directness.values),
        horizons=_known(params.get("impact_horizons"), Horizon.values),
    )


def response_kinds(params: dict[str, Any] | None = None) -> tuple[str, ...]:
    if params is None:
        try:
            params = engine.rules()
        except engine.CharterNotLoaded:
            params = {}
    return _known(params.get("negative_impact_responses"), ResponseKind.values)


def criteria(
    *, theme_codes_and_names: Iterable[tuple[str, str]], charter: Charter | None = None
) -> list[Criterion]:
    """The grid's criteria, in the charter's order: finalités, process elements, themes."""
    try:
        grid = engine.sd_grid(charter=charter)
    except engine.CharterNotLoaded:
        return []
    result: list[Criterion] = []
    if grid is not None:
        result.extend(
            Criterion(code=item.code, name=str(item.name), group=_("Finalités"))
            for item in grid.finalities
        )
        result.extend(
            Criterion(code=item.code, name=str(item.name), group=_("Éléments de démarche"))
            for item in grid.process_elements
        )
    if grid is None or grid.score_priority_themes:
        result.extend(
            Criterion(code=f"{THEME_PREFIX}{code}", name=name, group=_("Thèmes prioritaires"))
            for code, name in theme_codes_and_names
        )
    return result


def project_criteria(project: Any, *, charter: Charter | None = None) -> list[Criterion]:
    """The criteria one project is scored on (reads the project's themes: one query, or none
    when they were prefetched)."""
    themes = sorted(project.themes.all(), key=lambda t: (t.position, t.pk))
    return criteria(theme_codes_and_names=[(t.code, str(t)) for t in themes], charter=charter)
