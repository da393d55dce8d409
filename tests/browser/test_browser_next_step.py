"""Issue 7 (part A) in a real browser, in French then in Arabic: the project page leads with
the next step and its progress; a project closed by a redesign shows the stages it skipped;
the conformity report of a project at the decision stage has no failure for a later stage;
axe-core finds no serious or critical violation on the pages changed."""

from __future__ import annotations

import re

import pytest

from reciproca.charter.conformity import Status
from reciproca.diagnosis import services as diagnosis_services
from reciproca.diagnosis.tests.conftest import complete
from reciproca.projects import queries, services
from reciproca.projects.models import Decision, Project, Stage
from reciproca.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username: str = "alice") -> None:
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def _to_arabic(page) -> None:
    page.get_by_role("button", name="العربيّة").click()
    page.wait_for_function("document.documentElement.lang === 'ar'")


def _serious_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    for violation in bad:
        print(violation["id"], violation["impact"], violation["help"])
        for node in violation["nodes"][:5]:
            print("   ", node["target"], node.get("failureSummary", "")[:200])
    return bad


def _top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


@pytest.fixture
def at_decision(world):
    project = services.create_project(
        partnership=world.constantine_partnership, by=world.officer,
        title="Eau potable dans les communes rurales", programme=world.constantine_programme,
    )  # fmt: skip
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    complete(project, world)
    diagnosis_services.sign_off_diagnosis(project=project, by=world.officer)
    diagnosis_services.sign_off_diagnosis(project=project, by=world.constantine_editor)
    services.transition_project(project=project, transition="submit_for_decision", by=world.officer)
    project.refresh_from_db()
    return project


def test_the_next_step_and_its_progress_lead_the_project_page(page, live_server, world, screenshot):
    project = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Jardins partagés",
        programme=world.constantine_programme,
    )  # fmt: skip
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    (gate,) = [g for g in queries.checklist(project) if g.name == "submit_for_decision"]
    met, total = sum(c.is_met for c in gate.conditions), len(gate.conditions)
    _sign_in(page, live_server)
    page.goto(f"{live_server.url}/projets/{project.pk}/")
    panel = page.locator("#next-step")
    assert "Prochaine étape : Soumettre à la décision" in panel.inner_text()
    assert re.search(rf"{met} conditions? remplies? sur {total}", panel.inner_text())
    # It comes first: above the description, the partners and the full checklist.
    assert _top(page, "#next-step") < _top(page, "#about-title")
    assert _top(page, "#next-step") < _top(page, "#checklist")
    # A button sure to be refused is not primary, and says why.
    button = panel.get_by_role("button", name="Soumettre à la décision")
    assert "button--secondary" in (button.get_attribute("class") or "")
    assert "sera refusé" in panel.inner_text()
    # Each unmet condition links to where it is fixed.
    panel.get_by_role("link", name=re.compile("Compléter")).first.wait_for()
    screenshot("next-step-fr")
    problems = {"project-fr": _serious_violations(page)}

    _to_arabic(page)
    page.goto(f"{live_server.url}/projets/{project.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert _top(page, "#next-step") < _top(page, "#about-title")
    text = page.locator("#next-step").inner_text()
    assert str(total) in text and "Soumettre" not in text
    screenshot("next-step-ar")
    problems["project-ar"] = _serious_violations(page)
    assert not {k: [v["id"] for v in p] for k, p in problems.items() if p}


def test_a_project_closed_by_redesign_shows_its_skipped_stages(
    page, live_server, world, at_decision, screenshot
):
    services.record_decision(
        project=at_decision, by=world.officer, outcome=Decision.Outcome.REDESIGN,
        rationale="Une autre approche, avec les communes.", new_title="Eau potable, autrement",
    )  # fmt: skip
    _sign_in(page, live_server)
    page.goto(f"{live_server.url}/projets/{at_decision.pk}/")
    skipped = page.locator(".stages li[data-status=skipped]")
    assert skipped.count() == 3
    assert "non parcourue" in skipped.first.inner_text()
    assert page.locator(".stages li[data-status=done]").count() == 3
    assert "concevoir un autre projet" in page.locator(".stages").inner_text()
    screenshot("stepper-redesign-fr")
    problems = {"closed-fr": _serious_violations(page)}
    _to_arabic(page)
    page.goto(f"{live_server.url}/projets/{at_decision.pk}/")
    assert page.locator(".stages li[data-status=skipped]").count() == 3
    assert "non parcourue" not in page.locator(".stages").inner_text()
    screenshot("stepper-redesign-ar")
    problems["closed-ar"] = _serious_violations(page)
    assert not {k: [v["id"] for v in p] for k, p in problems.items() if p}


def test_the_conformity_report_at_decision_has_no_failure_for_a_later_stage(
    page, live_server, world, at_decision, screenshot
):
    report = queries.conformity_report(at_decision)
    assert {c.code: c.status for c in report.clauses}["PRJ-8"] == Status.NOT_YET
    _sign_in(page, live_server, "elise")
    page.goto(f"{live_server.url}/diagnostic/{at_decision.pk}/conformite/")
    row = page.locator("tr#PRJ-8")
    assert "pas encore applicable" in row.inner_text()
    assert "non respectée" not in row.inner_text()
    assert "non respectée" not in page.locator("table.conformity").inner_text()
    screenshot("conformity-decision-fr")
    problems = {"conformity-fr": _serious_violations(page)}
    _to_arabic(page)
    page.goto(f"{live_server.url}/diagnostic/{at_decision.pk}/conformite/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("tr#PRJ-8 .status--not_yet").count() == 1
    assert page.locator("table.conformity .status--unmet").count() == 0
    screenshot("conformity-decision-ar")
    problems["conformity-ar"] = _serious_violations(page)
    assert not {k: [v["id"] for v in p] for k, p in problems.items() if p}


def test_the_dashboard_list_and_charter_pages_have_no_serious_violation(
    page, live_server, world, at_decision, screenshot
):
    Project.objects.filter(pk=at_decision.pk).update(stage=Stage.DECISION)
    _sign_in(page, live_server)
    problems = {}
    for name, path in [
        ("dashboard", "/"),
        ("projects-sorted", "/projets/?tri=-etape&q=Eau"),
        ("charter", "/charte/"),
        ("overview", f"/diagnostic/{at_decision.pk}/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        screenshot(f"issue7a-{name}-fr")
        problems[name] = _serious_violations(page)
    page.goto(f"{live_server.url}/")
    todo = page.locator("#todo")
    assert "Décisions en attente" in todo.inner_text()
    _to_arabic(page)
    for name, path in [("dashboard", "/"), ("projects", "/projets/")]:
        page.goto(f"{live_server.url}{path}")
        problems[f"{name}-ar"] = _serious_violations(page)
    assert not {k: [v["id"] for v in p] for k, p in problems.items() if p}


def test_the_list_filter_stays_in_sync_after_back(page, live_server, world):
    for title, stage in (("Jardins partagés", Stage.IDEA), ("Maison des jeunes", Stage.DECISION)):
        project = services.create_project(
            partnership=world.constantine_partnership, by=world.officer, title=title
        )
        Project.objects.filter(pk=project.pk).update(stage=stage)
    _sign_in(page, live_server)
    page.goto(f"{live_server.url}/projets/")
    stage = page.get_by_label("Étape")
    stage.select_option(Stage.DECISION.value)
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"stage=DECISION"))
    page.locator("#results").get_by_text("Maison des jeunes").wait_for()
    assert page.locator("#results").get_by_text("Jardins partagés").count() == 0
    page.go_back()
    page.wait_for_url(f"{live_server.url}/projets/")
    page.locator("#results").get_by_text("Jardins partagés").wait_for()
    assert page.get_by_label("Étape").input_value() == ""
    page.go_forward()
    page.wait_for_url(re.compile(r"stage=DECISION"))
    page.locator("#results").get_by_text("Maison des jeunes").wait_for()
    assert page.get_by_label("Étape").input_value() == Stage.DECISION.value
    assert page.locator("#results").get_by_text("Jardins partagés").count() == 0
