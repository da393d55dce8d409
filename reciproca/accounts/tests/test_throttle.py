"""Password guessing waits, per client address as the trusted proxies report it, on the sign-in
page and the API token alike; the right password from another address is never locked out."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reciproca.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.RECIPROCA_SIGNIN_FAILURES = 3
    settings.RECIPROCA_SIGNIN_WINDOW = 600
    settings.RECIPROCA_TRUSTED_PROXIES = [PROXY]


def sign_in(password, *, remote, forwarded=None, username="karim"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client().post(
        "/comptes/connexion/", {"username": username, "password": password}, **extra
    )


def token(password, *, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return APIClient().post(
        "/api/v1/auth/token/", {"username": "karim", "password": password}, format="json", **extra
    )


def test_after_the_allowed_failures_the_page_says_how_long_to_wait(world):
    for _ in range(3):
        assert sign_in("wrong", remote="198.51.100.7").status_code == 200
    refused = sign_in(PASSWORD, remote="198.51.100.7")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Trop de tentatives" in refused.content.decode()


def test_the_right_password_from_elsewhere_still_signs_in(world):
    for _ in range(5):
        sign_in("wrong", remote="198.51.100.7")
    response = sign_in(PASSWORD, remote="203.0.113.9")
    assert response.status_code == 302


def test_a_client_cannot_escape_by_writing_its_own_forwarded_header(world):
    """Not from a trusted proxy: X-Forwarded-For is ignored, the connection's address counts."""
    for i in range(3):
        sign_in("wrong", remote="198.51.100.7", forwarded=f"192.0.2.{i}")
    assert sign_in(PASSWORD, remote="198.51.100.7", forwarded="192.0.2.99").status_code == 429


def test_behind_the_trusted_proxy_each_client_is_counted_apart(world):
    for _ in range(3):
        sign_in("wrong", remote=PROXY, forwarded="198.51.100.7")
    assert sign_in(PASSWORD, remote=PROXY, forwarded="198.51.100.7").status_code == 429
    # Another client behind the same proxy is not locked out; a spoofed hop before it is ignored.
    assert sign_in(PASSWORD, remote=PROXY, forwarded="198.51.100.7, 203.0.113.9").status_code == 302


def test_a_success_clears_the_count(world):
    for _ in range(2):
        sign_in("wrong", remote="198.51.100.7")
    assert sign_in(PASSWORD, remote="198.51.100.7").status_code == 302
    for _ in range(2):
        sign_in("wrong", remote="198.51.100.7")
    assert sign_in(PASSWORD, remote="198.51.100.7").status_code == 302


def test_the_api_token_follows_the_same_rule(world):
    for _ in range(3):
        assert token("wrong", remote="198.51.100.7").status_code == 400
    refused = token(PASSWORD, remote="198.51.100.7", forwarded="192.0.2.1")
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.json()["detail"]
    assert token(PASSWORD, remote="203.0.113.9").status_code == 200


def test_failures_on_the_page_count_for_the_api_too(world):
    for _ in range(3):
        sign_in("wrong", remote="198.51.100.7")
    assert token(PASSWORD, remote="198.51.100.7").status_code == 429
