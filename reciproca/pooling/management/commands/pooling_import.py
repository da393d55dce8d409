"""`reciproca pooling_import PATH…`: IATI activity files, folders, zip or tar.xz archives into
the pooling index; `--csv` for a list of other French authorities' projects."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciproca.core.exceptions import DomainError
from reciproca.pooling import services
from reciproca.pooling.ingest import FileResult


class Command(BaseCommand):
    help = (
        "Importe des fichiers d'activités IATI (1.0x à 2.03 ; fichiers, dossiers, archives zip "
        "ou tar.xz) dans l'index de mutualisation. Réimporter un fichier remplace ses activités. "
        "Avec --csv : une liste de projets d'autres collectivités (colonnes documentées dans "
        "docs/pooling.md), tout ou rien."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--csv", action="store_true", help="liste CSV de projets")
        parser.add_argument("--quiet", action="store_true", help="sans le détail par fichier")
        parser.add_argument(
            "--serial",
            action="store_true",
            help="lire et écrire dans le même processus (par défaut : un processus lit "
            "pendant que l'autre écrit)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["paths"]
        quiet = options["quiet"]
        started = time.perf_counter()
        if options["csv"]:
            from reciproca.pooling import csv_import

            for path in paths:
                try:
                    report = csv_import.import_csv_file(path=path, by=None)
                except csv_import.CsvRefused as refused:
                    for error in refused.errors:
                        self.stderr.write(str(error))
                    raise CommandError(
                        f"{path.name} : refusé, rien n'est importé ({len(refused.errors)} erreurs)"
                    ) from refused
                self.stdout.write(f"{path.name} : {report.activities} projets importés")
            return

        def progress(result: FileResult) -> None:
            if quiet:
                return
            line = f"{result.key} : {result.activities} activités"
            if result.quarantined:
                line += f", {result.quarantined} en quarantaine"
            if result.error:
                line += f" — {result.error}"
            (self.stderr if result.refused else self.stdout).write(line)

        try:
            _run, result = services.import_iati(
                paths=paths, by=None, progress=progress, parallel=not options["serial"]
            )
        except DomainError as error:
            raise CommandError("; ".join(error.reasons)) from error
        elapsed = time.perf_counter() - started
        refused_files = [f for f in result.files if f.refused]
        self.stdout.write(
            f"{len(result.files)} fichiers, {result.activities} activités indexées, "
            f"{result.quarantined} en quarantaine, {len(refused_files)} fichiers refusés "
            f"({result.bytes / 1e6:.1f} Mo en {elapsed:.1f} s)"
        )
