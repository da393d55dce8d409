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
        rows = []
        for grant in grants:
            scoped = grant.organisation or grant.partnership or grant.project
            org = grant.user.organisation.display_name if grant.user.organisation else "—"
            rows.append((grant.user.username, str(grant.get_role_display()), org, str(scoped)))
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
        widths = [max((len(row[i]) for row in rows), default=0) for i in range(3)]
        for username, role, org, scope in rows:
            self.stdout.write(
                f"  {username:<{widths[0]}}  {role:<{widths[1]}}  {org:<{widths[2]}}  {scope}"
            )
