"""The API's lists page by cursor or by number: the project list starts with a cursor page
(the same cost however deep a client walks), `?page=N` still numbers every list with its
count, and a cursor walk lists every row the user may see exactly once."""

from __future__ import annotations

import pytest

from reciproca.api import pagination

pytestmark = pytest.mark.django_db


def _walk(client, url: str, params: dict | None = None) -> list[str]:
    references: list[str] = []
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        references += [row["reference"] for row in body["results"]]
        if not body["next"]:
            return references
        response = client.get(body["next"])


def test_a_cursor_walk_lists_every_visible_project_once(
    world, client_for, make_project, monkeypatch
):
    monkeypatch.setattr(pagination._Cursor, "page_size", 2)
    monkeypatch.setattr(pagination.PageNumberPagination, "page_size", 2)
    ours = {make_project(title=f"Projet {n}").reference for n in range(5)}
    theirs = {
        make_project(world.bethlehem_partnership, title=f"Autre {n}").reference for n in range(2)
    }
    karim = client_for(world.constantine_editor)
    first = karim.get("/api/v1/projects/").json()
    assert "count" not in first and first["previous"] is None and "cursor=" in first["next"]
    walked = _walk(karim, "/api/v1/projects/")
    assert len(walked) == len(set(walked)) and set(walked) == ours
    assert set(_walk(client_for(world.officer), "/api/v1/projects/")) == ours | theirs
    # the most recently modified first, as the numbered pages
    numbered = karim.get("/api/v1/projects/", {"page": 1}).json()
    assert numbered["count"] == 5
    assert [row["reference"] for row in numbered["results"]] == walked[:2]


def test_page_numbers_still_work_and_other_lists_start_numbered(world, client_for, make_project):
    alice = client_for(world.officer)
    make_project()
    assert alice.get("/api/v1/projects/", {"page": 1}).json()["count"] == 1
    assert alice.get("/api/v1/projects/", {"page": 2}).status_code == 404
    partnerships = alice.get("/api/v1/partnerships/").json()
    assert partnerships["count"] == 2
    by_cursor = alice.get("/api/v1/partnerships/", {"cursor": ""}).json()
    assert "count" not in by_cursor and len(by_cursor["results"]) == 2


def test_a_forged_cursor_is_a_404(world, client_for):
    response = client_for(world.officer).get("/api/v1/projects/", {"cursor": "pas-un-curseur"})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_the_schema_documents_both_ways(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    listing = schema["paths"]["/api/v1/projects/"]["get"]
    assert {"cursor", "page"} <= {parameter["name"] for parameter in listing["parameters"]}
    envelope = schema["components"]["schemas"]["PaginatedProjectList"]
    assert envelope["required"] == ["results"]
