"""The pytest plugin of Reciproca's tests (registered by the root conftest.py).

- The test database is created once per session (per xdist worker) and the reference data
  and the default charter are loaded into it once, outside every test's transaction: each
  test starts with them and its rollback keeps them.
- A test that empties the database (`transaction=True`, `live_server`: pytest-django flushes
  after it; a module fixture calling `flush`) would leave the next tests without them: after
  each test, whatever is missing is loaded again (two `EXISTS` queries when nothing is).
- `no_charter` / `no_reference`: an empty charter table / empty reference tables for one test.
- `demo_database` (module) / `demo_db` (test): the Isère demo, built once per process.
- `world`: the personas of `reciproca.testing.personas`.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from reciproca.testing import demo_database as demo_copies
from reciproca.testing import session_data

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_BLOCKER = pytest.StashKey[Any]()
_RELOADS = pytest.StashKey[int]()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any, request: Any) -> Iterator[None]:
    """pytest-django's test databases, then the session data loaded into them once."""
    with django_db_blocker.unblock():
        session_data.ensure_session_data()
    request.config.stash[_BLOCKER] = django_db_blocker
    request.config.stash[_RELOADS] = 0
    yield
    with django_db_blocker.unblock():
        demo_copies.drop_copies()


@pytest.fixture(scope="module")
def demo_database(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The Isère demo in the test database for this module (built once per process, restored
    from a copy after: `reciproca.testing.demo_database`); the modules after it find the
    database as it was. Tests read it through `demo_db` (each in a rolled-back transaction)."""
    with django_db_blocker.unblock(), demo_copies.demo_loaded():
        yield


@pytest.fixture
def demo_db(demo_database: None, db: None) -> None:
    """The demo database; each test runs in a transaction rolled back after it."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    try:
        return (yield)
    finally:
        blocker = item.config.stash.get(_BLOCKER, None)
        # After the last test the databases are gone (nextitem is None).
        if blocker is not None and nextitem is not None:
            with blocker.unblock():
                if session_data.ensure_session_data():
                    item.config.stash[_RELOADS] += 1


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    reloads = config.stash.get(_RELOADS, 0)
    if reloads:
        terminalreporter.write_line(
            f"reference data and charter reloaded after a database flush: {reloads}"
        )


@pytest.fixture(autouse=True)
def _two_factor_only_where_asked(request: Any, settings: Any) -> None:
    """The personas sign in with a password only; tests marked `two_factor` turn the staff's
    two-factor rule on (it is on by default outside the tests)."""
    settings.RECIPROCA_STAFF_2FA = request.node.get_closest_marker("two_factor") is not None


@pytest.fixture(autouse=True)
def _french_and_plain_static(settings: Any) -> Generator[None]:
    """French first, plain static files, a fast password hasher."""
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
def world(db: None) -> Any:
    """The department, Constantine and Bethlehem, their partnerships and one user per role."""
    from reciproca.testing.personas import make_world

    return make_world()


@pytest.fixture
def no_charter(db: None) -> None:
    """No charter at all for this test (the engine raises CharterNotLoaded); rolled back."""
    session_data.clear_charters()


@pytest.fixture
def no_reference(db: None) -> None:
    """Empty codelists, countries and territories (and no charter) for this test; rolled
    back."""
    session_data.clear_reference_data()
