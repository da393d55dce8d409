"""`reciproca backup FILE`: every object and document of this instance in one zip file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reciproca.core import backup


class Command(BaseCommand):
    help = "Sauvegarde toute l'instance (objets et documents) dans un fichier zip."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        summary = backup.backup(options["file"])
        self.stdout.write(
            f"{options['file']}: {summary.objects} objects, {summary.documents} documents"
        )
