"""Schemathesis against the API's own OpenAPI schema: for every operation, generated requests
(bounded) as a signed-in officer never get a server error, nor a response its schema does not
allow."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application()).exclude(
    # Revoking or rotating the token would sign the rest of the run out.
    path_regex=r"^/api/v1/auth/token/"
)


@pytest.fixture(autouse=True)
def _one_connection_per_test():
    """Django closes the database connection at the end of every request; the test runs in
    one transaction on that connection (PostgreSQL would lose it): as Django's test client
    does, keep it open while the requests run."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(world):
    return Token.objects.get_or_create(user=world.officer)[0].key


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=3,
    phases=[Phase.generate],
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much],
)  # fmt: skip
def test_no_operation_answers_a_server_error_or_breaks_its_schema(case, token):
    # Whether a business rule refuses a schema-valid body (or takes a loose one) is the
    # services' tests' business: here, no 5xx and every answer as the schema documents it.
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[
            not_a_server_error, status_code_conformance, content_type_conformance,
            response_schema_conformance,
        ],
    )  # fmt: skip
