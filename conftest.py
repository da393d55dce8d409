"""Test-wide set-up: French first, plain static files, browser tests allowed to use the ORM."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _french_and_plain_static(settings):  # type: ignore[no-untyped-def]
    from django.utils import translation

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Tests create many users; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WHITENOISE_USE_FINDERS = True
    # WhiteNoise warns when STATIC_ROOT does not exist; tests serve from the finders instead.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    settings.WHITENOISE_AUTOREFRESH = True
    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    """The department, Constantine and Bethlehem, their partnerships and one user per role."""
    from reciproca.core.testing import make_world

    return make_world()
