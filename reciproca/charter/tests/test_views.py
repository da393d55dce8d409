"""The charter page (/charte/) and the read-only admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst

from reciproca.charter import engine
from reciproca.charter.models import Charter, Clause, Theme

URL = "/charte/"


@pytest.fixture
def member(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(username="alice", password="x")


def test_the_page_lives_at_charte() -> None:
    assert reverse("charter:detail") == URL


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client: Client) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_the_page_shows_the_charter_in_force(
    client: Client, member: Any, isere: Charter, django_assert_max_num_queries: Any
) -> None:
    client.force_login(member)

    with django_assert_max_num_queries(8):
        response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Charte Relations internationales et coopération décentralisée" in page
    assert "Égalité" in page
    assert "Pouvoirs locaux autonomes" in page and "16.10" in page
    assert 'id="clause-PRJ-12"' in page
    assert "Lancer la mise en œuvre" in page
    label = engine.gate("start_implementation")[0].label
    assert escape(capfirst(label)) in page
    assert "Lutte contre le changement climatique" in page


@pytest.mark.django_db
def test_partners_read_theme_names_in_their_language(
    client: Client, member: Any, isere: Charter
) -> None:
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switcher sets it

    response = client.get(URL)

    assert "Autonomous local powers" in response.content.decode()


@pytest.mark.django_db
def test_without_a_charter_the_page_says_how_to_load_one(client: Client, member: Any) -> None:
    client.force_login(member)

    response = client.get(URL)

    assert response.status_code == 200
    assert "reciproca charter load" in response.content.decode()


@pytest.mark.django_db
def test_the_page_is_read_only(client: Client, member: Any, isere: Charter) -> None:
    client.force_login(member)

    assert client.post(URL).status_code == 405


@pytest.mark.django_db
def test_the_admin_shows_charters_without_letting_anyone_edit_them(
    client: Client, django_user_model: Any, isere: Charter
) -> None:
    admin = django_user_model.objects.create_superuser(username="root", password="x")
    client.force_login(admin)

    for model in (Charter, Clause, Theme):
        name = model._meta.model_name
        assert client.get(reverse(f"admin:charter_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:charter_{name}_add")).status_code == 403
    clause = Clause.objects.get(charter=isere, code="PRJ-5")
    detail = client.get(reverse("admin:charter_clause_change", args=[clause.pk]))
    assert detail.status_code == 200
    assert "Un dispositif d&#x27;évaluation concerté" in detail.content.decode()
    delete = client.post(reverse("admin:charter_clause_delete", args=[clause.pk]))
    assert delete.status_code == 403
    assert Clause.objects.filter(pk=clause.pk).exists()
