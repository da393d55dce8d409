"""The public read API of the active charter: its gates, rules, clauses and themes.

Other apps ask this module, never the charter tables: `check_gate("start_implementation",
project)` returns every condition of the gate, met or not, with sentences a user can act on;
`check_gates(project)` every gate at once; `evaluate(...)` only the unmet ones. Within a request
(`ActiveCharterMiddleware`) the active charter and its parsed document are read once; outside a
request every call reads the database, so a charter loaded meanwhile is never missed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from pydantic import BaseModel, ValidationError

from reciproca.charter import conditions
from reciproca.charter import rules as rule_registry
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
    """One condition of a transition's gate, as the charter writes it.

    `params` are the condition's own parameters, validated against its spec when the charter
    loaded (`model` is the validated instance the check receives; None when the condition is
    unknown to this installation or its parameters no longer validate).
    """

    check: str
    params: dict[str, Any]
    clauses: tuple[str, ...]
    label: str
    is_planned: bool = False
    model: BaseModel | None = field(default=None, compare=False, repr=False)
    problem: str = ""


@dataclass(frozen=True)
class UnmetCondition:
    check: str
    label: str
    clauses: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class ConditionResult:
    """One gate condition evaluated for a subject: met when it has no reason."""

    check: str
    label: str
    clauses: tuple[str, ...]
    params: dict[str, Any]
    reasons: tuple[str, ...]
    is_planned: bool
    evidence: tuple[str, str]  # (URL name, anchor) or ("", "")

    @property
    def is_met(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class GateResult:
    """A transition's gate evaluated for a subject: open when every condition is met."""

    transition: str
    conditions: tuple[ConditionResult, ...]

    @property
    def is_met(self) -> bool:
        return all(condition.is_met for condition in self.conditions)

    @property
    def unmet(self) -> tuple[ConditionResult, ...]:
        return tuple(condition for condition in self.conditions if not condition.is_met)


class _Document:
    """The parts of `Charter.document` the engine reads, parsed once per charter per request."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.charter_rules: dict[str, Any] = dict(raw.get("rules") or {})
        self._gates: dict[str, list[GateCondition]] | None = None

    @property
    def rules(self) -> dict[str, Any]:
        return {**rule_registry.defaults(), **self.charter_rules}

    @property
    def gates(self) -> dict[str, list[GateCondition]]:
        if self._gates is None:
            self._gates = _parse_gates(self.raw)
        return self._gates


def _parse_gates(raw: dict[str, Any]) -> dict[str, list[GateCondition]]:
    result: dict[str, list[GateCondition]] = {transition: [] for transition in TRANSITIONS}
    for entry in raw.get("gates") or []:
        if entry["transition"] not in result:
            continue
        for condition in entry.get("conditions") or []:
            code = condition["check"]
            params = dict(condition.get("params") or {})
            clauses_cited = tuple(condition["clauses"])
            if code not in conditions.known_codes():
                result[entry["transition"]].append(
                    GateCondition(
                        check=code,
                        params=params,
                        clauses=clauses_cited,
                        label=code,
                        is_planned=True,
                        problem=_(
                            "la condition « %(code)s » n'est pas connue de cette installation"
                        )
                        % {"code": code},
                    )
                )
                continue
            spec = conditions.get(code)
            model: BaseModel | None = None
            problem = ""
            try:
                model = spec.validate_params(params)
            except ValidationError:
                # Validated at load; only a change of the installation gets here.
                problem = _(
                    "les paramètres de la condition « %(code)s » ne sont plus valides pour "
                    "cette installation : rechargez la charte"
                ) % {"code": code}
            result[entry["transition"]].append(
                GateCondition(
                    check=code,
                    params=params,
                    clauses=clauses_cited,
                    label=spec.label_for(model),
                    is_planned=spec.is_planned,
                    model=model,
                    problem=problem,
                )
            )
    return result


# --- the charter in force, read once per request --------------------------------------------

# Set by `ActiveCharterMiddleware` for the length of a request: the active charter and the
# parsed documents. Outside a request (commands, tests) there is no cache: every call reads.
_request_cache: ContextVar[dict[Any, Any] | None] = ContextVar(
    "reciproca_charter_cache", default=None
)
# The charter a gate is being evaluated against, so a check's `rule()` reads that charter.
_evaluating: ContextVar[Charter | None] = ContextVar("reciproca_charter_evaluating", default=None)
# What checks share while one `check_gates` call runs (see `memo`).
_memo: ContextVar[dict[Any, Any] | None] = ContextVar("reciproca_charter_memo", default=None)


def memo(key: Any, compute: Callable[[], Any]) -> Any:
    """A value several checks read during one evaluation (the project's diagnosis, its
    matrix): computed once per `check_gates` call, never kept beyond it, so a check never
    sees data older than the evaluation. Outside an evaluation it is computed every time."""
    cache = _memo.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


@contextmanager
def sharing(values: Mapping[Any, Any] | None = None) -> Iterator[None]:
    """Evaluations inside the block share one memo, starting from `values`: the rows a page
    has already read in this request, under the keys the checks read them by (e.g.
    `diagnosis.gates.page_facts`), so that a page and its checklist read them once. Only for
    a page that writes nothing in between; the memo ends with the block."""
    token = _memo.set(dict(values or {}))
    try:
        yield
    finally:
        _memo.reset(token)


@contextmanager
def request_cache() -> Iterator[None]:
    """Cache the active charter and its parsed document until the block ends."""
    token = _request_cache.set({})
    try:
        yield
    finally:
        _request_cache.reset(token)


def invalidate() -> None:
    """Forget the cached charter (the loader calls it when a charter is loaded or activated)."""
    cache = _request_cache.get()
    if cache is not None:
        cache.clear()


def active_charter() -> Charter:
    """The charter in force; raises `CharterNotLoaded` when none is."""
    cache = _request_cache.get()
    if cache is not None and "active" in cache:
        charter: Charter = cache["active"]
        return charter
    found = Charter.objects.filter(is_active=True).first()
    if found is None:
        raise CharterNotLoaded
    if cache is not None:
        cache["active"] = found
    return found


def _charter(charter: Charter | None) -> Charter:
    if charter is not None:
        return charter
    evaluating = _evaluating.get()
    return evaluating if evaluating is not None else active_charter()


def current_charter() -> Charter:
    """The charter being evaluated (inside a check), else the one in force."""
    return _charter(None)


def _document(charter: Charter) -> _Document:
    cache = _request_cache.get()
    if cache is None:
        return _Document(charter.document)
    key = ("document", charter.pk, charter.source_sha256)
    document = cache.get(key)
    if document is None:
        document = cache[key] = _Document(charter.document)
    assert isinstance(document, _Document)
    return document


def charter_ref(charter: Charter | None = None) -> dict[str, Any]:
    """Which charter a result comes from: `{"charter": slug, "version": …, "title": …}`."""
    charter = _charter(charter)
    return {"charter": charter.slug, "version": charter.version, "title": charter.title}


def rules(*, charter: Charter | None = None) -> dict[str, Any]:
    """Every rule: the charter's value, or the registered default when it sets none."""
    return _document(_charter(charter)).rules


def rule(name: str, default: Any = _MISSING, *, charter: Charter | None = None) -> Any:
    """A named parameter of the charter in force (or being evaluated).

    The charter's value, else the rule's registered default, else `default`; a rule nobody
    registered and the charter does not set raises `KeyError` without a default.
    """
    values = rules(charter=charter)
    if name in values:
        return values[name]
    if default is _MISSING:
        raise KeyError(name)
    return default


def _check_transition(transition: str) -> None:
    if transition not in TRANSITIONS:
        raise ValueError(f"unknown transition {transition!r}; known: {', '.join(TRANSITIONS)}")


def gate(transition: str, *, charter: Charter | None = None) -> list[GateCondition]:
    """The conditions the charter puts on a transition (an empty list: none)."""
    _check_transition(transition)
    return list(_document(_charter(charter)).gates[transition])


def gates(*, charter: Charter | None = None) -> dict[str, list[GateCondition]]:
    """Every transition with the conditions on it, in the workflow's order."""
    parsed = _document(_charter(charter)).gates
    return {transition: list(parsed[transition]) for transition in TRANSITIONS}


def _params_key(condition: GateCondition) -> tuple[str, str]:
    return condition.check, json.dumps(condition.params, sort_keys=True, default=str)


def _run(condition: GateCondition, subject: Any, charter: Charter) -> tuple[str, ...]:
    if condition.problem:
        return (condition.problem,)
    spec = conditions.get(condition.check)
    token = _evaluating.set(charter)
    try:
        return tuple(str(reason) for reason in spec.check(subject, condition.model))
    finally:
        _evaluating.reset(token)


def _result(condition: GateCondition, reasons: tuple[str, ...]) -> ConditionResult:
    known = condition.check in conditions.known_codes()
    return ConditionResult(
        check=condition.check,
        label=condition.label,
        clauses=condition.clauses,
        params=dict(condition.params),
        reasons=reasons,
        is_planned=condition.is_planned,
        evidence=conditions.get(condition.check).evidence if known else ("", ""),
    )


def check_gates(
    subject: Any,
    *,
    transitions: Iterable[str] | None = None,
    charter: Charter | None = None,
) -> dict[str, GateResult]:
    """Every gate (or those of `transitions`) evaluated for `subject`, in the workflow's order.

    A condition that appears in several gates with the same params is evaluated once.
    """
    charter = _charter(charter)
    wanted = set(TRANSITIONS if transitions is None else transitions)
    for name in wanted:
        _check_transition(name)
    parsed = _document(charter).gates
    seen: dict[tuple[str, str], tuple[str, ...]] = {}
    results: dict[str, GateResult] = {}
    token = _memo.set({}) if _memo.get() is None else None
    try:
        _evaluate_into(results, seen, parsed, wanted, subject, charter)
    finally:
        if token is not None:
            _memo.reset(token)
    return results


def _evaluate_into(
    results: dict[str, GateResult],
    seen: dict[tuple[str, str], tuple[str, ...]],
    parsed: dict[str, list[GateCondition]],
    wanted: set[str],
    subject: Any,
    charter: Charter,
) -> None:
    for transition in TRANSITIONS:
        if transition not in wanted:
            continue
        evaluated = []
        for condition in parsed[transition]:
            key = _params_key(condition)
            if key not in seen:
                seen[key] = _run(condition, subject, charter)
            evaluated.append(_result(condition, seen[key]))
        results[transition] = GateResult(transition=transition, conditions=tuple(evaluated))


def check_gate(transition: str, subject: Any, *, charter: Charter | None = None) -> GateResult:
    """One transition's gate evaluated for `subject`: every condition, met or not."""
    return check_gates(subject, transitions=[transition], charter=charter)[transition]


def evaluate(
    transition: str, subject: Any, *, charter: Charter | None = None
) -> list[UnmetCondition]:
    """Every unmet condition of a transition for `subject`, one per reason; empty: allowed.

    A condition whose check is not installed fails closed: a gate is never passed for lack
    of code.
    """
    return [
        UnmetCondition(
            check=condition.check,
            label=condition.label,
            clauses=condition.clauses,
            reason=reason,
        )
        for condition in check_gate(transition, subject, charter=charter).conditions
        for reason in condition.reasons
    ]


# A loaded charter's clauses never change (a new text is a new charter row, the admin reads
# only): kept per process by charter and text digest.
_clauses_by_charter: dict[tuple[int, str], list[Clause]] = {}


def charter_clauses(charter: Charter) -> list[Clause]:
    """The clauses of `charter`, in its order, read once per process."""
    key = (charter.pk, charter.source_sha256)
    found = _clauses_by_charter.get(key)
    if found is None:
        found = _clauses_by_charter[key] = list(clauses(charter=charter))
    return found


def clauses(*, charter: Charter | None = None) -> QuerySet[Clause]:
    """The clauses of the active charter (or of `charter`), in the charter's order."""
    charter = charter if charter is not None else _evaluating.get()
    if charter is not None:
        return Clause.objects.filter(charter=charter).order_by("position")
    return Clause.objects.filter(charter__is_active=True).order_by("position")


def themes(*, charter: Charter | None = None) -> QuerySet[Theme]:
    """The priority themes of the active charter (or of `charter`), in the charter's order."""
    charter = charter if charter is not None else _evaluating.get()
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
