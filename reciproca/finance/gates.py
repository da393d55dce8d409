"""The gate condition and the measures whose data the finance app holds.

`funding_plan_complete` (PRE-5) is met when the project has a funding plan whose counted total
covers the budget (within `max_gap_percent`), every source has reached `min_status`, every
amount converts at the plan's rates date and, with `call_rules_respected`, no rule of the calls
it answers is broken. The budget measures (`budget.category_share`, `funding.share`) let a
charter write `share_at_least` conditions (an evaluation share of at least 5 %).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, get_args

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from reciproca.charter import engine
from reciproca.charter.conditions import Params, register
from reciproca.charter.measures import ShareValue, register_measure, register_share_measure
from reciproca.finance import plan as plans
from reciproca.finance.models import (
    STATUS_ORDER,
    BudgetCategory,
    Exchange,
    FundingPlan,
    FundingSource,
    Side,
    SourceKind,
    SourceStatus,
)
from reciproca.projects.models import Project

StatusCode = Literal["PLANNED", "REQUESTED", "GRANTED", "RECEIVED"]
CategoryCode = Literal[
    "STAFF",
    "TRAVEL",
    "EQUIPMENT",
    "SERVICES",
    "TRAINING",
    "COMMUNICATION",
    "MONITORING_EVALUATION",
    "FOLLOW_UP",
    "OTHER",
]
KindCode = Literal[
    "HOST_OWN",
    "MINISTRY_CALL",
    "AFD_FICOL",
    "EU",
    "FRENCH_AUTHORITY",
    "PARTNER_AUTHORITY",
    "ASSOCIATION",
    "COMPANY",
    "PARTNER_OWN_REVENUE",
]
SideCode = Literal["FRENCH", "PARTNER", "FUNDER"]
for _literal, _choices in (
    (StatusCode, SourceStatus),
    (CategoryCode, BudgetCategory),
    (KindCode, SourceKind),
    (SideCode, Side),
):
    assert set(get_args(_literal)) == set(_choices.values), _choices

FINANCE_PAGE = ("finance:project", "#plan")


def summary(project: Project) -> plans.FundingPlanSummary:
    return engine.memo(("finance", "plan", project.pk), lambda: plans.funding_plan(project))


class FundingPlanParams(Params):
    """`min_status`: the least advanced status a source may have; `max_gap_percent`: the part
    of the budget the plan may leave uncovered; `call_rules_respected`: the calls' rules hold."""

    min_status: StatusCode = "GRANTED"
    max_gap_percent: Annotated[float, Field(ge=0, le=100)] = 0
    call_rules_respected: bool = True


@register(
    "funding_plan_complete",
    label=gettext_lazy("le plan de financement est complet"),
    params=FundingPlanParams,
    evidence=FINANCE_PAGE,
)
def funding_plan_complete(project: Project, params: FundingPlanParams) -> list[str]:
    """The funding plan covers the budget (at the plan's rates date, within `max_gap_percent`),
    every source has reached `min_status`, every amount converts, and — with
    `call_rules_respected` — the plan keeps every rule of the calls it answers."""
    if not FundingPlan.objects.filter(project=project).exists():
        return [_("Le projet n'a pas encore de plan de financement.")]
    plan = summary(project)
    reasons: list[str] = list(dict.fromkeys(plan.errors))
    budget = plan.budget.total
    if budget is None and not plan.budget.errors:
        reasons.append(_("Le budget du projet n'est pas encore saisi."))
    reasons.extend(e for e in plan.budget.errors if e not in reasons)
    counted = plan.counted_total
    if budget is not None and counted is not None and budget.amount > 0:
        uncovered = (budget.amount - counted.amount) * 100 / budget.amount
        if uncovered > Decimal(str(params.max_gap_percent)):
            reasons.append(
                _(
                    "Le plan de financement couvre %(counted)s sur un budget de %(budget)s "
                    "(taux du %(date)s) : il manque %(gap)s."
                )
                % {
                    "counted": counted,
                    "budget": budget,
                    "date": plan.rates_date.isoformat(),
                    "gap": budget - counted,
                }
            )
    floor = STATUS_ORDER.index(params.min_status)
    for source in FundingSource.objects.filter(project=project):
        if STATUS_ORDER.index(source.status) < floor:
            reasons.append(
                _("La source « %(source)s » est « %(status)s » ; il faut au moins « %(min)s ».")
                % {
                    "source": source.label,
                    "status": source.get_status_display(),
                    "min": SourceStatus(params.min_status).label,
                }
            )
    if params.call_rules_respected:
        for warning in plan.warnings:
            reasons.append(
                _("%(message)s (source : %(source)s)")
                % {"message": warning.message, "source": warning.source or "—"}
                if warning.source
                else warning.message
            )
    return reasons


# --- measures ---------------------------------------------------------------------------------


class CategoryFilter(Params):
    category: CategoryCode


def _category_label(filters: CategoryFilter) -> str:
    return _("« %(category)s »") % {"category": BudgetCategory(filters.category).label}


@register_share_measure(
    "budget.category_share",
    label=gettext_lazy("part du budget consacrée à la catégorie"),
    filters=CategoryFilter,
    owner="finance",
    describe=_category_label,
)
def category_share(project: Project, filters: CategoryFilter) -> ShareValue:
    """A budget category's share of the project's whole budget, in euros at the plan's rates
    date (`category: MONITORING_EVALUATION` for the monitoring and evaluation share)."""
    budget = summary(project).budget
    if budget.errors:
        return ShareValue(None, "; ".join(budget.errors))
    share = budget.category_share(filters.category)
    if share is None:
        return ShareValue(None, _("le budget n'est pas encore saisi"))
    return ShareValue(float(share))


class SourceFilter(Params):
    kind: KindCode | None = None
    side: SideCode | None = None


def _source_label(filters: SourceFilter) -> str:
    parts = []
    if filters.kind:
        parts.append(str(SourceKind(filters.kind).label))
    if filters.side:
        parts.append(str(Side(filters.side).label))
    return "(" + ", ".join(parts) + ")" if parts else ""


@register_share_measure(
    "funding.share",
    label=gettext_lazy("part du plan de financement"),
    filters=SourceFilter,
    owner="finance",
    describe=_source_label,
)
def funding_share(project: Project, filters: SourceFilter) -> ShareValue:
    """The share of the funding plan's counted total coming from sources of a `kind` and/or a
    `side` (`side: PARTNER` for the partners' contribution, in-kind included where admitted)."""
    plan = summary(project)
    if plan.errors:
        return ShareValue(None, "; ".join(plan.errors))
    if not plan.lines:
        return ShareValue(None, _("le plan de financement est vide"))
    share = plan.share(
        kinds={filters.kind} if filters.kind else None,
        sides={filters.side} if filters.side else None,
    )
    return ShareValue(float(share))


class StatusFilter(Params):
    min_status: StatusCode | None = None


@register_measure(
    "finance.funding_sources",
    label=gettext_lazy("sources de financement"),
    filters=StatusFilter,
    owner="finance",
)
def funding_sources(project: Project, filters: StatusFilter) -> int:
    """The sources of the project's funding plan; `min_status` keeps those that reached it."""
    rows = FundingSource.objects.filter(project=project)
    if filters.min_status:
        rows = rows.filter(status__in=STATUS_ORDER[STATUS_ORDER.index(filters.min_status) :])
    return rows.count()


class DirectionFilter(Params):
    direction: Literal["TO_PARTNER", "TO_HOST"] | None = None


@register_measure(
    "finance.exchanges",
    label=gettext_lazy("échanges du registre de réciprocité"),
    filters=DirectionFilter,
    owner="finance",
)
def exchanges(project: Project, filters: DirectionFilter) -> int:
    """The exchanges of the reciprocity ledger attached to the project; `direction` keeps
    those towards the partner (`TO_PARTNER`) or towards the host territory (`TO_HOST`)."""
    rows = Exchange.objects.filter(project=project)
    if filters.direction:
        rows = rows.filter(direction=filters.direction)
    return rows.count()
