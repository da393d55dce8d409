"""The registry of gate conditions the charter file may name.

A charter file names conditions by code (`diagnosis_shared`); the app that owns the data
registers the check that evaluates it (the diagnosis app registers `diagnosis_shared`). A check
returns the unmet reasons, as sentences naming who or what is missing; an empty list means met.

A condition whose capability is not installed yet is registered as *planned*: it fails closed
with a reason saying so, so a gate is never passed for lack of code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

CheckFunction = Callable[[Any, dict[str, Any]], list[str]]


@dataclass(frozen=True)
class ConditionSpec:
    code: str
    label: str | Promise
    check: CheckFunction
    is_planned: bool = False


_REGISTRY: dict[str, ConditionSpec] = {}


def register(code: str, *, label: str | Promise) -> Callable[[CheckFunction], CheckFunction]:
    """Decorator: `@register("diagnosis_shared", label=_("diagnostic partagé validé"))`.

    A real check replaces a planned one of the same code.
    """

    def decorator(func: CheckFunction) -> CheckFunction:
        existing = _REGISTRY.get(code)
        if existing and not existing.is_planned and existing.check is not func:
            raise ValueError(f"condition {code!r} is registered twice")
        _REGISTRY[code] = ConditionSpec(code=code, label=label, check=func)
        return func

    return decorator


def register_planned(code: str, *, label: str | Promise, capability: str | Promise) -> None:
    """Declare a condition whose data arrive with a later capability: it fails closed."""
    if code in _REGISTRY and not _REGISTRY[code].is_planned:
        return

    def fail_closed(subject: Any, params: dict[str, Any]) -> list[str]:
        return [
            _(
                "« %(label)s » ne peut pas encore être vérifié : %(capability)s n'est pas "
                "encore disponible."
            )
            % {"label": label, "capability": capability}
        ]

    _REGISTRY[code] = ConditionSpec(code=code, label=label, check=fail_closed, is_planned=True)


def get(code: str) -> ConditionSpec:
    return _REGISTRY[code]


def known_codes() -> set[str]:
    return set(_REGISTRY)
