"""The Isère demo for the tests that read it, built once per test process (per xdist worker).

`reciproca load_demo` goes through the real services and takes seconds; several modules read
the demo. The first of them in a process builds it through the loaders, as `make demo` does, and
keeps a copy of the test database with the demo. Each demo module copies the database as it
finds it (the session data: reference data and charter), starts from the demo copy and, once
done, gives the next modules the database as it was back, so that no test sees the demo
unless it asks for it, and no module sees another's writes:

- SQLite (an in-memory test database): the copies are in-memory databases filled and restored
  with SQLite's backup API (milliseconds).
- PostgreSQL: the copies are databases (`<test database>_base`, `<test database>_demo`); the
  test database is dropped and created again from one of them (`CREATE DATABASE … TEMPLATE`),
  and the copies are dropped at the end of the session.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

_copies: dict[str, Any] = {}


def _sqlite_copy(previous: sqlite3.Connection | None) -> sqlite3.Connection:
    if previous is not None:
        previous.close()
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    return copy


def _sqlite_restore(copy: sqlite3.Connection) -> None:
    connection.ensure_connection()
    copy.backup(connection.connection)


def _pg_name(suffix: str) -> str:
    return f"{connection.settings_dict['NAME']}_{suffix}"


def _pg_admin(*statements: str) -> None:
    """Statements run from the maintenance database, with no session on the test database."""
    from django.db import connections

    connections.close_all()
    with connection._nodb_cursor() as cursor:
        # A live server's thread may still hold a connection to the test database.
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"]],
        )
        for statement in statements:
            cursor.execute(statement)


def _pg_copy(suffix: str) -> str:
    name = _pg_name(suffix)
    source = connection.ops.quote_name(connection.settings_dict["NAME"])
    _pg_admin(
        f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)",
        f"CREATE DATABASE {connection.ops.quote_name(name)} TEMPLATE {source}",
    )
    return name


def _pg_restore(name: str) -> None:
    test = connection.ops.quote_name(connection.settings_dict["NAME"])
    _pg_admin(
        f"DROP DATABASE {test} WITH (FORCE)",
        f"CREATE DATABASE {test} TEMPLATE {connection.ops.quote_name(name)}",
    )


def _copy(suffix: str) -> Any:
    if connection.vendor == "sqlite":
        return _sqlite_copy(_copies.get(suffix))
    if connection.vendor == "postgresql":
        return _pg_copy(suffix)
    raise NotImplementedError(connection.vendor)


def _restore(copy: Any) -> None:
    from django.contrib.contenttypes.models import ContentType

    if connection.vendor == "sqlite":
        _sqlite_restore(copy)
    else:
        _pg_restore(copy)
    # The content types are cached per process by id; a flush since the copy (a transactional
    # test's) gave them other ids than the copy's.
    ContentType.objects.clear_cache()


def build_demo() -> None:
    """As `make demo-data` after `migrate`: reference data, the default charter, the demo."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    from reciproca.charter.loader import load_charter

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("load_reference", verbosity=0, stdout=io.StringIO())
        load_charter(path=settings.RECIPROCA_CHARTER_FILE)
        call_command("load_demo", verbosity=0, stdout=io.StringIO())


@contextmanager
def demo_loaded() -> Iterator[None]:
    """The test database holds the demo inside the block, and its state before after it."""
    _copies["base"] = _copy("base")
    if "demo" not in _copies:
        build_demo()
        _copies["demo"] = _copy("demo")
    else:
        _restore(_copies["demo"])
    try:
        yield
    finally:
        _restore(_copies["base"])


def drop_copies() -> None:
    """At the end of the session (before the test database is destroyed)."""
    copies = dict(_copies)
    _copies.clear()
    for copy in copies.values():
        if isinstance(copy, sqlite3.Connection):
            copy.close()
        else:
            _pg_admin(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(copy)} WITH (FORCE)")
