"""Measures, and the generic conditions over them that a charter uses without Python.

An app registers the *measures* of the data it owns (`project.elected_officials`, `project.actors`,
`diagnosis.needs`…): a label, the filters a charter may add (a typed model: `kind`, `side`…)
and a function counting them for a project. A charter then writes

```yaml
- check: count_at_least
  clauses: [COO-2]
  params: {measure: project.elected_officials, min: 2}
- check: count_at_least
  clauses: [COO-1]
  params: {measure: project.actors, kind: ASSOCIATION, role_contains: jeunesse, min: 1}
```

and the loader validates the measure's name and its filters like any other parameter (line
and field). `share_at_least` reads the *share measures* (a share of a total, in percent) that
the finance app registers with `register_share_measure` (e.g. `budget.category_share` with
`category: MONITORING_EVALUATION`, for an evaluation share of at least 5 %).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, Field, StringConstraints, ValidationError, create_model
from pydantic_core import InitErrorDetails, PydanticCustomError

from reciproca.charter import conditions
from reciproca.charter.conditions import NoParams, Params

MEASURE_PATTERN = r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"
MeasureName = Annotated[str, StringConstraints(pattern=MEASURE_PATTERN, max_length=80)]
Minimum = Annotated[int, Field(ge=0, le=100_000)]
Percent = Annotated[float, Field(ge=0, le=100)]

CountFunction = Callable[[Any, Any], int]


@dataclass(frozen=True)
class MeasureSpec:
    name: str
    label: str | Promise
    count: CountFunction
    filters: type[BaseModel] = NoParams
    doc: str = ""
    owner: str = ""
    # What the filters add to the label ("de nature association"); none by default.
    describe: Callable[[Any], str] | None = None

    def label_for(self, filters: Any) -> str:
        extra = self.describe(filters) if self.describe is not None else ""
        return f"{self.label} {extra}".strip() if extra else str(self.label)


_REGISTRY: dict[str, MeasureSpec] = {}


def register_measure(
    name: str,
    *,
    label: str | Promise,
    filters: type[BaseModel] = NoParams,
    doc: str | None = None,
    owner: str = "",
    describe: Callable[[Any], str] | None = None,
) -> Callable[[CountFunction], CountFunction]:
    """Decorator on the counting function: `count(subject, filters) -> int`."""

    def decorator(func: CountFunction) -> CountFunction:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.count is not func and existing.owner != owner:
            raise ValueError(f"measure {name!r} is registered twice")
        _REGISTRY[name] = MeasureSpec(
            name=name,
            label=label,
            count=func,
            filters=filters,
            doc=conditions._first_paragraph(doc if doc is not None else func.__doc__),
            owner=owner,
            describe=describe,
        )
        return func

    return decorator


def get(name: str) -> MeasureSpec:
    return _REGISTRY[name]


def known_measures() -> set[str]:
    return set(_REGISTRY)


def specs() -> list[MeasureSpec]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


# --- count_at_least ----------------------------------------------------------------------------


class CountAtLeast(Params):
    """`measure`: a registered measure; `min`: the minimum count; then the measure's filters."""

    measure: MeasureName
    min: Minimum


_MODELS: dict[tuple[str, type[BaseModel]], type[BaseModel]] = {}


def _count_model(spec: MeasureSpec) -> type[BaseModel]:
    """`CountAtLeast` with the measure's filters as further fields (unknown keys refused)."""
    key = (spec.name, spec.filters)
    if key not in _MODELS:
        fields: dict[str, Any] = {
            name: (info.annotation, info) for name, info in spec.filters.model_fields.items()
        }
        _MODELS[key] = create_model(
            f"CountAtLeast_{spec.name.replace('.', '_')}",
            __base__=CountAtLeast,
            __doc__=CountAtLeast.__doc__,
            **fields,
        )
    return _MODELS[key]


def _unknown_measure(value: Any) -> ValidationError:
    known = ", ".join(sorted(_REGISTRY)) or "—"
    error = InitErrorDetails(
        type=PydanticCustomError(
            "unknown_measure",
            str(_("mesure inconnue : {measure} (mesures connues : {known})")),
            {"measure": str(value), "known": known},
        ),
        loc=("measure",),
        input=value,
    )
    return ValidationError.from_exception_data("count_at_least", [error])


def _resolve_count(raw: Mapping[str, Any]) -> type[BaseModel]:
    name = raw.get("measure")
    if isinstance(name, str) and name in _REGISTRY:
        return _count_model(_REGISTRY[name])
    if name is None or not isinstance(name, str):
        return CountAtLeast  # pydantic reports the missing or ill-typed measure
    raise _unknown_measure(name)


def _filters_of(params: BaseModel, spec: Any) -> BaseModel:
    values = {name: getattr(params, name) for name in spec.filters.model_fields}
    return spec.filters.model_validate(values)


def _describe_count(params: Any) -> str:
    spec = _REGISTRY.get(params.measure)
    label = spec.label_for(_filters_of(params, spec)) if spec else params.measure
    return _("au moins %(min)s : %(measure)s") % {"min": params.min, "measure": label}


@conditions.register(
    "count_at_least",
    label=gettext_lazy("un nombre minimal (mesure de la charte)"),
    params=CountAtLeast,
    resolver=_resolve_count,
    describe=_describe_count,
)
def count_at_least(subject: Any, params: Any) -> list[str]:
    """A measure of the project (its elected officials, its actors of a kind, the needs of a
    side…) counts at least `min`. Write the measure's filters next to `measure` and `min`."""
    spec = _REGISTRY.get(params.measure)
    if spec is None:
        return [
            _("la mesure « %(measure)s » n'est pas connue de cette installation")
            % {"measure": params.measure}
        ]
    count = spec.count(subject, _filters_of(params, spec))
    if count >= params.min:
        return []
    return [
        _("%(measure)s : %(count)s ; la charte en demande au moins %(min)s.")
        % {
            "measure": spec.label_for(_filters_of(params, spec)),
            "count": count,
            "min": params.min,
        }
    ]


class ShareAtLeast(Params):
    """`measure`: a registered share measure (a budget measure); `min`: a percentage."""

    measure: MeasureName
    min: Percent


# --- share_at_least -----------------------------------------------------------------------------

ShareFunction = Callable[[Any, Any], "ShareValue"]


@dataclass(frozen=True)
class ShareValue:
    """A share of a total in percent, or `None` with the sentence saying why it is not known
    (a missing exchange rate, no budget yet): an unknown share never passes."""

    percent: float | None
    unknown_reason: str = ""


@dataclass(frozen=True)
class ShareSpec:
    name: str
    label: str | Promise
    share: ShareFunction
    filters: type[BaseModel] = NoParams
    doc: str = ""
    owner: str = ""
    describe: Callable[[Any], str] | None = None

    def label_for(self, filters: Any) -> str:
        extra = self.describe(filters) if self.describe is not None else ""
        return f"{self.label} {extra}".strip() if extra else str(self.label)


_SHARES: dict[str, ShareSpec] = {}


def register_share_measure(
    name: str,
    *,
    label: str | Promise,
    filters: type[BaseModel] = NoParams,
    doc: str | None = None,
    owner: str = "",
    describe: Callable[[Any], str] | None = None,
) -> Callable[[ShareFunction], ShareFunction]:
    """Decorator on `share(subject, filters) -> ShareValue`: a measure `share_at_least` reads
    (the budget measures of the finance app)."""

    def decorator(func: ShareFunction) -> ShareFunction:
        existing = _SHARES.get(name)
        if existing is not None and existing.share is not func and existing.owner != owner:
            raise ValueError(f"share measure {name!r} is registered twice")
        _SHARES[name] = ShareSpec(
            name=name,
            label=label,
            share=func,
            filters=filters,
            doc=conditions._first_paragraph(doc if doc is not None else func.__doc__),
            owner=owner,
            describe=describe,
        )
        return func

    return decorator


def share_specs() -> list[ShareSpec]:
    return [_SHARES[name] for name in sorted(_SHARES)]


def _share_model(spec: ShareSpec) -> type[BaseModel]:
    key = (spec.name, spec.filters)
    if key not in _MODELS:
        fields: dict[str, Any] = {
            name: (info.annotation, info) for name, info in spec.filters.model_fields.items()
        }
        _MODELS[key] = create_model(
            f"ShareAtLeast_{spec.name.replace('.', '_')}",
            __base__=ShareAtLeast,
            __doc__=ShareAtLeast.__doc__,
            **fields,
        )
    return _MODELS[key]


def _resolve_share(raw: Mapping[str, Any]) -> type[BaseModel]:
    name = raw.get("measure")
    if isinstance(name, str) and name in _SHARES:
        return _share_model(_SHARES[name])
    if name is None or not isinstance(name, str):
        return ShareAtLeast
    known = ", ".join(sorted(_SHARES)) or "—"
    error = InitErrorDetails(
        type=PydanticCustomError(
            "unknown_measure",
            str(_("mesure de part inconnue : {measure} (mesures connues : {known})")),
            {"measure": str(name), "known": known},
        ),
        loc=("measure",),
        input=name,
    )
    raise ValidationError.from_exception_data("share_at_least", [error])


def _describe_share(params: Any) -> str:
    spec = _SHARES.get(params.measure)
    label = spec.label_for(_filters_of(params, spec)) if spec else params.measure
    return _("au moins %(min)s %% : %(measure)s") % {"min": params.min, "measure": label}


@conditions.register(
    "share_at_least",
    label=gettext_lazy("une part minimale (mesure budgétaire)"),
    params=ShareAtLeast,
    resolver=_resolve_share,
    describe=_describe_share,
)
def share_at_least(subject: Any, params: Any) -> list[str]:
    """A share measure of the project (a budget category's share of the budget, a kind of
    source's share of the funding plan…) is at least `min` percent. Write the measure's
    filters next to `measure` and `min`. A share that cannot be computed is unmet, with why."""
    spec = _SHARES.get(params.measure)
    if spec is None:
        return [
            _("la mesure « %(measure)s » n'est pas connue de cette installation")
            % {"measure": params.measure}
        ]
    filters = _filters_of(params, spec)
    value = spec.share(subject, filters)
    label = spec.label_for(filters)
    if value.percent is None:
        return [
            _("%(measure)s : inconnue (%(why)s) ; la charte en demande au moins %(min)s %%.")
            % {"measure": label, "why": value.unknown_reason, "min": params.min}
        ]
    if value.percent >= params.min:
        return []
    return [
        _("%(measure)s : %(share)s %% ; la charte en demande au moins %(min)s %%.")
        % {"measure": label, "share": f"{value.percent:.1f}", "min": params.min}
    ]
