"""Hostile input answers a clear 400 (or 404), never a server error, and changes nothing."""

from __future__ import annotations

import pytest

from reciproca.projects.models import Project

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


def test_deeply_nested_json_on_the_token_endpoint_is_a_clear_400(anonymous):
    response = anonymous.post("/api/v1/auth/token/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "profondeur" in response.json()["detail"]


def test_json_nested_past_the_limit_is_refused_even_when_python_could_parse_it(client_for, world):
    body = '{"title": ' + "[" * 40 + "1" + "]" * 40 + "}"
    response = client_for(world.officer).post(
        "/api/v1/projects/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "profondeur" in response.json()["detail"]


def test_an_oversized_body_is_refused_before_it_is_read_whole(anonymous, settings):
    settings.RECIPROCA_API_MAX_BODY = 1024
    body = '{"username": "' + "a" * 5000 + '", "password": "x"}'
    response = anonymous.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert "1024" in response.json()["detail"]


def test_malformed_json_is_a_400_naming_the_problem(anonymous):
    response = anonymous.post("/api/v1/auth/token/", "{nope", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "1.5", "abc", "0x10"])
def test_an_id_filter_out_of_range_is_a_400_not_a_500(client_for, world, value):
    response = client_for(world.officer).get("/api/v1/projects/", {"partnership": value})
    assert response.status_code == 400, response.content


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/projects/99999999999999999999999/",
        "/api/v1/partnerships/99999999999999999999999/",
        "/api/v1/diagnoses/99999999999999999999999/",
        "/api/v1/organisations/99999999999999999999999/",
    ],
)
def test_an_oversized_id_in_the_path_is_a_404(client_for, world, path):
    assert client_for(world.officer).get(path).status_code == 404


def test_a_page_number_out_of_range_is_a_404_not_a_500(client_for, world):
    response = client_for(world.officer).get("/api/v1/projects/", {"page": "9" * 30})
    assert response.status_code == 404


def test_a_refused_body_changes_nothing(client_for, world):
    before = Project.objects.count()
    client_for(world.officer).post("/api/v1/projects/", DEEP, content_type="application/json")
    assert Project.objects.count() == before
