"""The main pages cost an exact number of queries that does not grow with the rows: each is
measured with a few projects and with many more (every bounded list over its bound at both
sizes, so the "et N autres" count runs at both), for the host's officer (who sees every
project: no grants subquery) and for a partner's editor (who sees their partnership's)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reciproca.charter import engine
from reciproca.projects import queries, services

pytestmark = pytest.mark.django_db

# page → (the officer's count, the partner editor's count)
EXACT = {
    "dashboard": (14, 14),  # each bounded list counts its rest in the same query (a window)
    "partnership_list": (5, 5),  # 4 + the pager's count
    "partnership_detail": (13, 13),
    "project_list": (9, 9),
    "project_detail": (10, 10),  # 9 + the stage placement (projects.queries.stage_placement)
}


def grow(world: Any, count: int) -> list[Any]:
    """`count` projects of the Isère–Constantine partnership ending within the month, tagged
    and suspended then resumed (events on the timeline and in the recent activity)."""
    theme = engine.themes().first()
    ending = timezone.localdate() + timedelta(days=20)
    made = []
    for n in range(count):
        project = services.create_project(
            partnership=world.constantine_partnership,
            by=world.officer,
            title=f"Projet {n}",
            programme=world.constantine_programme,
            end_date=ending,
        )
        services.set_project_tags(
            project=project, by=world.officer, themes=[theme], services=[world.service]
        )
        for name in ("suspend", "resume"):
            services.transition_project(
                project=project, transition=name, by=world.officer, reason="Pause"
            )
        made.append(project)
    return made


def urls(world: Any, project: Any) -> dict[str, str]:
    return {
        "dashboard": reverse("projects:dashboard"),
        "partnership_list": reverse("partnerships:list"),
        "partnership_detail": reverse(
            "partnerships:detail", args=[world.constantine_partnership.pk]
        ),
        "project_list": reverse("projects:list"),
        "project_detail": reverse("projects:detail", args=[project.pk]),
    }


def measure(client: Any, addresses: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in addresses.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(captured)
    return counts


@pytest.mark.parametrize("who", [0, 1], ids=["officer", "partner_editor"])
def test_the_main_pages_cost_the_same_for_few_or_many_projects(world, client, monkeypatch, who):
    monkeypatch.setattr(queries, "PARTNERSHIP_PROJECTS", 2)
    monkeypatch.setattr(queries, "DASHBOARD_ENDING", 2)
    user = (world.officer, world.constantine_editor)[who]
    client.force_login(user)
    first = grow(world, 3)[0]
    addresses = urls(world, first)
    measure(client, addresses)  # warm the per-process caches (content types, the schema)
    few = measure(client, addresses)
    grow(world, 6)
    many = measure(client, addresses)
    assert many == few == {name: counts[who] for name, counts in EXACT.items()}


def test_the_bounds_are_shown_with_the_counts_and_the_links(world, client, monkeypatch):
    monkeypatch.setattr(queries, "PARTNERSHIP_PROJECTS", 2)
    monkeypatch.setattr(queries, "DASHBOARD_ENDING", 2)
    client.force_login(world.officer)
    grow(world, 5)
    partnership = world.constantine_partnership
    page = client.get(reverse("partnerships:detail", args=[partnership.pk])).content.decode()
    assert "2 projets sur 5, les derniers modifiés." in page
    listed = f"{reverse('projects:list')}?partnership={partnership.pk}"
    assert f'href="{listed}">Voir les 5 projets de ce partenariat</a>' in page
    dashboard = client.get(reverse("projects:dashboard")).content.decode()
    assert "et 3 autres projets se terminant dans les 90 jours" in dashboard
    # the link lists them all, earliest end first
    ending = client.get(reverse("projects:list"), {"ending": "90", "tri": "fin"})
    assert len(ending.context["projects"]) == 5
    filtered = client.get(reverse("projects:list"), {"partnership": partnership.pk})
    assert filtered.context["page"].paginator.count == 5
