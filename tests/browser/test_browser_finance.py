"""In a real browser: the project's budget and funding plan, and the partnership's reciprocity
ledger — forms, SVG charts with their tables, accessibility checked with axe-core, in French
then in Arabic (right to left)."""

from __future__ import annotations

from datetime import date

import pytest

from reciproca.finance import services
from reciproca.projects import services as project_services
from reciproca.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RATES = "currency,date,rate,source\nDZD,2025-01-02,140.50,Banque d'Algérie\n"


def _sign_in(page, live_server, username: str) -> None:
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


@pytest.mark.charter("PRE-5", "PRI-3")
def test_karim_builds_the_budget_and_reads_the_ledger_in_french_then_in_arabic(
    page, live_server, world, screenshot
):
    services.load_rates(by=world.officer, text=RATES)
    project = project_services.create_project(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Eau potable",
        start_date=date(2025, 1, 1),
        end_date=date(2026, 6, 30),
    )
    services.set_funding_plan(project=project, by=world.officer, rates_date=date(2025, 1, 15))
    _sign_in(page, live_server, "karim")
    page.goto(f"{live_server.url}/projets/{project.pk}/")
    page.get_by_role("link", name="Budget et financement").click()
    page.get_by_role("heading", level=1, name="Budget et financement").wait_for()

    page.locator("summary", has_text="Ajouter une ligne budgétaire").click()
    form = page.locator("details", has_text="Ajouter une ligne budgétaire").locator("form")
    form.get_by_label("Année").fill("2025")
    form.get_by_label("Catégorie").select_option("TRAINING")
    form.get_by_label("Montant").fill("281000")
    form.get_by_label("Devise").select_option("DZD")
    form.get_by_role("button", name="Ajouter").click()
    page.get_by_text("La ligne budgétaire est enregistrée.").wait_for()
    table = page.get_by_role("table", name="Budget et réalisé par année (EUR)")
    assert "2\u202f000.00 EUR" in table.inner_text()
    assert page.locator("svg[role=img]").count() == 1
    screenshot("finance-project-fr")
    assert _serious_violations(page) == []

    services.record_exchange(
        partnership=world.constantine_partnership,
        by=world.officer,
        kind="DELEGATION",
        direction="TO_HOST",
        title="Délégation à Grenoble",
        start_date=date(2025, 6, 1),
        end_date=date(2025, 6, 3),
        competences="eau",
        benefits_partner="formation",
        benefits_host="regards croisés",
        objectives=["OBJ-1"],
        participants={("F", "30_59"): 2},
    )
    page.goto(f"{live_server.url}/finances/partenariat/{world.constantine_partnership.pk}/")
    page.get_by_role("heading", name="Bilan de réciprocité").wait_for()
    # The balance is charted; the revenue chart waits for its first figures (its table says so).
    assert page.locator("svg[role=img]").count() == 1
    assert _serious_violations(page) == []

    # Switch the interface to Arabic: the same ledger, right to left, still accessible.
    page.get_by_role("button", name="العربيّة").click()
    page.wait_for_function("document.documentElement.lang === 'ar'")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("heading", name="حصيلة المعاملة بالمثل").wait_for()
    screenshot("finance-partnership-ar")
    assert _serious_violations(page) == []
