"""The results page runs a constant number of queries, whatever the framework's size
(50 indicators × 12 periods × a 2×4 disaggregation against 1 × 1)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reciproca.projects import services as project_services
from reciproca.testing.results_data import big_framework


def _count(client, project) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/resultats/{project.pk}/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_results_page_query_count_does_not_grow_with_the_framework(world, client):
    small = project_services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Petit"
    )
    big = project_services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Grand"
    )
    big_framework(small, world.officer, indicators=1, periods=1)
    big_framework(big, world.officer, indicators=50, periods=12)
    client.force_login(world.constantine_editor)
    _count(client, small)  # warm the per-process caches (charter, content types)
    assert _count(client, small) == _count(client, big)
    page = client.get(f"/resultats/{big.pk}/").content.decode()
    assert page.count("<svg") >= 50
