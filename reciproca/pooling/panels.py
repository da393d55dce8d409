"""The pooling panel on the project page and the diagnosis overview (projects/panels.py)."""

from __future__ import annotations

from typing import Any

from reciproca.pooling import finder
from reciproca.projects.panels import Panel, register_panel


def pooling_panel(request: Any, project: Any, page: str) -> Panel | None:
    found = finder.find(finder.query_for_project(project))
    return Panel(
        template="pooling/_panel.html",
        context={
            "project": project,
            "top": found[:3],
            "total": len(found),
            "coordination_count": project.pooling_coordinations.count(),
            "page": page,
        },
    )


def register() -> None:
    register_panel(pooling_panel)
