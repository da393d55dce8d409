"""Every id an API client may send is chosen among what a policy lets that client see: the
browsable API's forms list a related field's queryset, so an unscoped one shows other
partnerships' objects by name. Checked over every serializer of the API, present and future."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField

import reciproca.api.serializers as package
from reciproca.api.serializers.common import ScopedPrimaryKeyField

# Models whose every row any signed-in user may read: reference data, territories, the charter,
# and the shared directory of organisations with the host's services and elected officials.
PUBLIC_APPS = {"reference", "territories", "charter"}
PUBLIC_MODELS = {
    "partnerships.Organisation",
    "partnerships.Service",
    "partnerships.ElectedOfficial",
}


def serializer_classes() -> Iterator[type[serializers.BaseSerializer[Any]]]:
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            # A base class with no Meta (ScopedModelSerializer) is no serializer of its own.
            concrete = not issubclass(cls, serializers.ModelSerializer) or hasattr(cls, "Meta")
            if (
                issubclass(cls, serializers.Serializer)
                and cls.__module__ == module.__name__
                and concrete
            ):
                yield cls


def writable_relations(serializer: serializers.Serializer[Any]) -> Iterator[tuple[str, Any]]:
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, ManyRelatedField):
            field = field.child_relation
        if isinstance(field, RelatedField):
            yield name, field
        elif isinstance(field, serializers.Serializer):
            yield from ((f"{name}.{n}", f) for n, f in writable_relations(field))
        elif isinstance(field, serializers.ListSerializer) and isinstance(
            field.child, serializers.Serializer
        ):
            yield from ((f"{name}.{n}", f) for n, f in writable_relations(field.child))


def test_the_check_finds_the_api_s_serializers():
    names = {cls.__name__ for cls in serializer_classes()}
    assert {"ProjectCreateSerializer", "ResponseSerializer", "CellSerializer"} <= names


@pytest.mark.charter("PRI-1")
@pytest.mark.parametrize("cls", list(serializer_classes()), ids=lambda c: c.__name__)
def test_every_writable_related_field_is_scoped_by_a_policy(cls):
    unscoped = []
    for name, field in writable_relations(cls()):
        model = field.queryset.model if field.queryset is not None else None
        if model is None:
            continue
        label = model._meta.label
        if model._meta.app_label in PUBLIC_APPS or label in PUBLIC_MODELS:
            continue
        if not isinstance(field, ScopedPrimaryKeyField):
            unscoped.append(f"{name} → {label}")
    assert not unscoped, f"{cls.__name__}: related fields not scoped by a policy: {unscoped}"


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "sees"), [("outsider", False), ("officer", True)])
def test_the_browsable_form_of_a_response_lists_only_the_user_s_cells(
    client, world, completed, who, sees
):
    """The form's cell choices are the cells of the projects the user may see: none of this
    project's for an outsider, all of them for its officer."""
    from reciproca.diagnosis.models import ImpactCell

    cells = list(
        ImpactCell.objects.filter(diagnosis__project=completed).values_list("pk", flat=True)
    )
    assert cells
    client.force_login(getattr(world, who))
    page = client.get("/api/v1/diagnosis-responses/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    html = page.content.decode()
    select = re.search(r'<select[^>]*name="cell".*?</select>', html, re.S)
    assert select, "the browsable form has a cell field"
    offered = {pk for pk in cells if f'<option value="{pk}"' in select.group(0)}
    assert offered == (set(cells) if sees else set())
