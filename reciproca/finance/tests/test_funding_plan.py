"""Funding plans against the calls' rule sets, and `funding_plan_complete` (PRE-5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from reciproca.charter import engine
from reciproca.finance import plan as plans
from reciproca.finance import services
from reciproca.finance.gates import FundingPlanParams, funding_plan_complete
from reciproca.finance.models import BudgetCategory, SourceStatus
from reciproca.finance.tests.conftest import make_project
from reciproca.projects.budget import total_budget
from reciproca.projects.models import Project

pytestmark = pytest.mark.django_db


def _plan(
    world: Any,
    project: Project,
    *,
    grant: int,
    own: int,
    partner: int,
    call: str,
    currency: str = "EUR",
    status: str = SourceStatus.GRANTED,
) -> None:
    by = world.officer
    services.set_funding_plan(project=project, by=by, rates_date=date(2025, 1, 15))
    for category, amount in (
        (BudgetCategory.EQUIPMENT, Decimal(grant + own + partner) * Decimal("0.9")),
        (BudgetCategory.MONITORING_EVALUATION, Decimal(grant + own + partner) * Decimal("0.1")),
    ):
        services.set_budget_line(
            project=project, by=by, year=2025, category=category, amount=amount, currency="EUR"
        )
    services.add_funding_source(
        project=project,
        by=by,
        kind="MINISTRY_CALL",
        label="MEAE DAECT",
        amount=grant,
        status=status,
        call=call,
    )
    services.add_funding_source(
        project=project,
        by=by,
        kind="HOST_OWN",
        label="Département de l'Isère",
        amount=own,
        status=status,
    )
    services.add_funding_source(
        project=project,
        by=by,
        kind="PARTNER_AUTHORITY",
        label="Partenaire",
        amount=partner,
        currency=currency,
        status=status,
    )


@pytest.mark.charter("PRE-5")
def test_a_plan_over_the_70_percent_ceiling_of_the_general_call_for_armenia_warns(
    world: Any, armenia: Any, rates: None
) -> None:
    project = make_project(world, armenia)
    _plan(world, project, grant=80_000, own=10_000, partner=10_000, call="daect-general-2024")
    summary = plans.funding_plan(project)
    rules = [(w.call, w.rule) for w in summary.warnings]
    assert rules == [("daect-general-2024", "plafond-cofinancement")]
    message = summary.warnings[0].message
    assert "80,0 %" in message and "70,0 %" in message and "hors pays moins avancés" in message
    assert "MEAE, DAECT" in summary.warnings[0].source
    # The gate says it too, with the source of the rule.
    reasons = funding_plan_complete(project, FundingPlanParams())
    assert any("plafond" in r and "MEAE" in r for r in reasons)


@pytest.mark.charter("PRE-5")
def test_the_same_shares_for_senegal_do_not_warn_about_the_ceiling(
    world: Any, senegal: Any, rates: None
) -> None:
    project = make_project(world, senegal)
    _plan(world, project, grant=80_000, own=10_000, partner=10_000, call="daect-general-2024")
    rules = [w.rule for w in plans.funding_plan(project).warnings]
    assert "plafond-cofinancement" not in rules


@pytest.mark.charter("PRE-5")
def test_a_senegalese_project_in_the_general_call_warns_about_routing(
    world: Any, senegal: Any, rates: None
) -> None:
    project = make_project(world, senegal)
    _plan(world, project, grant=80_000, own=10_000, partner=10_000, call="daect-general-2024")
    warnings = plans.funding_plan(project).warnings
    routing = [w for w in warnings if w.rule == "appels-conjoints"]
    assert len(routing) == 1
    assert "SN" in routing[0].message and "franco-sénégalais" in routing[0].message


@pytest.mark.charter("PRE-5")
def test_the_joint_senegalese_call_counts_the_partners_in_kind_and_checks_its_shares(
    world: Any, senegal: Any, rates: None
) -> None:
    project = make_project(world, senegal, end_date=date(2027, 12, 31))
    _plan(world, project, grant=70_000, own=15_000, partner=0, call="daect-senegal-2024")
    services.add_funding_source(
        project=project,
        by=world.officer,
        kind="PARTNER_AUTHORITY",
        label="Département de Kédougou (en nature)",
        amount=Decimal(15_000) * 656,
        currency="XOF",
        status=SourceStatus.GRANTED,
        in_kind=True,
    )
    summary = plans.funding_plan(project)
    rules = {w.rule for w in summary.warnings}
    # 36 months: beyond 12–24; the French side's 15 % is under 20 %; the in-kind partner
    # share (XOF at its parity) counts and reaches 10 %.
    assert rules == {"duree", "part-francaise"}
    assert summary.share(sides={"PARTNER"}) >= Decimal(10)


def test_ficol_checks_the_grant_range(world: Any, armenia: Any, rates: None) -> None:
    project = make_project(world, armenia)
    _plan(world, project, grant=0, own=50_000, partner=50_000, call="daect-general-2024")
    services.add_funding_source(
        project=project,
        by=world.officer,
        kind="AFD_FICOL",
        label="AFD",
        amount=150_000,
        status=SourceStatus.REQUESTED,
        call="afd-ficol-2024",
    )
    warning = next(
        w for w in plans.funding_plan(project).warnings if w.rule == "montant-subvention"
    )
    assert "150\u202f000" in warning.message and "200\u202f000" in warning.message


@pytest.mark.charter("PRE-5")
def test_funding_plan_complete_is_a_real_condition_with_parameters(
    world: Any, project: Project, rates: None
) -> None:
    spec_reasons = funding_plan_complete(project, FundingPlanParams())
    assert spec_reasons == ["Le projet n'a pas encore de plan de financement."]
    _plan(
        world,
        project,
        grant=60_000,
        own=30_000,
        partner=10_000,
        call="daect-general-2024",
        status=SourceStatus.REQUESTED,
    )
    reasons = funding_plan_complete(project, FundingPlanParams())
    assert len(reasons) == 3 and all("« demandé »" in r for r in reasons)
    assert funding_plan_complete(project, FundingPlanParams(min_status="REQUESTED")) == []
    from reciproca.charter import conditions

    assert not conditions.get("funding_plan_complete").is_planned


@pytest.mark.charter("PRE-5")
def test_a_missing_rate_leaves_the_plan_incomplete_naming_currency_and_date(
    world: Any, project: Project, rates: None
) -> None:
    _plan(
        world,
        project,
        grant=60_000,
        own=30_000,
        partner=1_000_000,
        call="daect-general-2024",
        currency="DZD",
    )
    services.set_funding_plan(project=project, by=world.officer, rates_date=date(2024, 6, 1))
    reasons = funding_plan_complete(project, FundingPlanParams())
    assert any("DZD" in r and "2024-06-01" in r for r in reasons)
    assert plans.funding_plan(project).counted_total is None


def test_the_budget_provider_gives_the_total_to_other_apps(
    world: Any, project: Project, rates: None
) -> None:
    assert total_budget(project) is None
    services.set_funding_plan(project=project, by=world.officer, rates_date=date(2025, 1, 15))
    services.set_budget_line(
        project=project,
        by=world.officer,
        year=2025,
        category="TRAINING",
        amount=1000,
        currency="EUR",
    )
    services.set_budget_line(
        project=project,
        by=world.officer,
        year=2025,
        category="MONITORING_EVALUATION",
        amount=140500,
        currency="DZD",
    )
    budget = total_budget(project)
    assert budget is not None and budget.amount == Decimal("2000.00")
    assert budget.currency == "EUR" and budget.as_of == date(2025, 1, 15)
    in_dzd = total_budget(project, currency="DZD")
    assert in_dzd is not None and in_dzd.amount == Decimal("281000.00")


@pytest.mark.charter("PRE-5")
def test_a_charter_can_ask_an_evaluation_share_of_at_least_5_percent(
    world: Any, project: Project, rates: None
) -> None:
    from reciproca.charter import conditions

    spec = conditions.get("share_at_least")
    params = spec.validate_params(
        {"measure": "budget.category_share", "category": "MONITORING_EVALUATION", "min": 5}
    )
    services.set_funding_plan(project=project, by=world.officer, rates_date=date(2025, 1, 15))
    services.set_budget_line(
        project=project,
        by=world.officer,
        year=2025,
        category="TRAINING",
        amount=9700,
        currency="EUR",
    )
    line = services.set_budget_line(
        project=project,
        by=world.officer,
        year=2025,
        category="MONITORING_EVALUATION",
        amount=300,
        currency="EUR",
    )
    reasons = spec.check(project, params)
    assert reasons and "3.0 %" in reasons[0] and "5" in reasons[0]
    services.set_budget_line(
        project=project,
        by=world.officer,
        year=2025,
        category="MONITORING_EVALUATION",
        amount=600,
        currency="EUR",
        line=line,
    )
    assert spec.check(project, params) == []
    with pytest.raises(Exception, match="mesure de part inconnue"):
        spec.validate_params({"measure": "budget.nothing", "min": 5})
    assert engine  # the charter engine is what evaluates it in gates


def test_an_outsider_cannot_write_the_budget(world: Any, project: Project) -> None:
    from reciproca.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_budget_line(
            project=project,
            by=world.outsider,
            year=2025,
            category="TRAINING",
            amount=1,
            currency="EUR",
        )
    with pytest.raises(PermissionDenied):
        services.set_budget_line(
            project=project,
            by=world.constantine_reader,
            year=2025,
            category="TRAINING",
            amount=1,
            currency="EUR",
        )
    # The partner's editor has the same right as the host's officer (PRI-1).
    services.set_budget_line(
        project=project,
        by=world.constantine_editor,
        year=2025,
        category="TRAINING",
        amount=1,
        currency="EUR",
    )


@pytest.mark.charter("PRE-5")
def test_a_palestinian_project_in_the_general_call_is_routed_to_the_joint_call(
    world: Any, rates: None
) -> None:
    project = make_project(world, world.bethlehem_partnership)
    _plan(world, project, grant=50_000, own=40_000, partner=10_000, call="daect-general-2024")
    routing = [w for w in plans.funding_plan(project).warnings if w.rule == "appels-conjoints"]
    assert len(routing) == 1 and "franco-palestinien" in routing[0].message


def test_every_call_rule_set_loads_and_is_addressed_by_code_and_year() -> None:
    from reciproca.finance import calls

    keys = {r.key for r in calls.rule_sets()}
    assert {"daect-general-2024", "daect-senegal-2024", "afd-ficol-2024"} <= keys
    assert all(r.source for r in calls.rule_sets())
    # Every routing target has a rule set.
    general = calls.get("daect-general-2024")
    for rule in general.rules:
        if isinstance(rule, calls.Routing):
            assert all(calls.latest(code) for code in rule.countries.values())


def test_the_load_rates_command_is_all_or_nothing(world: Any, tmp_path: Any) -> None:
    import io

    from django.core.management import CommandError, call_command

    from reciproca.finance.models import ExchangeRate

    good = tmp_path / "taux.csv"
    good.write_text("currency,date,rate,source\nDZD,2025-01-02,140.5,BA\n", encoding="utf-8")
    bad = tmp_path / "faux.csv"
    bad.write_text("currency,date,rate,source\nAMD,2025-01-02,0,BCA\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ligne 2"):
        call_command("load_rates", str(bad), stdout=io.StringIO())
    assert not ExchangeRate.objects.exists()
    out = io.StringIO()
    call_command("load_rates", str(good), stdout=out)
    assert "2 taux chargés" in out.getvalue()  # the file's rate and the XOF parity
    conflict = tmp_path / "conflit.csv"
    conflict.write_text("currency,date,rate,source\nDZD,2025-01-02,150,BA\n", encoding="utf-8")
    with pytest.raises(CommandError, match="déjà connu"):
        call_command("load_rates", str(conflict), stdout=io.StringIO())
