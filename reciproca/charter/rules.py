"""The registry of charter *rules*: the named, typed parameters a charter's `rules:` may set.

Each rule is registered by the app that reads it, with its type and range (a pydantic type,
e.g. `Annotated[int, Field(ge=0, le=3650)]`), its default (what applies when the charter does
not set it), a label and a sentence of documentation. The loader refuses an unknown rule and an
ill-typed or out-of-range value with its line; `engine.rule(name)` returns the charter's value
or the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.utils.functional import Promise
from pydantic import ConfigDict, TypeAdapter


@dataclass(frozen=True)
class RuleSpec:
    name: str
    type: Any
    default: Any
    label: str | Promise
    doc: str | Promise = ""
    clauses: tuple[str, ...] = ()
    owner: str = ""

    @cached_property
    def adapter(self) -> TypeAdapter[Any]:
        return TypeAdapter(self.type, config=ConfigDict(strict=True))

    def validate(self, value: Any) -> Any:
        """The typed value; raises pydantic's `ValidationError`."""
        return self.adapter.validate_python(value)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = self.adapter.json_schema()
        return schema


_REGISTRY: dict[str, RuleSpec] = {}


def register_rule(
    name: str,
    *,
    type: Any,
    default: Any,
    label: str | Promise,
    doc: str | Promise = "",
    clauses: tuple[str, ...] = (),
    owner: str = "",
) -> RuleSpec:
    """Declare a rule; registering the same name again with the same type is harmless."""
    spec = RuleSpec(
        name=name,
        type=type,
        default=default,
        label=label,
        doc=doc,
        clauses=clauses,
        owner=owner,
    )
    existing = _REGISTRY.get(name)
    if existing is not None and existing.owner != owner:
        raise ValueError(f"rule {name!r} is already registered by {existing.owner!r}")
    spec.validate(default)
    _REGISTRY[name] = spec
    return spec


def get(name: str) -> RuleSpec:
    return _REGISTRY[name]


def known_rules() -> set[str]:
    return set(_REGISTRY)


def specs() -> list[RuleSpec]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def defaults() -> dict[str, Any]:
    return {name: spec.default for name, spec in sorted(_REGISTRY.items())}
