"""The pooling API: the finder of a project and the coordination decisions, scoped and
through the same services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from reciproca.pooling import services
from reciproca.pooling.models import Activity, Coordination
from reciproca.pooling.tests.factories import activity, iati_file
from reciproca.projects import services as project_services

pytestmark = pytest.mark.django_db


@pytest.mark.charter("PRJ-12")
def test_the_finder_and_a_coordination_through_the_api(world: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_bytes(iati_file(activity("XM-API-1", admin="PS-BTH", sectors=("14030",))))
    services.import_iati(paths=[path], by=None)
    project = project_services.create_project(
        partnership=world.bethlehem_partnership, by=world.officer, title="Eau"
    )
    api = APIClient()
    api.force_authenticate(world.bethlehem_editor)
    response = api.get(f"/api/v1/pooling-finder/{project.pk}/")
    assert response.status_code == 200
    [row] = response.json()
    assert row["rank"] == 1 and row["activity"]["identifier"] == "XM-API-1"
    assert row["reasons"][0] == "dans Bethléem"

    activity_id = Activity.objects.get().pk
    response = api.post(
        "/api/v1/pooling-coordinations/",
        {"project": project.pk, "activity": activity_id, "outcome": "CONTACTED", "note": "Appel."},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Coordination.objects.get().recorded_by == world.bethlehem_editor
    assert len(api.get("/api/v1/pooling-coordinations/").json()["results"]) == 1

    api.force_authenticate(world.constantine_editor)
    assert api.get(f"/api/v1/pooling-finder/{project.pk}/").status_code == 404
    assert api.get("/api/v1/pooling-coordinations/").json()["results"] == []
    response = api.post(
        "/api/v1/pooling-coordinations/",
        {"project": project.pk, "activity": activity_id, "outcome": "CONTACTED", "note": "x"},
        format="json",
    )
    # A project out of reach is, for this user, an id that does not exist: refused as such.
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"project"}
    assert Coordination.objects.count() == 1
