"""The results API: scoped lists, the same services and refusals as the pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from reciproca.results.tests.conftest import build_framework


@pytest.fixture
def parts(project, world):
    return build_framework(project, world)


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.charter("PRJ-8")
def test_report_review_and_lock_through_the_api(project, world, parts):
    karim, alice = _client(world.constantine_editor), _client(world.officer)
    period = parts["periods"][0]
    bad = karim.post(
        "/api/v1/results-values/",
        {
            "indicator": parts["people"].pk,
            "period": period.pk,
            "value": "10",
            "breakdown": {"F|15-24": "3"},
        },
        format="json",
    )
    assert bad.status_code == 400 and "différence : -7" in " ".join(bad.json()["reasons"])
    ok = karim.post(
        "/api/v1/results-values/",
        {
            "indicator": parts["people"].pk,
            "period": period.pk,
            "value": "10",
            "breakdown": {"F|15-24": "10"},
        },
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    karim.post(
        "/api/v1/results-values/",
        {"indicator": parts["governance"].pk, "period": period.pk, "narrative": "ok"},
        format="json",
    )
    assert karim.post(f"/api/v1/results-periods/{period.pk}/submit/").json()["state"] == "SUBMITTED"
    assert karim.post(f"/api/v1/results-periods/{period.pk}/approve/").status_code == 403
    assert (
        alice.post(
            f"/api/v1/results-periods/{period.pk}/return/", {"reason": ""}, format="json"
        ).status_code
        == 400
    )
    assert alice.post(f"/api/v1/results-periods/{period.pk}/approve/").json()["state"] == "APPROVED"
    locked = karim.post(
        "/api/v1/results-values/",
        {
            "indicator": parts["people"].pk,
            "period": period.pk,
            "value": "11",
            "breakdown": {"F|15-24": "11"},
        },
        format="json",
    )
    assert locked.status_code == 409


def test_lists_are_scoped(project, world, parts):
    assert (
        len(
            _client(world.constantine_reader)
            .get(f"/api/v1/results-indicators/?project={project.pk}")
            .json()["results"]
        )
        == 2
    )
    assert (
        _client(world.bethlehem_editor).get("/api/v1/results-indicators/").json()["results"] == []
    )
    # Another partnership's indicator is, for Layla, an id that does not exist: refused as such
    # (the same answer as for an id no one has), nothing written.
    refused = _client(world.bethlehem_editor).post(
        "/api/v1/results-values/",
        {"indicator": parts["people"].pk, "period": parts["periods"][0].pk, "value": "1"},
        format="json",
    )
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"indicator", "period"}
