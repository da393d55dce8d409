"""Error pages people can read: branded, in their language (right to left in Arabic), with a
way back — never Django's technical page (the tests run with DEBUG off, as production and the
demo do)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.urls("reciproca.core.tests.errors_urls")]


def _get(client, url, language="fr"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.raise_request_exception = False
    return client.get(url)


def test_an_out_of_reach_project_shows_the_branded_404_page(client, world):
    client.force_login(world.outsider)
    response = _get(client, "/projets/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in page
    assert 'class="brand"' in page
    assert 'href="/"' in page or "Retour au tableau de bord" in page
    assert "URLconf" not in page and "Using the URLconf" not in page


@pytest.mark.parametrize(
    ("language", "direction", "title"),
    [("ar", "rtl", "الصفحة غير موجودة"), ("en", "ltr", "Page not found"), ("hy", "ltr", None)],
)
def test_the_404_page_speaks_the_readers_language(client, world, language, direction, title):
    client.force_login(world.officer)
    page = _get(client, "/nulle-part/", language).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert "Page introuvable" not in page
    if title:
        assert title in page


def test_a_refused_action_shows_the_branded_403_page(client, world):
    client.force_login(world.constantine_reader)
    response = _get(client, "/test-errors/403/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Action non autorisée" in page and "Retour au tableau de bord" in page


@override_settings(DEBUG=False)
def test_a_server_error_shows_the_branded_500_page_in_the_readers_language(client, world):
    client.force_login(world.constantine_editor)
    response = _get(client, "/test-errors/500/", "ar")
    assert response.status_code == 500
    page = response.content.decode()
    assert 'dir="rtl"' in page and "Reciproca" in page
    assert "Traceback" not in page and "RuntimeError" not in page
