"""`reciproca restore FILE [--replace]`: load a backup into this (migrated) database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciproca.core import backup
from reciproca.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Restaure une sauvegarde dans cette base (migrée, vide, ou --replace pour la vider)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="vider d'abord cette base de ses données"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup.restore(options["file"], replace=options["replace"])
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{options['file']}: {summary.objects} objects, {summary.documents} documents restored"
        )
