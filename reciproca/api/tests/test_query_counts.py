"""API lists cost an exact number of queries, the same whatever the number of rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reciproca.charter import engine
from reciproca.partnerships.models import Organisation, Programme
from reciproca.projects import services
from reciproca.projects.models import ProjectMarker
from reciproca.reference.models import PolicyMarker, PolicySignificance, SdgGoal, SdgTarget

pytestmark = pytest.mark.django_db

# A list must never cost a query per row; these are the exact counts (session or token, the
# user, the host-role check, the rows, one per prefetched relation, the count of a numbered page).
MAX_QUERIES = 20
EXACT: dict[str, Any] = {
    "/api/v1/projects/": {"officer": 11, "constantine_editor": 11},  # a cursor page: no count
    "/api/v1/projects/?page=1": {"officer": 12, "constantine_editor": 12},
    "/api/v1/partnerships/": 4,
    "/api/v1/programmes/": 3,
    "/api/v1/organisations/": 3,
}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context)


def _rich_projects(world: Any, count: int) -> None:
    """Projects with every nested thing the API shows: partners, themes, targets, markers."""
    goal, _ = SdgGoal.objects.get_or_create(code="6", defaults={"name": "Eau propre"})
    target, _ = SdgTarget.objects.get_or_create(code="6.1", defaults={"name": "Eau", "goal": goal})
    marker, _ = PolicyMarker.objects.get_or_create(code="2", defaults={"name": "Environnement"})
    significance, _ = PolicySignificance.objects.get_or_create(
        code="1", defaults={"name": "significatif"}
    )
    theme = engine.themes().first()
    for i in range(count):
        partnership = world.constantine_partnership if i % 2 else world.bethlehem_partnership
        project = services.create_project(
            partnership=partnership,
            by=world.officer,
            title=f"Projet {i}",
            programme=world.constantine_programme if i % 2 else None,
        )
        services.set_project_tags(
            project=project,
            by=world.officer,
            themes=[theme],
            sdg_targets=[target],
            services=[world.service],
            elected_officials=[world.elected_official],
        )
        # No service sets markers yet; the row is only here to be read back.
        ProjectMarker.objects.create(project=project, marker=marker, significance=significance)
        services.transition_project(
            project=project, transition="suspend", by=world.officer, reason=f"Pause {i}"
        )


@pytest.mark.parametrize("user", ["officer", "constantine_editor"])
def test_the_project_list_costs_the_same_for_3_or_9_projects(world, client_for, user):
    client = client_for(getattr(world, user))
    _rich_projects(world, 3)
    urls = ["/api/v1/projects/", "/api/v1/projects/?page=1"]
    few = [_queries(client, url) for url in urls]
    _rich_projects(world, 6)
    many = [_queries(client, url) for url in urls]
    assert many == few == [EXACT[url][user] for url in urls]
    assert client.get("/api/v1/projects/").json()["results"][0]["markers"] == [
        {"marker": "2", "marker_name": PolicyMarker.objects.get(code="2").name, "significance": "1"}
    ]


def test_the_timeline_costs_the_same_for_few_or_many_events(world, client_for, make_project):
    project = make_project()
    client = client_for(world.constantine_editor)
    url = f"/api/v1/projects/{project.pk}/timeline/"

    def suspend_and_resume(times: int) -> None:
        for _ in range(times):
            for name in ("suspend", "resume"):
                by = world.constantine_editor
                services.transition_project(project=project, transition=name, by=by, reason="x")

    suspend_and_resume(1)
    few = _queries(client, url)
    suspend_and_resume(3)
    assert _queries(client, url) == few <= MAX_QUERIES


def _partnerships(world: Any, count: int) -> None:
    from reciproca.partnerships import services as partnership_services

    for i in range(count):
        partner = Organisation.objects.create(
            name=f"Région {i}",
            kind=Organisation.Kind.PARTNER_AUTHORITY,
            country=world.bethlehem.country,
            territory=world.bethlehem.territory,
        )
        partnership_services.create_partnership(
            by=world.admin,
            name=f"Isère – Région {i}",
            partner=partner,
            territory=world.bethlehem.territory,
            since_date=date(2020, 1, 1),
        )


def _programmes(world: Any, count: int) -> None:
    for i in range(count):
        Programme.objects.create(
            partnership=world.bethlehem_partnership,
            title=f"Programme {i}",
            start_date=date(2024, 1, 1),
            end_date=date(2026, 12, 31),
        )


def _organisations(world: Any, count: int) -> None:
    for i in range(count):
        Organisation.objects.create(
            name=f"Association {i}",
            kind=Organisation.Kind.ASSOCIATION,
            country=world.isere.country,
            territory=world.isere.territory,
        )


@pytest.mark.parametrize(
    ("url", "grow"),
    [
        ("/api/v1/partnerships/", _partnerships),
        ("/api/v1/programmes/", _programmes),
        ("/api/v1/organisations/", _organisations),
    ],
)
def test_other_lists_cost_the_same_for_few_or_many_rows(
    world, client_for, make_project, url: str, grow: Callable[[Any, int], None]
):
    client = client_for(world.officer)
    make_project()
    grow(world, 2)
    few = _queries(client, url)
    grow(world, 6)
    assert _queries(client, url) == few == EXACT[url]


def test_me_costs_the_same_whatever_the_number_of_grants(world, client_for):
    from reciproca.accounts.models import Role, RoleGrant

    client = client_for(world.evaluator)
    few = _queries(client, "/api/v1/me/")
    for partnership in (world.constantine_partnership, world.bethlehem_partnership):
        RoleGrant.objects.create(user=world.evaluator, role=Role.EVALUATOR, partnership=partnership)
    assert _queries(client, "/api/v1/me/") == few
