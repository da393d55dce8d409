"""/api/v1/organisations/: a directory every signed-in user reads; the department adds to it."""

from __future__ import annotations

import pytest

from reciproca.core.models import events_for
from reciproca.partnerships.models import Organisation

pytestmark = pytest.mark.django_db


def test_any_signed_in_user_reads_the_directory(world, client_for):
    response = client_for(world.outsider).get("/api/v1/organisations/")
    assert response.status_code == 200
    assert {o["name"] for o in response.json()["results"]} == {
        "Département de l'Isère",
        "Wilaya de Constantine",
        "Gouvernorat de Bethléem",
    }
    one = client_for(world.outsider).get(f"/api/v1/organisations/{world.bethlehem.pk}/")
    assert one.json()["country"] == "PS"
    assert one.json()["territory"]["iso_code"] == "PS-BTH"


def test_the_directory_filters_by_kind_and_country(world, client_for):
    alice = client_for(world.officer)
    partners = alice.get("/api/v1/organisations/", {"kind": "PARTNER_AUTHORITY"}).json()
    assert {o["name"] for o in partners["results"]} == {
        "Wilaya de Constantine",
        "Gouvernorat de Bethléem",
    }
    algerian = alice.get("/api/v1/organisations/", {"country": "dz"}).json()
    assert [o["name"] for o in algerian["results"]] == ["Wilaya de Constantine"]


@pytest.mark.charter("PRE-3")
def test_an_officer_adds_an_organisation(world, client_for):
    response = client_for(world.officer).post(
        "/api/v1/organisations/",
        {"name": "Association Eau Vive", "kind": "ASSOCIATION", "country": "FR"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind_display"] == "association"
    organisation = Organisation.objects.get(name="Association Eau Vive")
    assert organisation.country is not None
    assert organisation.country.iso2 == "FR"
    assert events_for(organisation).filter(action="partnerships.organisation.created").exists()


def test_a_partner_editor_cannot_add_an_organisation(world, client_for):
    response = client_for(world.constantine_editor).post(
        "/api/v1/organisations/", {"name": "Une association", "kind": "ASSOCIATION"}, format="json"
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Une association").exists()


def test_an_organisation_needs_a_known_kind(world, client_for):
    response = client_for(world.officer).post(
        "/api/v1/organisations/", {"name": "Sans nature", "kind": "CLUB"}, format="json"
    )
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]
