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


def test_the_schema_is_generated_once_per_language(world, client, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    from reciproca.api import schema

    schema.forget_generated_schemas()
    generated = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        generated.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    json = "application/vnd.oai.openapi+json"
    first = client.get("/api/v1/schema/", HTTP_ACCEPT=json).json()
    again = client.get("/api/v1/schema/", HTTP_ACCEPT=json).json()
    assert again == first
    assert len(generated) == 1
    yaml_text = client.get("/api/v1/schema/").content.decode()
    assert yaml.safe_load(yaml_text) == first  # another format, the same schema
    assert len(generated) == 1
    client.get("/api/v1/schema/", HTTP_ACCEPT=json, HTTP_ACCEPT_LANGUAGE="en")
    assert len(generated) == 2
