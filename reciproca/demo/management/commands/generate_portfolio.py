"""`reciproca generate_portfolio --scale N`: a portfolio N times Isère's demo (about 100 × N
projects), the demo built through the services then copied in bulk (`demo.portfolio`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciproca.demo.portfolio import PortfolioRefused, generate


class Command(BaseCommand):
    help = (
        "Génère un portefeuille N fois celui de la démonstration de l'Isère (environ 100 × N "
        "projets) dans une base vide ou ne contenant que la démonstration."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, required=True, help="N : environ 100 × N projets (0.2, 1, 100…)"
        )
        parser.add_argument(
            "--seed", type=int, default=11, help="graine du générateur (par défaut 11)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] <= 0:
            raise CommandError("--scale doit être positif.")
        try:
            written = generate(scale=options["scale"], seed=options["seed"], log=self.stdout.write)
        except (PortfolioRefused, RuntimeError, LookupError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{sum(written.values())} lignes écrites en copie."))
