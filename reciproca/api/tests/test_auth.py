"""Signing in to the API: token exchange and revocation, session sign-in, /me/, anonymous."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from reciproca.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_username_and_password_give_a_token_that_opens_the_api(world, anonymous):
    response = anonymous.post(
        "/api/v1/auth/token/", {"username": "karim", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "karim"


def test_the_same_token_is_returned_until_it_is_revoked(world, anonymous):
    body = {"username": "alice", "password": PASSWORD}
    first = anonymous.post("/api/v1/auth/token/", body, format="json").json()["token"]
    second = anonymous.post("/api/v1/auth/token/", body, format="json").json()["token"]
    assert first == second

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401
    third = anonymous.post("/api/v1/auth/token/", body, format="json").json()["token"]
    assert third != first


def test_a_wrong_password_gets_no_token_and_a_reason(world, anonymous):
    response = anonymous.post(
        "/api/v1/auth/token/", {"username": "karim", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert "token" not in body
    assert body["detail"]
    assert body["reasons"]


def test_an_inactive_user_gets_no_token(world, anonymous):
    world.outsider.is_active = False
    world.outsider.save()
    response = anonymous.post(
        "/api/v1/auth/token/", {"username": "oscar", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400


def test_password_guessing_is_slowed_down(world, anonymous):
    statuses = [
        anonymous.post(
            "/api/v1/auth/token/", {"username": "karim", "password": f"guess-{i}"}, format="json"
        ).status_code
        for i in range(25)
    ]
    assert statuses[0] == 400
    assert statuses[-1] == 429


def test_a_bad_token_is_refused(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/projects/").status_code == 401


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/me/",
        "/api/v1/projects/",
        "/api/v1/partnerships/",
        "/api/v1/programmes/",
        "/api/v1/organisations/",
    ],
)
def test_anonymous_is_asked_to_sign_in(world, anonymous, url):
    response = anonymous.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_cannot_write(world, anonymous):
    response = anonymous.post(
        "/api/v1/projects/",
        {"partnership": world.constantine_partnership.pk, "title_fr": "Intrus"},
        format="json",
    )
    assert response.status_code == 401


def test_a_browser_session_also_opens_the_api(world):
    client = APIClient()
    assert client.login(username="alice", password=PASSWORD)
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_me_shows_the_organisation_and_every_grant(world, client_for):
    body = client_for(world.constantine_editor).get("/api/v1/me/").json()
    assert body["organisation"]["name"] == "Wilaya de Constantine"
    assert body["grants"] == [
        {
            "id": body["grants"][0]["id"],
            "role": "PARTNER_EDITOR",
            "role_display": "partenaire (rédacteur)",
            "scope": "partnership",
            "scope_id": world.constantine_partnership.pk,
            "scope_name": "Isère – Constantine",
            "granted_at": body["grants"][0]["granted_at"],
        }
    ]
    assert body["can_manage_organisations"] is False
    assert client_for(world.officer).get("/api/v1/me/").json()["can_manage_organisations"] is True


def test_me_for_a_user_without_organisation_or_role(world, client_for):
    body = client_for(world.outsider).get("/api/v1/me/").json()
    assert body["organisation"] is None
    assert body["grants"] == []
