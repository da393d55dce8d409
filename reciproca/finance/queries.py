"""Scoped reads of the finance app: a partnership's reciprocity balance, its partners' revenue
over time, its atlas sheet; the pages and the API render these."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from reciproca.finance import plan as plans
from reciproca.finance.models import (
    AgeBand,
    Exchange,
    ExchangeParticipants,
    FundingSearch,
    PartnerRevenue,
    Sex,
    Transaction,
)
from reciproca.finance.money import BASE, MissingRate, Money
from reciproca.finance.policies import ledger_partnerships
from reciproca.partnerships.models import Organisation, Partnership
from reciproca.projects.models import Project
from reciproca.projects.participation import ParticipationCount


def exchanges_of(partnership: Partnership) -> QuerySet[Exchange]:
    return (
        Exchange.objects.filter(partnership=partnership)
        .select_related("project")
        .prefetch_related(Prefetch("participants", queryset=ExchangeParticipants.objects.all()))
    )


# The ledger's young people: under 30 (the youth exchanges' age groups).
YOUNG_BANDS = frozenset({AgeBand.UNDER_18, AgeBand.YOUNG})


def exchange_participation(user: Any) -> list[ParticipationCount]:
    """The finance app's participation source (OBJ-2): the participants of the ledger's
    exchanges, by sex and age group, of the partnerships whose ledger the user may see. One
    query."""
    per_exchange: dict[int, list[Any]] = {}
    rows = ExchangeParticipants.objects.filter(
        exchange__partnership__in=ledger_partnerships(user)
    ).values_list(
        "exchange_id",
        "exchange__start_date",
        "exchange__partnership_id",
        "exchange__partnership__name",
        "sex",
        "age_band",
        "count",
    )
    for exchange_id, start, pid, name, sex, band, count in rows:
        bucket = per_exchange.setdefault(exchange_id, [start.year, pid, name, 0, 0, 0])
        bucket[3] += count
        bucket[4] += count if sex == Sex.FEMALE else 0
        bucket[5] += count if band in YOUNG_BANDS else 0
    return [ParticipationCount(*bucket) for _id, bucket in sorted(per_exchange.items())]


@dataclass
class BalanceRow:
    """One year of the reciprocity ledger: exchanges and participants in each direction."""

    year: int
    to_partner: int = 0
    to_host: int = 0
    participants_to_partner: int = 0
    participants_to_host: int = 0
    women: int = 0
    men: int = 0
    young: int = 0
    objectives: dict[str, int] = field(default_factory=dict)

    @property
    def balance(self) -> int:
        """Exchanges towards Isère minus exchanges towards the partner (0: balanced)."""
        return self.to_host - self.to_partner


def reciprocity_balance(partnership: Partnership) -> list[BalanceRow]:
    rows: dict[int, BalanceRow] = {}
    for exchange in exchanges_of(partnership):
        year = exchange.start_date.year
        row = rows.setdefault(year, BalanceRow(year=year))
        people = sum(p.count for p in exchange.participants.all())
        if exchange.direction == Exchange.Direction.TO_PARTNER:
            row.to_partner += 1
            row.participants_to_partner += people
        else:
            row.to_host += 1
            row.participants_to_host += people
        for p in exchange.participants.all():
            if p.sex == "F":
                row.women += p.count
            elif p.sex == "M":
                row.men += p.count
            if p.age_band in YOUNG_BANDS:
                row.young += p.count
        for code in exchange.objectives:
            row.objectives[code] = row.objectives.get(code, 0) + 1
    return [rows[y] for y in sorted(rows)]


@dataclass
class RevenueRow:
    """One year of the partner organisations' revenue, per currency (never summed across)."""

    year: int
    currency: str
    own: Decimal
    external: Decimal

    @property
    def own_share(self) -> Decimal | None:
        whole = self.own + self.external
        if whole <= 0:
            return None
        return (self.own * 100 / whole).quantize(Decimal("0.1"))


def revenue_over_time(partnership: Partnership) -> list[RevenueRow]:
    """Own revenue and external funding per year and currency; the share of own revenue is the
    durability indicator (PRJ-11). Amounts of one year in two currencies stay two rows."""
    totals: dict[tuple[int, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in PartnerRevenue.objects.filter(partnership=partnership):
        pair = totals[(row.year, row.currency)]
        pair[0 if row.kind == PartnerRevenue.Kind.OWN else 1] += row.amount
    return [
        RevenueRow(year=y, currency=c, own=v[0], external=v[1])
        for (y, c), v in sorted(totals.items())
    ]


def funding_searches(partnership: Partnership) -> QuerySet[FundingSearch]:
    return FundingSearch.objects.filter(partnership=partnership).select_related("organisation")


@dataclass
class AtlasSheet:
    """The national atlas of decentralised cooperation's sheet for one partnership."""

    partnership: Partnership
    country: str
    territory: str
    themes: list[str]
    years: list[int]
    amounts: list[tuple[int, Money | None]]
    missing_rates: list[str]
    other_french_partners: list[Organisation]


def atlas_sheet(partnership: Partnership, projects: QuerySet[Project]) -> AtlasSheet:
    """Partner, country, themes, years of activity, amounts disbursed per year (in euros, each
    disbursement at its date), the other French partners of its projects."""
    projects = projects.filter(partnership=partnership)
    themes = sorted({t.name for p in projects.prefetch_related("themes") for t in p.themes.all()})
    years: set[int] = set()
    for p in projects:
        if p.start_date:
            end = p.end_date or p.start_date
            years.update(range(p.start_date.year, end.year + 1))
    years.update(e.start_date.year for e in Exchange.objects.filter(partnership=partnership))
    by_year: dict[int, Money | None] = {}
    missing: list[str] = []
    source = plans.rates()
    for tx in Transaction.objects.filter(project__in=projects, kind=Transaction.Kind.DISBURSEMENT):
        year = tx.value_date.year
        years.add(year)
        try:
            eur = plans.to_eur(Money(tx.amount, tx.currency), tx.value_date, source)
        except MissingRate as error:
            missing.append(str(error))
            by_year[year] = None
            continue
        if year in by_year and by_year[year] is None:
            continue
        by_year[year] = by_year.get(year, Money.zero(BASE)) + eur
    french_here = Q(country__iso2="FR") | (
        Q(country__isnull=True) & ~Q(kind=Organisation.Kind.PARTNER_AUTHORITY)
    )
    french = (
        Organisation.objects.filter(french_here, project_roles__project__in=projects)
        .exclude(pk__in=[partnership.host_id, partnership.partner_id])
        .distinct()
    )
    participants = Organisation.objects.filter(
        french_here, participations__programme__partnership=partnership
    ).exclude(pk__in=[partnership.host_id, partnership.partner_id])
    others = sorted({*french, *participants}, key=lambda o: o.name)
    territory = partnership.territory
    return AtlasSheet(
        partnership=partnership,
        country=territory.country.name if territory else "",
        territory=territory.name if territory else "",
        themes=themes,
        years=sorted(years),
        amounts=sorted(by_year.items()),
        missing_rates=missing,
        other_french_partners=others,
    )


def atlas_csv(sheet: AtlasSheet) -> str:
    """The atlas sheet as one CSV line per year (partner, country, territory, themes, the
    amount disbursed that year in EUR, other French partners)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Autorité partenaire"),
            _("Pays"),
            _("Territoire"),
            _("Thèmes"),
            _("Année"),
            _("Montant décaissé (EUR)"),
            _("Autres partenaires français"),
        ]
    )
    amounts = dict(sheet.amounts)
    others = ", ".join(o.name for o in sheet.other_french_partners)
    years: list[int | None] = list(sheet.years) or [None]
    for year in years:
        money = amounts.get(year) if year is not None else None
        writer.writerow(
            [
                sheet.partnership.partner.name,
                sheet.country,
                sheet.territory,
                ", ".join(sheet.themes),
                "" if year is None else year,
                "" if money is None else money.rounded().amount,
                others,
            ]
        )
    return out.getvalue()
