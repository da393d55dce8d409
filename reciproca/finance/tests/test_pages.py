"""The finance pages: scoped reads (404 outside), writes through the services, documents
checked by content and served through the policy, rates entered and loaded by officers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from reciproca.finance import services
from reciproca.finance.models import ExchangeRate, Transaction, TransactionDocument
from reciproca.finance.tests.conftest import RATES_2025
from reciproca.projects.models import Project

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_project_page_shows_the_budget_the_plan_and_says_the_rates_date(
    world: Any, project: Project, rates: None, client: Any
) -> None:
    services.set_funding_plan(project=project, by=world.officer, rates_date=date(2025, 1, 15))
    services.set_budget_line(
        project=project,
        by=world.officer,
        year=2025,
        category="TRAINING",
        amount=140500,
        currency="DZD",
    )
    client.force_login(world.constantine_reader)
    response = client.get(f"/finances/projet/{project.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "15 janvier 2025" in body and "<svg" in body and "<table" in body
    assert "1\u202f000.00 EUR" in body
    assert "Ajouter une ligne budgétaire" not in body  # a reader reads
    client.force_login(world.outsider)
    assert client.get(f"/finances/projet/{project.pk}/").status_code == 404
    client.force_login(world.bethlehem_editor)
    assert client.get(f"/finances/projet/{project.pk}/").status_code == 404


def test_a_partner_editor_records_a_transaction_with_its_document(
    world: Any, project: Project, client: Any, tmp_path: Any
) -> None:
    with override_settings(RECIPROCA_PRIVATE_ROOT=tmp_path):
        client.force_login(world.constantine_editor)
        response = client.post(
            f"/finances/projet/{project.pk}/operations/",
            {
                "kind": "EXPENDITURE",
                "value_date": "2025-04-02",
                "amount": "1500",
                "currency": "DZD",
                "description": "achat de compteurs",
                "category": "EQUIPMENT",
                "document": SimpleUploadedFile("facture.pdf", PDF, "application/pdf"),
            },
        )
        assert response.status_code == 302
        document = TransactionDocument.objects.get()
        assert document.content_type == "application/pdf"
        assert str(tmp_path) in document.file.path
        served = client.get(f"/finances/pieces/{document.pk}/")
        assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
        client.force_login(world.bethlehem_editor)
        assert client.get(f"/finances/pieces/{document.pk}/").status_code == 404


def test_an_upload_is_checked_by_its_content_and_nothing_is_recorded(
    world: Any, project: Project, client: Any, tmp_path: Any
) -> None:
    with override_settings(RECIPROCA_PRIVATE_ROOT=tmp_path, RECIPROCA_MAX_UPLOAD_BYTES=1000):
        client.force_login(world.officer)
        for name, content, said in (
            ("facture.pdf", b"<html><script>alert(1)</script></html>", "ni un PDF"),
            ("gros.pdf", PDF + b"x" * 2000, "trop lourd"),
        ):
            response = client.post(
                f"/finances/projet/{project.pk}/operations/",
                {
                    "kind": "EXPENDITURE",
                    "value_date": "2025-04-02",
                    "amount": "10",
                    "currency": "EUR",
                    "description": "achat",
                    "document": SimpleUploadedFile(name, content, "application/pdf"),
                },
            )
            assert response.status_code == 422
            assert said in response.content.decode()
        assert not Transaction.objects.exists() and not TransactionDocument.objects.exists()


def test_officers_enter_and_load_rates_all_or_nothing(world: Any, client: Any) -> None:
    client.force_login(world.officer)
    response = client.post(
        "/finances/taux/",
        {"currency": "DZD", "on": "2025-06-02", "rate": "150.1", "source": "Banque d'Algérie"},
    )
    assert response.status_code == 302
    bad = RATES_2025 + "XYZ,2025-01-02,1,source\nDZD,2025-13-01,1,source\n"
    response = client.post(
        "/finances/taux/", {"file": SimpleUploadedFile("taux.csv", bad.encode(), "text/csv")}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "ligne 11" in body and "ligne 12" in body
    assert ExchangeRate.objects.count() == 1
    response = client.post(
        "/finances/taux/",
        {"file": SimpleUploadedFile("taux.csv", RATES_2025.encode(), "text/csv")},
    )
    assert response.status_code == 302
    assert ExchangeRate.objects.filter(currency="XOF", is_fixed=True).exists()
    client.force_login(world.constantine_editor)
    assert client.post("/finances/taux/", {"currency": "DZD"}).status_code == 404


def test_the_partnership_page_and_the_atlas_sheet(
    world: Any, project: Project, rates: None, client: Any
) -> None:
    services.record_transaction(
        project=project,
        by=world.officer,
        kind="DISBURSEMENT",
        value_date=date(2025, 2, 10),
        amount=141000,
        currency="DZD",
        description="versement",
    )
    client.force_login(world.constantine_editor)
    p = world.constantine_partnership
    response = client.post(
        f"/finances/partenariat/{p.pk}/echanges/",
        {
            "kind": "DELEGATION",
            "direction": "TO_HOST",
            "title": "Délégation à Grenoble",
            "start_date": "2025-06-01",
            "end_date": "2025-06-05",
            "competences": "eau",
            "benefits_partner": "formation",
            "benefits_host": "regards croisés",
            "objectives": ["OBJ-1"],
            "p_F_30_59": "2",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/finances/partenariat/{p.pk}/").content.decode()
    assert "Délégation à Grenoble" in page and "<svg" in page
    atlas = client.get(f"/finances/partenariat/{p.pk}/atlas/").content.decode()
    assert "1\u202f000.00 EUR" in atlas and "2025" in atlas
    rows = client.get(f"/finances/partenariat/{p.pk}/atlas/?format=csv").content.decode()
    assert "Wilaya de Constantine" in rows and ";2025;1000.00;" in rows
    assert client.get(f"/partenariats/{p.pk}/").content.decode().count("/finances/partenariat/")


@pytest.mark.charter("PRE-4", "PRE-5")
def test_in_kind_and_the_declaration_profile_are_entered_on_the_project_page(
    world: Any, project: Project, client: Any
) -> None:
    from reciproca.finance.models import DeclarationProfile, SkillsSponsorship, StaffTime
    from reciproca.partnerships.models import Organisation

    company = Organisation.objects.create(name="Hydro Alpes", kind=Organisation.Kind.COMPANY)
    client.force_login(world.constantine_editor)
    base = f"/finances/projet/{project.pk}"
    assert (
        client.post(
            f"{base}/temps/",
            {
                "staff_member": "Claire Martin",
                "skills": "eau potable",
                "year": "2025",
                "days": "3",
                "daily_rate": "300",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/mecenat/",
            {
                "company": company.pk,
                "employee": "Paul Durand",
                "start_date": "2025-03-03",
                "end_date": "2025-03-07",
                "days": "4",
                "daily_cost": "500",
                "receipt_number": "RF-1",
            },
        ).status_code
        == 302
    )
    refused = client.post(
        f"{base}/declaration/",
        {
            "channel_code": "ABC",
            "aid_type": "C01",
            "action_type": "COOPERATION",
        },
    )
    assert refused.status_code == 422 and "cinq chiffres" in refused.content.decode()
    assert (
        client.post(
            f"{base}/declaration/",
            {
                "channel_code": "11004",
                "aid_type": "C01",
                "action_type": "COOPERATION",
            },
        ).status_code
        == 302
    )
    assert StaffTime.objects.get().days == 3 and SkillsSponsorship.objects.get().days == 4
    assert DeclarationProfile.objects.get().channel_code == "11004"
    page = client.get(f"{base}/").content.decode()
    assert "Claire Martin" in page and "RF-1" in page
    assert "Déclaration APD" in page and "/finances/taux/" not in page  # officers' links


def test_the_declaration_page_is_the_host_officers_and_lists_what_is_missing(
    world: Any, project: Project, rates: None, client: Any
) -> None:
    services.record_transaction(
        project=project,
        by=world.officer,
        kind="DISBURSEMENT",
        value_date=date(2025, 2, 10),
        amount=141000,
        currency="DZD",
        description="versement",
    )
    client.force_login(world.officer)
    page = client.get("/finances/declaration-apd/?annee=2025").content.decode()
    assert "À compléter avant l'export" in page and "aucun secteur" in page
    assert "1\u202f000.00 EUR" in page
    client.force_login(world.constantine_editor)
    assert client.get("/finances/declaration-apd/").status_code == 404


@pytest.mark.charter("PRJ-11")
def test_a_funding_search_is_recorded_on_the_partnership_page(world: Any, client: Any) -> None:
    p = world.constantine_partnership
    client.force_login(world.constantine_editor)
    response = client.post(
        f"/finances/partenariat/{p.pk}/recherches/",
        {
            "organisation": world.constantine.pk,
            "on": "2025-03-01",
            "funder": "AFD",
            "currency": "EUR",
            "outcome": "PREPARING",
        },
    )
    assert response.status_code == 302
    assert "AFD" in client.get(f"/finances/partenariat/{p.pk}/").content.decode()
    client.force_login(world.constantine_reader)
    assert (
        client.post(
            f"/finances/partenariat/{p.pk}/recherches/",
            {
                "organisation": world.constantine.pk,
                "on": "2025-03-01",
                "funder": "AFD",
                "currency": "EUR",
                "outcome": "PREPARING",
            },
        ).status_code
        == 403  # a reader is refused before the form is read
    )


@pytest.mark.charter("PRE-5")
def test_a_source_moves_from_requested_to_granted_and_a_budget_line_is_removed(
    world: Any, project: Project, rates: None, client: Any
) -> None:
    from reciproca.finance.models import BudgetLine, FundingSource

    services.set_funding_plan(project=project, by=world.officer, rates_date=date(2025, 1, 15))
    line = services.set_budget_line(
        project=project,
        by=world.officer,
        year=2025,
        category="TRAINING",
        amount=1000,
        currency="EUR",
    )
    source = services.add_funding_source(
        project=project,
        by=world.officer,
        kind="HOST_OWN",
        label="Isère",
        amount=1000,
        status="REQUESTED",
    )
    client.force_login(world.constantine_editor)
    base = f"/finances/projet/{project.pk}"
    page = client.get(f"{base}/").content.decode()
    assert f"{base}/sources/{source.pk}/statut/" in page
    assert (
        client.post(f"{base}/sources/{source.pk}/statut/", {"status": "GRANTED"}).status_code == 302
    )
    assert FundingSource.objects.get().status == "GRANTED"
    assert client.post(f"{base}/budget/{line.pk}/supprimer/").status_code == 302
    assert not BudgetLine.objects.exists()
    client.force_login(world.constantine_reader)
    client.post(f"{base}/sources/{source.pk}/statut/", {"status": "PLANNED"})
    assert FundingSource.objects.get().status == "GRANTED"
    client.force_login(world.bethlehem_editor)
    assert (
        client.post(f"{base}/sources/{source.pk}/statut/", {"status": "PLANNED"}).status_code == 404
    )
