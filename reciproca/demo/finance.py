"""The demo's money, built through the finance services: a year (2025) of budgets and
transactions in several currencies, a skills sponsorship, staff time, partner revenue,
exchanges both ways, and a project (Sevan, Armenia) whose funding plan is complete under the
ministry's general call — legitimately: its sources are granted or received, the grant stays
under the 70 % ceiling and monitoring and evaluation take more than 7 % of the budget."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_UP, Decimal
from pathlib import Path
from typing import Any

from reciproca.finance import plan as plans
from reciproca.finance import services
from reciproca.finance.models import Exchange, FundingSearch, PartnerRevenue
from reciproca.partnerships.models import Organisation, Partnership, Service
from reciproca.projects.models import Project

RATES_FILE = Path(services.__file__).resolve().parent / "data" / "rates-demo.csv"
YEAR = 2025


def build_demo_finance(
    *,
    admin: Any,
    officer: Any,
    karim: Any,
    sevan: Project,
    training: Project,
    maternal: Project,
    p_gegh: Partnership,
    p_constantine: Partnership,
    company: Organisation,
    service: Service,
) -> None:
    services.load_rates(by=admin, text=RATES_FILE.read_text(encoding="utf-8"), origin="demo")

    # --- Sevan (Armenia): the complete funding plan ---------------------------------------
    services.set_funding_plan(
        project=sevan,
        by=officer,
        rates_date=date(YEAR, 1, 15),
        notes="Plan présenté à l'appel général de la DAECT.",
    )
    for category, label, amount, currency in (
        ("EQUIPMENT", "Signalétique et sentiers autour du lac", 30_000, "EUR"),
        ("TRAINING", "Formation des familles d'accueil", 8_000, "EUR"),
        ("TRAVEL", "Missions croisées Gavar–Grenoble", 4_000_000, "AMD"),
        ("MONITORING_EVALUATION", "Suivi et évaluation concertés", 4_500, "EUR"),
        ("FOLLOW_UP", "Frais de suivi du Département", 2_000, "EUR"),
    ):
        services.set_budget_line(
            project=sevan,
            by=officer,
            year=YEAR,
            category=category,
            label=label,
            amount=amount,
            currency=currency,
        )
    services.record_staff_time(
        project=sevan,
        by=officer,
        staff_member="Claire Martin",
        service=service,
        skills="ingénierie touristique, gestion de sites naturels",
        mission="Mission à Gavar, mai 2025",
        year=YEAR,
        days=10,
        daily_rate=320,
    )
    services.record_sponsorship(
        project=sevan,
        by=officer,
        company=company,
        employee="Julien Perrin",
        skills="assainissement autonome des hébergements",
        start_date=date(YEAR, 5, 12),
        end_date=date(YEAR, 5, 23),
        days=8,
        daily_cost=650,
        receipt_number="HAI-2025-007",
    )
    grant = services.add_funding_source(
        project=sevan,
        by=officer,
        kind="MINISTRY_CALL",
        label="MEAE — DAECT, appel général 2024",
        amount=30_000,
        status="GRANTED",
        call="daect-general-2024",
    )
    services.add_funding_source(
        project=sevan,
        by=officer,
        kind="PARTNER_AUTHORITY",
        label="Marz de Guegharkunik",
        amount=1_600_000,
        currency="AMD",
        status="GRANTED",
        organisation=p_gegh.partner,
    )
    budget = plans.budget_summary(sevan).total
    counted = plans.funding_plan(sevan).counted_total
    assert budget is not None and counted is not None
    remainder = (budget.amount - counted.amount).quantize(Decimal("0.01"), rounding=ROUND_UP)
    own = services.add_funding_source(
        project=sevan,
        by=officer,
        kind="HOST_OWN",
        label="Département de l'Isère",
        amount=max(remainder, Decimal(0)),
        status="RECEIVED",
        organisation=p_gegh.host,
    )
    services.set_declaration_profile(
        project=sevan, by=officer, channel_code="11004", aid_type="C01", action_type="COOPERATION"
    )
    for kind, day, amount, currency, description, category, source in (
        ("COMMITMENT", date(YEAR, 2, 3), 30_000, "EUR", "Engagement de la subvention", "", own),
        ("INCOMING", date(YEAR, 3, 14), 15_000, "EUR", "Premier versement DAECT", "", grant),
        ("DISBURSEMENT", date(YEAR, 3, 20), 12_000, "EUR", "Versement au marz", "", own),
        (
            "DISBURSEMENT",
            date(YEAR, 6, 18),
            1_500_000,
            "AMD",
            "Missions et accueil",
            "TRAVEL",
            None,
        ),
        (
            "EXPENDITURE",
            date(YEAR, 9, 9),
            1_200,
            "EUR",
            "Frais de suivi de la mission",
            "FOLLOW_UP",
            None,
        ),
        (
            "EXPENDITURE",
            date(YEAR, 10, 2),
            2_800,
            "EUR",
            "Atelier d'évaluation à mi-parcours",
            "MONITORING_EVALUATION",
            None,
        ),
    ):
        services.record_transaction(
            project=sevan,
            by=officer,
            kind=kind,
            value_date=day,
            amount=amount,
            currency=currency,
            description=description,
            category=category,
            source=source,
        )

    # --- Constantine (DZD) and Kédougou (XOF): more currencies in the year ----------------
    services.set_budget_line(
        project=training,
        by=officer,
        year=YEAR,
        category="TRAINING",
        label="Sessions de formation croisée",
        amount=2_900_000,
        currency="DZD",
    )
    services.record_transaction(
        project=training,
        by=karim,
        kind="DISBURSEMENT",
        value_date=date(YEAR, 4, 7),
        amount=1_450_000,
        currency="DZD",
        description="Sessions de formation à Constantine",
        category="TRAINING",
    )
    services.set_declaration_profile(
        project=training,
        by=officer,
        channel_code="11004",
        aid_type="D02",
        action_type="COOPERATION",
    )
    services.record_transaction(
        project=maternal,
        by=officer,
        kind="DISBURSEMENT",
        value_date=date(YEAR, 2, 17),
        amount=6_559_570,
        currency="XOF",
        description="Équipement de deux postes de santé",
        category="EQUIPMENT",
    )
    services.set_declaration_profile(
        project=maternal,
        by=officer,
        channel_code="11004",
        aid_type="C01",
        action_type="COOPERATION",
    )

    # --- Partner revenue and funding searches (PRJ-11) ------------------------------------
    for year, own_amount, external in (
        (2022, 18_000_000, 70_000_000),
        (2023, 24_000_000, 68_000_000),
        (2024, 31_000_000, 66_000_000),
        (2025, 38_000_000, 64_000_000),
    ):
        services.record_partner_revenue(
            partnership=p_gegh,
            by=officer,
            organisation=p_gegh.partner,
            year=year,
            kind="OWN",
            label="Droits d'entrée des sites et gîtes communaux",
            amount=own_amount,
            currency="AMD",
        )
        services.record_partner_revenue(
            partnership=p_gegh,
            by=officer,
            organisation=p_gegh.partner,
            year=year,
            kind="EXTERNAL",
            label="Subventions de l'État arménien",
            amount=external,
            currency="AMD",
        )
    services.record_funding_search(
        partnership=p_gegh,
        by=officer,
        organisation=p_gegh.partner,
        on=date(YEAR, 3, 1),
        funder="Programme UE « EU4Business »",
        amount=120_000,
        currency="EUR",
        outcome=FundingSearch.Outcome.SUBMITTED,
    )
    services.record_funding_search(
        partnership=p_constantine,
        by=karim,
        organisation=p_constantine.partner,
        on=date(YEAR, 5, 1),
        funder="Agence nationale des ressources hydriques",
        outcome=FundingSearch.Outcome.ACCEPTED,
        amount=5_000_000,
        currency="DZD",
    )
    assert PartnerRevenue.objects.filter(partnership=p_gegh).count() == 8

    # --- Exchanges both ways (PRI-3, FND-1, OBJ-1, OBJ-3) ---------------------------------
    for partnership, by, kind, direction, title, start, end, people, objectives, project in (
        (
            p_gegh,
            officer,
            Exchange.Kind.MISSION,
            Exchange.Direction.TO_PARTNER,
            "Mission d'ingénierie touristique à Gavar",
            date(YEAR, 5, 12),
            date(YEAR, 5, 16),
            {("F", "30_59"): 2, ("M", "30_59"): 1},
            ["OBJ-1", "OBJ-2"],
            sevan,
        ),
        (
            p_gegh,
            officer,
            Exchange.Kind.DELEGATION,
            Exchange.Direction.TO_HOST,
            "Délégation du marz au Vercors",
            date(YEAR, 9, 22),
            date(YEAR, 9, 26),
            {("F", "30_59"): 3, ("M", "30_59"): 2, ("M", "60P"): 1},
            ["OBJ-1"],
            sevan,
        ),
        (
            p_gegh,
            officer,
            Exchange.Kind.YOUTH,
            Exchange.Direction.TO_HOST,
            "Chantier de jeunes arméniens et isérois",
            date(YEAR, 7, 7),
            date(YEAR, 7, 18),
            {("F", "18_29"): 6, ("M", "18_29"): 5, ("F", "U18"): 2},
            ["OBJ-1", "OBJ-3"],
            None,
        ),
        (
            p_constantine,
            karim,
            Exchange.Kind.TRAINING,
            Exchange.Direction.TO_PARTNER,
            "Formation croisée aux finances locales",
            date(YEAR, 4, 7),
            date(YEAR, 4, 11),
            {("F", "30_59"): 9, ("M", "30_59"): 7},
            ["OBJ-1", "OBJ-2"],
            training,
        ),
        (
            p_constantine,
            karim,
            Exchange.Kind.AWARENESS,
            Exchange.Direction.TO_HOST,
            "Semaine de la solidarité internationale : Constantine au collège",
            date(YEAR, 11, 17),
            date(YEAR, 11, 21),
            {("F", "U18"): 40, ("M", "U18"): 38, ("F", "30_59"): 2},
            ["OBJ-3"],
            None,
        ),
        (
            p_constantine,
            karim,
            Exchange.Kind.CULTURE,
            Exchange.Direction.TO_HOST,
            "Malouf de Constantine au festival de Grenoble",
            date(YEAR, 6, 20),
            date(YEAR, 6, 22),
            {("M", "30_59"): 6, ("F", "30_59"): 2},
            ["OBJ-1"],
            None,
        ),
    ):
        services.record_exchange(
            partnership=partnership,
            by=by,
            kind=kind,
            direction=direction,
            title=title,
            start_date=start,
            end_date=end,
            place="",
            competences={
                Exchange.Direction.TO_PARTNER: "savoir-faire des agents du Département",
                Exchange.Direction.TO_HOST: "savoir-faire et culture du territoire partenaire",
            }[direction],
            benefits_partner="compétences renforcées et contacts durables",
            benefits_host="pratiques nouvelles, ouverture des Isérois au monde",
            objectives=objectives,
            participants=people,
            project=project,
        )
