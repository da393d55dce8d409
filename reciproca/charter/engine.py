"""The public read API of the active charter: its gates, rules, clauses and themes.

Other apps ask this module, never the charter tables: `evaluate("start_implementation",
project)` returns every unmet condition with a sentence a user can act on. Each call reads the
active charter once (the gates and rules live in its validated document).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from reciproca.charter import conditions
from reciproca.charter.models import Charter, Clause, Theme
from reciproca.charter.schema import TRANSITIONS
from reciproca.core.exceptions import DomainError

_MISSING: Any = object()


class CharterNotLoaded(DomainError):
    """No charter is active: the workflow cannot know its rules, so it refuses."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Aucune charte n'est en vigueur. Chargez-en une avec la commande "
                "« reciproca charter load FICHIER » (sans fichier : la charte par défaut)."
            )
        )


@dataclass(frozen=True)
class Localized:
    """A text in several languages; `str()` gives the active language's, else French's."""

    texts: Mapping[str, str | None]

    def get(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "fr").split("-")[0]
        return self.texts.get(language) or self.texts.get("fr") or ""

    def __str__(self) -> str:
        return self.get()


@dataclass(frozen=True)
class Principle:
    code: str
    name: Localized
    text: Localized


@dataclass(frozen=True)
class GridItem:
    code: str
    name: Localized


@dataclass(frozen=True)
class SdGrid:
    """The sustainable-development assessment grid (PRJ-14) the diagnosis scores."""

    finalities: tuple[GridItem, ...]
    process_elements: tuple[GridItem, ...]
    score_priority_themes: bool


@dataclass(frozen=True)
class GateCondition:
    """One condition of a transition's gate.

    `params` are the charter's rules overlaid with the condition's own params, so a check reads
    `params["min_alternatives"]` and a charter can still set another value for one gate.
    """

    check: str
    params: dict[str, Any]
    clauses: tuple[str, ...]
    label: str
    is_planned: bool = False


@dataclass(frozen=True)
class UnmetCondition:
    check: str
    label: str
    clauses: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class _Document:
    """The parts of `Charter.document` the engine reads."""

    raw: dict[str, Any] = field(repr=False)

    @property
    def rules(self) -> dict[str, Any]:
        return dict(self.raw.get("rules") or {})

    @property
    def gates(self) -> list[dict[str, Any]]:
        return list(self.raw.get("gates") or [])


def active_charter() -> Charter:
    """The charter in force; raises `CharterNotLoaded` when none is."""
    charter = Charter.objects.filter(is_active=True).first()
    if charter is None:
        raise CharterNotLoaded
    return charter


def _charter(charter: Charter | None) -> Charter:
    return charter if charter is not None else active_charter()


def rules(*, charter: Charter | None = None) -> dict[str, Any]:
    """Every named parameter of the charter (`min_alternatives`, `agreement_warning_days`…)."""
    return _Document(_charter(charter).document).rules


def rule(name: str, default: Any = _MISSING, *, charter: Charter | None = None) -> Any:
    """A named parameter of the active charter; `default` when the charter does not set it.

    Without a default, a rule the charter does not set raises `KeyError`.
    """
    values = rules(charter=charter)
    if name in values:
        return values[name]
    if default is _MISSING:
        raise KeyError(name)
    return default


def gate(transition: str, *, charter: Charter | None = None) -> list[GateCondition]:
    """The conditions the charter puts on a transition (an empty list: none)."""
    if transition not in TRANSITIONS:
        raise ValueError(f"unknown transition {transition!r}; known: {', '.join(TRANSITIONS)}")
    document = _Document(_charter(charter).document)
    charter_rules = document.rules
    known = conditions.known_codes()
    result: list[GateCondition] = []
    for entry in document.gates:
        if entry["transition"] != transition:
            continue
        for condition in entry.get("conditions") or []:
            code = condition["check"]
            spec = conditions.get(code) if code in known else None
            result.append(
                GateCondition(
                    check=code,
                    params={**charter_rules, **(condition.get("params") or {})},
                    clauses=tuple(condition["clauses"]),
                    label=str(spec.label) if spec is not None else code,
                    is_planned=spec.is_planned if spec is not None else True,
                )
            )
    return result


def gates(*, charter: Charter | None = None) -> dict[str, list[GateCondition]]:
    """Every transition with the conditions on it, in the workflow's order."""
    charter = _charter(charter)
    return {transition: gate(transition, charter=charter) for transition in TRANSITIONS}


def evaluate(
    transition: str, subject: Any, *, charter: Charter | None = None
) -> list[UnmetCondition]:
    """Every unmet condition of a transition for `subject`, one per reason; empty: allowed.

    A condition whose check is not installed fails closed: a gate is never passed for lack
    of code.
    """
    unmet: list[UnmetCondition] = []
    for condition in gate(transition, charter=charter):
        if condition.check in conditions.known_codes():
            reasons = conditions.get(condition.check).check(subject, dict(condition.params))
        else:
            reasons = [
                _("la condition « %(code)s » n'est pas connue de cette installation")
                % {"code": condition.check}
            ]
        unmet.extend(
            UnmetCondition(
                check=condition.check,
                label=condition.label,
                clauses=condition.clauses,
                reason=str(reason),
            )
            for reason in reasons
        )
    return unmet


def clauses(*, charter: Charter | None = None) -> QuerySet[Clause]:
    """The clauses of the active charter (or of `charter`), in the charter's order."""
    if charter is not None:
        return Clause.objects.filter(charter=charter).order_by("position")
    return Clause.objects.filter(charter__is_active=True).order_by("position")


def themes(*, charter: Charter | None = None) -> QuerySet[Theme]:
    """The priority themes of the active charter (or of `charter`), in the charter's order."""
    if charter is not None:
        return Theme.objects.filter(charter=charter).order_by("position")
    return Theme.objects.filter(charter__is_active=True).order_by("position")


def principles(*, charter: Charter | None = None) -> list[Principle]:
    document = _charter(charter).document
    return [_principle(item) for item in document.get("principles") or []]


def objectives(*, charter: Charter | None = None) -> list[Principle]:
    document = _charter(charter).document
    return [_principle(item) for item in document.get("objectives") or []]


def sd_grid(*, charter: Charter | None = None) -> SdGrid | None:
    """The sustainable-development grid, or None when the charter has none."""
    grid = _charter(charter).document.get("sd_grid")
    if not grid:
        return None
    return SdGrid(
        finalities=tuple(_grid_item(item) for item in grid.get("finalities") or []),
        process_elements=tuple(_grid_item(item) for item in grid.get("process_elements") or []),
        score_priority_themes=bool(grid.get("score_priority_themes", True)),
    )


def _principle(item: dict[str, Any]) -> Principle:
    return Principle(code=item["code"], name=Localized(item["name"]), text=Localized(item["text"]))


def _grid_item(item: dict[str, Any]) -> GridItem:
    return GridItem(code=item["code"], name=Localized(item["name"]))
