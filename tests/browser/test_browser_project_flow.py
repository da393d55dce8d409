"""In a real browser: sign in, create a project, try a transition the charter forbids and read
the reasons — in French, then in Arabic, right to left. Accessibility checked with axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from reciproca.partnerships.models import Agreement
from reciproca.projects.models import Project, Stage
from reciproca.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username: str = "alice") -> None:
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def _serious_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    for violation in bad:
        print(violation["id"], violation["impact"], violation["help"])
        for node in violation["nodes"][:5]:
            print("   ", node["target"], node.get("failureSummary", "")[:200])
    return bad


def test_a_forbidden_transition_shows_its_reasons_in_french_then_in_arabic(
    page, live_server, world, screenshot
):
    _sign_in(page, live_server)
    assert page.locator("html").get_attribute("lang") == "fr"

    # Create a project in the Constantine partnership, through the form.
    page.get_by_role("link", name="Nouveau projet").first.click()
    page.get_by_label("Partenariat").select_option(
        label="Wilaya de Constantine — Isère – Constantine"
    )
    page.get_by_label("Titre").fill("Eau potable dans les douars")
    page.get_by_label("Résumé").fill("Raccorder trois douars au réseau d'eau potable.")
    page.get_by_label("Programme concerté").select_option(index=1)
    page.get_by_role("button", name="Enregistrer le projet").click()
    page.wait_for_url(re.compile(r"/projets/\d+/$"))
    project = Project.objects.get(title="Eau potable dans les douars")
    assert project.stage == Stage.IDEA
    page.get_by_role("heading", level=1, name="Eau potable dans les douars").wait_for()

    # Open the shared diagnosis (allowed), then try to submit for decision (forbidden).
    page.get_by_role("button", name="Ouvrir le diagnostic partagé").click()
    page.get_by_text("Le diagnostic partagé est ouvert.").wait_for()
    page.get_by_role("button", name="Soumettre à la décision").click()
    alert = page.locator("#next-step [role=alert]")
    alert.wait_for()
    assert "« Soumettre à la décision » est refusé" in alert.inner_text()
    # The refusal says how many conditions are unmet; each is listed once, under it.
    assert "conditions ne sont pas remplies" in alert.inner_text()
    assert (
        "Aucun thème prioritaire de la charte n'est indiqué pour le projet."
        in page.locator("#next-step").inner_text()
    )
    # The focus lands on the refusal (htmx focuses [autofocus]).
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    project.refresh_from_db()
    assert project.stage == Stage.DIAGNOSIS
    screenshot("project-refused-fr")

    # Switch the interface to Arabic: the page turns right to left, the reasons are in Arabic.
    page.get_by_role("button", name="العربيّة").click()
    page.wait_for_function("document.documentElement.lang === 'ar'")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("form:has(input[value=submit_for_decision]) button").click()
    alert = page.locator("#next-step [role=alert]")
    alert.wait_for()
    text = page.locator("#next-step").inner_text()
    assert "لم يُحدَّد أي محور ذي أولوية من الميثاق لهذا المشروع." in text, text
    assert page.get_by_role("heading", name="شروط الميثاق للمضي قدماً").is_visible()
    screenshot("project-refused-ar")


def test_pages_have_no_serious_accessibility_violations(page, live_server, world, screenshot):
    from reciproca.projects import services

    today = timezone.localdate()
    Agreement.objects.create(
        partnership=world.constantine_partnership, title="Convention cadre 2023-2026",
        purpose="Eau, jeunesse et gouvernance locale.", forecast_amount=240000,
        valid_from=today - timedelta(days=900), valid_until=today + timedelta(days=45),
        deliberation_reference="CP 2023-03-17 n° 12",
    )  # fmt: skip
    project = services.create_project(
        partnership=world.constantine_partnership, by=world.officer,
        title="Eau potable dans les douars", summary="Raccorder trois douars au réseau.",
        programme=world.constantine_programme, start_date=today,
        end_date=today + timedelta(days=60),
    )  # fmt: skip
    services.transition_project(
        project=project, transition="start_diagnosis", by=world.officer, reason="Besoin exprimé."
    )
    at_decision = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Maison des jeunes"
    )
    # Arrange a project at the decision stage (the diagnosis pages are another app's concern).
    Project.objects.filter(pk=at_decision.pk).update(stage=Stage.DECISION)
    _sign_in(page, live_server)

    problems = {}
    for name, path in [
        ("dashboard", "/"),
        ("partnership", f"/partenariats/{world.constantine_partnership.pk}/"),
        ("project", f"/projets/{project.pk}/"),
        ("project-decision", f"/projets/{at_decision.pk}/"),
        ("projects", "/projets/"),
        ("partnerships", "/partenariats/"),
        ("project-create", "/projets/nouveau/"),
        ("project-edit", f"/projets/{project.pk}/modifier/"),
        ("project-tags", f"/projets/{project.pk}/rattachements/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        screenshot(f"{name}-fr")
        problems[name] = _serious_violations(page)

    page.get_by_role("button", name="العربيّة").click()
    page.wait_for_function("document.documentElement.lang === 'ar'")
    for name, path in [
        ("dashboard", "/"),
        ("partnership", f"/partenariats/{world.constantine_partnership.pk}/"),
        ("project", f"/projets/{project.pk}/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        screenshot(f"{name}-ar")
        problems[f"{name}-ar"] = _serious_violations(page)

    page.get_by_role("button", name="Հայերեն").click()
    page.wait_for_function("document.documentElement.lang === 'hy'")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.goto(f"{live_server.url}/projets/{project.pk}/")
    screenshot("project-hy")
    problems["project-hy"] = _serious_violations(page)

    summary = {name: [v["id"] for v in found] for name, found in problems.items() if found}
    assert not summary, summary


def test_the_pages_work_on_a_narrow_screen(chromium, live_server, world, compiled_translations):
    from reciproca.projects import services

    project = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Jardins partagés"
    )
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", device_scale_factor=2
    )
    page = context.new_page()
    try:
        _sign_in(page, live_server)
        page.goto(f"{live_server.url}/projets/{project.pk}/")
        # Nothing wider than the screen: no horizontal scrolling of the page.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1
        from pathlib import Path

        from django.conf import settings

        Path(settings.BASE_DIR, "test-artifacts").mkdir(exist_ok=True)
        page.screenshot(
            path=str(Path(settings.BASE_DIR, "test-artifacts", "project-mobile-fr.png")),
            full_page=True,
        )
        page.locator(".stages").screenshot(
            path=str(Path(settings.BASE_DIR, "test-artifacts", "project-mobile-stages-fr.png"))
        )
    finally:
        context.close()
