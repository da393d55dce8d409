"""/api/v1/projects/: who sees which projects, who registers and edits them (PRI-1)."""

from __future__ import annotations

import pytest

from reciproca.charter import engine
from reciproca.core.models import events_for
from reciproca.projects.models import Project, Stage

pytestmark = pytest.mark.django_db


def _references(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


def test_a_partner_editor_lists_only_the_projects_of_their_partnership(
    world, client_for, make_project
):
    water = make_project(title="Eau potable à Constantine")
    olive = make_project(world.bethlehem_partnership, title="Oléiculture à Bethléem")

    karim = client_for(world.constantine_editor)
    assert _references(karim.get("/api/v1/projects/")) == {water.reference}
    alice = client_for(world.officer)
    assert _references(alice.get("/api/v1/projects/")) == {water.reference, olive.reference}
    assert _references(client_for(world.outsider).get("/api/v1/projects/")) == set()


def test_a_project_outside_the_users_scope_is_not_found(world, client_for, make_project):
    olive = make_project(world.bethlehem_partnership)
    karim = client_for(world.constantine_editor)
    assert karim.get(f"/api/v1/projects/{olive.pk}/").status_code == 404
    assert karim.get(f"/api/v1/projects/{olive.pk}/timeline/").status_code == 404
    assert karim.get(f"/api/v1/projects/{olive.pk}/checklist/").status_code == 404
    assert karim.get("/api/v1/projects/999999/").status_code == 404
    assert karim.get("/api/v1/projects/not-a-number/").status_code == 404


def test_a_project_shows_every_language_and_its_partners(world, client_for, make_project):
    project = make_project(title="Gestion de l'eau", summary="Un réseau d'eau potable.")
    body = client_for(world.constantine_reader).get(f"/api/v1/projects/{project.pk}/").json()
    assert body["title_fr"] == "Gestion de l'eau"
    assert body["summary_fr"] == "Un réseau d'eau potable."
    assert {"title_en", "title_ar", "title_hy", "summary_en", "summary_ar", "summary_hy"} <= set(
        body
    )
    assert body["stage"] == Stage.IDEA
    assert body["partnership"] == world.constantine_partnership.pk
    assert [(p["organisation"]["name"], p["role"]) for p in body["partners"]] == [
        ("Département de l'Isère", "LEAD"),
        ("Wilaya de Constantine", "CO_OWNER"),
    ]


def test_title_is_given_in_the_language_the_client_asks_for(world, client_for, make_project):
    project = make_project(title="Gestion de l'eau")
    karim = client_for(world.constantine_editor)
    karim.patch(
        f"/api/v1/projects/{project.pk}/",
        {"title_ar": "إدارة المياه", "revision": project.revision},
        format="json",
    )
    arabic = karim.get(f"/api/v1/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE="ar").json()
    assert arabic["title"] == "إدارة المياه"
    english = karim.get(f"/api/v1/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["title"] == "Gestion de l'eau"  # falls back to French


def test_lists_filter_by_stage_partnership_and_programme(world, client_for, make_project):
    in_programme = make_project(title="Dans le programme", programme=world.constantine_programme)
    other = make_project(title="Hors programme")
    olive = make_project(world.bethlehem_partnership)
    alice = client_for(world.officer)
    alice.post(
        f"/api/v1/projects/{other.pk}/transition/", {"transition": "start_diagnosis"}, format="json"
    )

    assert _references(alice.get("/api/v1/projects/", {"stage": "DIAGNOSIS"})) == {other.reference}
    assert _references(
        alice.get("/api/v1/projects/", {"partnership": world.bethlehem_partnership.pk})
    ) == {olive.reference}
    assert _references(
        alice.get("/api/v1/projects/", {"programme": world.constantine_programme.pk})
    ) == {in_programme.reference}
    # A partnership outside the user's scope filters to nothing; it never widens the scope.
    karim = client_for(world.constantine_editor)
    assert (
        _references(karim.get("/api/v1/projects/", {"partnership": world.bethlehem_partnership.pk}))
        == set()
    )


def test_an_invalid_filter_value_is_a_400_not_a_crash(world, client_for):
    alice = client_for(world.officer)
    response = alice.get("/api/v1/projects/", {"stage": "NOWHERE"})
    assert response.status_code == 400
    assert "stage" in response.json()["errors"]
    assert alice.get("/api/v1/projects/", {"partnership": "1 OR 1=1"}).status_code == 400


@pytest.mark.charter("PRI-1")
def test_a_partner_editor_registers_a_project_like_the_officer(world, client_for):
    theme = engine.themes().first()
    assert theme is not None
    response = client_for(world.constantine_editor).post(
        "/api/v1/projects/",
        {
            "partnership": world.constantine_partnership.pk,
            "title_ar": "إدارة النفايات",
            "title_fr": "Gestion des déchets",
            "summary_en": "Waste collection in two districts.",
            "programme": world.constantine_programme.pk,
            "start_date": "2025-01-01",
            "end_date": "2026-12-31",
            "themes": [theme.code],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title_fr"] == "Gestion des déchets"
    assert body["title_ar"] == "إدارة النفايات"
    assert body["summary_en"] == "Waste collection in two districts."
    assert body["programme"] == world.constantine_programme.pk
    assert [t["code"] for t in body["themes"]] == [theme.code]
    assert {p["organisation"]["name"] for p in body["partners"]} == {
        "Département de l'Isère",
        "Wilaya de Constantine",
    }
    project = Project.objects.get(pk=body["id"])
    created = events_for(project).filter(action="projects.project.created").get()
    assert created.actor == world.constantine_editor


def test_a_project_needs_a_title_in_some_language(world, client_for):
    response = client_for(world.officer).post(
        "/api/v1/projects/",
        {"partnership": world.constantine_partnership.pk, "summary_fr": "Sans titre"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["reasons"] == ["Le titre du projet est obligatoire."]
    assert not Project.objects.exists()


def test_a_project_in_a_title_only_in_armenian_is_accepted(world, client_for):
    response = client_for(world.officer).post(
        "/api/v1/projects/",
        {"partnership": world.constantine_partnership.pk, "title_hy": "Ջրամատակարարում"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["title_hy"] == "Ջրամատակարարում"


def test_a_reader_cannot_register_a_project(world, client_for):
    response = client_for(world.constantine_reader).post(
        "/api/v1/projects/",
        {"partnership": world.constantine_partnership.pk, "title_fr": "Projet de lecteur"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["reasons"]
    assert not Project.objects.exists()


def test_nobody_registers_a_project_in_a_partnership_they_do_not_see(world, client_for):
    response = client_for(world.constantine_editor).post(
        "/api/v1/projects/",
        {"partnership": world.bethlehem_partnership.pk, "title_fr": "Ailleurs"},
        format="json",
    )
    assert response.status_code == 400
    assert "partnership" in response.json()["errors"]
    assert not Project.objects.exists()


def test_a_programme_of_another_partnership_is_refused(world, client_for):
    response = client_for(world.officer).post(
        "/api/v1/projects/",
        {
            "partnership": world.bethlehem_partnership.pk,
            "title_fr": "Mauvais programme",
            "programme": world.constantine_programme.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["reasons"] == ["Le programme choisi n'appartient pas à ce partenariat."]
    assert not Project.objects.exists()


@pytest.mark.charter("PRI-1")
def test_a_partner_editor_edits_a_shared_project(world, client_for, make_project):
    project = make_project()
    response = client_for(world.constantine_editor).patch(
        f"/api/v1/projects/{project.pk}/",
        {
            "title_ar": "إدارة المياه",
            "summary_fr": "Réseau d'eau de la vieille ville.",
            "services": [world.service.pk],
            "elected_officials": [world.elected_official.pk],
            "reason": "Précisions du partenaire",
            "revision": project.revision,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title_ar"] == "إدارة المياه"
    assert body["summary_fr"] == "Réseau d'eau de la vieille ville."
    assert body["services"] == [world.service.pk]
    assert body["elected_officials"] == [world.elected_official.pk]
    updated = events_for(project).filter(action="projects.project.updated").get()
    assert updated.actor == world.constantine_editor
    assert updated.reason == "Précisions du partenaire"


def test_a_reader_cannot_edit_even_with_only_tags(world, client_for, make_project):
    project = make_project()
    nour = client_for(world.constantine_reader)
    for body in ({"title_fr": "Changé"}, {"services": [world.service.pk]}, {}):
        response = nour.patch(f"/api/v1/projects/{project.pk}/", body, format="json")
        assert response.status_code == 403
    project.refresh_from_db()
    assert project.title_fr == "Gestion de l'eau"
    assert not project.services.exists()


def test_editing_a_project_outside_the_scope_is_not_found(world, client_for, make_project):
    olive = make_project(world.bethlehem_partnership)
    response = client_for(world.constantine_editor).patch(
        f"/api/v1/projects/{olive.pk}/", {"title_fr": "Pris"}, format="json"
    )
    assert response.status_code == 404


def test_an_edit_breaking_a_rule_is_refused_with_the_reason(world, client_for, make_project):
    project = make_project()
    response = client_for(world.officer).patch(
        f"/api/v1/projects/{project.pk}/",
        {"start_date": "2026-01-01", "end_date": "2025-01-01", "revision": project.revision},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "La fin prévue précède le début prévu.",
        "reasons": ["La fin prévue précède le début prévu."],
    }


def test_unknown_codes_are_refused(world, client_for, make_project):
    project = make_project()
    response = client_for(world.officer).patch(
        f"/api/v1/projects/{project.pk}/", {"themes": ["not-a-theme"]}, format="json"
    )
    assert response.status_code == 400
    assert "themes" in response.json()["errors"]


def test_projects_are_neither_replaced_nor_deleted_through_the_api(world, client_for, make_project):
    project = make_project()
    alice = client_for(world.officer)
    assert alice.put(f"/api/v1/projects/{project.pk}/", {}, format="json").status_code == 405
    assert alice.delete(f"/api/v1/projects/{project.pk}/").status_code == 405
    assert Project.objects.filter(pk=project.pk).exists()
