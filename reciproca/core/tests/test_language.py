"""French first: the browser's language does not override it; a choice or a profile does."""

from __future__ import annotations

from django.conf import settings


def test_an_english_browser_still_gets_the_french_interface(world, client):
    client.force_login(world.officer)
    page = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert page.status_code == 200
    assert '<html lang="fr"' in page.content.decode()


def test_a_partner_s_profile_language_is_used_until_they_choose_another(world, client):
    world.constantine_editor.preferred_language = "ar"
    world.constantine_editor.save()
    client.force_login(world.constantine_editor)
    assert 'dir="rtl"' in client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hy"
    assert '<html lang="hy"' in client.get("/").content.decode()
