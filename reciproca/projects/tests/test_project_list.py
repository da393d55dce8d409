"""Issue 7: the project list's text search, sortable columns and CSV export, all scoped by the
policies; the filter form is swapped with the results, so the select matches the list after
Back (htmx history keeps the server-rendered `selected`)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from reciproca.projects import services
from reciproca.projects.models import Project, Stage


@pytest.fixture
def projects(world):
    water = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Eau potable rurale",
        summary="Raccorder trois douars.", end_date=date(2027, 6, 30),
    )  # fmt: skip
    youth = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Assises de la jeunesse",
        end_date=date(2026, 12, 31),
    )  # fmt: skip
    olives = services.create_project(
        partnership=world.bethlehem_partnership, by=world.officer, title="Oliveraies",
        end_date=date(2028, 1, 31),
    )  # fmt: skip
    Project.objects.filter(pk=youth.pk).update(stage=Stage.IMPLEMENTATION)
    return water, youth, olives


def _titles(response, names=("Eau potable rurale", "Assises de la jeunesse", "Oliveraies")):
    content = response.content.decode()
    found = [(content.index(name), name) for name in names if name in content]
    return [name for _position, name in sorted(found)]


def test_the_search_finds_title_summary_reference_and_partner(client, world, projects):
    _water, _youth, olives = projects
    client.force_login(world.officer)
    url = reverse("projects:list")
    assert _titles(client.get(url, {"q": "douars"})) == ["Eau potable rurale"]
    assert _titles(client.get(url, {"q": "JEUNESSE"})) == ["Assises de la jeunesse"]
    assert _titles(client.get(url, {"q": olives.reference})) == ["Oliveraies"]
    assert set(_titles(client.get(url, {"q": "Constantine"}))) == {
        "Eau potable rurale",
        "Assises de la jeunesse",
    }


def test_the_search_stays_within_what_the_user_may_see(client, world, projects):
    client.force_login(world.bethlehem_editor)
    url = reverse("projects:list")
    assert _titles(client.get(url, {"q": "Eau"})) == []
    assert _titles(client.get(url, {"q": "Oliv"})) == ["Oliveraies"]


def test_the_columns_sort_both_ways(client, world, projects):
    client.force_login(world.officer)
    url = reverse("projects:list")
    assert _titles(client.get(url, {"tri": "titre"})) == [
        "Assises de la jeunesse", "Eau potable rurale", "Oliveraies",
    ]  # fmt: skip
    assert _titles(client.get(url, {"tri": "-titre"})) == [
        "Oliveraies", "Eau potable rurale", "Assises de la jeunesse",
    ]  # fmt: skip
    assert _titles(client.get(url, {"tri": "fin"})) == [
        "Assises de la jeunesse", "Eau potable rurale", "Oliveraies",
    ]  # fmt: skip
    # The stage sorts along the lifecycle: idea before implementation.
    assert _titles(client.get(url, {"tri": "-etape"}))[0] == "Assises de la jeunesse"
    response = client.get(url, {"tri": "titre"})
    content = response.content.decode()
    assert 'aria-sort="ascending"><a href="?tri=-titre"' in content
    # An unknown sort is ignored (no error, the default order).
    assert client.get(url, {"tri": "password"}).status_code == 200


def test_the_csv_export_holds_the_filtered_rows_only(client, world, projects):
    client.force_login(world.officer)
    response = client.get(reverse("projects:list"), {"q": "Constantine", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Référence", "Titre", "Autorité partenaire", "Étape"]
    assert {row[1] for row in rows[1:]} == {"Eau potable rurale", "Assises de la jeunesse"}
    content = client.get(reverse("projects:list"), {"q": "Constantine"}).content.decode()
    assert "format=csv" in content and "q=Constantine" in content


def test_the_csv_export_is_scoped(client, world, projects):
    client.force_login(world.bethlehem_editor)
    response = client.get(reverse("projects:list"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[1] for row in rows[1:]] == ["Oliveraies"]


def test_the_filter_form_is_swapped_with_the_results(client, world, projects):
    client.force_login(world.officer)
    response = client.get(
        reverse("projects:list"), {"stage": Stage.IMPLEMENTATION}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert 'hx-target="#project-list" hx-select="#project-list"' in content
    form = content[content.index('<div id="project-list">') : content.index('<div id="results">')]
    assert f'<option value="{Stage.IMPLEMENTATION.value}" selected>' in form
