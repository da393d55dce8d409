"""The data every test starts with: the reference codelists, countries and partner territories
(`reciproca load_reference`), then the default charter (`settings.RECIPROCA_CHARTER_FILE`).

The plugin loads them once per test session into the test database, outside any test's
transaction, so a test's rollback keeps them. Reference data comes first: the charter names
SDG targets, purpose codes and markers that must exist.

Tests that need an empty state clear it inside their own transaction (`clear_charters`,
`clear_reference_data`, or the `no_charter` / `no_reference` fixtures).
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.conf import settings


def load_reference_data() -> None:
    """`reciproca load_reference`: codelists, countries, partner territories (idempotent)."""
    from django.core.management import call_command

    call_command("load_reference", stdout=StringIO(), stderr=StringIO())


def load_default_charter() -> None:
    from reciproca.charter.loader import load_charter

    load_charter(path=Path(settings.RECIPROCA_CHARTER_FILE))


def reference_data_loaded() -> bool:
    from reciproca.reference.models import SdgTarget
    from reciproca.territories.models import Country

    return SdgTarget.objects.exists() and Country.objects.exists()


def charter_loaded() -> bool:
    from reciproca.charter.models import Charter

    return Charter.objects.filter(is_active=True).exists()


def ensure_session_data() -> bool:
    """Load whatever is missing, reference data first; True if anything was loaded."""
    loaded = False
    if not reference_data_loaded():
        load_reference_data()
        loaded = True
    if not charter_loaded():
        load_default_charter()
        loaded = True
    return loaded


def clear_charters() -> None:
    """Delete every charter (with its clauses and themes): engine calls raise
    CharterNotLoaded until a test loads one."""
    from reciproca.charter.models import Charter

    Charter.objects.all().delete()


def clear_reference_data() -> None:
    """Empty the codelists and the territory tables (and the charters, which name codes)."""
    from reciproca.reference import models
    from reciproca.territories.models import Country, Territory, TerritorySuccession

    clear_charters()
    TerritorySuccession.objects.all().delete()
    Territory.objects.update(parent=None)
    Territory.objects.all().delete()
    Country.objects.all().delete()
    for model in (
        models.SdgTarget,
        models.SdgGoal,
        models.PurposeCode,
        models.PurposeCategory,
        models.PolicyMarker,
        models.PolicySignificance,
        models.OrganisationType,
        models.Currency,
        models.OrganisationRole,
    ):
        model.objects.all().delete()
