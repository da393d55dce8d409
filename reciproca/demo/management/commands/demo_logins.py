"""`reciproca demo_logins`: print the demonstration accounts, one per role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reciproca.accounts.models import RoleGrant
from reciproca.demo.loader import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Affiche les comptes de démonstration."

    def handle(self, *args: Any, **options: Any) -> None:
        grants = (
            RoleGrant.objects.filter(user__email__endswith="@demo.reciproca.invalid")
            .select_related("user__organisation", "organisation", "partnership", "project")
            .order_by("user__id")
        )
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
        for grant in grants:
            scope = grant.organisation or grant.partnership or grant.project
            org = grant.user.organisation.display_name if grant.user.organisation else "—"
            self.stdout.write(
                f"  {grant.user.username:<16} {grant.get_role_display():<30} {org:<22} {scope}"
            )
