"""Panels that apps above projects add to a project's pages (the project page, the shared
diagnosis's overview), without projects or diagnosis importing them. An app registers a
provider in its `AppConfig.ready()`; the provider returns a `Panel` (a template and its
context) or None when it has nothing to show to this user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from reciproca.projects.models import Project


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelProvider = Callable[["HttpRequest", "Project", str], "Panel | None"]
_providers: list[PanelProvider] = []


def register_panel(provider: PanelProvider) -> PanelProvider:
    """`provider(request, project, page)`; page is "project" or "diagnosis"."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(request: HttpRequest, project: Project, page: str) -> list[Panel]:
    found = []
    for provider in _providers:
        panel = provider(request, project, page)
        if panel is not None:
            found.append(panel)
    return found
