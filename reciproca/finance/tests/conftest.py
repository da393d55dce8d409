"""Fixtures of the finance tests: rates for a year, partnerships with Armenia and Senegal, and a
project per partnership with its dates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reciproca.finance import services
from reciproca.partnerships.models import Organisation, Partnership
from reciproca.projects import services as project_services
from reciproca.projects.models import Project
from reciproca.territories.models import Territory
from reciproca.testing.personas import _territory

RATES_2025 = """currency,date,rate,source
DZD,2025-01-02,140.50,Banque d'Algérie
DZD,2025-02-03,141.00,Banque d'Algérie
DZD,2025-03-03,142.25,Banque d'Algérie
AMD,2025-01-02,412.00,Banque centrale d'Arménie
AMD,2025-02-03,410.50,Banque centrale d'Arménie
MAD,2025-01-02,10.50,Bank Al-Maghrib
ILS,2025-01-02,3.80,Banque d'Israël
JOD,2025-01-02,0.7350,Banque centrale de Jordanie
USD,2025-01-02,1.0350,BCE
"""


@pytest.fixture
def rates(world: Any) -> None:
    services.load_rates(by=world.officer, text=RATES_2025, origin="test")


def _partnership(world: Any, name: str, iso2: str, country: str, code: str) -> Partnership:
    territory = _territory(name, iso2, country, code, Territory.Kind.REGION)
    partner = Organisation.objects.create(
        name=name,
        short_name=name,
        kind=Organisation.Kind.PARTNER_AUTHORITY,
        territory=territory,
        country=territory.country,
    )
    return Partnership.objects.create(
        name=f"Isère – {name}",
        host=world.isere,
        partner=partner,
        territory=territory,
        since_date=date(2004, 1, 1),
    )


@pytest.fixture
def armenia(world: Any) -> Partnership:
    return _partnership(world, "Gegharkunik", "AM", "Arménie", "AM-GR")


@pytest.fixture
def senegal(world: Any) -> Partnership:
    return _partnership(world, "Kédougou", "SN", "Sénégal", "SN-KE")


def make_project(world: Any, partnership: Partnership, **kwargs: Any) -> Project:
    return project_services.create_project(
        partnership=partnership,
        by=world.officer,
        title=kwargs.pop("title", "Gestion de l'eau"),
        start_date=kwargs.pop("start_date", date(2025, 1, 1)),
        end_date=kwargs.pop("end_date", date(2026, 6, 30)),
        **kwargs,
    )


@pytest.fixture
def project(world: Any) -> Project:
    return make_project(world, world.constantine_partnership)
