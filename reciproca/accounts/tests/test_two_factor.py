"""The host authority's staff sign in with a second factor (TOTP, or a single-use recovery
code); partner authorities' staff are not forced to; the API token needs the code too."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from reciproca.testing.personas import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

SETUP = "/comptes/double-authentification/"


def sign_in(client: Client, username: str) -> None:
    response = client.post("/comptes/connexion/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{value:06d}"


def enrol(client: Client) -> tuple[TOTPDevice, list[str]]:
    client.get(SETUP)
    device = TOTPDevice.objects.get(confirmed=False)
    page = client.post(SETUP, {"code": code_for(device), "next": "/"})
    assert page.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{8})</code></li>", page.content.decode())
    device.refresh_from_db()
    return device, codes


def test_an_officer_without_a_second_factor_is_sent_to_set_it_up(world):
    client = Client()
    sign_in(client, "alice")
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    setup = client.get(SETUP)
    html = setup.content.decode()
    assert "data:image/svg+xml;base64," in html and "Configurer" in html
    assert client.get("/api/v1/projects/").status_code == 403


def test_setting_it_up_opens_the_pages_and_gives_recovery_codes_once(world):
    client = Client()
    sign_in(client, "alice")
    device, codes = enrol(client)
    assert device.confirmed and len(codes) == 10
    assert client.get("/").status_code == 200


def test_the_next_sign_in_asks_the_code_and_a_recovery_code_serves_once(world):
    first = Client()
    sign_in(first, "alice")
    device, codes = enrol(first)

    later = Client()
    sign_in(later, "alice")
    assert later.get("/").status_code == 302
    wrong = later.post(SETUP, {"code": "000000"})
    assert "ne correspond pas" in wrong.content.decode()
    time.sleep(1.1)  # a failure slows the next try down (django-otp's throttling)
    assert later.post(SETUP, {"code": codes[0], "next": "/"}).status_code == 302
    assert later.get("/").status_code == 200

    again = Client()
    sign_in(again, "alice")
    reused = again.post(SETUP, {"code": codes[0]})
    assert "ne correspond pas" in reused.content.decode()
    time.sleep(2.1)  # the second failure in a row: two seconds
    assert again.post(SETUP, {"code": code_for(device, 1), "next": "/"}).status_code == 302


def test_a_partner_s_staff_is_not_forced(world):
    client = Client()
    sign_in(client, "karim")
    assert client.get("/").status_code == 200


def test_the_api_token_of_staff_needs_the_code(world):
    client = Client()
    sign_in(client, "alice")
    device, _codes = enrol(client)
    api = APIClient()
    refused = api.post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    assert refused.status_code == 400 and "otp" in refused.json()["errors"]
    granted = api.post(
        "/api/v1/auth/token/",
        {"username": "alice", "password": PASSWORD, "otp": code_for(device, 1)},
        format="json",
    )
    assert granted.status_code == 200
    partner = api.post(
        "/api/v1/auth/token/", {"username": "karim", "password": PASSWORD}, format="json"
    )
    assert partner.status_code == 200
