"""Every write on money: keyword-only, explicit actor, one transaction, a policy, one audit event.

A project's budget, funding plan and in-kind contributions are content the partners share: they
go through `projects.services.shared_change`, so the pipeline's guards and handlers apply (a
change withdraws the stage's sign-offs). Transactions record what happened (actuals) and are
written directly, with the same policy. The partnership's ledger (revenue, funding searches,
exchanges) is checked against the partnership's policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from reciproca.charter import engine
from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.core.models import record_event
from reciproca.core.versioning import check_revision
from reciproca.finance import calls, policies, rates
from reciproca.finance.models import (
    DEFAULT_SIDE,
    AgeBand,
    BudgetCategory,
    BudgetLine,
    DeclarationProfile,
    Exchange,
    ExchangeParticipants,
    ExchangeRate,
    FundingPlan,
    FundingSearch,
    FundingSource,
    PartnerRevenue,
    Sex,
    Side,
    SkillsSponsorship,
    SourceKind,
    SourceStatus,
    StaffTime,
    Transaction,
    TransactionDocument,
)
from reciproca.finance.money import BASE, check_currency
from reciproca.finance.uploads import check_upload
from reciproca.partnerships.models import Organisation, Partnership, Service
from reciproca.projects.models import Project
from reciproca.projects.services import shared_change


def _amount(value: Any, *, positive: bool = False, label: str = "") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("Montant invalide : %(value)s.") % {"value": value}) from exc
    if not amount.is_finite():
        raise DomainError(_("Montant invalide : %(value)s.") % {"value": value})
    if amount < 0 or (positive and amount == 0):
        raise DomainError(_("%(label)s doit être positif.") % {"label": label or _("Le montant")})
    return amount.quantize(Decimal("0.01"))


def _year(value: int) -> int:
    if not 1980 <= int(value) <= 2100:
        raise DomainError(_("Année invalide : %(year)s.") % {"year": value})
    return int(value)


def _currency(code: str) -> str:
    return check_currency(code)


# --- exchange rates ---------------------------------------------------------------------------


@transaction.atomic
def enter_rate(*, by: Any, currency: str, on: date, rate: Any, source: str) -> ExchangeRate:
    """An officer enters a dated rate (units of `currency` for one euro)."""
    if not policies.can_manage_rates(by):
        raise PermissionDenied(_("Seuls les agents de la collectivité saisissent les taux."))
    currency = _currency(currency)
    if currency == BASE:
        raise DomainError(_("L'euro est la devise de référence : pas de taux à saisir."))
    try:
        value = Decimal(str(rate))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("Le taux doit être un nombre positif.")) from exc
    if not value.is_finite() or value <= 0:
        raise DomainError(_("Le taux doit être un nombre positif."))
    if not source.strip():
        raise DomainError(_("La source du taux est obligatoire."))
    if ExchangeRate.objects.filter(currency=currency, date=on).exists():
        raise DomainError(
            _("Un taux %(currency)s du %(date)s existe déjà.")
            % {"currency": currency, "date": on.isoformat()}
        )
    row = ExchangeRate.objects.create(
        currency=currency, date=on, rate=value, source=source.strip(), entered_by=_user(by)
    )
    record_event(
        action="finance.rate.entered",
        by=by,
        subject=row,
        after={"currency": currency, "date": on.isoformat(), "rate": str(value)},
    )
    return row


def _user(by: Any) -> Any:
    return by if getattr(by, "pk", None) else None


@transaction.atomic
def load_rates(*, by: Any, text: str, origin: str = "") -> dict[str, int]:
    """Load a `currency,date,rate,source` file, all or nothing, and the fixed parities.

    A line already known with the same rate is skipped; with another rate the whole file is
    refused (a rate is never changed silently). Raises `DomainError` with every bad line."""
    if by is not None and not policies.can_manage_rates(by):
        raise PermissionDenied(_("Seuls les agents de la collectivité chargent les taux."))
    rows, errors = rates.parse_rates_csv(text)
    rows = rates.fixed_parities() + rows
    existing = {
        (c, d): r
        for c, d, r in ExchangeRate.objects.filter(
            currency__in={row.currency for row in rows}
        ).values_list("currency", "date", "rate")
    }
    new = []
    for row in rows:
        known = existing.get((row.currency, row.date))
        if known is None:
            new.append(row)
        elif known != row.rate.quantize(Decimal("0.000001")):
            errors.append(
                _("%(currency)s du %(date)s : déjà connu à %(known)s, le fichier dit %(rate)s")
                % {
                    "currency": row.currency,
                    "date": row.date.isoformat(),
                    "known": known,
                    "rate": row.rate,
                }
            )
    if errors:
        raise DomainError(errors)
    ExchangeRate.objects.bulk_create(
        [
            ExchangeRate(
                currency=row.currency,
                date=row.date,
                rate=row.rate,
                source=row.source,
                is_fixed=row.is_fixed,
                entered_by=_user(by),
            )
            for row in new
        ]
    )
    result = {"created": len(new), "skipped": len(rows) - len(new)}
    if new:
        anchor = ExchangeRate.objects.filter(currency=new[-1].currency, date=new[-1].date).first()
        if anchor is not None:
            record_event(
                action="finance.rates.loaded",
                by=by,
                subject=anchor,
                after={**result, "origin": origin},
            )
    return result


# --- budget and transactions ------------------------------------------------------------------


def set_budget_line(
    *,
    project: Project,
    by: Any,
    year: int,
    category: str,
    amount: Any,
    currency: str = BASE,
    label: str = "",
    line: BudgetLine | None = None,
    reason: str = "",
    revision: int | None = None,
) -> BudgetLine:
    """Add a budget line, or change `line` (same project); the history keeps every field
    before and after, and the reason given."""
    if category not in BudgetCategory.values:
        raise DomainError(_("Catégorie budgétaire inconnue : %(c)s.") % {"c": category})
    values = {
        "year": _year(year),
        "category": category,
        "amount": _amount(amount),
        "currency": _currency(currency),
        "label": label.strip(),
    }
    with shared_change(project=project, by=by, kind="finance.budget", fields={"budget"}) as change:
        before: dict[str, Any] = {}
        check_revision(line, revision, by=by)
        if line is None:
            line = BudgetLine(project=project, **values)
            check_revision(line, revision, by=by)
            line.save()
        else:
            if line.project_id != project.pk:
                raise DomainError(_("Cette ligne n'appartient pas à ce projet."))
            before = _budget_snapshot(line)
            for key, value in values.items():
                setattr(line, key, value)
            line.save()
        change.record(
            action="finance.budget.set",
            before=before,
            after=_budget_snapshot(line),
            reason=reason.strip(),
        )
    return line


def _budget_snapshot(line: BudgetLine) -> dict[str, Any]:
    return {
        "year": line.year,
        "category": line.category,
        "label": line.label,
        "amount": str(line.amount),
        "currency": line.currency,
    }


def remove_budget_line(*, line: BudgetLine, by: Any, reason: str = "") -> None:
    with shared_change(
        project=line.project, by=by, kind="finance.budget", fields={"budget"}
    ) as change:
        before = _budget_snapshot(line)
        line.delete()
        change.record(
            action="finance.budget.removed", before=before, after={}, reason=reason.strip()
        )


@transaction.atomic
def record_transaction(
    *,
    project: Project,
    by: Any,
    kind: str,
    value_date: date,
    amount: Any,
    currency: str,
    description: str,
    category: str = "",
    source: FundingSource | None = None,
    host_funds: bool = True,
) -> Transaction:
    policies.require_edit_finance(by, project)
    if kind not in Transaction.Kind.values:
        raise DomainError(_("Nature d'opération inconnue : %(k)s.") % {"k": kind})
    if category and category not in BudgetCategory.values:
        raise DomainError(_("Catégorie budgétaire inconnue : %(c)s.") % {"c": category})
    if not description.strip():
        raise DomainError(_("L'objet de l'opération est obligatoire."))
    if source is not None and source.project_id != project.pk:
        raise DomainError(_("Cette source de financement n'appartient pas à ce projet."))
    tx = Transaction.objects.create(
        project=project,
        kind=kind,
        value_date=value_date,
        amount=_amount(amount, positive=True),
        currency=_currency(currency),
        description=description.strip(),
        category=category,
        source=source,
        host_funds=host_funds,
    )
    record_event(
        action="finance.transaction.recorded",
        by=by,
        subject=project,
        after={
            "transaction": tx.pk,
            "kind": kind,
            "value_date": value_date.isoformat(),
            "amount": str(tx.amount),
            "currency": tx.currency,
        },
    )
    return tx


@transaction.atomic
def attach_document(*, transaction_: Transaction, by: Any, upload: Any) -> TransactionDocument:
    """Attach a supporting document, checked by its content (PDF, PNG, JPEG; size limit)."""
    project = transaction_.project
    policies.require_edit_finance(by, project)
    checked = check_upload(upload)
    document = TransactionDocument(
        transaction=transaction_,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        uploaded_by=_user(by),
    )
    document.file.save(checked.stored_name, ContentFile(checked.content), save=False)
    try:
        document.save()
        record_event(
            action="finance.document.attached",
            by=by,
            subject=project,
            after={"transaction": transaction_.pk, "document": document.original_name},
        )
    except BaseException:
        # Nothing recorded: no file left behind either.
        document.file.delete(save=False)
        raise
    return document


# --- funding plan -----------------------------------------------------------------------------


def set_funding_plan(
    *, project: Project, by: Any, rates_date: date, notes: str = "", revision: int | None = None
) -> FundingPlan:
    with shared_change(
        project=project, by=by, kind="finance.plan", fields={"funding_plan"}
    ) as change:
        plan = FundingPlan.objects.filter(project=project).first()
        check_revision(plan, revision, by=by)
        created = plan is None
        if plan is None:
            plan = FundingPlan(project=project, rates_date=rates_date, notes=notes)
            check_revision(plan, revision, by=by)
        before = {} if created else {"rates_date": plan.rates_date.isoformat()}
        plan.rates_date, plan.notes = rates_date, notes
        plan.save()
        change.record(
            action="finance.plan.set", before=before, after={"rates_date": rates_date.isoformat()}
        )
    return plan


def add_funding_source(
    *,
    project: Project,
    by: Any,
    kind: str,
    label: str,
    amount: Any,
    currency: str = BASE,
    status: str = SourceStatus.PLANNED,
    side: str = "",
    organisation: Organisation | None = None,
    in_kind: bool = False,
    call: str = "",
) -> FundingSource:
    if kind not in SourceKind.values:
        raise DomainError(_("Origine de financement inconnue : %(k)s.") % {"k": kind})
    if status not in SourceStatus.values:
        raise DomainError(_("Statut inconnu : %(s)s.") % {"s": status})
    side = side or DEFAULT_SIDE[SourceKind(kind)]
    if side not in Side.values:
        raise DomainError(_("Côté inconnu : %(s)s.") % {"s": side})
    if call:
        try:
            calls.get(call)
        except calls.UnknownCall as exc:
            known = ", ".join(key for key, _title in calls.choices())
            raise DomainError(
                _("Appel à projets inconnu : %(call)s (connus : %(known)s).")
                % {"call": call, "known": known}
            ) from exc
    if not label.strip():
        raise DomainError(_("L'intitulé de la source est obligatoire."))
    with shared_change(
        project=project, by=by, kind="finance.plan", fields={"funding_plan"}
    ) as change:
        source = FundingSource.objects.create(
            project=project,
            kind=kind,
            side=side,
            organisation=organisation,
            label=label.strip(),
            amount=_amount(amount),
            currency=_currency(currency),
            status=status,
            in_kind=in_kind,
            call=call,
        )
        change.record(
            action="finance.source.recorded",
            after={
                "source": source.pk,
                "kind": kind,
                "amount": str(source.amount),
                "currency": source.currency,
                "status": status,
                "call": call,
            },
        )
    return source


def set_source_status(
    *, source: FundingSource, by: Any, status: str, revision: int | None = None
) -> FundingSource:
    if status not in SourceStatus.values:
        raise DomainError(_("Statut inconnu : %(s)s.") % {"s": status})
    with shared_change(
        project=source.project, by=by, kind="finance.plan", fields={"funding_plan"}
    ) as change:
        check_revision(source, revision, by=by)
        before = {"status": source.status}
        source.status = status
        source.save(update_fields=["status", "updated_at"])
        change.record(
            action="finance.source.status",
            before=before,
            after={"source": source.pk, "status": status},
        )
    return source


# --- in kind ----------------------------------------------------------------------------------


def record_sponsorship(
    *,
    project: Project,
    by: Any,
    company: Organisation,
    employee: str,
    start_date: date,
    end_date: date,
    days: Any,
    daily_cost: Any,
    skills: str = "",
    receipt_number: str = "",
) -> SkillsSponsorship:
    """A company's skills sponsorship (PRE-5): valued at cost within the CGI 238 bis cap."""
    if company.kind != Organisation.Kind.COMPANY:
        raise DomainError(_("Le mécénat de compétences est apporté par une entreprise."))
    if end_date < start_date:
        raise DomainError(_("La fin précède le début."))
    if not employee.strip():
        raise DomainError(_("Le salarié mis à disposition est obligatoire."))
    n_days = _amount(days, positive=True, label=_("Le nombre de jours"))
    if n_days > (end_date - start_date).days + 1:
        raise DomainError(_("Plus de jours que la période n'en compte."))
    with shared_change(
        project=project, by=by, kind="finance.in_kind", fields={"funding_plan"}
    ) as change:
        row = SkillsSponsorship.objects.create(
            project=project,
            company=company,
            employee=employee.strip(),
            skills=skills.strip(),
            start_date=start_date,
            end_date=end_date,
            days=n_days,
            daily_cost=_amount(daily_cost),
            receipt_number=receipt_number.strip(),
        )
        change.record(
            action="finance.sponsorship.recorded",
            after={"sponsorship": row.pk, "company": company.pk, "days": str(n_days)},
        )
    return row


def record_staff_time(
    *,
    project: Project,
    by: Any,
    staff_member: str,
    skills: str,
    year: int,
    days: Any,
    daily_rate: Any,
    mission: str = "",
    service: Service | None = None,
) -> StaffTime:
    """Days the department's staff give to a project or mission (PRE-4), valued."""
    if not staff_member.strip() or not skills.strip():
        raise DomainError(_("L'agent et les compétences mobilisées sont obligatoires."))
    with shared_change(
        project=project, by=by, kind="finance.in_kind", fields={"funding_plan"}
    ) as change:
        row = StaffTime.objects.create(
            project=project,
            staff_member=staff_member.strip(),
            skills=skills.strip(),
            mission=mission.strip(),
            service=service,
            year=_year(year),
            days=_amount(days, positive=True, label=_("Le nombre de jours")),
            daily_rate=_amount(daily_rate),
        )
        change.record(
            action="finance.staff_time.recorded",
            after={"staff_time": row.pk, "days": str(row.days), "year": row.year},
        )
    return row


@transaction.atomic
def set_declaration_profile(
    *, project: Project, by: Any, channel_code: str, aid_type: str, action_type: str
) -> DeclarationProfile:
    policies.require_edit_finance(by, project)
    if not (channel_code.isdigit() and len(channel_code) == 5):
        raise DomainError(_("Le canal est un code CRS à cinq chiffres (par exemple 11004)."))
    if aid_type not in DeclarationProfile.AidType.values:
        raise DomainError(_("Type d'aide inconnu : %(t)s.") % {"t": aid_type})
    if action_type not in DeclarationProfile.ActionType.values:
        raise DomainError(_("Type d'action inconnu : %(t)s.") % {"t": action_type})
    profile, _created = DeclarationProfile.objects.update_or_create(
        project=project,
        defaults={"channel_code": channel_code, "aid_type": aid_type, "action_type": action_type},
    )
    record_event(
        action="finance.declaration.set",
        by=by,
        subject=project,
        after={"channel": channel_code, "aid_type": aid_type, "action_type": action_type},
    )
    return profile


# --- the partnership's ledger -----------------------------------------------------------------


def _require_ledger(by: Any, partnership: Partnership) -> None:
    if not policies.can_edit_ledger(by, partnership):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce partenariat."))


def _partner_org(partnership: Partnership, organisation: Organisation) -> None:
    if organisation.pk == partnership.host_id:
        raise DomainError(
            _(
                "Les recettes suivies ici sont celles des organisations partenaires, pas de la "
                "collectivité hôte."
            )
        )


@transaction.atomic
def record_partner_revenue(
    *,
    partnership: Partnership,
    by: Any,
    organisation: Organisation,
    year: int,
    kind: str,
    label: str,
    amount: Any,
    currency: str,
) -> PartnerRevenue:
    """A partner organisation's own revenue or external funding found, for a year (PRJ-11)."""
    _require_ledger(by, partnership)
    _partner_org(partnership, organisation)
    if kind not in PartnerRevenue.Kind.values:
        raise DomainError(_("Nature de recette inconnue : %(k)s.") % {"k": kind})
    if not label.strip():
        raise DomainError(_("L'origine de la recette est obligatoire."))
    row = PartnerRevenue.objects.create(
        partnership=partnership,
        organisation=organisation,
        year=_year(year),
        kind=kind,
        label=label.strip(),
        amount=_amount(amount),
        currency=_currency(currency),
    )
    record_event(
        action="finance.revenue.recorded",
        by=by,
        subject=partnership,
        after={
            "revenue": row.pk,
            "year": row.year,
            "kind": kind,
            "amount": str(row.amount),
            "currency": row.currency,
        },
    )
    return row


@transaction.atomic
def record_funding_search(
    *,
    partnership: Partnership,
    by: Any,
    organisation: Organisation,
    on: date,
    funder: str,
    outcome: str,
    amount: Any = None,
    currency: str = BASE,
    notes: str = "",
) -> FundingSearch:
    _require_ledger(by, partnership)
    _partner_org(partnership, organisation)
    if outcome not in FundingSearch.Outcome.values:
        raise DomainError(_("Issue inconnue : %(o)s.") % {"o": outcome})
    if not funder.strip():
        raise DomainError(_("Le bailleur sollicité est obligatoire."))
    row = FundingSearch.objects.create(
        partnership=partnership,
        organisation=organisation,
        date=on,
        funder=funder.strip(),
        amount=None if amount in (None, "") else _amount(amount),
        currency=_currency(currency),
        outcome=outcome,
        notes=notes,
    )
    record_event(
        action="finance.search.recorded",
        by=by,
        subject=partnership,
        after={"search": row.pk, "funder": row.funder, "outcome": outcome},
    )
    return row


def _objective_codes() -> set[str]:
    try:
        return {o.code for o in engine.objectives()}
    except engine.CharterNotLoaded:
        return set()


@transaction.atomic
def record_exchange(
    *,
    partnership: Partnership,
    by: Any,
    kind: str,
    direction: str,
    title: str,
    start_date: date,
    end_date: date,
    competences: str,
    benefits_partner: str,
    benefits_host: str,
    objectives: list[str],
    participants: Mapping[tuple[str, str], int],
    place: str = "",
    project: Project | None = None,
) -> Exchange:
    """An exchange of the reciprocity ledger (PRI-3, FND-1, OBJ-1, OBJ-3): its direction, its
    participants by sex and age, what each side shares and gains, the charter objectives."""
    _require_ledger(by, partnership)
    errors: list[str] = []
    if kind not in Exchange.Kind.values:
        errors.append(_("Nature d'échange inconnue : %(k)s.") % {"k": kind})
    if direction not in Exchange.Direction.values:
        errors.append(_("Sens inconnu : %(d)s.") % {"d": direction})
    if not title.strip():
        errors.append(_("L'intitulé de l'échange est obligatoire."))
    if end_date < start_date:
        errors.append(_("La fin précède le début."))
    if not competences.strip():
        errors.append(_("Dites quelles compétences sont partagées."))
    if not benefits_partner.strip() or not benefits_host.strip():
        errors.append(_("Dites ce que l'échange apporte à chacun des deux territoires."))
    known = _objective_codes()
    unknown = sorted(set(objectives) - known)
    if unknown:
        errors.append(
            _("Objectifs inconnus de la charte en vigueur : %(codes)s (connus : %(known)s).")
            % {"codes": ", ".join(unknown), "known": ", ".join(sorted(known)) or "—"}
        )
    if not objectives:
        errors.append(_("Rattachez l'échange à au moins un objectif de la charte."))
    for (sex, age), count in participants.items():
        if sex not in Sex.values or age not in AgeBand.values or int(count) < 0:
            errors.append(
                _("Groupe de participants invalide : %(sex)s / %(age)s.") % {"sex": sex, "age": age}
            )
    if project is not None and project.partnership_id != partnership.pk:
        errors.append(_("Ce projet n'appartient pas à ce partenariat."))
    if errors:
        raise DomainError(errors)
    exchange = Exchange.objects.create(
        partnership=partnership,
        project=project,
        kind=kind,
        direction=direction,
        title=title.strip(),
        start_date=start_date,
        end_date=end_date,
        place=place.strip(),
        competences=competences.strip(),
        benefits_partner=benefits_partner.strip(),
        benefits_host=benefits_host.strip(),
        objectives=sorted(set(objectives)),
    )
    ExchangeParticipants.objects.bulk_create(
        [
            ExchangeParticipants(exchange=exchange, sex=sex, age_band=age, count=int(count))
            for (sex, age), count in participants.items()
            if int(count) > 0
        ]
    )
    record_event(
        action="finance.exchange.recorded",
        by=by,
        subject=partnership,
        after={
            "exchange": exchange.pk,
            "kind": kind,
            "direction": direction,
            "objectives": exchange.objectives,
            "participants": sum(int(c) for c in participants.values()),
        },
    )
    return exchange
