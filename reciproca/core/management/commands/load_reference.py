"""`reciproca load_reference`: load the official codelists, the countries and the partner
territories; safe to run again after an update of the data files.

The loaders are those the apps register (`reciproca.core.loading`), in one transaction."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from reciproca.core.loading import DataFileError, LoadResult, reference_loaders


def describe(result: LoadResult) -> str:
    """One report line: "Cibles ODD : 169", then what changed and how many are withdrawn."""
    details = []
    if result.created:
        details.append(f"ajouts : {result.created}")
    if result.updated:
        details.append(f"modifications : {result.updated}")
    if result.active != result.total:
        details.append(f"hors vigueur : {result.total - result.active}")
    return f"{result}" + (f" ({', '.join(details)})" if details else "")


class Command(BaseCommand):
    help = (
        "Charge les listes de codes officielles (IATI 2.03, ODD), les pays (ISO 3166-1) et les "
        "territoires partenaires. Peut être relancée : une deuxième exécution ne change rien."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        for loader in reference_loaders():
            if loader.add_arguments is not None:
                loader.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        results: list[LoadResult] = []
        warnings: list[str] = []
        try:
            with transaction.atomic():
                for loader in reference_loaders():
                    loaded = loader.load(options)
                    results.extend(loaded.results)
                    warnings.extend(loaded.warnings)
        except (DataFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            self.stdout.write(describe(result))
        for warning in warnings:
            self.stderr.write(self.style.WARNING(f"Attention : {warning}"))
        elapsed = time.perf_counter() - started
        seconds = f"{elapsed:.1f}".replace(".", ",")
        self.stdout.write(self.style.SUCCESS(f"Données de référence chargées en {seconds} s."))
