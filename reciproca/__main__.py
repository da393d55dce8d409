"""The `reciproca` console script: Django's management commands with Reciproca's settings.

`reciproca charter load FILE`, `reciproca charter show`, `reciproca charter coverage`,
`reciproca load_reference`, `reciproca load_demo`, and every Django command.

A command run against a database that is not migrated (a fresh checkout, another
`DATABASE_URL`) says which database it read and what to run, instead of a traceback.
"""

from __future__ import annotations

import os
import sys

# Commands that create or inspect the schema themselves, or do not read the database.
_SCHEMA_COMMANDS = {
    "migrate",
    "makemigrations",
    "showmigrations",
    "sqlmigrate",
    "squashmigrations",
    "check",
    "shell",
    "dbshell",
    "help",
    "version",
    "makemessages",
    "compilemessages",
    "collectstatic",
    "test",
    "runserver",
    "spectacular",
}
# Sub-commands that read only files: the charter's reference and its traceability from the tests.
_FILE_SUBCOMMANDS = {("charter", "docs"), ("charter", "coverage")}


def unmigrated_message() -> str | None:
    """What to run when the default database lacks migrations; None when it is up to date
    (or cannot be reached: Django's own error says why)."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return None
    if not plan:
        return None
    name = connection.settings_dict.get("NAME")
    from django.utils.translation import ngettext

    return ngettext(
        "La base de données %(name)s n'est pas à jour (%(count)d migration à appliquer). "
        "Lancez d'abord « reciproca migrate » (ou « make demo » pour la démonstration), "
        "puis relancez cette commande.",
        "La base de données %(name)s n'est pas à jour (%(count)d migrations à appliquer). "
        "Lancez d'abord « reciproca migrate » (ou « make demo » pour la démonstration), "
        "puis relancez cette commande.",
        len(plan),
    ) % {"name": name, "count": len(plan)}


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    argv = list(argv if argv is not None else sys.argv)
    command = argv[1] if len(argv) > 1 else "help"
    subcommand = (command, argv[2]) if len(argv) > 2 else (command, "")
    if command in _SCHEMA_COMMANDS or command.startswith("-") or subcommand in _FILE_SUBCOMMANDS:
        execute_from_command_line(argv)
        return 0
    import django
    from django.db import DatabaseError

    django.setup()
    if message := unmigrated_message():
        sys.stderr.write(message + "\n")
        return 2
    try:
        execute_from_command_line(argv)
    except DatabaseError:
        # A table missing although the migrations are applied: say so, then show the error.
        if message := unmigrated_message():
            sys.stderr.write(message + "\n")
            return 2
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
