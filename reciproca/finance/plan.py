"""What a project's money adds up to, always converted at a stated date.

- `budget_summary`: the budget per year and category in euros at the plan's rates date, with
  the actual spending per year (disbursements and expenditures converted at their own dates).
- `in_kind`: skills sponsorship valued at cost within the CGI 238 bis cap, staff time valued.
- `funding_plan`: every source converted, what the plan counts (in-kind where the call
  allows), the shares per side and kind, and the warnings of the calls' rule sets.

A missing rate is never a zero: the line says which rate is missing and the totals that
depend on it are not given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import yaml
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reciproca.charter import engine
from reciproca.finance import calls
from reciproca.finance.calls import CallRuleSet, CallWarning
from reciproca.finance.models import (
    BudgetCategory,
    BudgetLine,
    FundingPlan,
    FundingSource,
    Side,
    SkillsSponsorship,
    SourceKind,
    SourceStatus,
    StaffTime,
    Transaction,
)
from reciproca.finance.money import BASE, MissingRate, Money, RateSource, convert, total
from reciproca.finance.rates import DATA_DIR, database_rates
from reciproca.projects.models import Project

HUNDRED = Decimal(100)


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (part * HUNDRED / whole).quantize(Decimal("0.1"))


def rates() -> RateSource:
    return engine.memo(("finance", "rates"), database_rates)


def rates_date_of(project: Project) -> date:
    plan = FundingPlan.objects.filter(project=project).first()
    return plan.rates_date if plan is not None else timezone.localdate()


def to_eur(money: Money, on: date, source: RateSource | None = None) -> Money:
    return convert(money, BASE, on=on, rates=source or rates()).money


# --- in kind ----------------------------------------------------------------------------------


@cache
def _ceilings() -> tuple[Decimal, dict[int, Decimal]]:
    raw = yaml.safe_load((DATA_DIR / "social_security_ceiling.yaml").read_text(encoding="utf-8"))
    return Decimal(str(raw["multiplier"])), {
        int(y): Decimal(str(v)) for y, v in raw["ceilings"].items()
    }


def months_touched(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


@dataclass(frozen=True)
class SponsorshipValue:
    at_cost: Money
    cap: Money | None
    value: Money
    capped: bool
    tax_reduction: Money
    error: str = ""


def sponsorship_value(s: SkillsSponsorship) -> SponsorshipValue:
    """At cost (days × daily cost), within 3 × the monthly Social Security ceiling of the year
    for each month the employee is made available (CGI art. 238 bis); the company's tax
    reduction is 60 % of it."""
    at_cost = Money(Decimal(s.days) * s.daily_cost, BASE)
    multiplier, ceilings = _ceilings()
    ceiling = ceilings.get(s.start_date.year)
    if ceiling is None:
        error = _(
            "Le plafond mensuel de la sécurité sociale de %(year)s n'est pas connu : le "
            "plafond du mécénat ne peut pas être appliqué."
        ) % {"year": s.start_date.year}
        return SponsorshipValue(at_cost, None, at_cost, False, at_cost * Decimal("0.6"), error)
    cap = Money(multiplier * ceiling * months_touched(s.start_date, s.end_date), BASE)
    value = at_cost if at_cost.amount <= cap.amount else cap
    return SponsorshipValue(
        at_cost, cap, value, value is cap, (value * Decimal("0.6")).rounded(), ""
    )


def staff_value(t: StaffTime) -> Money:
    return Money(Decimal(t.days) * t.daily_rate, BASE)


# --- budget -----------------------------------------------------------------------------------


@dataclass
class YearRow:
    year: int
    budget: Money | None
    actual: Money | None
    by_category: dict[str, Money] = field(default_factory=dict)

    @property
    def ratio(self) -> Decimal | None:
        if self.budget is None or self.actual is None:
            return None
        return _percent(self.actual.amount, self.budget.amount)


@dataclass
class BudgetSummary:
    rates_date: date
    total: Money | None
    by_category: dict[str, Money]
    years: list[YearRow]
    errors: list[str]

    def category_share(self, category: str) -> Decimal | None:
        if self.total is None:
            return None
        part = self.by_category.get(category, Money.zero(BASE))
        return _percent(part.amount, self.total.amount)


def budget_summary(project: Project, *, on: date | None = None) -> BudgetSummary:
    on = on or rates_date_of(project)
    source = rates()
    errors: list[str] = []
    by_year: dict[int, dict[str, Money]] = defaultdict(dict)
    failed_years: set[int] = set()
    lines = list(BudgetLine.objects.filter(project=project))
    for line in lines:
        try:
            eur = to_eur(Money(line.amount, line.currency), on, source)
        except MissingRate as error:
            errors.append(str(error))
            failed_years.add(line.year)
            continue
        row = by_year[line.year]
        row[line.category] = row.get(line.category, Money.zero(BASE)) + eur
    actual: dict[int, Money] = defaultdict(lambda: Money.zero(BASE))
    failed_actual: set[int] = set()
    for tx in Transaction.objects.filter(
        project=project, kind__in=[Transaction.Kind.DISBURSEMENT, Transaction.Kind.EXPENDITURE]
    ):
        try:
            actual[tx.value_date.year] += to_eur(
                Money(tx.amount, tx.currency), tx.value_date, source
            )
        except MissingRate as error:
            errors.append(str(error))
            failed_actual.add(tx.value_date.year)
    years = sorted({line.year for line in lines} | set(actual))
    rows = [
        YearRow(
            year=y,
            budget=None if y in failed_years else total(by_year.get(y, {}).values(), BASE),
            actual=None if y in failed_actual else actual.get(y, Money.zero(BASE)),
            by_category=by_year.get(y, {}),
        )
        for y in years
    ]
    categories: dict[str, Money] = {}
    for row in by_year.values():
        for category, money in row.items():
            categories[category] = categories.get(category, Money.zero(BASE)) + money
    grand = None if failed_years or not lines else total(categories.values(), BASE)
    return BudgetSummary(
        rates_date=on, total=grand, by_category=categories, years=rows, errors=errors
    )


# --- funding plan -----------------------------------------------------------------------------


@dataclass
class PlanLine:
    label: str
    kind: str
    side: str
    status: str
    original: Money
    eur: Money | None
    in_kind: bool
    counted: bool
    note: str = ""
    source_id: int | None = None
    # The source's revision, which the page's status form carries (no lost update).
    source_revision: int = 0

    @property
    def side_label(self) -> str:
        return str(Side(self.side).label)

    @property
    def status_label(self) -> str:
        return str(SourceStatus(self.status).label)


@dataclass
class FundingPlanSummary:
    project: Project
    rates_date: date
    has_plan: bool
    budget: BudgetSummary
    lines: list[PlanLine]
    errors: list[str]
    warnings: list[CallWarning]
    calls: list[CallRuleSet]
    unknown_calls: list[str]

    @property
    def counted_total(self) -> Money | None:
        if self.errors:
            return None
        return total((line.eur for line in self.lines if line.counted and line.eur), BASE)

    def share(self, *, kinds: set[str] | None = None, sides: set[str] | None = None) -> Decimal:
        whole = self.counted_total
        if whole is None or whole.amount <= 0:
            return Decimal(0)
        part = total(
            (
                line.eur
                for line in self.lines
                if line.counted
                and line.eur is not None
                and (kinds is None or line.kind in kinds)
                and (sides is None or line.side in sides)
            ),
            BASE,
        )
        return _percent(part.amount, whole.amount) or Decimal(0)

    def amount(self, *, kinds: set[str]) -> Money:
        return total(
            (line.eur for line in self.lines if line.kind in kinds and line.eur is not None), BASE
        )

    @property
    def gap(self) -> Money | None:
        """Budget minus what the plan counts (negative: the plan exceeds the budget)."""
        if self.budget.total is None or self.counted_total is None:
            return None
        return self.budget.total - self.counted_total


def _in_kind_allowed(call_sets: list[CallRuleSet], attribute: str) -> bool:
    """In-kind counts unless a call the plan answers excludes it."""
    return all(getattr(r.in_kind, attribute) for r in call_sets)


def funding_plan(project: Project, *, on: date | None = None) -> FundingPlanSummary:
    has_plan = FundingPlan.objects.filter(project=project).exists()
    on = on or rates_date_of(project)
    source = rates()
    sources = list(FundingSource.objects.filter(project=project))
    keys = sorted({s.call for s in sources if s.call})
    call_sets: list[CallRuleSet] = []
    unknown: list[str] = []
    for key in keys:
        try:
            call_sets.append(calls.get(key))
        except calls.UnknownCall:
            unknown.append(key)
    errors: list[str] = []
    lines: list[PlanLine] = []
    partner_in_kind = _in_kind_allowed(call_sets, "partner_in_kind")
    for s in sources:
        original = Money(s.amount, s.currency)
        try:
            eur: Money | None = to_eur(original, on, source)
        except MissingRate as error:
            errors.append(str(error))
            eur = None
        counted = not s.in_kind or s.side != Side.PARTNER or partner_in_kind
        note = "" if counted else _("valorisation en nature non admise par l'appel")
        lines.append(
            PlanLine(
                s.label,
                s.kind,
                s.side,
                s.status,
                original,
                eur,
                s.in_kind,
                counted,
                note,
                s.pk,
                s.revision,
            )
        )
    staff_ok = _in_kind_allowed(call_sets, "staff_time")
    for t in StaffTime.objects.filter(project=project).select_related("service"):
        value = staff_value(t)
        lines.append(
            PlanLine(
                _("Temps d'agent : %(who)s (%(days)s j)") % {"who": t.staff_member, "days": t.days},
                SourceKind.HOST_OWN,
                Side.FRENCH,
                "GRANTED",
                value,
                value,
                True,
                staff_ok,
                "" if staff_ok else _("temps des agents non admis par l'appel"),
            )
        )
    sponsorship_ok = _in_kind_allowed(call_sets, "skills_sponsorship")
    for sp in SkillsSponsorship.objects.filter(project=project).select_related("company"):
        valued = sponsorship_value(sp)
        if valued.error:
            errors.append(valued.error)
        lines.append(
            PlanLine(
                _("Mécénat de compétences : %(company)s, %(who)s")
                % {"company": sp.company.display_name, "who": sp.employee},
                SourceKind.COMPANY,
                Side.FRENCH,
                "GRANTED",
                valued.at_cost,
                valued.value,
                True,
                sponsorship_ok,
                _("plafonné (CGI art. 238 bis)")
                if valued.capped
                else ("" if sponsorship_ok else _("mécénat non admis par l'appel")),
            )
        )
    summary = FundingPlanSummary(
        project=project,
        rates_date=on,
        has_plan=has_plan,
        budget=budget_summary(project, on=on),
        lines=lines,
        errors=errors,
        warnings=[],
        calls=call_sets,
        unknown_calls=unknown,
    )
    summary.warnings = check_calls(summary)
    return summary


def project_country(project: Project) -> str:
    partnership = project.partnership
    territory = partnership.territory
    if territory is not None and territory.country_id:
        return str(territory.country.iso2)
    country = partnership.partner.country
    return str(country.iso2) if country else ""


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def check_calls(plan: FundingPlanSummary) -> list[CallWarning]:
    """Every rule of every call the plan answers, checked; one warning per broken rule."""
    warnings: list[CallWarning] = []
    country = project_country(plan.project)
    language = (get_language() or "fr")[:2]
    for call in plan.calls:
        name = call.title(language)

        def warn(rule_id: str, message: str, call: CallRuleSet = call) -> None:
            warnings.append(
                CallWarning(call=call.key, rule=rule_id, message=message, source=call.source)
            )

        if call.countries and country not in call.countries:
            warn(
                "pays",
                _("« %(call)s » est réservé aux projets en %(countries)s (projet : %(country)s).")
                % {"call": name, "countries": ", ".join(call.countries), "country": country},
            )
        for rule in call.rules:
            if isinstance(rule, calls.MaxShare):
                is_ldc = country in rule.ldc_countries
                ceiling = (
                    rule.ldc_max_percent
                    if is_ldc and rule.ldc_max_percent is not None
                    else rule.max_percent
                )
                share = plan.share(kinds=set(rule.of))
                if plan.counted_total is not None and share > Decimal(str(ceiling)):
                    warn(
                        rule.id,
                        _(
                            "« %(call)s », règle « %(rule)s » : le cofinancement demandé "
                            "représente %(share)s %% du plan, au-delà du plafond de "
                            "%(ceiling)s %% %(where)s."
                        )
                        % {
                            "call": name,
                            "rule": rule.id,
                            "share": _fmt(share),
                            "ceiling": _fmt(Decimal(str(ceiling))),
                            "where": _("pour un pays moins avancé")
                            if is_ldc
                            else _("hors pays moins avancés"),
                        },
                    )
            elif isinstance(rule, calls.MinSideShare):
                sides: set[str] = {rule.side} if isinstance(rule.side, str) else set(rule.side)
                share = plan.share(sides=sides)
                if plan.counted_total is not None and share < Decimal(str(rule.min_percent)):
                    warn(
                        rule.id,
                        _(
                            "« %(call)s », règle « %(rule)s » : %(sides)s apporte %(share)s %% "
                            "du plan ; il en faut au moins %(min)s %%."
                        )
                        % {
                            "call": name,
                            "rule": rule.id,
                            "sides": _(" et ").join(str(Side(s).label) for s in sorted(sides)),
                            "share": _fmt(share),
                            "min": _fmt(Decimal(str(rule.min_percent))),
                        },
                    )
            elif isinstance(rule, calls.MinCategoryShare):
                category_share = plan.budget.category_share(rule.category)
                if category_share is not None and category_share < Decimal(str(rule.min_percent)):
                    warn(
                        rule.id,
                        _(
                            "« %(call)s », règle « %(rule)s » : « %(category)s » représente "
                            "%(share)s %% du budget ; il en faut au moins %(min)s %%."
                        )
                        % {
                            "call": name,
                            "rule": rule.id,
                            "category": BudgetCategory(rule.category).label,
                            "share": _fmt(category_share),
                            "min": _fmt(Decimal(str(rule.min_percent))),
                        },
                    )
            elif isinstance(rule, calls.GrantRange):
                amount = plan.amount(kinds=set(rule.of)).amount
                if amount < rule.min_eur or amount > rule.max_eur:
                    warn(
                        rule.id,
                        _(
                            "« %(call)s », règle « %(rule)s » : la subvention de %(amount)s EUR "
                            "sort de la fourchette de %(min)s à %(max)s EUR."
                        )
                        % {
                            "call": name,
                            "rule": rule.id,
                            "amount": f"{amount:,.0f}".replace(",", "\u202f"),
                            "min": f"{rule.min_eur:,.0f}".replace(",", "\u202f"),
                            "max": f"{rule.max_eur:,.0f}".replace(",", "\u202f"),
                        },
                    )
            elif isinstance(rule, calls.Duration):
                start, end = plan.project.start_date, plan.project.end_date
                if start is None or end is None:
                    warn(
                        rule.id,
                        _(
                            "« %(call)s », règle « %(rule)s » : les dates du projet ne sont pas "
                            "connues ; l'appel demande une durée de %(min)s à %(max)s mois."
                        )
                        % {
                            "call": name,
                            "rule": rule.id,
                            "min": rule.min_months,
                            "max": rule.max_months,
                        },
                    )
                else:
                    months = months_touched(start, end)
                    if not rule.min_months <= months <= rule.max_months:
                        warn(
                            rule.id,
                            _(
                                "« %(call)s », règle « %(rule)s » : le projet dure %(months)s "
                                "mois ; l'appel demande de %(min)s à %(max)s mois."
                            )
                            % {
                                "call": name,
                                "rule": rule.id,
                                "months": months,
                                "min": rule.min_months,
                                "max": rule.max_months,
                            },
                        )
            elif isinstance(rule, calls.Routing):
                target = rule.countries.get(country)
                if target:
                    joint = calls.latest(target)
                    warn(
                        rule.id,
                        _(
                            "« %(call)s », règle « %(rule)s » : les projets en %(country)s "
                            "relèvent de l'appel conjoint « %(target)s », pas de cet appel."
                        )
                        % {
                            "call": name,
                            "rule": rule.id,
                            "country": country,
                            "target": joint.title(language) if joint else target,
                        },
                    )
    for key in plan.unknown_calls:
        warnings.append(
            CallWarning(
                call=key,
                rule="appel-inconnu",
                message=_("L'appel « %(call)s » n'a pas de jeu de règles dans Reciproca.")
                % {"call": key},
                source="",
            )
        )
    return warnings


def budget_total_provider(project: Any, currency: str, as_of: date | None) -> Any:
    """The provider of `reciproca.projects.budget`: the whole budget in `currency` at the
    rates of `as_of` (the plan's rates date by default); None when not known."""
    from reciproca.projects.budget import BudgetTotal

    on = as_of or rates_date_of(project)
    summary = budget_summary(project, on=on)
    if summary.total is None:
        return None
    try:
        converted = convert(summary.total, currency, on=on, rates=rates()).money
    except MissingRate:
        return None
    return BudgetTotal(amount=converted.rounded().amount, currency=currency, as_of=on)
