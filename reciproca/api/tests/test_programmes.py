"""/api/v1/programmes/: the concerted programmes of the partnerships in the user's scope."""

from __future__ import annotations

import pytest

from reciproca.core.models import events_for
from reciproca.partnerships.models import Programme

pytestmark = pytest.mark.django_db


def test_programmes_are_listed_within_the_users_scope(world, client_for):
    Programme.objects.create(
        partnership=world.bethlehem_partnership,
        title="Programme Bethléem",
        start_date="2024-01-01",
        end_date="2026-12-31",
    )
    karim = client_for(world.constantine_editor)
    titles = {p["title"] for p in karim.get("/api/v1/programmes/").json()["results"]}
    assert titles == {"Programme concerté 2024-2027"}
    alice = client_for(world.officer)
    filtered = alice.get("/api/v1/programmes/", {"partnership": world.bethlehem_partnership.pk})
    assert [p["title"] for p in filtered.json()["results"]] == ["Programme Bethléem"]


def test_a_programme_outside_the_scope_is_not_found(world, client_for):
    response = client_for(world.bethlehem_editor).get(
        f"/api/v1/programmes/{world.constantine_programme.pk}/"
    )
    assert response.status_code == 404


@pytest.mark.charter("PRJ-9")
@pytest.mark.charter("PRI-1")
def test_a_partner_editor_adds_a_programme_to_their_partnership(world, client_for):
    response = client_for(world.constantine_editor).post(
        "/api/v1/programmes/",
        {
            "partnership": world.constantine_partnership.pk,
            "title": "Programme 2028-2031",
            "start_date": "2028-01-01",
            "end_date": "2031-12-31",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["partnership_name"] == "Isère – Constantine"
    assert (
        events_for(world.constantine_partnership)
        .filter(action="partnerships.programme.created")
        .exists()
    )


def test_a_reader_cannot_add_a_programme(world, client_for):
    response = client_for(world.constantine_reader).post(
        "/api/v1/programmes/",
        {
            "partnership": world.constantine_partnership.pk,
            "title": "Programme de lecteur",
            "start_date": "2028-01-01",
            "end_date": "2031-12-31",
        },
        format="json",
    )
    assert response.status_code == 403
    assert Programme.objects.count() == 1


def test_a_programme_ending_before_it_starts_is_refused(world, client_for):
    response = client_for(world.officer).post(
        "/api/v1/programmes/",
        {
            "partnership": world.constantine_partnership.pk,
            "title": "À l'envers",
            "start_date": "2028-01-01",
            "end_date": "2027-12-31",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["reasons"] == ["La fin du programme précède son début."]
