"""The finder: who else works in the project's territory, ranked with its reasons; successions
and radius; the coordination decision; the charter condition; exports; the project page
panel; the background import from the web."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from reciproca.charter.loader import load_charter
from reciproca.core.models import AuditEvent
from reciproca.partnerships.models import Organisation, Partnership
from reciproca.pooling import finder, services
from reciproca.pooling.models import Coordination, ImportRun
from reciproca.pooling.tests.factories import activity, iati_file
from reciproca.projects import services as project_services
from reciproca.projects.models import Project, Stage
from reciproca.projects.services import TransitionRefused
from reciproca.reference.models import PurposeCode, SdgTarget
from reciproca.territories.models import Territory

pytestmark = pytest.mark.django_db
CHARTER = Path(__file__).parent / "charters" / "pooling-exemple.yaml"


def _import(tmp_path: Path, *activities: str, name: str = "f.xml") -> None:
    path = tmp_path / name
    path.write_bytes(iati_file(*activities))
    services.import_iati(paths=[path], by=None)


def _project(world: Any, partnership: Partnership | None = None, **kw: Any) -> Project:
    project = project_services.create_project(
        partnership=partnership or world.bethlehem_partnership,
        by=world.officer,
        title="Eau potable à Bethléem",
        start_date=date(2024, 6, 1),
        end_date=date(2027, 5, 31),
        **kw,
    )
    project.purpose_codes.add(PurposeCode.objects.get(code="14030"))
    project.sdg_targets.add(SdgTarget.objects.get(code="6.1"))
    return project


def _partnership_in(world: Any, code: str, on: date) -> Partnership:
    territory = (
        Territory.objects.filter(iso_code=code, valid_from__lte=on).order_by("-valid_from").first()
    )
    if territory is None:
        territory = Territory.objects.get(name_fr=code)
    org = Organisation.objects.create(
        name=f"Autorité {territory.name}",
        kind=Organisation.Kind.PARTNER_AUTHORITY,
        territory=territory,
    )
    return Partnership.objects.create(
        name=f"Isère – {territory.name}",
        host=world.isere,
        partner=org,
        territory=territory,
        since_date=date(2016, 1, 1),
    )


@pytest.fixture
def bethlehem(world: Any, tmp_path: Path) -> Project:
    _import(
        tmp_path,
        activity(
            "FR-CD-X-1",
            org_ref="FR-SIRET-22730001",
            org_type="11",
            admin="PS-BTH",
            sectors=("16061",),
            start="2010-01-01",
            end="2012-12-31",
            title="Patrimoine",
        ),
        activity(
            "XM-UN-WATER",
            admin="PS-BTH",
            sectors=("14030",),
            tags=("6.1",),
            start="2024-01-01",
            end="2026-12-31",
            title="Water supply",
        ),
        activity(
            "XM-UN-SANIT",
            point="31.70 35.20",
            sectors=("14022",),
            start="2027-01-01",
            end="2028-12-31",
            title="Sanitation",
        ),
        activity("XM-UN-GAZA", point="31.50 34.45", sectors=("14030",), title="Gaza water"),
        activity("XM-UN-COUNTRY", sectors=("14030",), title="National water"),
    )
    return _project(world)


@pytest.mark.charter("PRJ-12")
@pytest.mark.charter("PRJ-13")
def test_the_finder_ranks_french_authorities_first_then_by_overlap(bethlehem: Project) -> None:
    found = finder.find(finder.query_for_project(bethlehem))

    assert [f.activity.identifier for f in found] == ["FR-CD-X-1", "XM-UN-WATER", "XM-UN-SANIT"]
    french, water, sanitation = found
    assert french.reasons[:2] == [
        "dans Bethléem",
        "collectivité territoriale française : classée en premier",
    ]
    assert "périodes disjointes" in french.reasons
    assert water.reasons == [
        "dans Bethléem",
        "même code-objet CAD : 14030",
        "mêmes cibles ODD : 6.1",
        "périodes qui se recouvrent d'au moins un an",
    ]
    assert water.score == 2 + 3 + 3 + 2
    assert "même catégorie CAD : 140" in sanitation.reasons
    assert "périodes qui se recouvrent de moins d'un an" in sanitation.reasons
    assert water.score > sanitation.score

    wider = finder.find(finder.query_for_project(bethlehem, include_country=True))
    country = next(f for f in wider if f.activity.identifier == "XM-UN-COUNTRY")
    assert country.reasons[0] == "dans le même pays (PS), sans lieu plus précis"
    assert "XM-UN-GAZA" in {f.activity.identifier for f in wider}  # Gaza is in PS too

    french_only = finder.find(finder.query_for_project(bethlehem, french_only=True))
    assert [f.activity.identifier for f in french_only] == ["FR-CD-X-1"]
    assert [
        f.activity.identifier for f in finder.find(finder.query_for_project(bethlehem, min_score=6))
    ] == ["XM-UN-WATER"]


@pytest.mark.charter("PRJ-12")
def test_an_activity_coded_ma_12_before_2019_is_found_for_beni_mellal_khenifra(
    world: Any, tmp_path: Path
) -> None:
    _import(
        tmp_path,
        activity(
            "XM-TADLA-2012", country="MA", admin="MA-12", start="2012-01-01", end="2014-12-31"
        ),
        activity(
            "XM-DAKHLA-2021", country="MA", admin="MA-12", start="2021-01-01", end="2022-12-31"
        ),
        activity(
            "XM-AZILAL-2021", country="MA", point="31.9 -6.5", start="2021-01-01", end="2022-12-31"
        ),
    )
    project = _project(world, _partnership_in(world, "MA-05", date(2020, 1, 1)))
    found = {f.activity.identifier: f for f in finder.find(finder.query_for_project(project))}

    assert set(found) == {"XM-TADLA-2012", "XM-AZILAL-2021"}
    assert found["XM-TADLA-2012"].reasons[0] == "dans Tadla-Azilal, devenu Béni Mellal-Khénifra"
    assert found["XM-AZILAL-2021"].reasons[0] == "dans Béni Mellal-Khénifra"


def test_a_radius_reaches_beyond_the_subdivision(world: Any, tmp_path: Path) -> None:
    _import(tmp_path, activity("XM-TAMBA", country="SN", point="14.5 -14.25"))
    project = _project(world, _partnership_in(world, "Département de Kédougou", date(2020, 1, 1)))

    assert finder.find(finder.query_for_project(project)) == []
    far = finder.find(finder.query_for_project(project, radius_km=300))
    assert [f.activity.identifier for f in far] == ["XM-TAMBA"]
    assert far[0].reasons[0].startswith("à ") and far[0].reasons[0].endswith(
        " km des lieux du projet"
    )
    assert finder.find(finder.query_for_project(project, radius_km=100)) == []


@pytest.mark.charter("PRJ-12")
@pytest.mark.charter("PRJ-13")
def test_a_partner_records_a_coordination_decision_with_its_audit_event(
    bethlehem: Project, world: Any, client: Any
) -> None:
    url = reverse("pooling:project", args=[bethlehem.pk])
    client.force_login(world.bethlehem_editor)
    page = client.get(url)
    assert page.status_code == 200
    assert "Water supply" in page.content.decode()
    water = next(
        f.activity for f in page.context["found"] if f.activity.identifier == "XM-UN-WATER"
    )

    response = client.post(
        url,
        {"activity": water.pk, "outcome": "JOINT_ACTION", "note": "Réseau commun à Beit Sahour."},
    )
    assert response.status_code == 302
    coordination = Coordination.objects.get()
    assert (coordination.outcome, coordination.recorded_by, coordination.activity_identifier) == (
        "JOINT_ACTION",
        world.bethlehem_editor,
        "XM-UN-WATER",
    )
    event = AuditEvent.objects.get(action="pooling.coordination")
    assert event.subject == bethlehem and event.actor == world.bethlehem_editor
    assert (
        event.after["outcome"] == "JOINT_ACTION" and event.reason == "Réseau commun à Beit Sahour."
    )

    # a note is required except for "no overlap"; nothing is written without it
    client.post(url, {"activity": water.pk, "outcome": "CO_FUNDING", "note": ""})
    assert Coordination.objects.count() == 1


def test_outsiders_do_not_see_it_and_readers_do_not_record(
    bethlehem: Project, world: Any, client: Any
) -> None:
    url = reverse("pooling:project", args=[bethlehem.pk])
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.constantine_editor)
    assert client.get(url).status_code == 404
    client.force_login(world.elected)
    assert client.get(url).status_code == 200
    assert client.post(url, {"activity": 1, "outcome": "CONTACTED", "note": "x"}).status_code == 403
    assert not Coordination.objects.exists()


@pytest.mark.charter("PRJ-12")
def test_a_charter_can_require_the_finder_and_a_coordination_before_the_diagnosis(
    bethlehem: Project, world: Any, client: Any
) -> None:
    load_charter(path=CHARTER)
    with pytest.raises(TransitionRefused) as refused:
        project_services.transition_project(
            project=bethlehem, transition="start_diagnosis", by=world.officer
        )
    [unmet] = refused.value.unmet
    assert (unmet.check, unmet.clauses) == ("pooling_consulted", ("PRJ-12",))
    assert "Personne n'a encore consulté" in unmet.reason

    client.force_login(world.officer)
    page = client.get(reverse("pooling:project", args=[bethlehem.pk]))
    with pytest.raises(TransitionRefused) as refused:
        project_services.transition_project(
            project=bethlehem, transition="start_diagnosis", by=world.officer
        )
    assert "aucune décision de coordination" in refused.value.unmet[0].reason

    services.record_coordination(
        project=bethlehem,
        activity=page.context["found"][0].activity,
        outcome="NO_OVERLAP",
        by=world.officer,
    )
    project_services.transition_project(
        project=bethlehem, transition="start_diagnosis", by=world.officer
    )
    bethlehem.refresh_from_db()
    assert bethlehem.stage == Stage.DIAGNOSIS


def test_exports_in_csv_and_xlsx(bethlehem: Project, world: Any, client: Any) -> None:
    client.force_login(world.officer)
    url = reverse("pooling:project", args=[bethlehem.pk])
    text = client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("rang,identifiant,titre")
    assert lines[1].startswith("1,FR-CD-X-1,Patrimoine")
    book = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content))
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][1] == "XM-UN-WATER" and "mêmes cibles ODD : 6.1" in str(rows[2][-1])


def test_the_project_page_and_the_territory_page_show_the_finder(
    bethlehem: Project, world: Any, client: Any
) -> None:
    client.force_login(world.officer)
    page = client.get(reverse("projects:detail", args=[bethlehem.pk])).content.decode()
    assert "Autres acteurs sur le territoire" in page
    panel_url = reverse("pooling:project_panel", args=[bethlehem.pk])
    assert f'hx-get="{panel_url}"' in page
    page = client.get(panel_url).content.decode()
    section = page[page.index("pooling-title") :][:1500]
    assert "3 activités d'autres acteurs ont lieu sur ce territoire." in section, section
    territory = world.bethlehem_partnership.territory
    page = client.get(reverse("pooling:territory", args=[territory.pk])).content.decode()
    assert "Water supply" in page
    page = client.get(reverse("pooling:partnership", args=[world.bethlehem_partnership.pk]))
    assert page.status_code == 200
    client.force_login(world.outsider)
    assert client.get(reverse("pooling:territory", args=[territory.pk])).status_code == 404
    assert client.get(panel_url).status_code == 404


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
def test_an_upload_is_imported_in_the_background_with_its_progress(
    world: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.officer)
    upload = SimpleUploadedFile("web.xml", iati_file(activity("XM-WEB-1"), activity("")))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pooling:index"), {"file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "pooling:run", args=[run.pk]
    )
    assert (run.state, run.activities, run.quarantined, run.percent) == ("DONE", 1, 1, 100)
    page = client.get(reverse("pooling:run", args=[run.pk])).content.decode()
    assert "1 activité indexée" in page or "Une activité indexée" in page
    assert not Path(run.path).exists()

    client.force_login(world.bethlehem_editor)
    upload = SimpleUploadedFile("web.xml", iati_file(activity("XM-WEB-2")))
    assert client.post(reverse("pooling:index"), {"file": upload}).status_code == 403
