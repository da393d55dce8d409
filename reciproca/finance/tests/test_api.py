"""The finance API: scoped lists, writes through the services (same policies as the pages),
the computed funding plan with its warnings, French first."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rest_framework.test import APIClient

from reciproca.finance import services
from reciproca.finance.tests.conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_budget_lines_are_written_through_the_service_and_read_in_scope(
    world: Any, project: Any, api: APIClient
) -> None:
    api.force_authenticate(world.constantine_editor)
    created = api.post(
        "/api/v1/budget-lines/",
        {
            "project": project.pk,
            "year": 2025,
            "category": "MONITORING_EVALUATION",
            "amount": "1200.00",
            "currency": "DZD",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["category_label"] == "suivi et évaluation"
    api.force_authenticate(world.bethlehem_editor)
    assert api.get("/api/v1/budget-lines/").json()["count"] == 0
    refused = api.post(
        "/api/v1/budget-lines/",
        {
            "project": project.pk,
            "year": 2025,
            "category": "TRAINING",
            "amount": "1",
            "currency": "EUR",
        },
        format="json",
    )
    # Refused exactly like a project that does not exist.
    ghost = api.post(
        "/api/v1/budget-lines/",
        {
            "project": 999_999,
            "year": 2025,
            "category": "TRAINING",
            "amount": "1",
            "currency": "EUR",
        },
        format="json",
    )
    assert refused.status_code == ghost.status_code == 400
    assert refused.json()["reasons"] == [
        r.replace("999999", str(project.pk)) for r in ghost.json()["reasons"]
    ]
    api.force_authenticate(world.constantine_reader)
    assert api.get("/api/v1/budget-lines/").json()["count"] == 1
    refused = api.post(
        "/api/v1/budget-lines/",
        {
            "project": project.pk,
            "year": 2025,
            "category": "TRAINING",
            "amount": "1",
            "currency": "EUR",
        },
        format="json",
    )
    assert refused.status_code == 403


@pytest.mark.charter("PRE-5")
def test_the_funding_plan_resource_gives_the_warnings_with_their_source(
    world: Any, armenia: Any, rates: None, api: APIClient
) -> None:
    project = make_project(world, armenia)
    services.set_funding_plan(project=project, by=world.officer, rates_date=date(2025, 1, 15))
    services.set_budget_line(
        project=project,
        by=world.officer,
        year=2025,
        category="TRAINING",
        amount=10_000,
        currency="EUR",
    )
    api.force_authenticate(world.officer)
    response = api.post(
        "/api/v1/funding-sources/",
        {
            "project": project.pk,
            "kind": "MINISTRY_CALL",
            "label": "DAECT",
            "amount": "9000",
            "currency": "EUR",
            "status": "REQUESTED",
            "call": "daect-general-2024",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    bad = api.post(
        "/api/v1/funding-sources/",
        {
            "project": project.pk,
            "kind": "EU",
            "label": "UE",
            "amount": "1",
            "currency": "EUR",
            "status": "PLANNED",
            "call": "appel-imaginaire-2030",
        },
        format="json",
    )
    assert bad.status_code == 400 and "appel-imaginaire-2030" in bad.json()["detail"]
    source_id = response.json()["id"]
    moved = api.post(
        f"/api/v1/funding-sources/{source_id}/status/",
        {"status": "GRANTED"},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert moved.status_code == 200 and moved.json()["status_label"] == "accordé"
    api.force_authenticate(world.constantine_reader)
    refused = api.post(
        f"/api/v1/funding-sources/{source_id}/status/", {"status": "PLANNED"}, format="json"
    )
    assert refused.status_code == 404  # another partnership's project: not even visible
    api.force_authenticate(world.officer)
    plan = api.get(f"/api/v1/funding-plans/{project.pk}/").json()
    assert plan["budget_total"] == "10000.00" and plan["rates_date"] == "2025-01-15"
    rules = {w["rule"] for w in plan["warnings"]}
    assert "plafond-cofinancement" in rules
    assert all(w["source"] for w in plan["warnings"])


@pytest.mark.charter("PRI-3", "OBJ-1")
def test_exchanges_are_recorded_with_participants_and_objectives(
    world: Any, api: APIClient
) -> None:
    api.force_authenticate(world.constantine_editor)
    response = api.post(
        "/api/v1/exchanges/",
        {
            "partnership": world.constantine_partnership.pk,
            "kind": "TRAINING",
            "direction": "TO_PARTNER",
            "title": "Formation",
            "start_date": "2025-04-07",
            "end_date": "2025-04-08",
            "competences": "finances locales",
            "benefits_partner": "agents formés",
            "benefits_host": "pratiques comparées",
            "objectives": ["OBJ-1"],
            "participants": [{"sex": "F", "age_band": "30_59", "count": 4}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    listed = api.get("/api/v1/exchanges/").json()
    assert listed["count"] == 1 and listed["results"][0]["participants"][0]["count"] == 4
    api.force_authenticate(world.outsider)
    assert api.get("/api/v1/exchanges/").json()["count"] == 0


@pytest.mark.charter("PRJ-11")
def test_funding_searches_through_the_api(world: Any, api: APIClient) -> None:
    api.force_authenticate(world.constantine_editor)
    response = api.post(
        "/api/v1/funding-searches/",
        {
            "partnership": world.constantine_partnership.pk,
            "organisation": world.constantine.pk,
            "date": "2025-03-01",
            "funder": "Banque mondiale",
            "amount": "50000",
            "currency": "USD",
            "outcome": "SUBMITTED",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["outcome_label"] == "déposée"
    api.force_authenticate(world.bethlehem_editor)
    assert api.get("/api/v1/funding-searches/").json()["count"] == 0


def test_a_closed_projects_budget_is_frozen(world: Any, project: Any, api: APIClient) -> None:
    from reciproca.projects.models import Project, Stage

    Project.objects.filter(pk=project.pk).update(stage=Stage.CLOSED)
    api.force_authenticate(world.officer)
    response = api.post(
        "/api/v1/budget-lines/",
        {
            "project": project.pk,
            "year": 2025,
            "category": "TRAINING",
            "amount": "1",
            "currency": "EUR",
        },
        format="json",
    )
    assert response.status_code == 409 and "clos" in response.json()["detail"]


def test_only_officers_enter_rates(world: Any, api: APIClient) -> None:
    api.force_authenticate(world.constantine_editor)
    body = {"currency": "DZD", "date": "2025-01-02", "rate": "140.5", "source": "BA"}
    assert api.post("/api/v1/exchange-rates/", body, format="json").status_code == 403
    api.force_authenticate(world.officer)
    assert api.post("/api/v1/exchange-rates/", body, format="json").status_code == 201
