"""`reciproca load_demo`: build the Isère demonstration data in an empty database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reciproca.demo.loader import load_demo


class Command(BaseCommand):
    help = "Charge la démonstration de l'Isère (base vide, référentiels et charte chargés)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            logins = load_demo()
        except (RuntimeError, LookupError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Démonstration chargée : {len(logins)} comptes."))
