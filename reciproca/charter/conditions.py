"""The registry of gate conditions the charter file may name: one `ConditionSpec` per code.

A charter file names conditions by code (`diagnosis_shared`); the app that owns the data
registers the spec: its label, the **typed parameter model** a charter may fill in (`params:`
of the condition, validated when the charter loads: a misspelt or ill-typed parameter is
refused with its line), the check, and where a user finds or completes the evidence.

A check receives the subject and the validated parameter model instance, and returns the unmet
reasons, as sentences naming who or what is missing; an empty list means met. It may read the
charter's rules through `reciproca.charter.engine.rule` (the charter being evaluated).

A condition whose capability is not installed yet is registered as *planned*: it fails closed
with a reason saying so, so a gate is never passed for lack of code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict

CheckFunction = Callable[[Any, Any], list[str]]
# Given the raw `params:` mapping, the model that validates it (for conditions whose
# parameters depend on another parameter, such as `count_at_least` and its measure).
ParamsResolver = Callable[[Mapping[str, Any]], type[BaseModel]]


class Params(BaseModel):
    """Base of every parameter model: unknown keys refused, values not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class NoParams(Params):
    """A condition that takes no parameter."""


@dataclass(frozen=True)
class ConditionSpec:
    code: str
    label: str | Promise
    check: CheckFunction
    params: type[BaseModel] = NoParams
    # (URL name, anchor) of the page where a user finds or completes the evidence; the URL
    # takes the project's pk. ("", "") when there is no such page.
    evidence: tuple[str, str] = ("", "")
    # The capability that brings the real check; set only for planned conditions.
    capability: str | Promise | None = None
    doc: str = ""
    resolver: ParamsResolver | None = field(default=None, repr=False)
    # A label for given params ("au moins 2 élus impliqués"); the static label otherwise.
    describe: Callable[[Any], str] | None = field(default=None, repr=False)

    @property
    def is_planned(self) -> bool:
        return self.capability is not None

    def params_model(self, raw: Mapping[str, Any]) -> type[BaseModel]:
        return self.resolver(raw) if self.resolver is not None else self.params

    def validate_params(self, raw: Mapping[str, Any] | None) -> BaseModel:
        """The parameter model instance; raises pydantic's `ValidationError`."""
        raw = dict(raw or {})
        return self.params_model(raw).model_validate(raw)

    def label_for(self, params: BaseModel | None) -> str:
        if self.describe is not None and params is not None:
            return str(self.describe(params))
        return str(self.label)


_REGISTRY: dict[str, ConditionSpec] = {}


def register(
    code: str,
    *,
    label: str | Promise,
    params: type[BaseModel] = NoParams,
    evidence: tuple[str, str] = ("", ""),
    resolver: ParamsResolver | None = None,
    describe: Callable[[Any], str] | None = None,
    doc: str | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Decorator: `@register("diagnosis_shared", label=…, evidence=("diagnosis:overview",
    "#validation"))`. The check's docstring documents it unless `doc` is given.

    A real check replaces a planned one of the same code.
    """

    def decorator(func: CheckFunction) -> CheckFunction:
        existing = _REGISTRY.get(code)
        if existing and not existing.is_planned and existing.check is not func:
            raise ValueError(f"condition {code!r} is registered twice")
        _REGISTRY[code] = ConditionSpec(
            code=code,
            label=label,
            check=func,
            params=params,
            evidence=evidence,
            doc=_first_paragraph(doc if doc is not None else func.__doc__),
            resolver=resolver,
            describe=describe,
        )
        return func

    return decorator


def register_planned(
    code: str,
    *,
    label: str | Promise,
    capability: str | Promise,
    params: type[BaseModel] = NoParams,
    evidence: tuple[str, str] = ("", ""),
    resolver: ParamsResolver | None = None,
    doc: str = "",
) -> None:
    """Declare a condition whose data arrive with a later capability: it fails closed.

    Its parameters are declared already, so a charter naming it is validated like any other.
    """
    if code in _REGISTRY and not _REGISTRY[code].is_planned:
        return

    def fail_closed(subject: Any, params: Any) -> list[str]:
        return [
            # The capability may be singular or plural ("le cadre de résultats", "les plans
            # de financement"): the sentence does not agree with it.
            _(
                "« %(label)s » ne peut pas encore être vérifié : Reciproca ne gère pas "
                "encore %(capability)s."
            )
            % {"label": label, "capability": capability}
        ]

    _REGISTRY[code] = ConditionSpec(
        code=code,
        label=label,
        check=fail_closed,
        params=params,
        evidence=evidence,
        capability=capability,
        doc=doc,
        resolver=resolver,
    )


def get(code: str) -> ConditionSpec:
    return _REGISTRY[code]


def known_codes() -> set[str]:
    return set(_REGISTRY)


def specs() -> list[ConditionSpec]:
    """Every registered condition, by code."""
    return [_REGISTRY[code] for code in sorted(_REGISTRY)]


def _first_paragraph(text: str | None) -> str:
    if not text:
        return ""
    paragraph = text.strip().split("\n\n")[0]
    return " ".join(paragraph.split())
