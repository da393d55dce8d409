"""In-kind contributions: the department's staff time (PRE-4) and skills sponsorship (PRE-5),
valued and counted as co-funding where the call allows it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from reciproca.core.exceptions import DomainError
from reciproca.finance import plan as plans
from reciproca.finance import services
from reciproca.finance.money import Money
from reciproca.partnerships.models import Organisation
from reciproca.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(db: Any) -> Organisation:
    return Organisation.objects.create(
        name="Hydro Alpes SAS", short_name="Hydro Alpes", kind=Organisation.Kind.COMPANY
    )


@pytest.mark.charter("PRE-4")
def test_staff_time_is_valued_and_counted_as_the_departments_contribution(
    world: Any, project: Project, rates: None
) -> None:
    services.set_funding_plan(project=project, by=world.officer, rates_date=date(2025, 1, 15))
    row = services.record_staff_time(
        project=project,
        by=world.officer,
        staff_member="Claire Martin",
        service=world.service,
        skills="ingénierie de l'eau potable",
        mission="mission Constantine",
        year=2025,
        days=12,
        daily_rate=Decimal("350"),
    )
    assert plans.staff_value(row) == Money(Decimal("4200.0"), "EUR")
    line = next(line for line in plans.funding_plan(project).lines if "Claire Martin" in line.label)
    assert line.counted and line.in_kind and line.side == "FRENCH"
    assert line.eur == Money(Decimal("4200.0"), "EUR")


@pytest.mark.charter("PRE-4")
def test_staff_time_needs_the_member_and_the_skills(world: Any, project: Project) -> None:
    with pytest.raises(DomainError):
        services.record_staff_time(
            project=project,
            by=world.officer,
            staff_member="",
            skills="",
            year=2025,
            days=1,
            daily_rate=100,
        )


@pytest.mark.charter("PRE-5")
def test_skills_sponsorship_is_capped_per_employee_by_cgi_238_bis(
    world: Any, project: Project, company: Organisation
) -> None:
    small = services.record_sponsorship(
        project=project,
        by=world.officer,
        company=company,
        employee="Paul Durand",
        start_date=date(2025, 3, 3),
        end_date=date(2025, 3, 14),
        days=5,
        daily_cost=Decimal("600"),
        receipt_number="RF-2025-014",
    )
    value = plans.sponsorship_value(small)
    assert value.value == Money(Decimal("3000.0"), "EUR") and not value.capped
    assert value.tax_reduction == Money(Decimal("1800.00"), "EUR")
    big = services.record_sponsorship(
        project=project,
        by=world.officer,
        company=company,
        employee="Inès Roux",
        start_date=date(2025, 4, 1),
        end_date=date(2025, 4, 30),
        days=20,
        daily_cost=Decimal("900"),
    )
    capped = plans.sponsorship_value(big)
    # 3 × the 2025 monthly ceiling (3 925 €) for one month: 11 775 €, not 18 000 €.
    assert capped.capped and capped.value == Money(Decimal("11775"), "EUR")
    assert capped.at_cost == Money(Decimal("18000.0"), "EUR")


@pytest.mark.charter("PRE-5")
def test_skills_sponsorship_comes_from_a_company(world: Any, project: Project) -> None:
    with pytest.raises(DomainError, match="entreprise"):
        services.record_sponsorship(
            project=project,
            by=world.officer,
            company=world.constantine,
            employee="X",
            start_date=date(2025, 1, 1),
            end_date=date(2025, 1, 2),
            days=1,
            daily_cost=1,
        )


@pytest.mark.charter("PRE-5")
def test_in_kind_counts_only_where_the_calls_rules_allow_it(
    world: Any, armenia: Any, rates: None, company: Organisation
) -> None:
    from reciproca.finance.tests.conftest import make_project

    project = make_project(world, armenia)
    services.set_funding_plan(project=project, by=world.officer, rates_date=date(2025, 1, 15))
    services.record_sponsorship(
        project=project,
        by=world.officer,
        company=company,
        employee="Paul Durand",
        start_date=date(2025, 3, 3),
        end_date=date(2025, 3, 14),
        days=5,
        daily_cost=600,
    )
    services.add_funding_source(
        project=project,
        by=world.officer,
        kind="PARTNER_AUTHORITY",
        label="Marz (en nature)",
        amount=412_000,
        currency="AMD",
        in_kind=True,
    )
    # The general call counts skills sponsorship but not the partner's in-kind contribution.
    services.add_funding_source(
        project=project,
        by=world.officer,
        kind="MINISTRY_CALL",
        label="DAECT",
        amount=5000,
        call="daect-general-2024",
    )
    lines = {line.label: line for line in plans.funding_plan(project).lines}
    assert lines["Marz (en nature)"].counted is False
    assert lines["Mécénat de compétences : Hydro Alpes, Paul Durand"].counted is True
    # FICOL does not count skills sponsorship, but counts the partner's in-kind.
    services.add_funding_source(
        project=project,
        by=world.officer,
        kind="AFD_FICOL",
        label="AFD",
        amount=300_000,
        call="afd-ficol-2024",
    )
    lines = {line.label: line for line in plans.funding_plan(project).lines}
    assert lines["Mécénat de compétences : Hydro Alpes, Paul Durand"].counted is False
