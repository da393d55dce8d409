"""Signing in and out, the language switch, and what anonymous visitors get."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reciproca.testing import PASSWORD


@pytest.mark.django_db
def test_the_login_page_speaks_french(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in content
    assert "Connexion" in content
    assert "Mot de passe" in content


def test_signing_in_leads_to_the_dashboard(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "alice", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("projects:dashboard")
    assert "Tableau de bord" in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(client, world):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_signed_in_user_is_sent_on_from_the_login_page(client, world):
    client.force_login(world.officer)
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:dashboard")


def test_signing_out_is_a_post(client, world):
    client.force_login(world.officer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("projects:dashboard"),
        reverse("projects:list"),
        reverse("projects:create"),
        reverse("partnerships:list"),
        "/projets/1/",
        "/partenariats/1/",
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_header_names_the_user_and_their_organisation(client, world):
    client.force_login(world.constantine_editor)
    content = client.get(reverse("projects:dashboard")).content.decode()
    assert "Karim" in content
    assert "Constantine" in content
    assert reverse("accounts:logout") in content


def test_switching_to_arabic_turns_the_page_right_to_left(client, world):
    client.force_login(world.officer)
    response = client.post(
        reverse("set_language"), {"language": "ar", "next": reverse("projects:dashboard")}
    )
    assert response.status_code == 302
    content = client.get(reverse("projects:dashboard")).content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert "لوحة المتابعة" in content  # "Tableau de bord"


def test_the_language_switcher_offers_each_language_in_its_own_name(client, world):
    client.force_login(world.officer)
    content = client.get(reverse("projects:dashboard")).content.decode()
    for name in ("Français", "English", "العربيّة", "Հայերեն"):
        assert name in content
