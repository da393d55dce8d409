"""Every write on a project's results: keyword-only, explicit `by=`, one transaction, a policy
check, one audit event.

The framework and the evaluation plan are shared content: they are written through the
project's pipeline (`projects.services.begin_shared_change`, kinds `results.framework` and
`results.plan`), whose guards may refuse and whose handlers react — ours (`pipeline`)
withdraws the partners' validation of what changed and opens its next version.

Reporting has its own review loop (draft → submitted → returned → approved) and does not
withdraw any validation: it locks the project row, checks the policy, writes, records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reciproca.charter import engine
from reciproca.core.exceptions import ContentFrozen, DomainError, PermissionDenied
from reciproca.core.language import join_list
from reciproca.core.models import record_event
from reciproca.core.versioning import check_revision
from reciproca.partnerships.models import Organisation
from reciproca.projects import services as project_services
from reciproca.projects.models import Project
from reciproca.results import disaggregation, notifications, policies
from reciproca.results.evidence import check_upload
from reciproca.results.gates import WOMEN, YOUNG_GROUPS
from reciproca.results.models import (
    PARENT_LEVEL,
    Comment,
    Criterion,
    Evaluation,
    EvaluationQuestion,
    Evidence,
    Indicator,
    Level,
    ManagementResponse,
    Participation,
    Period,
    Rating,
    Report,
    ResultNode,
    ResultsFramework,
    ResultsSignOff,
    TeamMember,
    Timing,
    Value,
)

FRAMEWORK = "results.framework"
PLAN = "results.plan"


def _may_edit(user: Any, project: Project) -> bool:
    policies.require(policies.can_edit(user, project))
    return True


def framework_for(project: Project) -> ResultsFramework:
    framework, _created = ResultsFramework.objects.get_or_create(project=project)
    framework.project = project
    return framework


def _begin(project: Project, by: Any, kind: str) -> tuple[Any, ResultsFramework]:
    change = project_services.begin_shared_change(
        project=project, by=by, kind=kind, permission=_may_edit
    )
    return change, framework_for(project)


def _own(framework: ResultsFramework, obj: Any, attr: str = "framework_id") -> None:
    if obj is not None and getattr(obj, attr) != framework.pk:
        raise DomainError(_("Cet élément n'appartient pas à ce projet."))


# --- the results framework (shared content) --------------------------------------------------


@transaction.atomic
def add_node(
    *,
    project: Project,
    by: Any,
    level: str,
    title: str,
    parent: ResultNode | None = None,
    description: str = "",
    led_by: Organisation | None = None,
) -> ResultNode:
    change, framework = _begin(project, by, FRAMEWORK)
    if not title.strip():
        raise DomainError(_("Indiquez l'intitulé."))
    level = Level(level)
    _own(framework, parent)
    expected = PARENT_LEVEL.get(level)
    if (parent.level if parent else None) != expected:
        raise DomainError(
            _(
                "Un élément de niveau « %(level)s » se rattache à un élément de niveau « "
                "%(parent)s »."
            )
            % {"level": level.label, "parent": Level(expected).label if expected else "—"}
            if expected
            else _("Un objectif ne se rattache à aucun autre élément.")
        )
    if led_by is not None and led_by.pk not in {p.organisation_id for p in project.partners.all()}:
        raise DomainError(_("L'activité est conduite par une organisation partenaire du projet."))
    node = ResultNode.objects.create(
        framework=framework,
        parent=parent,
        level=level,
        title=title.strip(),
        description=description.strip(),
        led_by=led_by if level == Level.ACTIVITY else None,
        position=framework.nodes.count(),
    )
    change.record(
        action="results.node.added",
        after={"level": level, "title": node.title, "version": framework.version},
    )
    return node


@transaction.atomic
def remove_node(*, project: Project, by: Any, node: ResultNode) -> None:
    change, framework = _begin(project, by, FRAMEWORK)
    _own(framework, node)
    if Value.objects.filter(indicator__node__in=_subtree(node)).exists():
        raise DomainError(_("Des valeurs ont été déclarées sous cet élément : il reste au cadre."))
    title = node.title
    node.delete()
    change.record(action="results.node.removed", before={"title": title})


def _subtree(node: ResultNode) -> list[int]:
    ids, frontier = [node.pk], [node.pk]
    while frontier:
        frontier = list(
            ResultNode.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def dimensions_from_templates(
    names: Iterable[str], custom: Mapping[str, list[str]] | None = None
) -> dict[str, list[str]]:
    """The dimensions of an indicator: the charter's templates named, then custom ones."""
    templates = engine.rule("disaggregation_templates")
    dims: dict[str, list[str]] = {}
    for name in names:
        if name not in templates:
            raise DomainError(_("Dimension de ventilation inconnue : %(name)s.") % {"name": name})
        dims[name] = list(templates[name])
    for name, values in (custom or {}).items():
        clean = [v.strip() for v in values if v.strip()]
        if not name.strip() or len(clean) < 2 or len(set(clean)) != len(clean):
            raise DomainError(
                _("Une dimension de ventilation a un nom et au moins deux modalités distinctes.")
            )
        if any(disaggregation.SEP in v for v in clean):
            raise DomainError(_("Une modalité ne contient pas le caractère « | »."))
        dims[name.strip()] = clean
    return dims


@transaction.atomic
def add_indicator(
    *,
    project: Project,
    by: Any,
    node: ResultNode,
    title: str,
    kind: str,
    aggregation: str,
    unit: str = "",
    baseline: Decimal | None = None,
    baseline_date: date | None = None,
    family: str = Indicator.Family.GENERAL,
    sdg_targets: Iterable[Any] = (),
    dimensions: Mapping[str, list[str]] | None = None,
    scale: Iterable[str] = (),
) -> Indicator:
    change, framework = _begin(project, by, FRAMEWORK)
    levels = [str(level).strip() for level in scale if str(level).strip()]
    if levels and kind != Indicator.Kind.QUALITATIVE:
        raise DomainError(_("Seul un indicateur qualitatif a une échelle de niveaux."))
    if levels and (len(levels) < 2 or len(set(levels)) != len(levels)):
        raise DomainError(_("Une échelle a au moins deux niveaux distincts."))
    if any(len(level) > 120 for level in levels):
        raise DomainError(_("Un niveau de l'échelle tient en 120 caractères."))
    _own(framework, node)
    if node.level == Level.OBJECTIVE and family != Indicator.Family.GOVERNANCE:
        pass  # an objective may carry impact indicators too
    if not title.strip():
        raise DomainError(_("Indiquez l'intitulé de l'indicateur."))
    indicator = Indicator.objects.create(
        node=node,
        title=title.strip(),
        kind=Indicator.Kind(kind),
        aggregation=Indicator.Aggregation(aggregation),
        unit=unit.strip(),
        baseline=baseline,
        baseline_date=baseline_date,
        family=Indicator.Family(family),
        dimensions=dict(dimensions or {}),
        scale=levels,
        position=Indicator.objects.filter(node__framework=framework).count(),
    )
    indicator.sdg_targets.set(list(sdg_targets))
    change.record(
        action="results.indicator.added",
        after={
            "title": indicator.title,
            "kind": kind,
            "aggregation": aggregation,
            **({"scale": levels} if levels else {}),
            "version": framework.version,
        },
    )
    return indicator


@transaction.atomic
def add_period(*, project: Project, by: Any, label: str, start: date, end: date) -> Period:
    change, framework = _begin(project, by, FRAMEWORK)
    if end < start:
        raise DomainError(_("La fin de la période précède son début."))
    if framework.periods.filter(start__lte=end, end__gte=start).exists():
        raise DomainError(_("Cette période chevauche une période existante."))
    period = Period.objects.create(
        framework=framework, label=label.strip() or str(start), start=start, end=end
    )
    Report.objects.create(period=period)
    change.record(action="results.period.added", after={"period": period.label})
    return period


@transaction.atomic
def set_target(
    *, project: Project, by: Any, indicator: Indicator, period: Period, value: Decimal
) -> None:
    change, framework = _begin(project, by, FRAMEWORK)
    _own(framework, indicator.node)
    _own(framework, period)
    old = indicator.targets.filter(period=period).values_list("value", flat=True).first()
    indicator.targets.update_or_create(period=period, defaults={"value": value})
    change.record(
        action="results.target.set",
        before={"target": str(old)} if old is not None else {},
        after={"indicator": indicator.title, "period": period.label, "target": str(value)},
    )


@transaction.atomic
def set_alignment(
    *,
    project: Project,
    by: Any,
    development_plan: str = "",
    development_plan_reference: str = "",
    development_plan_objectives: str = "",
    actors_host: str = "",
    actors_partner: str = "",
    revision: int | None = None,
) -> ResultsFramework:
    """PRJ-10: the partner's development plan the project serves, the actors of both sides."""
    change, framework = _begin(project, by, FRAMEWORK)
    check_revision(framework, revision, by=by)
    fields = {
        "development_plan": development_plan.strip(),
        "development_plan_reference": development_plan_reference.strip(),
        "development_plan_objectives": development_plan_objectives.strip(),
        "actors_host": actors_host.strip(),
        "actors_partner": actors_partner.strip(),
    }
    before = {k: getattr(framework, k) for k in fields}
    for key, value in fields.items():
        setattr(framework, key, value)
    framework.save()
    change.record(action="results.alignment.updated", before=before, after=fields)
    return framework


# --- the evaluation plan (shared content, PRJ-5) ------------------------------------------------


@transaction.atomic
def update_plan(
    *,
    project: Project,
    by: Any,
    timings: Iterable[str],
    participants: str = "",
    cost: Decimal | None = None,
    currency: str = "EUR",
    revision: int | None = None,
) -> ResultsFramework:
    change, framework = _begin(project, by, PLAN)
    check_revision(framework, revision, by=by)
    chosen = [Timing(t).value for t in timings]
    if cost is not None and cost < 0:
        raise DomainError(_("Le coût de l'évaluation ne peut pas être négatif."))
    before = {"timings": framework.plan_timings, "cost": str(framework.plan_cost)}
    framework.plan_timings = sorted(set(chosen), key=list(Timing.values).index)
    framework.plan_participants = participants.strip()
    framework.plan_cost = cost
    framework.plan_currency = currency
    framework.save()
    change.record(
        action="results.plan.updated",
        before=before,
        after={
            "timings": framework.plan_timings,
            "cost": str(cost),
            "version": framework.plan_version,
        },
    )
    return framework


@transaction.atomic
def add_question(*, project: Project, by: Any, criterion: str, text: str) -> EvaluationQuestion:
    change, framework = _begin(project, by, PLAN)
    if not text.strip():
        raise DomainError(_("Rédigez la question d'évaluation."))
    question = EvaluationQuestion.objects.create(
        framework=framework, criterion=Criterion(criterion), text=text.strip()
    )
    change.record(
        action="results.question.added", after={"criterion": criterion, "text": question.text}
    )
    return question


@transaction.atomic
def add_team_member(
    *, project: Project, by: Any, name: str, organisation: Organisation, role: str = ""
) -> TeamMember:
    change, framework = _begin(project, by, PLAN)
    if organisation.pk not in {p.organisation_id for p in project.partners.all()}:
        raise DomainError(
            _(
                "Un membre de l'équipe d'évaluation appartient à une organisation partenaire du "
                "projet."
            )
        )
    if not name.strip():
        raise DomainError(_("Indiquez le nom du membre de l'équipe."))
    member = TeamMember.objects.create(
        framework=framework, name=name.strip(), organisation=organisation, role=role.strip()
    )
    change.record(
        action="results.team.added", after={"name": member.name, "organisation": str(organisation)}
    )
    return member


# --- sign-offs of the framework and the plan -------------------------------------------------


def _may_sign(user: Any, project: Project) -> bool:
    if not policies.can_sign_off(user, project):
        raise PermissionDenied(
            _("Seul un utilisateur d'une organisation co-maître d'ouvrage peut valider.")
        )
    return True


@transaction.atomic
def sign_off(*, project: Project, by: Any, subject: str) -> ResultsSignOff:
    """The actor's organisation validates the current version of the framework or the plan."""
    subject = ResultsSignOff.Subject(subject)
    project_services.begin_shared_change(
        project=project, by=by, kind=f"results.signoff.{subject.lower()}", permission=_may_sign
    )
    framework = framework_for(project)
    version = (
        framework.version if subject == ResultsSignOff.Subject.FRAMEWORK else framework.plan_version
    )
    if ResultsSignOff.objects.filter(
        framework=framework,
        subject=subject,
        organisation_id=by.organisation_id,
        withdrawn_at__isnull=True,
    ).exists():
        raise DomainError(
            _("%(org)s a déjà validé la version %(version)s.")
            % {"org": by.organisation, "version": version}
        )
    signoff = ResultsSignOff.objects.create(
        framework=framework,
        subject=subject,
        version=version,
        organisation_id=by.organisation_id,
        signed_by=by,
    )
    record_event(
        action=f"results.{subject.lower()}.signed_off",
        by=by,
        subject=project,
        after={"organisation": str(by.organisation), "version": version}
        | project_services.charter_record(project, ["start_implementation"]),
    )
    return signoff


def withdraw_on_change(change: project_services.SharedChange) -> None:
    """The pipeline's handler: a change of the framework (or the plan) withdraws the live
    validations of it and opens its next version (PRJ-8: validated with every partner)."""
    if change.kind not in (FRAMEWORK, PLAN):
        return
    subject = (
        ResultsSignOff.Subject.FRAMEWORK
        if change.kind == FRAMEWORK
        else ResultsSignOff.Subject.PLAN
    )
    framework = ResultsFramework.objects.filter(project=change.project).first()
    if framework is None:
        return
    live = list(
        ResultsSignOff.objects.filter(
            framework=framework, subject=subject, withdrawn_at__isnull=True
        ).select_related("organisation")
    )
    if not live:
        return
    reason = (
        _("Le cadre de résultats a été modifié par %(user)s.")
        if change.kind == FRAMEWORK
        else _("Le dispositif d'évaluation a été modifié par %(user)s.")
    ) % {"user": change.by}
    ResultsSignOff.objects.filter(pk__in=[s.pk for s in live]).update(
        withdrawn_at=timezone.now(), withdrawn_reason=reason
    )
    field = "version" if change.kind == FRAMEWORK else "plan_version"
    setattr(framework, field, getattr(framework, field) + 1)
    framework.save(update_fields=[field, "updated_at"])
    record_event(
        action=f"results.{subject.lower()}.signoffs_withdrawn",
        by=change.by,
        subject=change.project,
        reason=reason,
        before={"signed_by": sorted(s.organisation.name for s in live)},
        after={"version": getattr(framework, field)},
    )


def results_freeze(change: project_services.SharedChange) -> None:
    """The pipeline's guard: nothing of the results changes on a closed or suspended project."""
    if not change.kind.startswith("results."):
        return
    reason = policies.frozen_reason(change.project)
    if reason:
        raise ContentFrozen(reason)


# --- partner reporting ------------------------------------------------------------------------


def _lock_for_report(project: Project, by: Any, allowed: bool) -> ResultsFramework:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    project.stage, project.is_suspended = locked.stage, locked.is_suspended
    policies.require(allowed)
    reason = policies.frozen_reason(project)
    if reason:
        raise ContentFrozen(reason)
    return framework_for(project)


def _report(period: Period) -> Report:
    report, _created = Report.objects.select_for_update().get_or_create(period=period)
    return report


def report_value(
    *,
    project: Project,
    by: Any,
    indicator: Indicator,
    period: Period,
    value: Decimal | None = None,
    breakdown: Mapping[str, Any] | None = None,
    narrative: str = "",
    level: str = "",
    reason: str = "",
) -> Value:
    """Enter (or correct) an indicator's value for a period.

    While the report is a draft or returned, the current revision is replaced; once it is
    approved the period is locked and a correction is a new revision with its reason (the old
    one kept), which puts the report back under review. A submitted report waits for review."""
    with transaction.atomic():
        framework = _lock_for_report(project, by, policies.can_report(by, project))
        return _write_value(
            project=project,
            framework=framework,
            by=by,
            indicator=indicator,
            period=period,
            value=value,
            breakdown=breakdown,
            narrative=narrative,
            level=level,
            reason=reason,
        )


def _write_value(
    *,
    project: Project,
    framework: ResultsFramework,
    by: Any,
    indicator: Indicator,
    period: Period,
    value: Decimal | None,
    breakdown: Mapping[str, Any] | None,
    narrative: str,
    reason: str,
    level: str = "",
) -> Value:
    _own(framework, indicator.node)
    _own(framework, period)
    report = _report(period)
    if report.state == Report.State.SUBMITTED:
        raise DomainError(
            _("Le rapport de la période « %(period)s » est soumis : il attend son examen.")
            % {"period": period.label}
        )
    if indicator.kind == Indicator.Kind.QUANTITATIVE:
        if value is None:
            raise DomainError(
                _("Indiquez la valeur de l'indicateur « %(title)s ».") % {"title": indicator.title}
            )
        parts = disaggregation.check_breakdown(indicator.dimensions, value, breakdown or {})
    elif indicator.scale:
        level = level.strip()
        if level not in indicator.scale:
            raise DomainError(
                _("Choisissez le niveau de l'indicateur « %(title)s » parmi : %(levels)s.")
                % {"title": indicator.title, "levels": join_list(indicator.scale)}
            )
        parts = {}
    else:
        level = ""
        if not narrative.strip():
            raise DomainError(
                _("Décrivez la valeur de l'indicateur « %(title)s ».") % {"title": indicator.title}
            )
        parts = {}
    if indicator.kind == Indicator.Kind.QUANTITATIVE:
        level = ""
    current = Value.objects.filter(indicator=indicator, period=period, is_current=True).first()
    locked = report.state == Report.State.APPROVED
    if locked and not reason.strip():
        raise ContentFrozen(
            _(
                "La période « %(period)s » est approuvée et verrouillée : une correction est une "
                "nouvelle révision, avec son motif."
            )
            % {"period": period.label}
        )
    before = (
        {"value": _shown(current.value, current.level), "revision": current.revision}
        if current
        else {}
    )
    if current is not None and not locked:
        current.value, current.breakdown, current.narrative = value, parts, narrative.strip()
        current.level = level
        current.entered_by = by
        current.save()
        row = current
    else:
        revision = 1
        if current is not None:
            revision = current.revision + 1
            Value.objects.filter(pk=current.pk).update(is_current=False)
        row = Value.objects.create(
            indicator=indicator,
            period=period,
            revision=revision,
            value=value,
            breakdown=parts,
            narrative=narrative.strip(),
            level=level,
            reason=reason.strip(),
            entered_by=by,
        )
    if locked:
        report.state = Report.State.SUBMITTED
        report.submitted_by = by
        report.save()
        notifications.notify_reviewers(project, period, by, code="corrected")
    record_event(
        action="results.value.corrected" if locked else "results.value.reported",
        by=by,
        subject=project,
        reason=reason.strip(),
        before=before,
        after={
            "indicator": indicator.title,
            "period": period.label,
            "value": _shown(value, level),
            "revision": row.revision,
        },
    )
    return row


def _shown(value: Decimal | None, level: str) -> str:
    """A value as the history shows it: the number, or the level of the scale."""
    if value is not None:
        return str(value)
    return level


def report_values(
    *, project: Project, by: Any, period: Period, entries: list[dict[str, Any]]
) -> list[Value]:
    """Several values at once (the spreadsheet): all are written or none."""
    with transaction.atomic():
        framework = _lock_for_report(project, by, policies.can_report(by, project))
        return [
            _write_value(project=project, framework=framework, by=by, period=period, **entry)
            for entry in entries
        ]


@transaction.atomic
def add_evidence(*, project: Project, by: Any, value: Value, upload: UploadedFile) -> Evidence:
    framework = _lock_for_report(project, by, policies.can_report(by, project))
    _own(framework, value.indicator.node)
    content_type = check_upload(upload)
    evidence = Evidence(
        value=value,
        name=upload.name[:255] if upload.name else "piece",
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=by,
    )
    evidence.file.save(upload.name or "piece", upload, save=False)
    evidence.save()
    record_event(
        action="results.evidence.added",
        by=by,
        subject=project,
        after={"indicator": value.indicator.title, "file": evidence.name, "type": content_type},
    )
    return evidence


@transaction.atomic
def add_comment(
    *, project: Project, by: Any, indicator: Indicator, period: Period, text: str
) -> Comment:
    framework = _lock_for_report(
        project, by, policies.can_view(by, project) and policies.can_report(by, project)
    )
    _own(framework, indicator.node)
    _own(framework, period)
    if not text.strip():
        raise DomainError(_("Rédigez le commentaire."))
    comment = Comment.objects.create(
        indicator=indicator, period=period, author=by, text=text.strip()
    )
    record_event(
        action="results.comment.added",
        by=by,
        subject=project,
        after={"indicator": indicator.title, "period": period.label},
    )
    return comment


@transaction.atomic
def submit_report(*, project: Project, by: Any, period: Period) -> Report:
    framework = _lock_for_report(project, by, policies.can_report(by, project))
    _own(framework, period)
    report = _report(period)
    if report.state not in (Report.State.DRAFT, Report.State.RETURNED):
        raise DomainError(_("Ce rapport n'est pas un brouillon : il ne peut pas être soumis."))
    reported = Value.objects.filter(period=period, is_current=True).values("indicator_id")
    missing = Indicator.objects.filter(node__framework=framework).exclude(pk__in=reported)
    if missing.exists():
        raise DomainError(
            [
                _("L'indicateur « %(title)s » n'a pas de valeur pour cette période.")
                % {"title": i.title}
                for i in missing
            ]
        )
    report.state, report.submitted_by = Report.State.SUBMITTED, by
    report.save()
    record_event(
        action="results.report.submitted", by=by, subject=project, after={"period": period.label}
    )
    notifications.notify_reviewers(project, period, by, code="submitted")
    return report


@transaction.atomic
def return_report(*, project: Project, by: Any, period: Period, reason: str) -> Report:
    framework = _lock_for_report(project, by, policies.can_review(by, project))
    _own(framework, period)
    if not reason.strip():
        raise DomainError(_("Indiquez le motif du renvoi."))
    report = _report(period)
    if report.state != Report.State.SUBMITTED:
        raise DomainError(_("Seul un rapport soumis peut être renvoyé."))
    report.state, report.returned_reason = Report.State.RETURNED, reason.strip()
    report.save()
    record_event(
        action="results.report.returned",
        by=by,
        subject=project,
        reason=reason.strip(),
        after={"period": period.label},
    )
    notifications.notify_reporters(project, period, by, code="returned", reason=reason.strip())
    return report


@transaction.atomic
def approve_report(*, project: Project, by: Any, period: Period) -> Report:
    framework = _lock_for_report(project, by, policies.can_review(by, project))
    _own(framework, period)
    report = _report(period)
    if report.state != Report.State.SUBMITTED:
        raise DomainError(_("Seul un rapport soumis peut être approuvé."))
    report.state, report.approved_by, report.approved_at = Report.State.APPROVED, by, timezone.now()
    report.returned_reason = ""
    report.save()
    record_event(
        action="results.report.approved", by=by, subject=project, after={"period": period.label}
    )
    notifications.notify_reporters(project, period, by, code="approved")
    return report


# --- participation (OBJ-2) ---------------------------------------------------------------------


@transaction.atomic
def record_participation(
    *,
    project: Project,
    by: Any,
    activity: ResultNode,
    held_on: date,
    label: str,
    breakdown: Mapping[str, Any],
) -> Participation:
    """Participants of an activity by sex × age group; the parts are the total."""
    framework = _lock_for_report(project, by, policies.can_report(by, project))
    _own(framework, activity)
    if activity.level != Level.ACTIVITY:
        raise DomainError(_("La participation se déclare sur une activité."))
    templates = engine.rule("disaggregation_templates")
    dims = {"sex": templates["sex"], "age_group": templates["age_group"]}
    raw_total = sum(
        (disaggregation.to_decimal(v) for v in breakdown.values() if str(v).strip()), Decimal(0)
    )
    parts = disaggregation.check_breakdown(dims, raw_total, breakdown)
    if raw_total <= 0 or raw_total != int(raw_total):
        raise DomainError(_("Indiquez un nombre entier de participants."))
    women = sum(
        int(Decimal(v)) for k, v in parts.items() if k.split(disaggregation.SEP)[0] == WOMEN
    )
    young = sum(
        int(Decimal(v)) for k, v in parts.items() if k.split(disaggregation.SEP)[1] in YOUNG_GROUPS
    )
    row = Participation.objects.create(
        activity=activity,
        held_on=held_on,
        label=label.strip() or activity.title,
        breakdown=parts,
        total=int(raw_total),
        women=women,
        young=young,
        recorded_by=by,
    )
    record_event(
        action="results.participation.recorded",
        by=by,
        subject=project,
        after={"activity": activity.title, "total": row.total, "women": women, "young": young},
    )
    return row


# --- evaluations ---------------------------------------------------------------------------------


@transaction.atomic
def record_evaluation(
    *,
    project: Project,
    by: Any,
    timing: str,
    title: str,
    ratings: Mapping[str, tuple[int, str]],
    findings: str = "",
    recommendations: str = "",
    lessons: str = "",
    completed_on: date | None = None,
) -> Evaluation:
    framework = _lock_for_report(project, by, policies.can_edit(by, project))
    if not title.strip():
        raise DomainError(_("Indiquez l'intitulé de l'évaluation."))
    errors = []
    for criterion, (score, evidence) in ratings.items():
        Criterion(criterion)
        if not 1 <= int(score) <= 4:
            errors.append(_("Une note va de 1 à 4."))
        if not evidence.strip():
            errors.append(
                _("La note « %(criterion)s » n'a pas ses éléments probants.")
                % {"criterion": Criterion(criterion).label}
            )
    if errors:
        raise DomainError(errors)
    evaluation = Evaluation.objects.create(
        framework=framework,
        timing=Timing(timing),
        title=title.strip(),
        findings=findings.strip(),
        recommendations=recommendations.strip(),
        lessons=lessons.strip(),
        completed_on=completed_on,
    )
    Rating.objects.bulk_create(
        Rating(evaluation=evaluation, criterion=c, score=int(s), evidence=e.strip())
        for c, (s, e) in ratings.items()
    )
    record_event(
        action="results.evaluation.recorded",
        by=by,
        subject=project,
        after={
            "title": evaluation.title,
            "timing": timing,
            "ratings": {c: int(s) for c, (s, _e) in ratings.items()},
        },
    )
    return evaluation


@transaction.atomic
def respond_to_evaluation(
    *, project: Project, by: Any, evaluation: Evaluation, text: str
) -> ManagementResponse:
    """Each partner's management response, for its own organisation."""
    framework = _lock_for_report(project, by, policies.can_sign_off(by, project))
    _own(framework, evaluation)
    if not text.strip():
        raise DomainError(_("Rédigez la réponse de votre organisation."))
    response, _created = ManagementResponse.objects.update_or_create(
        evaluation=evaluation,
        organisation_id=by.organisation_id,
        defaults={"text": text.strip(), "by": by},
    )
    record_event(
        action="results.evaluation.responded",
        by=by,
        subject=project,
        after={"evaluation": evaluation.title, "organisation": str(by.organisation)},
    )
    return response
