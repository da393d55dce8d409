"""API test helpers: a client signed in with a user's token, and projects made through the
projects services, as an officer would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

# The diagnosis fixtures (a project at the diagnosis stage, the codelists, a completed
# diagnosis) for the diagnosis API tests.
from reciproca.diagnosis.tests.conftest import completed, project, reference  # noqa: F401
from reciproca.projects import services
from reciproca.projects.models import Project


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Any:
    # The token endpoint's throttle counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for() -> Callable[[Any], APIClient]:
    """`client_for(user)`: a client sending that user's token, as an API client would."""

    def make(user: Any) -> APIClient:
        token, _ = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def make_project(world: Any) -> Callable[..., Project]:
    def make(partnership: Any = None, *, title: str = "Gestion de l'eau", **fields: Any) -> Project:
        return services.create_project(
            partnership=partnership or world.constantine_partnership,
            by=world.officer,
            title=title,
            **fields,
        )

    return make
