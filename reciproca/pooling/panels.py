"""The pooling panel on the project page and the diagnosis overview (projects/panels.py).

The panel costs the page nothing: it is a placeholder that loads its content from
`pooling:project_panel` (HTMX, on load), with a plain link without JavaScript."""

from __future__ import annotations

from typing import Any

from reciproca.projects.panels import Panel, register_panel


def pooling_panel(request: Any, project: Any, page: str) -> Panel | None:
    return Panel(template="pooling/_panel_slot.html", context={"project": project, "page": page})


def register() -> None:
    register_panel(pooling_panel)
