"""Issue 8's reporting loop in a real browser, in French then with the partner in Arabic:
Constantine's partner editor (karim) reports a period, the Isère officer (alice) returns it
with a reason, karim corrects it, alice approves it and the period locks. axe-core checks the
period page; screenshots go to test-artifacts/.

The framework itself is built through the services (its pages are tested in the app's tests);
everything of the loop goes through the pages.
"""

from __future__ import annotations

from typing import Any

import pytest

from reciproca.projects import services as project_services
from reciproca.projects.models import Project, Stage
from reciproca.results.models import Report, Value
from reciproca.results.tests.conftest import build_framework
from reciproca.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _expect() -> Any:
    from playwright.sync_api import expect

    return expect


def _sign_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def _serious_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in {"serious", "critical"}]


@pytest.fixture
def setup(world: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.RECIPROCA_PRIVATE_ROOT = tmp_path / "private"
    project = project_services.create_project(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Eau potable rurale",
        programme=world.constantine_programme,
    )
    Project.objects.filter(pk=project.pk).update(stage=Stage.IMPLEMENTATION)
    project.refresh_from_db()
    parts = build_framework(project, world)
    return {"project": project, **parts}


def _report(page: Any, setup: dict[str, Any], total: int, *, narrative: str = "") -> None:
    people = page.locator(f"[data-testid=form-{setup['people'].pk}]")
    people.locator("input[name=value]").fill(str(total))
    people.locator("input[name='cell:F|15-24']").fill(str(total - 2))
    people.locator("input[name='cell:M|25-64']").fill("2")
    people.locator("button[type=submit]").click()
    page.locator(f"[data-testid=value-{setup['people'].pk}]").wait_for()
    if narrative:
        governance = page.locator(f"[data-testid=form-{setup['governance'].pk}]")
        governance.locator("textarea[name=narrative]").fill(narrative)
        governance.locator("button[type=submit]").click()
        page.wait_for_load_state()


def _loop(
    new_page: Any, page_screenshot: Any, live_server: Any, setup: dict[str, Any], *, arabic: bool
) -> None:
    expect = _expect()
    project, period = setup["project"], setup["periods"][0]
    url = f"{live_server.url}/resultats/{project.pk}/periode/{period.pk}/"
    alice, karim = new_page(), new_page(locale="ar-DZ" if arabic else "fr-FR")
    _sign_in(alice, live_server, "alice")
    _sign_in(karim, live_server, "karim")
    karim.goto(url)
    if arabic:
        karim.get_by_role("button", name="العربيّة").click()
        karim.wait_for_function("document.documentElement.lang === 'ar'")
        expect(karim.locator("html")).to_have_attribute("dir", "rtl")
    state = karim.get_by_test_id("report-state")
    expect(state).to_have_text("مسودة" if arabic else "brouillon")

    # Karim reports the period (a breakdown that does not add up first: refused, with the
    # difference) and submits it.
    people = karim.locator(f"[data-testid=form-{setup['people'].pk}]")
    people.locator("input[name=value]").fill("10")
    people.locator("input[name='cell:F|15-24']").fill("3")
    people.locator("button[type=submit]").click()
    expect(karim.locator(".messages")).to_contain_text("-7")
    assert not Value.objects.exists()
    _report(
        karim,
        setup,
        10,
        narrative="La régie tient ses comptes." if not arabic else "البلدية تمسك حساباتها.",
    )
    karim.locator("form[action$='/submit/'] button").click()
    expect(state).to_have_text("مُقدَّم" if arabic else "soumis")
    assert not _serious_violations(karim)
    page_screenshot(karim, f"results-reporting-submitted-{'ar' if arabic else 'fr'}")

    # Alice returns it with a reason.
    alice.goto(url)
    alice.get_by_label("Motif du renvoi").fill("Le total ne correspond pas au registre communal.")
    alice.get_by_role("button", name="Renvoyer le rapport").click()
    expect(alice.get_by_test_id("report-state")).to_have_text("renvoyé")

    # Karim reads the reason, corrects, submits again.
    karim.goto(url)
    expect(karim.get_by_role("alert").first).to_contain_text(
        "Le total ne correspond pas au registre communal."
    )
    expect(state).to_have_text("مُعاد" if arabic else "renvoyé")
    _report(karim, setup, 12)
    karim.locator("form[action$='/submit/'] button").click()
    expect(state).to_have_text("مُقدَّم" if arabic else "soumis")

    # Alice approves: the period locks.
    alice.goto(url)
    alice.get_by_role("button", name="Approuver le rapport").click()
    expect(alice.get_by_test_id("report-state")).to_have_text("approuvé")
    karim.goto(url)
    expect(state).to_have_text("معتمَد" if arabic else "approuvé")
    expect(
        karim.locator(f"[data-testid=form-{setup['people'].pk}] input[name=reason]")
    ).to_be_visible()
    expect(karim.locator("form[action$='/submit/']")).to_have_count(0)
    page_screenshot(karim, f"results-reporting-locked-{'ar' if arabic else 'fr'}")
    report = Report.objects.get(period=period)
    assert report.state == Report.State.APPROVED
    assert Value.objects.get(indicator=setup["people"], period=period, is_current=True).value == 12


@pytest.mark.charter("PRJ-8")
def test_report_return_correct_approve_lock_in_french(
    new_page, page_screenshot, live_server, setup
):
    _loop(new_page, page_screenshot, live_server, setup, arabic=False)


@pytest.mark.charter("PRJ-8", "PRI-1")
def test_report_return_correct_approve_lock_with_the_partner_in_arabic(
    new_page, page_screenshot, live_server, setup
):
    _loop(new_page, page_screenshot, live_server, setup, arabic=True)
