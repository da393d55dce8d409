"""/api/v1/partnerships/: scoped reading; the department registers, editors of either side
change them (PRI-1)."""

from __future__ import annotations

import pytest

from reciproca.core.models import events_for
from reciproca.partnerships.models import Organisation, Partnership

pytestmark = pytest.mark.django_db


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_each_user_lists_the_partnerships_they_hold_a_role_in(world, client_for):
    assert _names(client_for(world.officer).get("/api/v1/partnerships/")) == {
        "Isère – Constantine",
        "Isère – Bethléem",
    }
    assert _names(client_for(world.constantine_editor).get("/api/v1/partnerships/")) == {
        "Isère – Constantine"
    }
    assert _names(client_for(world.outsider).get("/api/v1/partnerships/")) == set()


def test_a_partnership_shows_its_parties_and_the_projects_the_user_sees(
    world, client_for, make_project
):
    make_project()
    make_project(title="Deuxième projet")
    response = client_for(world.constantine_reader).get(
        f"/api/v1/partnerships/{world.constantine_partnership.pk}/"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["host"]["name"] == "Département de l'Isère"
    assert body["partner"]["name"] == "Wilaya de Constantine"
    assert body["territory"]["iso_code"] == "DZ-25"
    assert body["since_date"] == "1984-01-01"
    assert body["is_active"] is True
    assert body["project_count"] == 2


def test_a_partnership_outside_the_scope_is_not_found(world, client_for):
    response = client_for(world.constantine_editor).get(
        f"/api/v1/partnerships/{world.bethlehem_partnership.pk}/"
    )
    assert response.status_code == 404


@pytest.mark.charter("PRE-2")
def test_the_department_registers_a_partnership(world, client_for):
    gegharkunik = Organisation.objects.create(
        name="Marz de Gegharkunik", kind=Organisation.Kind.PARTNER_AUTHORITY
    )
    response = client_for(world.officer).post(
        "/api/v1/partnerships/",
        {
            "name": "Isère – Gegharkunik",
            "partner": gegharkunik.pk,
            "territory": world.constantine_partnership.territory_id,
            "since_date": "2004-01-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["host"]["name"] == "Département de l'Isère"
    assert body["partner"]["name"] == "Marz de Gegharkunik"
    assert body["project_count"] == 0
    partnership = Partnership.objects.get(pk=body["id"])
    assert events_for(partnership).filter(action="partnerships.partnership.created").exists()


def test_a_partner_editor_cannot_register_a_partnership(world, client_for):
    response = client_for(world.constantine_editor).post(
        "/api/v1/partnerships/",
        {
            "name": "Constantine – Bethléem",
            "partner": world.bethlehem.pk,
            "territory": world.bethlehem_partnership.territory_id,
            "since_date": "2020-01-01",
        },
        format="json",
    )
    assert response.status_code == 403
    assert Partnership.objects.count() == 2


def test_a_partnership_ending_before_it_starts_is_refused(world, client_for):
    response = client_for(world.admin).post(
        "/api/v1/partnerships/",
        {
            "name": "À l'envers",
            "partner": world.bethlehem.pk,
            "territory": world.bethlehem_partnership.territory_id,
            "since_date": "2020-01-01",
            "until_date": "2019-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["reasons"] == ["La fin du partenariat précède son début."]


@pytest.mark.charter("PRI-1")
def test_a_partner_editor_edits_their_partnership(world, client_for):
    response = client_for(world.constantine_editor).patch(
        f"/api/v1/partnerships/{world.constantine_partnership.pk}/",
        {
            "description": "Coopération renouvelée en 2024.",
            "reason": "Mise à jour",
            "revision": world.constantine_partnership.revision,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["description"] == "Coopération renouvelée en 2024."
    event = events_for(world.constantine_partnership).get(action="partnerships.partnership.updated")
    assert event.actor == world.constantine_editor
    assert event.reason == "Mise à jour"


def test_a_reader_cannot_edit_a_partnership(world, client_for):
    response = client_for(world.constantine_reader).patch(
        f"/api/v1/partnerships/{world.constantine_partnership.pk}/",
        {"description": "Lecture seule ?"},
        format="json",
    )
    assert response.status_code == 403
    world.constantine_partnership.refresh_from_db()
    assert world.constantine_partnership.description == ""


def test_editing_a_partnership_outside_the_scope_is_not_found(world, client_for):
    response = client_for(world.constantine_editor).patch(
        f"/api/v1/partnerships/{world.bethlehem_partnership.pk}/",
        {"description": "Pris"},
        format="json",
    )
    assert response.status_code == 404


def test_partnerships_are_not_deleted_through_the_api(world, client_for):
    response = client_for(world.admin).delete(
        f"/api/v1/partnerships/{world.constantine_partnership.pk}/"
    )
    assert response.status_code == 405
