"""The reciprocity ledger (PRI-3, FND-1, OBJ-1, OBJ-3) and the partners' revenue (PRJ-11)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.finance import queries, services
from reciproca.finance.models import Exchange, FundingSearch, PartnerRevenue

pytestmark = pytest.mark.django_db


def _exchange(world: Any, direction: str, **kwargs: Any) -> Exchange:
    values: dict[str, Any] = {
        "partnership": world.constantine_partnership,
        "by": world.constantine_editor,
        "kind": Exchange.Kind.MISSION,
        "direction": direction,
        "title": "Mission eau potable",
        "start_date": date(2025, 5, 12),
        "end_date": date(2025, 5, 16),
        "competences": "gestion des réseaux d'eau",
        "benefits_partner": "diagnostic du réseau",
        "benefits_host": "retour d'expérience sur les réseaux en zone aride",
        "objectives": ["OBJ-1"],
        "participants": {("F", "30_59"): 2, ("M", "18_29"): 1},
    }
    values.update(kwargs)
    return services.record_exchange(**values)


@pytest.mark.charter("PRI-3", "FND-1")
def test_the_ledger_records_both_directions_and_balances_them_per_year(world: Any) -> None:
    _exchange(world, Exchange.Direction.TO_PARTNER)
    _exchange(
        world,
        Exchange.Direction.TO_HOST,
        kind=Exchange.Kind.DELEGATION,
        title="Délégation de Constantine à Grenoble",
        participants={("F", "30_59"): 3, ("M", "60P"): 2},
    )
    _exchange(
        world, Exchange.Direction.TO_HOST, start_date=date(2026, 2, 1), end_date=date(2026, 2, 3)
    )
    balance = queries.reciprocity_balance(world.constantine_partnership)
    assert [(r.year, r.to_partner, r.to_host) for r in balance] == [(2025, 1, 1), (2026, 0, 1)]
    first = balance[0]
    assert first.participants_to_partner == 3 and first.participants_to_host == 5
    assert first.women == 5 and first.men == 3 and first.young == 1 and first.balance == 0


@pytest.mark.charter("PRI-3", "OBJ-1")
def test_an_exchange_states_what_each_side_shares_and_gains(world: Any) -> None:
    with pytest.raises(DomainError) as refused:
        _exchange(world, Exchange.Direction.TO_HOST, benefits_host="", competences="")
    assert len(refused.value.reasons) == 2
    assert not Exchange.objects.exists()


@pytest.mark.charter("OBJ-1", "OBJ-3")
def test_an_exchange_is_tagged_with_the_charters_objectives(world: Any) -> None:
    awareness = _exchange(
        world,
        Exchange.Direction.TO_HOST,
        kind=Exchange.Kind.AWARENESS,
        title="Semaine de la solidarité internationale en Isère",
        objectives=["OBJ-3", "OBJ-1"],
    )
    assert awareness.objectives == ["OBJ-1", "OBJ-3"]
    with pytest.raises(DomainError, match="OBJ-9"):
        _exchange(world, Exchange.Direction.TO_HOST, objectives=["OBJ-9"])
    with pytest.raises(DomainError, match="objectif"):
        _exchange(world, Exchange.Direction.TO_HOST, objectives=[])
    balance = queries.reciprocity_balance(world.constantine_partnership)
    assert balance[0].objectives == {"OBJ-1": 1, "OBJ-3": 1}


@pytest.mark.charter("PRI-3")
def test_a_reader_or_an_outsider_cannot_write_the_ledger(world: Any) -> None:
    for user in (world.constantine_reader, world.outsider, world.bethlehem_editor):
        with pytest.raises(PermissionDenied):
            _exchange(world, Exchange.Direction.TO_HOST, by=user)


@pytest.mark.charter("PRJ-11")
def test_partner_revenue_gives_the_share_of_own_revenue_per_year_and_currency(
    world: Any,
) -> None:
    p = world.constantine_partnership
    for year, own, external in ((2023, 200_000, 800_000), (2024, 450_000, 550_000)):
        services.record_partner_revenue(
            partnership=p,
            by=world.constantine_editor,
            organisation=world.constantine,
            year=year,
            kind=PartnerRevenue.Kind.OWN,
            label="redevances d'eau",
            amount=own,
            currency="DZD",
        )
        services.record_partner_revenue(
            partnership=p,
            by=world.officer,
            organisation=world.constantine,
            year=year,
            kind=PartnerRevenue.Kind.EXTERNAL,
            label="dotation de l'État",
            amount=external,
            currency="DZD",
        )
    services.record_partner_revenue(
        partnership=p,
        by=world.officer,
        organisation=world.constantine,
        year=2024,
        kind=PartnerRevenue.Kind.EXTERNAL,
        label="Union européenne",
        amount=10_000,
        currency="EUR",
    )
    rows = queries.revenue_over_time(p)
    assert [(r.year, r.currency, r.own_share) for r in rows] == [
        (2023, "DZD", Decimal("20.0")),
        (2024, "DZD", Decimal("45.0")),
        (2024, "EUR", Decimal("0.0")),
    ]


@pytest.mark.charter("PRJ-11")
def test_funding_searches_are_recorded_and_the_host_is_not_a_partner(world: Any) -> None:
    p = world.constantine_partnership
    services.record_funding_search(
        partnership=p,
        by=world.constantine_editor,
        organisation=world.constantine,
        on=date(2025, 3, 1),
        funder="Banque mondiale",
        outcome=FundingSearch.Outcome.SUBMITTED,
        amount=50_000,
        currency="USD",
    )
    assert [s.funder for s in queries.funding_searches(p)] == ["Banque mondiale"]
    with pytest.raises(DomainError):
        services.record_partner_revenue(
            partnership=p,
            by=world.officer,
            organisation=world.isere,
            year=2024,
            kind=PartnerRevenue.Kind.OWN,
            label="x",
            amount=1,
            currency="EUR",
        )
