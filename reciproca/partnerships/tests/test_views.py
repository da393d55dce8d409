"""The partnership pages: the list with the year each cooperation began, one partnership's
history, agreements (with expiry shown ahead of time), programmes and projects."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reciproca.partnerships.models import Agreement, Organisation, Participation, Partnership
from reciproca.projects import services


def _agreement(partnership, *, ends_in_days: int | None, title: str = "Convention cadre"):
    today = timezone.localdate()
    return Agreement.objects.create(
        partnership=partnership,
        title=title,
        purpose="Coopération dans les domaines de l'eau et de la jeunesse.",
        forecast_amount=120000,
        valid_from=today - timedelta(days=700),
        valid_until=today + timedelta(days=ends_in_days) if ends_in_days is not None else None,
    )


@pytest.mark.charter("PRE-2")
def test_the_list_shows_each_partner_and_the_year_the_cooperation_began(client, world):
    client.force_login(world.officer)
    response = client.get(reverse("partnerships:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Wilaya de Constantine" in content
    assert "Gouvernorat de Bethléem" in content
    assert "depuis 1984" in content
    assert "depuis 2010" in content
    assert "DZ-25" in content
    assert "Algérie" in content


def test_a_partner_editor_sees_only_their_partnership(client, world):
    client.force_login(world.bethlehem_editor)
    content = client.get(reverse("partnerships:list")).content.decode()
    assert "Gouvernorat de Bethléem" in content
    assert "Wilaya de Constantine" not in content


def test_the_list_counts_only_the_projects_the_user_can_see(client, world):
    for title in ("Eau", "Jeunesse"):
        services.create_project(
            partnership=world.constantine_partnership, by=world.officer, title=title
        )
    client.force_login(world.officer)
    response = client.get(reverse("partnerships:list"))
    rows = {p.pk: p.project_count for p in response.context["partnerships"]}
    assert rows[world.constantine_partnership.pk] == 2
    assert rows[world.bethlehem_partnership.pk] == 0


def test_an_outsider_sees_an_empty_list_that_says_what_to_do(client, world):
    client.force_login(world.outsider)
    content = client.get(reverse("partnerships:list")).content.decode()
    assert "Aucun partenariat ne vous est encore ouvert" in content


def test_the_list_shows_a_successor(client, world):
    old = world.bethlehem_partnership
    new = Partnership.objects.create(
        name="Isère – Bethléem (2e accord)", host=world.isere, partner=world.bethlehem,
        territory=old.territory, since_date=date(2020, 1, 1),
    )  # fmt: skip
    old.until_date, old.successor = date(2019, 12, 31), new
    old.save()
    client.force_login(world.officer)
    content = client.get(reverse("partnerships:list")).content.decode()
    assert "jusqu'en 2019" in content
    assert "Isère – Bethléem (2e accord)" in content


def test_the_list_query_count_does_not_grow_with_partnerships(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.officer)

    def add(n: int) -> None:
        for i in range(n):
            partner = Organisation.objects.create(
                name=f"Partenaire {i}", kind=Organisation.Kind.PARTNER_AUTHORITY
            )
            partnership = Partnership.objects.create(
                name=f"Isère – {i}", host=world.isere, partner=partner,
                territory=world.constantine_partnership.territory, since_date=date(2000 + i, 1, 1),
            )  # fmt: skip
            services.create_project(partnership=partnership, by=world.officer, title=f"P{i}")

    add(2)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("partnerships:list"))
    add(6)
    with django_assert_max_num_queries(8) as many:
        client.get(reverse("partnerships:list"))
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.charter("PRE-1")
def test_an_agreement_close_to_its_end_is_flagged_ahead_of_time(client, world):
    _agreement(world.constantine_partnership, ends_in_days=45)
    _agreement(world.constantine_partnership, ends_in_days=900, title="Convention jeunesse")
    client.force_login(world.officer)
    response = client.get(reverse("partnerships:detail", args=[world.constantine_partnership.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "expire dans 45 jours" in content
    assert "Convention jeunesse" in content
    assert "120" in content and "EUR" in content


def test_the_detail_shows_history_programmes_actors_and_projects(client, world):
    partnership = world.constantine_partnership
    association = Organisation.objects.create(
        name="Association Eau Vive", kind=Organisation.Kind.ASSOCIATION
    )
    Participation.objects.create(
        organisation=association, programme=world.constantine_programme, role="formation"
    )
    project = services.create_project(partnership=partnership, by=world.officer, title="Puits")
    partnership.description = "Coopération historique."
    partnership.save()
    client.force_login(world.constantine_editor)
    content = client.get(reverse("partnerships:detail", args=[partnership.pk])).content.decode()
    assert "1 janvier 1984" in content
    assert "Programme concerté 2024-2027" in content
    assert "Association Eau Vive" in content
    assert reverse("projects:detail", args=[project.pk]) in content
    assert "Modifications enregistrées" in content
    assert "Nouveau projet" in content


def test_a_reader_gets_no_new_project_button(client, world):
    client.force_login(world.constantine_reader)
    content = client.get(
        reverse("partnerships:detail", args=[world.constantine_partnership.pk])
    ).content.decode()
    assert "Nouveau projet" not in content


def test_a_partnership_the_user_has_no_role_on_is_not_found(client, world):
    client.force_login(world.bethlehem_editor)
    response = client.get(reverse("partnerships:detail", args=[world.constantine_partnership.pk]))
    assert response.status_code == 404


def test_the_detail_without_agreements_or_programmes_says_what_to_do(client, world):
    client.force_login(world.officer)
    content = client.get(
        reverse("partnerships:detail", args=[world.bethlehem_partnership.pk])
    ).content.decode()
    assert "Aucune convention n'est enregistrée" in content
    assert "Aucun programme concerté" in content


def test_partnership_pages_refuse_posts(client, world):
    client.force_login(world.officer)
    assert client.post(reverse("partnerships:list")).status_code == 405


@pytest.mark.parametrize(("who", "named"), [("officer", True), ("bethlehem_editor", False)])
def test_a_successor_is_named_only_to_who_may_see_it(client, world, who, named):
    """Layla edits the old Bethlehem partnership; the new one was opened without her: neither
    the list nor the page names it to her (its existence is not hers to know)."""
    old = world.bethlehem_partnership
    new = Partnership.objects.create(
        name="Isère – Bethléem (accord confidentiel)", host=world.isere, partner=world.bethlehem,
        territory=old.territory, since_date=date(2020, 1, 1),
    )  # fmt: skip
    old.until_date, old.successor = date(2019, 12, 31), new
    old.save()
    client.force_login(getattr(world, who))
    for url in (reverse("partnerships:list"), reverse("partnerships:detail", args=[old.pk])):
        page = client.get(url)
        assert page.status_code == 200
        assert ("accord confidentiel" in page.content.decode()) is named, url


@pytest.mark.charter("PRI-1")
def test_an_evaluator_of_one_project_reads_neither_the_programmes_nor_the_ledger(client, world):
    """A grant on one project opens that project, not the partnership's records: its
    programmes (page and API), its reciprocity ledger, the agreements behind a condition."""
    from reciproca.accounts.models import Role, RoleGrant

    project = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Eau de Constantine"
    )
    RoleGrant.objects.create(user=world.evaluator, role=Role.EVALUATOR, project=project)
    client.force_login(world.evaluator)
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 200
    assert client.get("/api/v1/programmes/").json()["results"] == []
    programme = world.constantine_programme.pk
    assert client.get(f"/api/v1/programmes/{programme}/").status_code == 404
    ledger = reverse("finance:partnership", args=[world.constantine_partnership.pk])
    assert client.get(ledger).status_code == 404
    agreements = reverse("projects:partnership_agreements", args=[project.pk])
    assert client.get(agreements).status_code == 404
    # The partner's editor reads them all.
    client.force_login(world.constantine_editor)
    titles = [p["title"] for p in client.get("/api/v1/programmes/").json()["results"]]
    assert titles == ["Programme concerté 2024-2027"]
    assert client.get(ledger).status_code == 200
    assert client.get(agreements).status_code == 302
