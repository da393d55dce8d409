"""What a reference-data loader reports, and the loaders `reciproca load_reference` runs.

Each app that owns reference data (the codelists in `reference`, the countries and partner
territories in `territories`) registers its loader in its `AppConfig.ready()`, so the command
lives here and no app imports another to load its data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import CommandParser


@dataclass(frozen=True)
class LoadResult:
    """What one loader did; `label` is the French name of the list, for the command's report."""

    label: str
    total: int
    active: int
    created: int
    updated: int

    def __str__(self) -> str:
        return f"{self.label} : {self.total}"


class DataFileError(Exception):
    """A data file is unsafe, malformed or contradicts what is stored (the message is French)."""


@dataclass
class Loaded:
    """What a registered loader did, and the facts it could not confirm (shown as warnings)."""

    results: list[LoadResult]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReferenceLoader:
    """One app's part of `load_reference`: `load` gets the command's options; `add_arguments`
    declares the options it reads."""

    name: str
    load: Callable[[Mapping[str, Any]], Loaded]
    add_arguments: Callable[[CommandParser], None] | None = None


_LOADERS: dict[str, ReferenceLoader] = {}


def register_reference_loader(loader: ReferenceLoader) -> None:
    """Register (or replace, by name) a loader; they run in the order of INSTALLED_APPS."""
    _LOADERS[loader.name] = loader


def reference_loaders() -> list[ReferenceLoader]:
    return list(_LOADERS.values())
