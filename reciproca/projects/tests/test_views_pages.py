"""The project pages people read: the dashboard, the list with its filters, creating a project,
the project page with its charter checklist and timeline, editing and tagging."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reciproca.charter import engine
from reciproca.core.models import events_for
from reciproca.partnerships.models import Agreement, Organisation, Partnership
from reciproca.projects import queries, services
from reciproca.projects.models import Project, Stage


@pytest.fixture
def project(world):
    return services.create_project(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Eau potable rurale",
        summary="Raccorder trois douars au réseau.",
        programme=world.constantine_programme,
    )


def _place(project: Project, stage: Stage) -> Project:
    Project.objects.filter(pk=project.pk).update(stage=stage)
    project.refresh_from_db()
    return project


# --- dashboard -------------------------------------------------------------------------------


def test_the_dashboard_shows_partnerships_stages_deadlines_and_activity(client, world, project):
    today = timezone.localdate()
    Agreement.objects.create(
        partnership=world.constantine_partnership, title="Convention 2022-2025",
        purpose="Eau et assainissement.", forecast_amount=50000,
        valid_from=today - timedelta(days=1000), valid_until=today + timedelta(days=30),
    )  # fmt: skip
    ending = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Festival des jeunes",
        start_date=today - timedelta(days=100), end_date=today + timedelta(days=20),
    )  # fmt: skip
    client.force_login(world.officer)
    response = client.get(reverse("projects:dashboard"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Wilaya de Constantine" in content
    assert "Projets par étape" in content
    counts = {row["stage"]: row["count"] for row in response.context["stage_counts"]}
    assert counts[Stage.IDEA] == 2
    assert "Convention 2022-2025" in content
    assert "expire dans 30 jours" in content
    assert ending.title in content
    assert "a créé le projet" in content


def test_the_dashboard_of_a_partner_shows_only_their_partnership(client, world, project):
    services.create_project(
        partnership=world.bethlehem_partnership, by=world.officer, title="Oliveraies"
    )
    client.force_login(world.bethlehem_editor)
    content = client.get(reverse("projects:dashboard")).content.decode()
    assert "Oliveraies" in content
    assert "Eau potable rurale" not in content
    assert "Wilaya de Constantine" not in content


def test_an_empty_dashboard_says_what_to_do_next(client, world):
    client.force_login(world.officer)
    content = client.get(reverse("projects:dashboard")).content.decode()
    assert "Aucun projet pour l'instant" in content
    assert reverse("projects:create") in content


def _grow(world, n: int, start: int = 0) -> None:
    """n more partnerships, each with a project that has an event and an expiring agreement."""
    today = timezone.localdate()
    for i in range(start, start + n):
        partner = Organisation.objects.create(
            name=f"Région {i}", kind=Organisation.Kind.PARTNER_AUTHORITY
        )
        partnership = Partnership.objects.create(
            name=f"Isère – Région {i}", host=world.isere, partner=partner,
            territory=world.constantine_partnership.territory, since_date=date(2001, 1, 1),
        )  # fmt: skip
        Agreement.objects.create(
            partnership=partnership, title=f"Convention {i}", purpose="Objet.",
            forecast_amount=1000, valid_from=today - timedelta(days=10),
            valid_until=today + timedelta(days=40),
        )  # fmt: skip
        project = services.create_project(
            partnership=partnership, by=world.officer, title=f"Projet {i}",
            end_date=today + timedelta(days=30),
        )  # fmt: skip
        services.transition_project(project=project, transition="start_diagnosis", by=world.officer)


@pytest.mark.parametrize("url_name", ["projects:dashboard", "projects:list"])
def test_list_pages_query_count_does_not_grow_with_rows(
    client, world, url_name, django_assert_max_num_queries
):
    client.force_login(world.officer)
    # Past every list's bound (the dashboard shows 5 to-dos and 10 partnerships, then counts
    # the rest), then twice as many rows: the same queries.
    _grow(world, 12)
    with django_assert_max_num_queries(15) as few:
        assert client.get(reverse(url_name)).status_code == 200
    _grow(world, 12, start=12)
    with django_assert_max_num_queries(15) as many:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_dashboard_lists_ten_partnerships_and_links_to_the_others(client, world):
    client.force_login(world.officer)
    before = len(queries.partnerships_with_project_counts(world.officer))
    _grow(world, 12)
    content = client.get(reverse("projects:dashboard")).content.decode()
    more = before + 12 - 10
    assert f"et {more} autres partenariats : tous les partenariats" in content
    assert f'href="{reverse("partnerships:list")}"' in content
    listed = client.get(reverse("partnerships:list")).content.decode()
    assert all(f"Isère – Région {i}" in listed for i in range(12))


def test_the_partnership_list_pages_its_rows_with_their_count(client, world):
    from reciproca.partnerships.views import LIST_PAGE_SIZE

    client.force_login(world.officer)
    before = len(queries.partnerships_with_project_counts(world.officer))
    _grow(world, LIST_PAGE_SIZE)
    total = before + LIST_PAGE_SIZE
    first = client.get(reverse("partnerships:list")).content.decode()
    assert f"{total} partenariats" in first
    assert first.count('<th scope="row">') == LIST_PAGE_SIZE
    assert "Page 1 sur 2" in first and "?page=2" in first
    second = client.get(reverse("partnerships:list"), {"page": 2}).content.decode()
    assert second.count('<th scope="row">') == total - LIST_PAGE_SIZE


# --- project list ------------------------------------------------------------------------------


def test_the_list_filters_by_stage_and_partnership(client, world, project):
    other = services.create_project(
        partnership=world.bethlehem_partnership, by=world.officer, title="Oliveraies"
    )
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    client.force_login(world.officer)
    url = reverse("projects:list")
    content = client.get(url).content.decode()
    assert project.title in content and other.title in content
    content = client.get(url, {"stage": Stage.DIAGNOSIS}).content.decode()
    assert project.title in content and other.title not in content
    content = client.get(url, {"partnership": world.bethlehem_partnership.pk}).content.decode()
    assert other.title in content and project.title not in content


def test_the_list_ignores_filters_outside_the_choices(client, world, project):
    client.force_login(world.bethlehem_editor)
    url = reverse("projects:list")
    # A partnership the user cannot see, and a stage that does not exist: no filter, no leak.
    response = client.get(url, {"partnership": world.constantine_partnership.pk})
    assert response.status_code == 200
    assert project.title not in response.content.decode()
    assert "Ce filtre n'est pas disponible" in response.content.decode()
    response = client.get(url, {"stage": "DROP TABLE"})
    assert response.status_code == 200


def test_the_list_shows_only_visible_projects(client, world, project):
    client.force_login(world.bethlehem_editor)
    content = client.get(reverse("projects:list")).content.decode()
    assert project.title not in content
    assert "Aucun projet ne vous est visible" in content


# --- creating a project ------------------------------------------------------------------------


def test_an_officer_creates_a_project_from_the_form(client, world):
    client.force_login(world.officer)
    response = client.get(
        reverse("projects:create"), {"partenariat": world.constantine_partnership.pk}
    )
    assert response.status_code == 200
    response = client.post(
        reverse("projects:create"),
        {
            "partnership": world.constantine_partnership.pk,
            "title": "Bibliothèques de quartier",
            "summary": "Deux bibliothèques.",
            "objectives": "Lecture publique.",
            "programme": world.constantine_programme.pk,
            "start_date": "2026-01-01",
            "end_date": "2027-06-30",
        },
    )
    project = Project.objects.get(title="Bibliothèques de quartier")
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    assert project.stage == Stage.IDEA
    assert project.programme == world.constantine_programme
    assert project.end_date == date(2027, 6, 30)
    assert events_for(project).filter(action="projects.project.created").exists()


def test_a_partner_editor_creates_a_project_in_their_partnership(client, world):
    client.force_login(world.constantine_editor)
    response = client.post(
        reverse("projects:create"),
        {"partnership": world.constantine_partnership.pk, "title": "Jardins partagés"},
    )
    assert response.status_code == 302
    assert Project.objects.filter(
        title="Jardins partagés", created_by=world.constantine_editor
    ).exists()


def test_a_partner_cannot_create_in_another_partnership(client, world):
    client.force_login(world.bethlehem_editor)
    response = client.post(
        reverse("projects:create"),
        {"partnership": world.constantine_partnership.pk, "title": "Intrus"},
    )
    assert response.status_code == 422
    assert not Project.objects.filter(title="Intrus").exists()


def test_the_create_form_shows_errors_next_to_the_fields(client, world):
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:create"),
        {
            "partnership": world.bethlehem_partnership.pk,
            "title": "",
            "programme": world.constantine_programme.pk,
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
        },
    )
    assert response.status_code == 422
    content = html.unescape(response.content.decode())
    assert "Le formulaire contient des erreurs" in content
    assert "Ce programme n'appartient pas au partenariat choisi." in content
    assert "La fin prévue précède le début prévu." in content
    assert Project.objects.count() == 0


def test_a_reader_may_not_create_projects(client, world):
    client.force_login(world.constantine_reader)
    assert client.get(reverse("projects:create")).status_code == 403


# --- the project page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["officer", "constantine_editor", "constantine_reader", "elected", "admin"]
)
def test_the_project_page_opens_for_each_persona_of_the_partnership(
    client, world, project, persona
):
    client.force_login(getattr(world, persona))
    response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == 200
    assert "Eau potable rurale" in response.content.decode()


@pytest.mark.parametrize("persona", ["bethlehem_editor", "outsider", "evaluator"])
def test_the_project_page_is_not_found_outside_the_partnership(client, world, project, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404


def test_the_project_page_shows_partners_stages_and_the_checklist(client, world, project):
    client.force_login(world.officer)
    content = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Département de l&#x27;Isère" in content
    assert "partenaire co-maître d&#x27;ouvrage" in content
    # The seven stages, the current one marked.
    for stage in Stage:
        assert str(stage.label).capitalize() in content
    assert 'aria-current="step"' in content
    # The gate of the next transition, its conditions with their clause IDs.
    assert "Ouvrir le diagnostic partagé" in content
    for condition in engine.gate("start_diagnosis"):
        assert condition.label[:1].upper() + condition.label[1:] in content.replace("&#x27;", "'")
        for clause in condition.clauses:
            assert clause in content


@pytest.mark.charter("PRJ-2")
def test_the_checklist_shows_met_and_unmet_conditions_with_reasons(client, world, project):
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    client.force_login(world.officer)
    response = client.get(reverse("projects:detail", args=[project.pk]))
    content = response.content.decode().replace("&#x27;", "'")
    (gate,) = [
        g for g in response.context["checklist"] if g.transition.name == "submit_for_decision"
    ]
    assert not gate.is_ready
    assert "Aucun thème prioritaire de la charte n'est indiqué pour le projet." in content
    assert "Condition non remplie" in content
    for condition in gate.conditions:
        for clause in condition.clauses:
            assert clause in content
    assert "PRJ-15" in content and "PRJ-13" in content


def test_the_project_title_follows_the_language_with_a_french_fallback(client, world, project):
    services.update_project(project=project, by=world.officer, title_ar="مياه الشرب الريفية")
    client.force_login(world.officer)
    client.post(reverse("set_language"), {"language": "ar"})
    content = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "مياه الشرب الريفية" in content
    client.post(reverse("set_language"), {"language": "hy"})
    content = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Eau potable rurale" in content


def test_the_diagnosis_link_appears_only_when_the_page_exists(client, world, project):
    from django.urls import NoReverseMatch

    client.force_login(world.officer)
    content = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    try:
        url = reverse("diagnosis:overview", args=[project.pk])
    except NoReverseMatch:
        assert "/diagnostic/" not in content
    else:
        assert url in content


def test_a_reader_sees_no_buttons_that_would_change_the_project(client, world, project):
    client.force_login(world.constantine_reader)
    content = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert reverse("projects:transition", args=[project.pk]) not in content
    assert reverse("projects:edit", args=[project.pk]) not in content
    assert reverse("projects:sign_off", args=[project.pk]) not in content


# --- editing and tagging -----------------------------------------------------------------------


def test_editing_in_four_languages(client, world, project):
    client.force_login(world.constantine_editor)
    url = reverse("projects:edit", args=[project.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'lang="ar" dir="rtl"' in response.content.decode()
    response = client.post(
        url,
        {
            "title_fr": "Eau potable rurale",
            "title_en": "Rural drinking water",
            "title_ar": "مياه الشرب الريفية",
            "title_hy": "Գյուղական խմելու ջուր",
            "summary_fr": "Raccorder trois douars au réseau.",
            "programme": world.constantine_programme.pk,
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title_en == "Rural drinking water"
    assert project.title_hy == "Գյուղական խմելու ջուր"
    event = events_for(project).get(action="projects.project.updated")
    assert event.actor == world.constantine_editor
    assert "title_ar" in event.after


def test_editing_without_a_french_title_is_refused(client, world, project):
    client.force_login(world.officer)
    response = client.post(reverse("projects:edit", args=[project.pk]), {"title_fr": ""})
    assert response.status_code == 422
    project.refresh_from_db()
    assert project.title_fr == "Eau potable rurale"


def test_tagging_a_project_with_themes_services_and_officials(client, world, project):
    theme = engine.themes().first()
    assert theme is not None
    client.force_login(world.officer)
    url = reverse("projects:tags", args=[project.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "themes": [theme.pk],
            "services": [world.service.pk],
            "elected_officials": [world.elected_official.pk],
        },
    )
    assert response.status_code == 302
    assert list(project.themes.all()) == [theme]
    assert list(project.services.all()) == [world.service]
    content = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert theme.name in content.replace("&#x27;", "'")
    assert "Direction de l&#x27;environnement" in content


def test_tagging_refuses_a_theme_that_is_not_a_choice(client, world, project):
    client.force_login(world.officer)
    response = client.post(reverse("projects:tags", args=[project.pk]), {"themes": ["999999"]})
    assert response.status_code == 422
    assert not project.themes.exists()


@pytest.mark.parametrize("url_name", ["projects:edit", "projects:tags"])
def test_edit_pages_403_for_a_reader_and_404_outside(client, world, project, url_name):
    url = reverse(url_name, args=[project.pk])
    client.force_login(world.constantine_reader)
    assert client.get(url).status_code == 403
    assert client.post(url, {"title_fr": "X"}).status_code == 403
    client.force_login(world.bethlehem_editor)
    assert client.get(url).status_code == 404
