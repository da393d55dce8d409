"""The OpenAPI schema generates without a warning and documents every resource."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/auth/token/",
    "/api/v1/me/",
    "/api/v1/projects/",
    "/api/v1/projects/{id}/",
    "/api/v1/projects/{id}/transition/",
    "/api/v1/projects/{id}/decision/",
    "/api/v1/projects/{id}/sign-off/",
    "/api/v1/projects/{id}/checklist/",
    "/api/v1/projects/{id}/timeline/",
    "/api/v1/partnerships/",
    "/api/v1/partnerships/{id}/",
    "/api/v1/programmes/",
    "/api/v1/programmes/{id}/",
    "/api/v1/organisations/",
    "/api/v1/organisations/{id}/",
}


def test_the_schema_validates_without_warnings_and_has_every_path(tmp_path):
    target = tmp_path / "schema.yaml"
    stderr = io.StringIO()
    # --fail-on-warn raises on the first warning or error, --validate checks OpenAPI 3.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=stderr
    )
    schema = yaml.safe_load(target.read_text())
    assert set(schema["paths"]) >= EXPECTED_PATHS
    transition = schema["paths"]["/api/v1/projects/{id}/transition/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(transition["responses"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_schema_is_served(world, client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/projects/{id}/checklist/" in response.json()["paths"]
