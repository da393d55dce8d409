"""`reciproca generate_portfolio`: copies of the Isère demo that the pages, the API and the
charter checklist treat exactly like the rows the services wrote (issue 11)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from reciproca.accounts.models import User
from reciproca.demo.portfolio import SEPARATOR
from reciproca.diagnosis.models import Diagnosis, ImpactCell
from reciproca.projects import queries
from reciproca.projects.models import Project


@pytest.fixture(scope="module")
def _portfolio(demo_database, django_db_blocker):
    """Two copies of the demo (--scale 0.3: 39 projects) generated on the demo alone, as after
    `make demo`; the database as it was before the demo after this module."""
    fast_hasher = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hasher:
        out = io.StringIO()
        call_command("generate_portfolio", scale=0.3, stdout=out)
        return out.getvalue()


@pytest.fixture
def portfolio(_portfolio, db):
    return _portfolio


def copies_of(reference: str) -> list[Project]:
    return list(Project.objects.filter(reference__startswith=f"{reference}{SEPARATOR}"))


def test_each_copy_holds_the_demo_s_projects_at_the_same_stages(portfolio):
    assert "copies 2/2" in portfolio  # the progress is shown
    seed = Project.objects.exclude(reference__contains=SEPARATOR)
    assert Project.objects.count() == 3 * seed.count()
    for project in seed:
        copies = copies_of(project.reference)
        assert [c.reference for c in copies] == [
            f"{project.reference}/1",
            f"{project.reference}/2",
        ] or sorted(c.reference for c in copies) == [
            f"{project.reference}/1",
            f"{project.reference}/2",
        ]
        assert {c.stage for c in copies} == {project.stage}
        # The copy's partnership is its own, with a partner of its own; the host is shared.
        for copy in copies:
            assert copy.partnership_id != project.partnership_id
            assert copy.partnership.host_id == project.partnership.host_id
            assert copy.partnership.partner_id != project.partnership.partner_id
    # The diagnoses were copied with their cells.
    assert (
        ImpactCell.objects.count()
        == 3 * ImpactCell.objects.filter(diagnosis__project__in=seed).count()
    )


def test_the_charter_checklist_reads_a_copy_as_it_reads_the_demo(portfolio):
    for project in Project.objects.exclude(reference__contains=SEPARATOR):
        expected = [
            (gate.name, [(c.check, c.is_met) for c in gate.conditions])
            for gate in queries.every_gate(project)
        ]
        for copy in copies_of(project.reference):
            got = [
                (gate.name, [(c.check, c.is_met) for c in gate.conditions])
                for gate in queries.every_gate(copy)
            ]
            assert got == expected, copy.reference


def pages(project: Project) -> list[str]:
    return [
        reverse("projects:dashboard"),
        reverse("projects:list"),
        reverse("partnerships:list"),
        reverse("partnerships:detail", args=[project.partnership_id]),
        reverse("projects:detail", args=[project.pk]),
        reverse("diagnosis:overview", args=[project.pk]),
        reverse("diagnosis:versions", args=[project.pk]),
        reverse("diagnosis:conformity", args=[project.pk]),
        reverse("results:page", args=[project.pk]),
        reverse("finance:project", args=[project.pk]),
        reverse("pooling:project", args=[project.pk]),
        reverse("api:project-list"),
        reverse("api:partnership-list"),
        reverse("api:diagnosis-list"),
        reverse("api:diagnosis-cell-list"),
    ]


def test_the_main_pages_render_a_copy_for_an_officer_and_its_partner(portfolio, client):
    seed = Project.objects.get(reference="GUE-2024-001")  # in implementation, with results
    copy = Project.objects.get(reference=f"GUE-2024-001{SEPARATOR}2")
    client.force_login(User.objects.get(username="marie.dupont"))
    for url in pages(copy):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("projects:detail", args=[copy.pk])).content.decode()
    assert copy.reference in page
    # The copy's partner sees its own project, not the demo's.
    partner = User.objects.get(username="anna.petrosyan.2")
    assert partner.organisation_id == copy.partnership.partner_id
    client.force_login(partner)
    for url in pages(copy):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("projects:detail", args=[seed.pk])).status_code in (403, 404)
    listed = client.get(reverse("api:project-list")).json()
    references = {p["reference"] for p in listed.get("results", listed)}
    assert copy.reference in references
    assert seed.reference not in references


def test_a_copy_s_diagnosis_versions_compare_like_the_demo_s(portfolio, client):
    seed = (
        Diagnosis.objects.filter(version__gt=1)
        .exclude(project__reference__contains=SEPARATOR)
        .first()
    )
    assert seed is not None
    copy = Diagnosis.objects.get(project__reference=f"{seed.project.reference}{SEPARATOR}1")
    assert copy.version == seed.version
    client.force_login(User.objects.get(username="marie.dupont"))
    seed_page = client.get(reverse("diagnosis:versions", args=[seed.project_id]))
    copy_page = client.get(reverse("diagnosis:versions", args=[copy.project_id]))
    assert copy_page.status_code == 200
    assert copy_page.content.decode().count("<li") == seed_page.content.decode().count("<li")


def test_a_second_run_is_refused_with_a_clear_message(portfolio):
    with pytest.raises(CommandError, match="portefeuille généré est déjà"):
        call_command("generate_portfolio", scale=1, stdout=io.StringIO())
