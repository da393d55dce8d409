"""Prefetch only the relations that have rows.

A page about one object (a project) shows a dozen of its relations; early in its life most
are empty, and Django's `prefetch_related` still runs one query for each. `with_presence`
adds one `EXISTS` per relation to the object's own query; `prefetch_present` then prefetches
the relations that have rows and records the others as empty, so `obj.rel.all()`, `.count()`
and `.exists()` cost no query either way. `prefetched(obj, name)` gives a relation's rows when
they were prefetched (None otherwise), for code that would rather not query again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Exists, Model, OuterRef, Prefetch, QuerySet
from django.db.models.fields.related import ManyToManyField
from django.db.models.fields.reverse_related import ManyToOneRel

Lookups = Mapping[str, Sequence[str | Prefetch]]


def _flag(name: str) -> str:
    return f"_has_{name}"


def _rows_of(model: type[Model], name: str) -> QuerySet[Any]:
    field = model._meta.get_field(name)
    if isinstance(field, ManyToManyField):
        through = field.remote_field.through
        assert through is not None
        return through._default_manager.filter(**{field.m2m_field_name(): OuterRef("pk")})
    if isinstance(field, ManyToOneRel):
        related = field.related_model
        assert isinstance(related, type)
        return related._default_manager.filter(**{field.field.name: OuterRef("pk")})
    raise TypeError(f"{model.__name__}.{name} is not a many-to-many or reverse relation")


def with_presence(queryset: QuerySet[Any], lookups: Lookups) -> QuerySet[Any]:
    """`queryset` annotated with whether each relation of `lookups` has a row."""
    model = queryset.model
    return queryset.annotate(
        **{_flag(name): Exists(_rows_of(model, name).order_by()) for name in lookups}
    )


def prefetch_present(instances: Model | Sequence[Model], lookups: Lookups) -> Any:
    """Prefetch `lookups` (relation → its prefetch lookups) on instances read through
    `with_presence`: one query per relation that has rows in some instance, none for the
    instances without (their relation is recorded as empty). Returns `instances`."""
    from django.db.models import prefetch_related_objects

    many = list(instances) if isinstance(instances, Sequence) else [instances]
    for name, relation_lookups in lookups.items():
        present = []
        for instance in many:
            if getattr(instance, _flag(name)):
                present.append(instance)
            else:
                cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
                cache[name] = getattr(instance, name).none()
        if present:
            prefetch_related_objects(present, *relation_lookups)
    return instances


def prefetched(instance: Model, name: str) -> list[Any] | None:
    """The rows of `instance.<name>` if they were prefetched, else None."""
    cache = getattr(instance, "_prefetched_objects_cache", None)
    if not cache or name not in cache:
        return None
    return list(cache[name])
