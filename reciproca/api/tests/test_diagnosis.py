"""The diagnosis API (/api/v1/diagnoses/, /api/v1/diagnosis-*/) obeys the same policies and
rules as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from reciproca.diagnosis import policies as diagnosis_policies
from reciproca.diagnosis import services
from reciproca.diagnosis.models import Diagnosis, DiagnosisSignOff, ImpactCell, Need
from reciproca.diagnosis.tests.conftest import complete
from reciproca.projects import services as project_services


@pytest.fixture
def api():
    return APIClient()


def cell_payload(project, **extra):
    return {
        "project": project.pk, "side": "PARTNER", "dimension": "SOCIAL", "directness": "DIRECT",
        "horizon": "SHORT", "direction": "POSITIVE", "magnitude": 2, "likelihood": 3,
        "justification": "Moins de coupures.", **extra,
    }  # fmt: skip


def test_anonymous_gets_401(api, project):
    assert api.get(reverse("api:diagnosis-need-list")).status_code == 401


@pytest.mark.charter("PRI-1")
def test_the_partner_editor_builds_the_diagnosis_through_the_api(api, project, world):
    api.force_authenticate(world.constantine_editor)
    response = api.post(reverse("api:diagnosis-list"), {"project": project.pk}, format="json")
    assert response.status_code == 201 and response.json()["version"] == 1

    need = api.post(
        reverse("api:diagnosis-need-list"),
        {"project": project.pk, "side": "PARTNER", "title": "Eau potable",
         "population_concerned": "Habitants", "evidence": "Relevés 2023."},
        format="json",
    )  # fmt: skip
    assert need.status_code == 201, need.json()
    assert need.json()["author_organisation_name"] == "Wilaya de Constantine"

    cell = api.post(reverse("api:diagnosis-cell-list"), cell_payload(project), format="json")
    assert cell.status_code == 201, cell.json()
    # Posting the same coordinates again, without the revision it replaces, is a conflict
    # that shows the cell as it is; naming its revision replaces it.
    payload = cell_payload(project, direction="NEGATIVE", justification="Travaux.")
    again = api.post(reverse("api:diagnosis-cell-list"), payload, format="json")
    assert again.status_code == 409 and again.json()["current"]["id"] == cell.json()["id"]
    again = api.post(
        reverse("api:diagnosis-cell-list"),
        {**payload, "revision": again.json()["revision"]},
        format="json",
    )
    assert again.status_code == 201 and again.json()["id"] == cell.json()["id"]
    patched = api.patch(
        reverse("api:diagnosis-cell-detail", args=[cell.json()["id"]]),
        {"magnitude": 3},
        format="json",
        HTTP_IF_MATCH=again["ETag"],
    )
    assert patched.status_code == 200 and patched.json()["magnitude"] == 3
    assert (
        api.delete(reverse("api:diagnosis-cell-detail", args=[cell.json()["id"]])).status_code
        == 400
    )

    response = api.post(
        reverse("api:diagnosis-response-list"),
        {"cell": cell.json()["id"], "kind": "MANAGE", "description": "Chantier phasé.",
         "owner_organisation": world.constantine.pk,
         "due_date": (timezone.localdate() + timedelta(days=30)).isoformat()},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()

    alternative = api.post(
        reverse("api:diagnosis-alternative-list"),
        {"project": project.pk, "title": "Ne rien faire", "is_do_nothing": True},
        format="json",
    )
    assert alternative.status_code == 201
    score = api.post(
        reverse("api:diagnosis-assessment-list"),
        {"project": project.pk, "alternative": alternative.json()["id"],
         "criterion_code": "climate", "score": 1, "justification": "Rien ne change."},
        format="json",
    )  # fmt: skip
    assert score.status_code == 201, score.json()
    assert score.json()["assessor"] == "Karim"

    # The diagnosis is not complete yet: its sign-off is refused with what is missing.
    refused = api.post(reverse("api:diagnosis-sign-off", args=[project.pk]))
    assert refused.status_code == 400
    assert refused.json()["reasons"][0] == (
        "Le diagnostic n'est pas complet : la validation n'est pas encore possible."
    )
    assert not DiagnosisSignOff.objects.filter(diagnosis__project=project).exists()


@pytest.mark.charter("PRJ-2")
def test_the_api_signs_off_a_complete_diagnosis_and_refuses_an_incomplete_one(api, project, world):
    api.force_authenticate(world.constantine_editor)
    refused = api.post(reverse("api:diagnosis-sign-off", args=[project.pk]))
    assert refused.status_code == 400
    reasons = refused.json()["reasons"]
    # The same reasons as the page: the unmet conditions of "submit for decision" but the
    # sign-offs themselves.
    assert reasons == [
        "Le diagnostic n'est pas complet : la validation n'est pas encore possible.",
        *(str(c.label) for c in diagnosis_policies.sign_off_missing(project)),
    ]
    assert len(reasons) > 1
    assert not DiagnosisSignOff.objects.filter(diagnosis__project=project).exists()

    complete(project, world)
    signed = api.post(reverse("api:diagnosis-sign-off", args=[project.pk]))
    assert signed.status_code == 201 and signed.json()["organisation"] == "Wilaya de Constantine"
    detail = api.get(reverse("api:diagnosis-detail", args=[project.pk])).json()
    assert [s["organisation"] for s in detail["live_signoffs"]] == ["Wilaya de Constantine"]


def test_refusals_carry_the_reasons(api, project, world):
    api.force_authenticate(world.officer)
    response = api.post(
        reverse("api:diagnosis-cell-list"),
        cell_payload(project, direction="NEGATIVE", magnitude=None, justification=""),
        format="json",
    )
    assert response.status_code == 400
    assert "Justifiez le sens de l'effet indiqué." in response.json()["reasons"]


def test_readers_cannot_write_and_outsiders_cannot_see(api, project, world):
    services.add_need(
        project=project, by=world.officer, side="HOST", title="Formation",
        population_concerned="Agents", evidence="Entretiens.",
    )  # fmt: skip
    api.force_authenticate(world.constantine_reader)
    assert len(api.get(reverse("api:diagnosis-need-list")).json()["results"]) == 1
    assert (
        api.post(
            reverse("api:diagnosis-cell-list"), cell_payload(project), format="json"
        ).status_code
        == 403
    )
    assert api.post(reverse("api:diagnosis-sign-off", args=[project.pk])).status_code == 403

    api.force_authenticate(world.bethlehem_editor)
    assert api.get(reverse("api:diagnosis-need-list")).json()["results"] == []
    assert api.get(reverse("api:diagnosis-detail", args=[project.pk])).status_code == 404
    assert (
        api.post(
            reverse("api:diagnosis-cell-list"), cell_payload(project), format="json"
        ).status_code
        == 404
    )
    need = Need.objects.get()
    assert api.delete(reverse("api:diagnosis-need-detail", args=[need.pk])).status_code == 404
    assert not ImpactCell.objects.exists()


def test_lists_filter_by_project(api, project, world):
    other = services.add_need
    other(
        project=project,
        by=world.officer,
        side="HOST",
        title="A",
        population_concerned="p",
        evidence="e",
    )
    api.force_authenticate(world.officer)
    assert (
        len(api.get(reverse("api:diagnosis-need-list"), {"project": project.pk}).json()["results"])
        == 1
    )
    assert (
        api.get(reverse("api:diagnosis-need-list"), {"project": project.pk + 1}).json()["results"]
        == []
    )
    assert api.get(reverse("api:diagnosis-need-list"), {"project": "x"}).status_code == 400


@pytest.mark.charter("PRJ-14")
def test_commitments_through_the_api(api, project, world, reference):
    from reciproca.charter import engine

    project_services.set_project_tags(
        project=project, by=world.officer, themes=engine.themes().filter(code="desertification")
    )
    api.force_authenticate(world.constantine_editor)
    url = reverse("api:diagnosis-commitments", args=[project.pk])
    read = api.get(url)
    suggestions = read.json()["suggestions"]
    assert "8" in suggestions["policy_markers"]
    wrong = api.post(url, {"markers": [{"marker": "1", "significance": "3"}]}, format="json")
    assert wrong.status_code == 400
    assert (
        "Le niveau 3 n'est admis que pour le marqueur « désertification » (8)"
        in wrong.json()["detail"]
    )
    ok = api.post(
        url,
        {
            "sdg_targets": ["15.3"],
            "purpose_codes": ["31130"],
            "markers": [{"marker": "8", "significance": "3"}],
        },
        format="json",
        HTTP_IF_MATCH=read["ETag"],  # the project's revision, for the project's tags
    )
    assert ok.status_code == 200
    assert api.get(url).json()["confirmed"] == {
        "sdg_targets": ["15.3"],
        "purpose_codes": ["31130"],
        "markers": [{"marker": "8", "significance": "3"}],
    }


def test_versions_signoffs_and_conformity(api, completed, world):
    services.sign_off_diagnosis(project=completed, by=world.constantine_editor)
    services.set_reversibility_statement(project=completed, by=world.officer, text="Changé.")
    api.force_authenticate(world.constantine_editor)
    versions = api.get(reverse("api:diagnosis-version-list"), {"project": completed.pk}).json()[
        "results"
    ]
    assert [v["number"] for v in versions] == [1, 2]
    assert (
        versions[0]["snapshot"]["reversibility_statement"]
        == "Chaque tranche de travaux est indépendante."
    )
    signoffs = api.get(reverse("api:diagnosis-signoff-list")).json()["results"]
    assert signoffs[0]["withdrawn_reason"].startswith(
        "la modification de l'énoncé de réversibilité"
    )
    report = api.get(reverse("api:diagnosis-conformity", args=[completed.pk])).json()
    prj2 = next(c for c in report["clauses"] if c["code"] == "PRJ-2")
    assert prj2["status"] == "UNMET"
    assert prj2["conditions"][0]["evidence"].startswith("http://testserver/diagnostic/")
    withdraw = api.post(
        reverse("api:diagnosis-withdraw-sign-off", args=[completed.pk]),
        {"reason": "x"},
        format="json",
    )
    assert withdraw.status_code == 400  # nothing live to withdraw any more
    assert DiagnosisSignOff.objects.filter(withdrawn_at__isnull=True).count() == 0
    assert Diagnosis.objects.get(project=completed).version == 2
