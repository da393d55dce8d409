"""What the finance app adds to the pages of the apps below it (the partnership page's links
to its reciprocity ledger, partner revenue and atlas sheet)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from reciproca.partnerships import pages
from reciproca.partnerships.models import Partnership


def partnership_links(user: Any, partnership: Partnership) -> dict[str, Any]:
    return {"finance_url": reverse("finance:partnership", args=[partnership.pk])}


def register() -> None:
    pages.register_detail_context(partnership_links)
