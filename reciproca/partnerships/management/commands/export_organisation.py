"""`reciproca export_organisation ORGANISATION FILE`: one organisation's data, in open formats
(CSV and JSON per table, its documents), in one zip file (`partnerships/export.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from reciproca.partnerships.export import export_organisation
from reciproca.partnerships.models import Organisation


class Command(BaseCommand):
    help = (
        "Exporte toutes les données d'une organisation (CSV et JSON par table, documents) "
        "dans un fichier zip."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="identifiant, nom ou nom court")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["organisation"]
        match = Q(name__iexact=key) | Q(short_name__iexact=key)
        if key.isdigit():
            match |= Q(pk=int(key))
        found = list(Organisation.objects.filter(match)[:2])
        if len(found) != 1:
            raise CommandError(
                f"« {key} » ne désigne aucune organisation."
                if not found
                else f"« {key} » désigne plusieurs organisations : donnez son identifiant."
            )
        target: Path = options["file"]
        if not target.parent.is_dir():
            raise CommandError(f"Le dossier {target.parent} n'existe pas.")
        summary = export_organisation(found[0], target)
        self.stdout.write(
            f"{target} : {summary.rows} lignes de {len(summary.models)} tables, "
            f"{summary.documents} documents ({found[0].name})."
        )
