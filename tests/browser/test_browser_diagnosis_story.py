"""Issue 3's whole story in a real browser: an Isère officer (alice) and Constantine's partner
editor (karim), each in a browser of their own, build the shared diagnosis together, karim signs,
alice edits, karim sees his sign-off withdrawn, both sign, the project goes to the decision, the
decision is recorded and the project moves on to elaboration. Then the sign/edit/withdraw/sign/
decide part again with karim working in Arabic, right to left. axe-core checks the diagnosis
pages; screenshots go to test-artifacts/.

Most of the matrix and the alternative's assessment are filled through the services (the page
work would repeat itself); everything a person decides — needs, some cells, the negative
impact's response, the alternative, the reversibility statement, the grid, the sign-offs, the
submission and the decision — goes through the pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from reciproca.charter import engine
from reciproca.diagnosis import grid, services
from reciproca.diagnosis.models import (
    Alternative,
    Dimension,
    Direction,
    Directness,
    Horizon,
    Side,
)
from reciproca.projects import services as project_services
from reciproca.projects.models import Decision, Project, Stage
from reciproca.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THEME = "Sauvegarde des ressources en eau et en sol"
DELIBERATION = "CP 2025-06-16 n° 42"


# --- helpers ------------------------------------------------------------------------------------


def _expect() -> Any:
    from playwright.sync_api import expect

    return expect


def _sign_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def _serious_violations(page: Any, name: str) -> list[str]:
    """axe-core's violations of impact serious or critical, printed with their nodes."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    bad = [v for v in violations if v["impact"] in {"serious", "critical"}]
    if lesser := [f"{v['id']} ({v['impact']})" for v in violations if v not in bad]:
        print(name, "— lesser violations:", ", ".join(lesser))
    for violation in bad:
        print(name, violation["id"], violation["impact"], violation["help"])
        for node in violation["nodes"][:5]:
            print("   ", node["target"], node.get("failureSummary", "")[:200])
    return [f"{name}: {v['id']}" for v in bad]


def _edit_cell_inline(
    page: Any,
    dom_id: str,
    *,
    direction: str,
    justification: str,
    magnitude: str = "",
    likelihood: str = "",
    saved: str = "Case enregistrée.",
    on_open: Callable[[], Any] | None = None,
) -> None:
    """Open one matrix cell in place (HTMX), fill it, save it, and wait for the swapped cell.

    The keyboard focus follows the swaps: into the form when it opens, back to the cell's
    "Modifier" link when it is saved (else a keyboard user is thrown to the top of the page).
    """
    expect = _expect()
    cell = page.locator(f"#{dom_id}")
    cell.locator("a.cell__edit").click()
    form = cell.locator("form.cell-form")
    form.wait_for()
    expect(form.locator("fieldset").first).to_be_focused()
    if on_open is not None:
        on_open()
    # Every control found by its label, as a screen-reader user would.
    form.get_by_role("radio", name=direction, exact=True).check()
    if magnitude:
        form.get_by_label("Ampleur").select_option(label=magnitude)
    if likelihood:
        form.get_by_label("Probabilité").select_option(label=likelihood)
    form.get_by_label("Justification").fill(justification)
    form.get_by_role("button", name="Enregistrer la case").click()
    expect(cell.get_by_role("status")).to_have_text(saved)
    expect(cell).to_contain_text(justification)
    expect(cell.locator("a.cell__edit")).to_be_focused()


def _cell_id(side: str, dimension: str, directness: str, horizon: str, option: str = "") -> str:
    return f"case-{option or 'proposition'}-{side}-{dimension}-{directness}-{horizon}".lower()


def _set_cell(project: Project, by: Any, side: str, dimension: str, **values: Any) -> None:
    services.set_impact_cell(
        project=project, by=by, side=side, dimension=dimension,
        directness=values.pop("directness", Directness.DIRECT),
        horizon=values.pop("horizon", Horizon.MEDIUM),
        direction=values.pop("direction", Direction.POSITIVE),
        magnitude=values.pop("magnitude", 2), likelihood=values.pop("likelihood", 2),
        justification=values.pop("justification", f"Effet {Dimension(dimension).label} attendu."),
        **values,
    )  # fmt: skip


def _overview(page: Any, live_server: Any, project: Project) -> None:
    page.goto(f"{live_server.url}/diagnostic/{project.pk}/")


def _project_page(page: Any, live_server: Any, project: Project) -> None:
    page.goto(f"{live_server.url}/projets/{project.pk}/")


# --- the story, in French -----------------------------------------------------------------------


@pytest.fixture
def project(world: Any) -> Project:
    """A project of the Constantine partnership at the idea stage, co-owned by Isère and
    Constantine, with the repetitive part of its impact matrix already filled: one justified
    cell for two of the four dimensions on each side (each side by its own people)."""
    today = timezone.localdate()
    project = project_services.create_project(
        partnership=world.constantine_partnership, by=world.officer,
        title="Eau potable dans les douars", summary="Raccorder trois douars au réseau d'eau.",
        programme=world.constantine_programme, start_date=today,
        end_date=today + timedelta(days=365),
    )  # fmt: skip
    for dimension in (Dimension.ECONOMIC, Dimension.CULTURAL):
        _set_cell(project, world.constantine_editor, Side.PARTNER, dimension)
    for dimension in (Dimension.SOCIAL, Dimension.ECONOMIC, Dimension.ENVIRONMENTAL):
        _set_cell(project, world.officer, Side.HOST, dimension)
    project.refresh_from_db()
    return project


@pytest.mark.charter("PRI-1", "PRI-2", "PRJ-2", "PRJ-3", "PRJ-4", "PRJ-6", "PRJ-7", "PRJ-13")
@pytest.mark.charter("PRJ-14", "PRJ-15")
def test_alice_and_karim_build_the_diagnosis_together_and_the_project_is_decided(
    new_page, page_screenshot, live_server, world, project
):
    expect, save = _expect(), page_screenshot
    problems: list[str] = []
    alice, karim = new_page(), new_page()
    _sign_in(alice, live_server, "alice")
    _sign_in(karim, live_server, "karim")

    # Alice opens the shared diagnosis from the project page.
    _project_page(alice, live_server, project)
    alice.get_by_role("button", name="Ouvrir le diagnostic partagé").click()
    alice.get_by_text("Le diagnostic partagé est ouvert.").wait_for()
    alice.get_by_role("link", name="Diagnostic partagé").first.click()
    expect(alice.get_by_role("heading", level=1, name="Diagnostic partagé")).to_be_visible()

    # Needs from both sides, each with its author organisation (PRI-2).
    _overview(karim, live_server, project)
    karim.get_by_role("link", name="Ajouter un besoin").click()
    karim.get_by_label("Constantine (territoire partenaire)").check()
    karim.get_by_role("textbox", name="Besoin", exact=True).fill("Eau potable en continu")
    karim.get_by_label("Population concernée").fill("Habitants de trois douars")
    karim.get_by_label("Éléments qui établissent le besoin").fill("Relevés des coupures 2024.")
    karim.get_by_role("button", name="Ajouter le besoin").click()
    karim.get_by_text("Le besoin est ajouté au diagnostic.").wait_for()

    alice.get_by_role("link", name="Ajouter un besoin").click()
    alice.get_by_label("Isère (territoire de la collectivité)").check()
    alice.get_by_role("textbox", name="Besoin", exact=True).fill(
        "Expérience internationale des agents"
    )
    alice.get_by_label("Population concernée").fill("Agents du service de l'eau")
    alice.get_by_label("Éléments qui établissent le besoin").fill("Revue des compétences 2024.")
    alice.get_by_role("button", name="Ajouter le besoin").click()
    alice.get_by_text("Le besoin est ajouté au diagnostic.").wait_for()
    needs = alice.locator("#besoins")
    expect(needs).to_contain_text("Eau potable en continu")
    expect(needs).to_contain_text("Apporté par la Wilaya de Constantine")
    expect(needs).to_contain_text("Expérience internationale des agents")
    expect(needs).to_contain_text("Apporté par le Département de l'Isère")

    # Themes (PRJ-15) and the department's services and elected officials (PRJ-13).
    alice.get_by_role("link", name="Voir les suggestions et confirmer").click()
    alice.get_by_label(THEME).check()
    alice.get_by_role("button", name="Enregistrer les thèmes").click()
    alice.get_by_text("Les thèmes prioritaires sont enregistrés").wait_for()
    _overview(alice, live_server, project)
    alice.get_by_role("link", name="Modifier les services et élus impliqués").click()
    alice.get_by_label("Direction de l'environnement").check()
    alice.get_by_label("Mme la vice-présidente").check()
    alice.get_by_role("button", name="Enregistrer les services et élus").click()
    alice.get_by_text("Les services et élus impliqués sont enregistrés.").wait_for()

    # The impact matrix, edited in place: karim fills the partner territory's side (one
    # negative cell among them), alice Isère's (PRJ-3, PRI-1).
    _overview(karim, live_server, project)
    karim.get_by_role("link", name="Renseigner la matrice").click()
    _edit_cell_inline(
        karim, _cell_id("partner", "social", "direct", "short"), direction="positif",
        magnitude="forte", likelihood="moyenne",
        justification="Moins de corvées d'eau pour les femmes.",
        on_open=lambda: save(karim, "diagnosis-story-cell-form-fr"),
    )  # fmt: skip
    negative_id = _cell_id("partner", "environmental", "direct", "short")
    _edit_cell_inline(
        karim, negative_id, direction="négatif", magnitude="faible", likelihood="forte",
        justification="Déchets de chantier le long des tranchées.",
    )  # fmt: skip
    expect(karim.locator(f"#{negative_id}")).to_contain_text("négatif")
    alice.get_by_role("link", name="Vue d'ensemble").click()
    alice.get_by_role("link", name="Renseigner la matrice").click()
    _edit_cell_inline(
        alice, _cell_id("host", "cultural", "indirect", "long"), direction="positif",
        magnitude="moyenne", likelihood="moyenne",
        justification="Échanges entre lycées d'Isère et de Constantine.",
    )  # fmt: skip
    # Each cell names its author organisation: alice sees karim's cells as Constantine's.
    expect(alice.locator(f"#{negative_id} .cell__meta").last).to_have_text("Constantine")
    save(alice, "diagnosis-story-matrix-fr")
    problems += _serious_violations(alice, "matrix")

    # The negative impact gets a response with an owner and a due date (PRJ-6).
    _overview(karim, live_server, project)
    responses = karim.locator("#reponses")
    expect(responses).to_contain_text(
        "Aucune réponse : cet impact ne peut pas rester sans réponse."
    )
    responses.get_by_role("link", name=re.compile("^Ajouter une réponse")).click()
    karim.get_by_role("combobox", name="Réponse", exact=True).select_option(label="limiter")
    karim.get_by_label("Mesure prévue").fill("Tri et évacuation des déblais chaque semaine.")
    karim.get_by_label("Organisation responsable").select_option(label="Wilaya de Constantine")
    due = timezone.localdate() + timedelta(days=90)
    karim.get_by_label("Échéance").fill(due.isoformat())
    karim.get_by_role("button", name="Enregistrer la réponse").click()
    karim.get_by_text("La réponse à l'impact négatif est enregistrée.").wait_for()
    expect(karim.locator("#reponses")).to_contain_text("Limiter — Tri et évacuation des déblais")

    # An alternative, "do nothing", assessed on the same matrix and grid (PRJ-7).
    _overview(alice, live_server, project)
    alice.locator("#alternatives").get_by_role("link", name="Ajouter une alternative").click()
    alice.get_by_label("Intitulé de l'alternative").fill("Ne rien faire")
    alice.get_by_label("Description").fill("Les douars restent desservis par camion-citerne.")
    alice.get_by_label("C'est l'option « ne rien faire »").check()
    alice.get_by_role("button", name="Ajouter l'alternative").click()
    alice.get_by_text("L'alternative « Ne rien faire » est ajoutée").wait_for()
    do_nothing = Alternative.objects.get(diagnosis__project=project)
    _overview(karim, live_server, project)
    karim.get_by_role("link", name="Matrice des impacts — Ne rien faire").click()
    _edit_cell_inline(
        karim, _cell_id("partner", "social", "direct", "medium", option=str(do_nothing.pk)),
        direction="négatif", magnitude="moyenne", likelihood="forte",
        justification="Les corvées d'eau continuent.",
    )  # fmt: skip
    # The rest of the alternative's matrix, cell after identical cell, through the services.
    for side, by in ((Side.PARTNER, world.constantine_editor), (Side.HOST, world.officer)):
        for dimension in Dimension:
            if (side, dimension) != (Side.PARTNER, Dimension.SOCIAL):
                _set_cell(project, by, side, dimension, direction=Direction.NONE,
                          justification="Rien ne change.", alternative=do_nothing)  # fmt: skip

    # Karim writes the reversibility and exit statement (PRJ-7).
    _overview(karim, live_server, project)
    karim.get_by_role("link", name="Rédiger l'énoncé de réversibilité et de sortie").click()
    karim.get_by_label("Réversibilité et sortie").fill(
        "Chaque tranche de travaux est indépendante ; le réseau reste propriété de la commune."
    )
    karim.get_by_role("button", name="Enregistrer l'énoncé").click()
    karim.get_by_text("L'énoncé de réversibilité et de sortie est enregistré.").wait_for()

    # The sustainable-development grid: alice scores the proposal, karim the alternative
    # (PRJ-14; the project's theme is one of the criteria, PRJ-15).
    _overview(alice, live_server, project)
    alice.get_by_role("link", name="Noter la proposition").click()
    scores = alice.locator("form.grid-form select[name^=score__]")
    # The link opens a new page: wait for its form before counting what it holds.
    assert len(grid.project_criteria(project)) == 11
    expect(scores).to_have_count(11)
    expect(alice.locator("form.grid-form")).to_contain_text(THEME)
    for index in range(scores.count()):
        scores.nth(index).select_option("3")
    for field in alice.locator("form.grid-form textarea[name^=justification__]").all():
        field.fill("Contribution nette, constatée lors de la mission de 2024.")
    alice.get_by_role("button", name="Enregistrer mes notes").click()
    alice.get_by_text("Vos notes sont enregistrées.").wait_for()

    karim.get_by_role("link", name="Vue d'ensemble").click()
    karim.get_by_role("link", name="Grille de développement durable — Ne rien faire").click()
    expect(karim.locator("form.grid-form select[name^=score__]")).to_have_count(11)
    for select in karim.locator("form.grid-form select[name^=score__]").all():
        select.select_option("1")
    for field in karim.locator("form.grid-form textarea[name^=justification__]").all():
        field.fill("Sans le projet, rien ne change.")
    karim.get_by_role("button", name="Enregistrer mes notes").click()
    karim.get_by_text("Vos notes sont enregistrées.").wait_for()

    # Everything the charter asks before the decision is there but the partners' sign-offs.
    _overview(karim, live_server, project)
    unmet = karim.locator("#avant-decision .condition--unmet")
    expect(unmet).to_have_count(1)
    expect(unmet).to_contain_text("Diagnostic partagé validé par chaque partenaire")
    expect(unmet).to_contain_text("n'a pas été validé par le Département de l'Isère")
    expect(karim.locator("#grille figure.radar svg")).to_be_visible()

    # Karim signs for Constantine (PRJ-2, PRI-1).
    karim.locator("#confirm-sign-off").check()
    karim.get_by_role("button", name="Valider le diagnostic").click()
    karim.get_by_text(
        "Le diagnostic (version 1) est validé au nom de la Wilaya de Constantine."
    ).wait_for()
    expect(karim.locator("#validation")).to_contain_text(
        "Votre organisation a validé la version en cours."
    )
    save(karim, "diagnosis-story-karim-signed-fr")

    # Alice edits a cell afterwards: karim's sign-off is withdrawn, and his page says so.
    _overview(alice, live_server, project)
    alice.get_by_role("link", name="Renseigner la matrice").click()
    _edit_cell_inline(
        alice, _cell_id("host", "social", "direct", "medium"), direction="positif",
        magnitude="forte", likelihood="moyenne",
        justification="Les agents du service de l'eau transmettent et apprennent.",
    )  # fmt: skip
    _overview(karim, live_server, project)
    banner = karim.locator(".banner[role=status]")
    expect(banner).to_have_count(1)
    expect(banner).to_contain_text(
        re.compile(
            r"La validation de la Wilaya de Constantine a été retirée le .+ suite à la "
            r"modification de la case « social · direct · moyen terme » "
            r"\(territoire de la collectivité hôte, proposition\) par Alice\."
        )
    )
    expect(banner).to_contain_text("Une nouvelle validation est nécessaire.")
    expect(karim.locator(".page-header__meta")).to_contain_text("Version 2")
    expect(karim.get_by_role("button", name="Valider le diagnostic")).to_be_visible()
    save(karim, "diagnosis-story-withdrawn-fr")
    problems += _serious_violations(karim, "overview-withdrawn")

    # Both sign the new version: the diagnosis is shared.
    karim.locator("#confirm-sign-off").check()
    karim.get_by_role("button", name="Valider le diagnostic").click()
    karim.get_by_text(
        "Le diagnostic (version 2) est validé au nom de la Wilaya de Constantine."
    ).wait_for()
    _overview(alice, live_server, project)
    alice.locator("#confirm-sign-off").check()
    alice.get_by_role("button", name="Valider le diagnostic").click()
    alice.get_by_text(
        "Le diagnostic (version 2) est validé au nom du Département de l'Isère."
    ).wait_for()
    expect(alice.locator(".page-header__meta")).to_contain_text(
        "partagé : validé par chaque partenaire"
    )
    expect(alice.locator("#avant-decision .condition--unmet")).to_have_count(0)
    expect(alice.locator("#grille figure.radar svg")).to_be_visible()
    save(alice, "diagnosis-story-overview-shared-fr")
    problems += _serious_violations(alice, "overview")

    # The comparison page shows the proposal and the alternative side by side (PRJ-7).
    alice.get_by_role("link", name="Comparer les solutions").click()
    impacts = alice.locator("section:has(#impacts-title) table thead th")
    expect(impacts).to_have_text(["Dimension", "Sens", "Proposition", "Ne rien faire"])
    criteria = alice.locator("section:has(#grid-title) table thead th")
    expect(criteria).to_have_text(["Critère", "Proposition", "Ne rien faire"])
    # The two options' scores on one row: 3 for the proposal, 1 for doing nothing.
    expect(alice.get_by_role("row", name=re.compile("^Participation"))).to_contain_text(
        re.compile(r"3\s+1 évaluateur\s+1\s+1 évaluateur")
    )
    expect(alice.locator("figure.radar svg")).to_be_visible()
    expect(alice.locator("figure.radar svg")).to_contain_text("Ne rien faire")
    save(alice, "diagnosis-story-compare-fr")
    problems += _serious_violations(alice, "compare")

    alice.get_by_role("link", name="Conformité à la charte").click()
    expect(alice.locator("tr#PRJ-2")).to_contain_text("respectée")
    save(alice, "diagnosis-story-conformity-fr")
    problems += _serious_violations(alice, "conformity")

    # Alice submits the project for decision on the project page...
    _project_page(alice, live_server, project)
    alice.get_by_role("button", name="Soumettre à la décision").click()
    alice.get_by_text("Le projet est soumis à la décision.").wait_for()
    expect(alice.locator(".page-header__meta .badge--stage")).to_have_text("Étape : décision")

    # ... and the decision is recorded with its rationale and deliberation (PRJ-4).
    decision = alice.locator("#decision")
    decision.get_by_label("mettre en œuvre").check()
    decision.get_by_label("Motivation").fill(
        "Le diagnostic partagé montre des effets positifs durables des deux côtés."
    )
    decision.get_by_label("Référence de la délibération").fill(DELIBERATION)
    decision.get_by_role("button", name="Enregistrer la décision").click()
    alice.get_by_text("Décision enregistrée : mettre en œuvre.").wait_for()
    expect(alice.locator(".page-header__meta .badge--stage")).to_have_text("Étape : élaboration")
    expect(alice.locator(".stages [aria-current=step]")).to_contain_text("Élaboration")
    decisions = alice.locator("section:has(#decisions-title)")
    expect(decisions).to_contain_text("Mettre en œuvre")
    expect(decisions).to_contain_text(f"Délibération : {DELIBERATION}")
    expect(decisions).to_contain_text("effets positifs durables")
    save(alice, "diagnosis-story-decided-fr")

    project.refresh_from_db()
    assert project.stage == Stage.ELABORATION
    recorded = Decision.objects.get(project=project)
    assert recorded.outcome == Decision.Outcome.IMPLEMENT
    assert recorded.deliberation_reference == DELIBERATION

    # Karim sees the frozen diagnosis it was decided on.
    _overview(karim, live_server, project)
    expect(karim.locator(".banner--info")).to_contain_text(
        "Le diagnostic est figé depuis la décision du"
    )
    expect(karim.get_by_role("button", name="Valider le diagnostic")).to_have_count(0)

    assert not problems, problems


# --- the same in Arabic -------------------------------------------------------------------------


def _complete_diagnosis(project: Project, world: Any) -> Alternative:
    """Every part of the diagnosis the submission gate checks, except the sign-offs."""
    officer, karim = world.officer, world.constantine_editor
    services.add_need(
        project=project, by=karim, side=Side.PARTNER, title="Eau potable en continu",
        population_concerned="Habitants de trois douars", evidence="Relevés des coupures 2024.",
    )  # fmt: skip
    services.add_need(
        project=project, by=officer, side=Side.HOST, title="Expérience internationale des agents",
        population_concerned="Agents du service de l'eau", evidence="Revue des compétences 2024.",
    )  # fmt: skip
    project_services.set_project_tags(
        project=project, by=officer, themes=engine.themes().filter(code="water-soil"),
        services=[world.service], elected_officials=[world.elected_official],
    )  # fmt: skip
    do_nothing = services.add_alternative(
        project=project, by=karim, title="Ne rien faire", is_do_nothing=True
    )
    for side, by in ((Side.PARTNER, karim), (Side.HOST, officer)):
        for dimension in Dimension:
            _set_cell(project, by, side, dimension)
            _set_cell(project, by, side, dimension, direction=Direction.NONE,
                      justification="Rien ne change.", alternative=do_nothing)  # fmt: skip
    criteria = grid.project_criteria(project)
    for alternative, score in ((None, 3), (do_nothing, 1)):
        services.assess_options(
            project=project, by=officer, alternative=alternative,
            scores={c.code: (score, "Justification de la note.") for c in criteria},
        )  # fmt: skip
    services.set_reversibility_statement(
        project=project, by=officer, text="Chaque tranche de travaux est indépendante."
    )
    return do_nothing


@pytest.mark.charter("PRI-1", "PRJ-2", "PRJ-4")
def test_karim_signs_in_arabic_sees_the_withdrawal_and_the_project_is_decided(
    new_page, page_screenshot, live_server, world, project
):
    expect = _expect()
    project_services.transition_project(
        project=project, transition="start_diagnosis", by=world.officer
    )
    _complete_diagnosis(project, world)
    alice, karim = new_page(), new_page(locale="ar-DZ")
    _sign_in(alice, live_server, "alice")
    _sign_in(karim, live_server, "karim")

    # Karim switches the interface to Arabic on the diagnosis page: right to left.
    _overview(karim, live_server, project)
    karim.get_by_role("button", name="العربيّة").click()
    karim.wait_for_function("document.documentElement.lang === 'ar'")
    html = karim.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(karim.get_by_role("heading", level=1, name="التشخيص المشترك")).to_be_visible()
    expect(karim.get_by_role("heading", name="مصادقة الشركاء")).to_be_visible()
    expect(karim.locator(".page-header__meta")).to_contain_text("مصادقات الشركاء منتظَرة")

    # He signs, in Arabic, and reads the state in Arabic.
    karim.locator("#confirm-sign-off").check()
    karim.get_by_role("button", name="المصادقة على التشخيص").click()
    # The name is isolated (Unicode isolates) in the Arabic sentence.
    karim.get_by_text(
        "صودق على التشخيص (النسخة 1) باسم \u2068Wilaya de Constantine\u2069."
    ).wait_for()
    expect(karim.locator("#validation")).to_contain_text("صادقت مؤسستك على النسخة الحالية.")
    page_screenshot(karim, "diagnosis-story-karim-signed-ar")

    # Alice (in French) edits a cell: karim's sign-off is withdrawn; his page says so in Arabic.
    _overview(alice, live_server, project)
    alice.get_by_role("link", name="Renseigner la matrice").click()
    _edit_cell_inline(
        alice, _cell_id("host", "economic", "direct", "medium"), direction="positif",
        magnitude="faible", likelihood="moyenne",
        justification="Des entreprises iséroises sollicitées.",
    )  # fmt: skip
    _overview(karim, live_server, project)
    banner = karim.locator(".banner[role=status]")
    expect(banner).to_contain_text(re.compile(r"سُحبت مصادقة Wilaya de Constantine في .+ إثر "))
    expect(banner).to_contain_text("تلزم مصادقة جديدة.")
    # Alice changed it in French; karim reads why in Arabic (PRI-1), the cause isolated from
    # the sentence around it so its punctuation stays at its own end.
    expect(banner.locator("bdi").last).to_contain_text(
        "تعديل الخانة «اقتصادي · مباشر · المدى المتوسط» "
        "(إقليم الجماعة الترابية المضيفة، المقترح) من قِبل Alice"
    )
    expect(banner).not_to_contain_text("la modification de la case")
    expect(karim.get_by_role("button", name="المصادقة على التشخيص")).to_be_visible()
    page_screenshot(karim, "diagnosis-story-withdrawn-ar")
    problems = _serious_violations(karim, "overview-ar")

    # Both sign again; karim sees the diagnosis shared, in Arabic.
    karim.locator("#confirm-sign-off").check()
    karim.get_by_role("button", name="المصادقة على التشخيص").click()
    # The name is isolated (Unicode isolates) in the Arabic sentence.
    karim.get_by_text(
        "صودق على التشخيص (النسخة 2) باسم \u2068Wilaya de Constantine\u2069."
    ).wait_for()
    _overview(alice, live_server, project)
    alice.locator("#confirm-sign-off").check()
    alice.get_by_role("button", name="Valider le diagnostic").click()
    alice.get_by_text(
        "Le diagnostic (version 2) est validé au nom du Département de l'Isère."
    ).wait_for()
    _overview(karim, live_server, project)
    expect(karim.locator(".page-header__meta")).to_contain_text("مشترك: مصادَق عليه من كل شريك")
    expect(karim.locator("#grille figure.radar svg")).to_be_visible()
    page_screenshot(karim, "diagnosis-story-shared-ar")

    karim.get_by_role("link", name="ملء المصفوفة").click()
    expect(karim.get_by_role("heading", level=1, name="مصفوفة الآثار")).to_be_visible()
    page_screenshot(karim, "diagnosis-story-matrix-ar")
    problems += _serious_violations(karim, "matrix-ar")
    # Karim opens a cell in place, in Arabic, then cancels: the form swaps in and out.
    cell = karim.locator(f"#{_cell_id('partner', 'social', 'direct', 'medium')}")
    cell.get_by_role("link", name=re.compile("^تعديل")).click()
    expect(cell.get_by_role("button", name="حفظ الخانة")).to_be_visible()
    expect(cell.locator("fieldset").first).to_be_focused()
    page_screenshot(karim, "diagnosis-story-cell-form-ar")
    problems += _serious_violations(karim, "cell-form-ar")
    cell.get_by_role("link", name="إلغاء").click()
    expect(cell.locator("form")).to_have_count(0)
    expect(cell.locator("a.cell__edit")).to_be_focused()

    # Alice submits and records the decision; karim reads the new stage in Arabic.
    _project_page(alice, live_server, project)
    alice.get_by_role("button", name="Soumettre à la décision").click()
    alice.get_by_text("Le projet est soumis à la décision.").wait_for()
    decision = alice.locator("#decision")
    decision.get_by_label("mettre en œuvre").check()
    decision.get_by_label("Motivation").fill("Le diagnostic partagé le justifie.")
    decision.get_by_label("Référence de la délibération").fill(DELIBERATION)
    decision.get_by_role("button", name="Enregistrer la décision").click()
    alice.get_by_text("Décision enregistrée : mettre en œuvre.").wait_for()

    _project_page(karim, live_server, project)
    expect(karim.locator(".page-header__meta .badge--stage")).to_have_text("المرحلة: إعداد")
    expect(karim.locator("html")).to_have_attribute("dir", "rtl")
    page_screenshot(karim, "diagnosis-story-decided-ar")
    project.refresh_from_db()
    assert project.stage == Stage.ELABORATION
    assert not problems, problems
