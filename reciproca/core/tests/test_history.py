"""The history page of an object (/historique/<kind>/<id>/): every change with its date, its
author, the action in words, each field before → after worded for a reader, and the reason;
read by whoever may see the object, 404 for anyone else."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest

from reciproca.accounts import services as account_services
from reciproca.finance import services as finance_services
from reciproca.projects import services as project_services
from reciproca.results.tests.conftest import build_framework


def _text(response) -> str:
    """The page as read: tags become spaces (table cells stay apart)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def project(world):
    project = project_services.create_project(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Eau potable des communes rurales",
    )
    project_services.update_project(
        project=project,
        by=world.constantine_editor,
        title_fr="Eau potable dans quatre communes rurales",
        reason="Le périmètre est fixé à quatre communes.",
    )
    return project


def test_a_partner_reads_the_history_of_their_project_with_before_after_and_reason(
    project, world, client
):
    client.force_login(world.constantine_editor)
    response = client.get(f"/historique/projet/{project.pk}/")
    assert response.status_code == 200
    text = _text(response)
    assert "a modifié le projet" in text or "Karim" in text
    # The field, before → after, the reason: not raw JSON.
    assert "Titre (fr) Eau potable des communes rurales Eau potable dans quatre communes " in text
    assert "a créé le projet" in text and "Étape — idée" in text
    assert "Motif : Le périmètre est fixé à quatre communes." in text
    assert "{" not in text.split("Historique", 1)[1]
    # Linked from the project's page.
    page = client.get(f"/projets/{project.pk}/").content.decode()
    assert f'href="/historique/projet/{project.pk}/"' in page


def test_another_partner_s_user_gets_404_and_an_unknown_kind_too(project, world, client):
    client.force_login(world.bethlehem_editor)
    assert client.get(f"/historique/projet/{project.pk}/").status_code == 404
    assert client.get(f"/historique/budget/{project.pk}/").status_code == 404
    assert client.get(f"/historique/diagnostic/{project.pk}/").status_code == 404
    assert client.get(f"/historique/resultats/{project.pk}/").status_code == 404
    assert (
        client.get(f"/historique/partenariat/{world.constantine_partnership.pk}/").status_code
        == 404
    )
    client.force_login(world.constantine_editor)
    assert client.get(f"/historique/inconnu/{project.pk}/").status_code == 404
    assert client.get("/historique/projet/abc/").status_code == 404


def test_a_budget_change_shows_each_field_before_and_after(project, world, client):
    line = finance_services.set_budget_line(
        project=project, by=world.officer, year=2026, category="TRAINING", amount=8000
    )
    finance_services.set_budget_line(
        project=project,
        by=world.constantine_editor,
        year=2026,
        category="TRAVEL",
        amount=Decimal("9500"),
        line=line,
        reason="Les formations se font à Grenoble.",
    )
    client.force_login(world.constantine_editor)
    text = _text(client.get(f"/historique/budget/{project.pk}/"))
    assert "Catégorie formation missions et déplacements" in text
    assert "Montant 8000.00 9500.00" in text
    assert "Motif : Les formations se font à Grenoble." in text
    # The budget's history only: not the project's title change.
    assert "Titre (fr)" not in text


def test_an_indicator_s_history_lists_its_changes_only(project, world, client):
    parts = build_framework(project, world, sign=False)
    client.force_login(world.constantine_editor)
    response = client.get(f"/historique/indicateur/{parts['people'].pk}/")
    assert response.status_code == 200
    text = _text(response)
    assert "a ajouté un indicateur" in text and "a fixé une cible" in text
    assert "Capacité de la régie communale" not in text
    client.force_login(world.bethlehem_editor)
    assert client.get(f"/historique/indicateur/{parts['people'].pk}/").status_code == 404


def test_the_access_history_is_for_who_manages_access(world, client):
    account_services.grant_role(
        by=world.officer,
        user=world.constantine_reader,
        role="PARTNER_EDITOR",
        partnership=world.constantine_partnership,
        reason="Référent du projet eau.",
    )
    url = f"/historique/acces/{world.constantine_partnership.pk}/"
    client.force_login(world.officer)
    text = _text(client.get(url))
    assert "Référent du projet eau." in text
    assert "Rôle — partenaire (rédacteur)" in text
    client.force_login(world.constantine_reader)
    assert client.get(url).status_code == 404


def test_the_history_page_renders_in_arabic(project, world, client):
    client.force_login(world.constantine_editor)
    client.cookies.load({"django_language": "ar"})
    response = client.get(f"/historique/projet/{project.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="ar"' in page and 'dir="rtl"' in page
    assert "<bdi>Eau potable dans quatre communes rurales</bdi>" in page
    text = _text(response)
    assert "السجل" in text and "قبل" in text and "بعد" in text  # history, before, after
    # The reason, kept as written (French), after the Arabic word for it.
    assert "السبب: Le périmètre est fixé à quatre communes." in text
    assert "Motif :" not in text
