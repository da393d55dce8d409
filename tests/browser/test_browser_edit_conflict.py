"""No lost update, in two real browsers (issue 10): the Isère officer (alice) and Constantine's
partner editor (karim) open the same need's edit form; alice saves first; karim's save is
refused with both versions side by side (409), what he typed still in the form; he saves
again, knowingly, over alice's version. Once in French, once with karim working in Arabic,
right to left. axe-core checks the conflict page; screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from reciproca.diagnosis import services
from reciproca.diagnosis.models import Need, Side
from reciproca.projects import services as project_services
from reciproca.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "fr": {
        "save": "Enregistrer le besoin",
        "conflict": "Quelqu'un a modifié ce contenu en même temps que vous",
        "current": "La version actuelle (modifiée par Alice à",
    },
    "ar": {
        "save": None,  # the button in Arabic: found by its place
        "conflict": "عدّل شخص آخر هذا المحتوى في الوقت نفسه معك",
        "current": "النسخة الحالية (عدّلها Alice في",
    },
}


def _sign_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def _serious_violations(page: Any, name: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    bad = [v for v in violations if v["impact"] in {"serious", "critical"}]
    for violation in bad:
        print(name, violation["id"], violation["impact"], violation["help"])
        for node in violation["nodes"][:5]:
            print("   ", node["target"], node.get("failureSummary", "")[:200])
    return [f"{name}: {v['id']}" for v in bad]


@pytest.fixture
def need(world: Any) -> Need:
    project = project_services.create_project(
        partnership=world.constantine_partnership, by=world.officer,
        title="Eau potable dans les communes rurales", programme=world.constantine_programme,
    )  # fmt: skip
    project_services.transition_project(
        project=project, transition="start_diagnosis", by=world.officer
    )
    return services.add_need(
        project=project, by=world.constantine_editor, side=Side.PARTNER,
        title="Eau potable", population_concerned="Habitants de quatre communes",
        evidence="Relevés des coupures 2023.",
    )  # fmt: skip


def _save(page: Any, language: str) -> None:
    words = WORDS[language]
    if words["save"]:
        page.get_by_role("button", name=words["save"]).click()
    else:
        page.locator("form.card button[type=submit]").first.click()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_two_partners_save_the_same_need_and_the_second_sees_the_conflict(
    live_server: Any,
    new_page: Callable[..., Any],
    page_screenshot: Callable[[Any, str], Any],
    world: Any,
    need: Need,
    language: str,
) -> None:
    from playwright.sync_api import expect

    world.constantine_editor.preferred_language = language
    world.constantine_editor.save()
    alice, karim = new_page(), new_page(locale="ar-DZ" if language == "ar" else "fr-FR")
    _sign_in(alice, live_server, "alice")
    _sign_in(karim, live_server, "karim")
    url = f"{live_server.url}/diagnostic/{need.diagnosis.project_id}/besoins/{need.pk}/modifier/"
    alice.goto(url)
    karim.goto(url)
    if language == "ar":
        expect(karim.locator("html")).to_have_attribute("dir", "rtl")

    alice.locator("input[name=title]").fill("Eau potable en continu")
    _save(alice, "fr")
    alice.wait_for_url(f"**/diagnostic/{need.diagnosis.project_id}/**")

    karim.locator("input[name=title]").fill("Eau potable et assainissement")
    karim.locator("textarea[name=description]").fill("Les quartiers hauts d'abord.")
    _save(karim, language)
    conflict = karim.locator("#conflit")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text(WORDS[language]["conflict"])
    expect(conflict).to_contain_text(WORDS[language]["current"])
    expect(conflict).to_contain_text("Eau potable en continu")  # alice's, saved
    expect(conflict).to_contain_text("Eau potable et assainissement")  # karim's, not saved
    # What karim typed is still in the form: nothing is lost.
    expect(karim.locator("input[name=title]")).to_have_value("Eau potable et assainissement")
    expect(karim.locator("textarea[name=description]")).to_have_value(
        "Les quartiers hauts d'abord."
    )
    need.refresh_from_db()
    assert need.title == "Eau potable en continu"
    page_screenshot(karim, f"edit-conflict-{language}")
    assert _serious_violations(karim, f"edit-conflict-{language}") == []

    # Having seen alice's version, karim saves his over it.
    _save(karim, language)
    karim.wait_for_url(f"**/diagnostic/{need.diagnosis.project_id}/**")
    need.refresh_from_db()
    assert need.title == "Eau potable et assainissement"
    assert need.revised_by == world.constantine_editor
