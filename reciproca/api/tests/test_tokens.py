"""API tokens expire and can be rotated."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from reciproca.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def get_token(username="karim"):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def with_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_says_when_it_expires_and_stops_working_then(world, settings):
    settings.RECIPROCA_TOKEN_TTL_DAYS = 30
    issued = get_token()
    assert with_token(issued["token"]).get("/api/v1/me/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        refused = with_token(issued["token"]).get("/api/v1/me/")
        assert refused.status_code == 401
        assert "expiré" in refused.json()["detail"]
        renewed = get_token()
        assert renewed["token"] != issued["token"]
        assert with_token(renewed["token"]).get("/api/v1/me/").status_code == 200


def test_rotation_replaces_the_token_at_once(world):
    old = get_token()["token"]
    rotated = with_token(old).post("/api/v1/auth/token/rotate/")
    assert rotated.status_code == 200
    new = rotated.json()["token"]
    assert new != old
    assert with_token(old).get("/api/v1/me/").status_code == 401
    assert with_token(new).get("/api/v1/me/").status_code == 200


def test_rotation_needs_a_signed_in_client(world):
    assert APIClient().post("/api/v1/auth/token/rotate/").status_code == 401
