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
ShareFunction = Callable[[Any, Any], "ShareValue"]


@dataclass(frozen=True)
class ShareValue:
    """A share of a total in percent, or `None` with the sentence saying why it is not known
    (a missing exchange rate, no budget yet): an unknown share never passes."""

    percent: float | None
    unknown_reason: str = ""


@dataclass(frozen=True)
class MeasureSpec:
    """A registered measure: `compute(subject, filters)` gives a count (`count_at_least`) or a
    `ShareValue` (`share_at_least`)."""

    name: str
    label: str | Promise
    compute: Callable[[Any, Any], Any]
    filters: type[BaseModel] = NoParams
    doc: str = ""
    owner: str = ""
    # What the filters add to the label ("de nature association"); none by default.
    describe: Callable[[Any], str] | None = None

    def label_for(self, filters: Any) -> str:
        extra = self.describe(filters) if self.describe is not None else ""
        return f"{self.label} {extra}".strip() if extra else str(self.label)

    def filters_of(self, params: BaseModel) -> BaseModel:
        """The measure's filters, read from a condition's parameters."""
        values = {name: getattr(params, name) for name in self.filters.model_fields}
        return self.filters.model_validate(values)


class MeasureRegistry:
    """The measures one generic condition reads, and the parameter model of each: the
    condition's own parameters (`measure`, `min`) with the measure's filters as further fields,
    unknown keys refused."""

    def __init__(self, kind: str, base: type[Params], unknown: str | Promise) -> None:
        self.kind = kind  # "count_at_least", "share_at_least"
        self.base = base
        self.unknown = unknown  # the sentence for an unknown measure, {measure} and {known}
        self._specs: dict[str, MeasureSpec] = {}
        self._models: dict[tuple[str, type[BaseModel]], type[BaseModel]] = {}

    def register(
        self,
        name: str,
        *,
        label: str | Promise,
        filters: type[BaseModel] = NoParams,
        doc: str | None = None,
        owner: str = "",
        describe: Callable[[Any], str] | None = None,
    ) -> Callable[[Any], Any]:
        def decorator(func: Any) -> Any:
            existing = self._specs.get(name)
            if existing is not None and existing.compute is not func and existing.owner != owner:
                raise ValueError(f"{self.kind} measure {name!r} is registered twice")
            self._specs[name] = MeasureSpec(
                name=name,
                label=label,
                compute=func,
                filters=filters,
                doc=conditions._first_paragraph(doc if doc is not None else func.__doc__),
                owner=owner,
                describe=describe,
            )
            return func

        return decorator

    def get(self, name: str) -> MeasureSpec | None:
        return self._specs.get(name)

    def names(self) -> set[str]:
        return set(self._specs)

    def specs(self) -> list[MeasureSpec]:
        return [self._specs[name] for name in sorted(self._specs)]

    def _model(self, spec: MeasureSpec) -> type[BaseModel]:
        key = (spec.name, spec.filters)
        if key not in self._models:
            fields: dict[str, Any] = {
                name: (info.annotation, info) for name, info in spec.filters.model_fields.items()
            }
            self._models[key] = create_model(
                f"{self.base.__name__}_{spec.name.replace('.', '_')}",
                __base__=self.base,
                __doc__=self.base.__doc__,
                **fields,
            )
        return self._models[key]

    def resolve(self, raw: Mapping[str, Any]) -> type[BaseModel]:
        """The parameter model for a condition's raw parameters (the loader's resolver)."""
        name = raw.get("measure")
        if isinstance(name, str) and name in self._specs:
            return self._model(self._specs[name])
        if name is None or not isinstance(name, str):
            return self.base  # pydantic reports the missing or ill-typed measure
        error = InitErrorDetails(
            type=PydanticCustomError(
                "unknown_measure",
                str(self.unknown),
                {"measure": str(name), "known": ", ".join(sorted(self._specs)) or "—"},
            ),
            loc=("measure",),
            input=name,
        )
        raise ValidationError.from_exception_data(self.kind, [error])

    def label(self, params: Any) -> str:
        spec = self.get(params.measure)
        return spec.label_for(spec.filters_of(params)) if spec else str(params.measure)


def _not_installed(params: Any) -> list[str]:
    return [
        _("la mesure « %(measure)s » n'est pas connue de cette installation")
        % {"measure": params.measure}
    ]


# --- count_at_least ----------------------------------------------------------------------------


class CountAtLeast(Params):
    """`measure`: a registered measure; `min`: the minimum count; then the measure's filters."""

    measure: MeasureName
    min: Minimum


COUNTS = MeasureRegistry(
    "count_at_least",
    CountAtLeast,
    gettext_lazy("mesure inconnue : {measure} (mesures connues : {known})"),
)


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
    return COUNTS.register(
        name, label=label, filters=filters, doc=doc, owner=owner, describe=describe
    )


def get(name: str) -> MeasureSpec:
    spec = COUNTS.get(name)
    if spec is None:
        raise KeyError(name)
    return spec


def known_measures() -> set[str]:
    return COUNTS.names()


def specs() -> list[MeasureSpec]:
    return COUNTS.specs()


def _describe_count(params: Any) -> str:
    return _("au moins %(min)s : %(measure)s") % {
        "min": params.min,
        "measure": COUNTS.label(params),
    }


@conditions.register(
    "count_at_least",
    label=gettext_lazy("un nombre minimal (mesure de la charte)"),
    params=CountAtLeast,
    resolver=COUNTS.resolve,
    describe=_describe_count,
)
def count_at_least(subject: Any, params: Any) -> list[str]:
    """A measure of the project (its elected officials, its actors of a kind, the needs of a
    side…) counts at least `min`. Write the measure's filters next to `measure` and `min`."""
    spec = COUNTS.get(params.measure)
    if spec is None:
        return _not_installed(params)
    filters = spec.filters_of(params)
    count = spec.compute(subject, filters)
    if count >= params.min:
        return []
    return [
        _("%(measure)s : %(count)s ; la charte en demande au moins %(min)s.")
        % {"measure": spec.label_for(filters), "count": count, "min": params.min}
    ]


# --- share_at_least -----------------------------------------------------------------------------


class ShareAtLeast(Params):
    """`measure`: a registered share measure (a budget measure); `min`: a percentage."""

    measure: MeasureName
    min: Percent


SHARES = MeasureRegistry(
    "share_at_least",
    ShareAtLeast,
    gettext_lazy("mesure de part inconnue : {measure} (mesures connues : {known})"),
)


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
    return SHARES.register(
        name, label=label, filters=filters, doc=doc, owner=owner, describe=describe
    )


def share_specs() -> list[MeasureSpec]:
    return SHARES.specs()


def _describe_share(params: Any) -> str:
    return _("au moins %(min)s %% : %(measure)s") % {
        "min": params.min,
        "measure": SHARES.label(params),
    }


@conditions.register(
    "share_at_least",
    label=gettext_lazy("une part minimale (mesure budgétaire)"),
    params=ShareAtLeast,
    resolver=SHARES.resolve,
    describe=_describe_share,
)
def share_at_least(subject: Any, params: Any) -> list[str]:
    """A share measure of the project (a budget category's share of the budget, a kind of
    source's share of the funding plan…) is at least `min` percent. Write the measure's
    filters next to `measure` and `min`. A share that cannot be computed is unmet, with why."""
    spec = SHARES.get(params.measure)
    if spec is None:
        return _not_installed(params)
    filters = spec.filters_of(params)
    value: ShareValue = spec.compute(subject, filters)
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
