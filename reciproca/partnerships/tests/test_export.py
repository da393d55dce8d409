"""One organisation's data, whole, in open formats: what belongs to it and nothing else."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from reciproca.partnerships import services
from reciproca.partnerships.export import export_organisation
from reciproca.projects import services as project_services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def two_partners(world, settings, tmp_path):
    settings.RECIPROCA_PRIVATE_ROOT = str(tmp_path / "private")
    agreement = services.create_agreement(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Convention Isère–Constantine 2024",
        purpose="Eau et assainissement",
        forecast_amount=Decimal("120000"),
        valid_from=date(2024, 1, 1),
    )
    agreement.document.save("convention-constantine.pdf", ContentFile(PDF))
    project_services.create_project(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Eau potable des douars de Constantine",
    )
    project_services.create_project(
        partnership=world.bethlehem_partnership,
        by=world.officer,
        title="Artisanat des jeunes de Bethléem",
    )
    return world


def _archive(path):
    archive = zipfile.ZipFile(path)
    tables = {
        name.removeprefix("csv/").removesuffix(".csv"): list(
            csv.DictReader(io.StringIO(archive.read(name).decode("utf-8")))
        )
        for name in archive.namelist()
        if name.startswith("csv/")
    }
    return archive, tables


def test_a_partner_authority_gets_its_partnership_and_everything_attached(two_partners, tmp_path):
    world = two_partners
    target = tmp_path / "constantine.zip"
    summary = export_organisation(world.constantine, target)
    archive, tables = _archive(target)

    assert [p["name"] for p in tables["partnerships.partnership"]] == ["Isère – Constantine"]
    assert [p["title"] for p in tables["projects.project"]] == [
        "Eau potable des douars de Constantine"
    ]
    assert [a["title"] for a in tables["partnerships.agreement"]] == [
        "Convention Isère–Constantine 2024"
    ]
    assert [p["title"] for p in tables["partnerships.programme"]] == [
        "Programme concerté 2024-2027"
    ]
    # Its members, without any credential; the audit trail of its objects.
    assert {u["username"] for u in tables["accounts.user"]} == {"karim", "nour"}
    assert "password" not in tables["accounts.user"][0]
    assert any(e["action"] == "projects.project.created" for e in tables["core.auditevent"])
    # The signed agreement itself, byte for byte.
    documents = [n for n in archive.namelist() if n.startswith("documents/")]
    assert len(documents) == 1 == summary.documents
    assert archive.read(documents[0]) == PDF
    # JSON beside CSV, a manifest and a README in French.
    projects = json.loads(archive.read("json/projects.project.json"))
    assert projects[0]["title"] == "Eau potable des douars de Constantine"
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["organisation"]["name"] == "Wilaya de Constantine"
    assert manifest["models"]["projects.project"] == 1
    assert "Export des données" in archive.read("LISEZMOI.txt").decode()


def test_nothing_of_another_partner_is_in_the_archive(two_partners, tmp_path):
    target = tmp_path / "constantine.zip"
    export_organisation(two_partners.constantine, target)
    archive = zipfile.ZipFile(target)
    everything = b"".join(archive.read(name) for name in archive.namelist())
    for foreign in ("Bethléem", "Artisanat des jeunes", "layla"):
        assert foreign.encode() not in everything, foreign


def test_the_command_names_the_organisation_and_refuses_an_unknown_one(two_partners, tmp_path):
    out = io.StringIO()
    call_command("export_organisation", "Constantine", str(tmp_path / "c.zip"), stdout=out)
    assert "Wilaya de Constantine" in out.getvalue()
    assert zipfile.is_zipfile(tmp_path / "c.zip")
    with pytest.raises(CommandError, match="aucune organisation"):
        call_command("export_organisation", "Atlantide", str(tmp_path / "x.zip"))
    assert not (tmp_path / "x.zip").exists()
