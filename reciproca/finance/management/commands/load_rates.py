"""`reciproca load_rates FILE.csv`: load dated exchange rates (`currency,date,rate,source`) and
the fixed parities, all or nothing; a rate already known with another value refuses the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciproca.core.exceptions import DomainError
from reciproca.finance import services

MAX_BYTES = 2 * 2**20


class Command(BaseCommand):
    help = (
        "Charge des taux de change datés (CSV : currency,date,rate,source) et les parités fixes ; "
        "tout ou rien."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} : fichier introuvable")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path} : fichier de plus de 2 Mo")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} : le fichier n'est pas en UTF-8") from exc
        try:
            result = services.load_rates(by=None, text=text, origin=path.name)
        except DomainError as error:
            raise CommandError("\n".join(error.reasons)) from error
        self.stdout.write(
            f"{result['created']} taux chargés, {result['skipped']} déjà connus ({path.name})."
        )
