"""Every write on projects: keyword-only, one transaction, one audit event each.

Interfaces (pages, API, commands) call these and translate `DomainError` into a message.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reciproca.charter.engine import UnmetCondition
from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.core.models import record_event
from reciproca.partnerships.models import Organisation, Partnership, Programme
from reciproca.projects import policies, workflow
from reciproca.projects.models import Decision, Project, ProjectPartner, SignOff, Stage


class TransitionRefused(DomainError):
    """A transition was refused; `unmet` keeps each condition with its clause IDs."""

    def __init__(self, unmet: list[UnmetCondition]) -> None:
        self.unmet = unmet
        super().__init__([u.reason for u in unmet])


# Called as hook(old=..., new=..., by=...) when a decision opens a redesigned project, so that
# apps above this one (the diagnosis) can copy their part. Registered in AppConfig.ready().
REDESIGN_HOOKS: list[Callable[..., None]] = []
# Called as hook(project=..., by=..., reason=...) whenever shared project content changes.
CHANGE_HOOKS: list[Callable[..., None]] = []


def _snapshot(project: Project) -> dict[str, Any]:
    return {"stage": project.stage, "is_suspended": project.is_suspended}


def _next_reference(partnership: Partnership, *, start_date: date | None = None) -> str:
    """`CON-2026-004`: the partner's first letters (ASCII), the start year, a number."""
    year = (start_date or timezone.localdate()).year
    name = partnership.partner.short_name or partnership.partner.name
    letters = "".join(c for c in unicodedata.normalize("NFKD", name) if c.isascii() and c.isalpha())
    prefix = f"{letters[:3].upper() or 'PRJ'}-{year}-"
    taken = Project.objects.filter(reference__startswith=prefix).count()
    n = taken + 1
    while Project.objects.filter(reference=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def create_project(
    *,
    partnership: Partnership,
    by: Any,
    title: str,
    summary: str = "",
    objectives: str = "",
    programme: Programme | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    reference: str = "",
    partners: Iterable[tuple[Organisation, str]] | None = None,
    is_demo: bool = False,
    redesigned_from: Project | None = None,
) -> Project:
    """Register a project in a partnership; the host and the partner authority co-own it."""
    if not policies.can_create_project_in(by, partnership):
        raise PermissionDenied(_("Vous ne pouvez pas créer de projet dans ce partenariat."))
    if not title.strip():
        raise DomainError(_("Le titre du projet est obligatoire."))
    if programme is not None and programme.partnership_id != partnership.pk:
        raise DomainError(_("Le programme choisi n'appartient pas à ce partenariat."))
    if start_date and end_date and end_date < start_date:
        raise DomainError(_("La fin prévue précède le début prévu."))
    project = Project.objects.create(
        reference=reference or _next_reference(partnership, start_date=start_date),
        title=title.strip(),
        summary=summary,
        objectives=objectives,
        partnership=partnership,
        programme=programme,
        start_date=start_date,
        end_date=end_date,
        is_demo=is_demo,
        created_by=by if getattr(by, "pk", None) else None,
        redesigned_from=redesigned_from,
    )
    chosen = (
        list(partners)
        if partners is not None
        else [
            (partnership.host, ProjectPartner.Role.LEAD),
            (partnership.partner, ProjectPartner.Role.CO_OWNER),
        ]
    )
    ProjectPartner.objects.bulk_create(
        [ProjectPartner(project=project, organisation=org, role=role) for org, role in chosen]
    )
    record_event(
        action="projects.project.created",
        by=by,
        subject=project,
        after={"reference": project.reference, "title": project.title, "stage": project.stage},
    )
    return project


EDITABLE_FIELDS = frozenset(
    {
        "title_fr",
        "title_en",
        "title_ar",
        "title_hy",
        "summary_fr",
        "summary_en",
        "summary_ar",
        "summary_hy",
        "objectives_fr",
        "objectives_en",
        "objectives_ar",
        "objectives_hy",
        "title",
        "summary",
        "objectives",
        "programme",
        "start_date",
        "end_date",
    }
)


@transaction.atomic
def update_project(*, project: Project, by: Any, reason: str = "", **changes: Any) -> Project:
    """Change the project's own fields; a change withdraws live sign-offs of the stage."""
    if not policies.can_edit_project(by, project):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce projet."))
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(_("Champs non modifiables : %(f)s.") % {"f": ", ".join(sorted(unknown))})
    programme = changes.get("programme", project.programme)
    if programme is not None and programme.partnership_id != project.partnership_id:
        raise DomainError(_("Le programme choisi n'appartient pas à ce partenariat."))
    start = changes.get("start_date", project.start_date)
    end = changes.get("end_date", project.end_date)
    if start and end and end < start:
        raise DomainError(_("La fin prévue précède le début prévu."))
    before, after = {}, {}
    for field, value in changes.items():
        old = getattr(project, field)
        if old != value:
            before[field] = str(old) if old is not None else None
            after[field] = str(value) if value is not None else None
            setattr(project, field, value)
    if not after:
        return project
    if not str(project.title_fr or project.title or "").strip():
        raise DomainError(_("Le titre du projet est obligatoire."))
    project.save()
    record_event(
        action="projects.project.updated",
        by=by,
        subject=project,
        reason=reason,
        before=before,
        after=after,
    )
    notify_shared_change(project=project, by=by, reason=_("Le projet a été modifié."))
    return project


def notify_shared_change(*, project: Project, by: Any, reason: str) -> None:
    """Shared content changed: withdraw the stage's live sign-offs and tell the hooks."""
    withdraw_signoffs(project=project, stage=Stage(project.stage), by=by, reason=reason)
    for hook in CHANGE_HOOKS:
        hook(project=project, by=by, reason=reason)


@transaction.atomic
def set_project_tags(
    *,
    project: Project,
    by: Any,
    themes: Iterable[Any] | None = None,
    sdg_targets: Iterable[Any] | None = None,
    purpose_codes: Iterable[Any] | None = None,
    locations: Iterable[Any] | None = None,
    services: Iterable[Any] | None = None,
    elected_officials: Iterable[Any] | None = None,
) -> Project:
    """Set the charter themes, SDG targets, purpose codes, places and people of a project."""
    if not policies.can_edit_project(by, project):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce projet."))
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    for name, values in (
        ("themes", themes),
        ("sdg_targets", sdg_targets),
        ("purpose_codes", purpose_codes),
        ("locations", locations),
        ("services", services),
        ("elected_officials", elected_officials),
    ):
        if values is None:
            continue
        manager = getattr(project, name)
        old = sorted({str(o) for o in manager.all()})
        values = list(values)
        manager.set(values)
        new = sorted({str(o) for o in values})
        if old != new:
            before[name], after[name] = old, new
    if after:
        record_event(
            action="projects.project.tagged", by=by, subject=project, before=before, after=after
        )
        notify_shared_change(project=project, by=by, reason=_("Le projet a été modifié."))
    return project


@transaction.atomic
def set_project_partner(
    *, project: Project, by: Any, organisation: Organisation, role: str
) -> ProjectPartner:
    if not policies.can_edit_project(by, project):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce projet."))
    if role not in ProjectPartner.Role.values:
        raise DomainError(_("Rôle inconnu : %(role)s.") % {"role": role})
    partner, created = ProjectPartner.objects.update_or_create(
        project=project, organisation=organisation, defaults={"role": role}
    )
    record_event(
        action="projects.partner.set",
        by=by,
        subject=project,
        after={"organisation": organisation.name, "role": role, "created": created},
    )
    notify_shared_change(project=project, by=by, reason=_("Les partenaires du projet ont changé."))
    return partner


@transaction.atomic
def remove_project_partner(*, project: Project, by: Any, organisation: Organisation) -> None:
    if not policies.can_edit_project(by, project):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce projet."))
    partnership = project.partnership
    if organisation.pk in (partnership.host_id, partnership.partner_id):
        raise DomainError(
            _("%(org)s co-porte le partenariat : elle ne peut pas être retirée du projet.")
            % {"org": organisation.name}
        )
    deleted, _rows = ProjectPartner.objects.filter(
        project=project, organisation=organisation
    ).delete()
    if deleted:
        record_event(
            action="projects.partner.removed",
            by=by,
            subject=project,
            before={"organisation": organisation.name},
        )
        notify_shared_change(
            project=project, by=by, reason=_("Les partenaires du projet ont changé.")
        )


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("partnership").get(pk=project.pk)


@transaction.atomic
def transition_project(*, project: Project, transition: str, by: Any, reason: str = "") -> Project:
    """Move the project along the lifecycle, or refuse with every unmet condition."""
    if not policies.can_transition_project(by, project):
        raise PermissionDenied(_("Vous ne pouvez pas faire avancer ce projet."))
    locked = _lock(project)
    spec = workflow.TRANSITIONS.get(transition)
    if spec is not None and spec.via_decision:
        raise DomainError(_("Une décision s'enregistre avec sa motivation : utilisez « Décider »."))
    if transition in {"suspend", "resume"} and not reason.strip():
        raise DomainError(_("Indiquez le motif de la suspension ou de la reprise."))
    unmet = workflow.unmet_conditions(locked, transition)
    if unmet:
        raise TransitionRefused(unmet)
    assert spec is not None
    before = _snapshot(locked)
    if transition == "suspend":
        locked.is_suspended = True
    elif transition == "resume":
        locked.is_suspended = False
    elif spec.target is not None:
        locked.stage = spec.target
    locked.save(update_fields=["stage", "is_suspended", "updated_at"])
    record_event(
        action=f"projects.project.{transition}",
        by=by,
        subject=locked,
        reason=reason,
        before=before,
        after=_snapshot(locked),
    )
    project.refresh_from_db()
    return locked


@transaction.atomic
def record_decision(
    *,
    project: Project,
    by: Any,
    outcome: str,
    rationale: str,
    deliberation_reference: str = "",
    new_title: str = "",
) -> Decision:
    """Record the decision the diagnosis leads to (PRJ-4) and move the project accordingly.

    implement → elaboration; adjust → back to the diagnosis; reject → closed; redesign →
    closed, and a new project linked to this one starts from a copy of its diagnosis.
    """
    if not policies.can_decide_project(by, project):
        raise PermissionDenied(_("Vous ne pouvez pas décider pour ce projet."))
    reasons: list[str] = []
    if outcome not in Decision.Outcome.values:
        reasons.append(
            _(
                "Choisissez une décision : mettre en œuvre, ajuster, rejeter "
                "ou concevoir un autre projet."
            )
        )
    if not rationale.strip():
        reasons.append(_("La motivation de la décision est obligatoire."))
    if reasons:
        raise DomainError(reasons)
    locked = _lock(project)
    unmet = workflow.unmet_conditions(locked, "decide")
    if unmet:
        raise TransitionRefused(unmet)
    before = _snapshot(locked)
    decision = Decision.objects.create(
        project=locked,
        outcome=outcome,
        rationale=rationale.strip(),
        deliberation_reference=deliberation_reference.strip(),
        decided_by=by if getattr(by, "pk", None) else None,
    )
    locked.stage = workflow.DECISION_TARGETS[outcome]
    locked.save(update_fields=["stage", "updated_at"])
    after = _snapshot(locked) | {"outcome": outcome}
    if outcome == Decision.Outcome.REDESIGN:
        new_project = _open_redesign(project=locked, by=by, title=new_title)
        decision.new_project = new_project
        decision.save(update_fields=["new_project"])
        after["new_project"] = new_project.reference
    record_event(
        action="projects.project.decided",
        by=by,
        subject=locked,
        reason=rationale.strip(),
        before=before,
        after=after | {"deliberation_reference": decision.deliberation_reference},
    )
    project.refresh_from_db()
    return decision


def _open_redesign(*, project: Project, by: Any, title: str) -> Project:
    new_project = Project.objects.create(
        reference=_next_reference(project.partnership),
        title=title.strip() or _("%(title)s (nouvelle conception)") % {"title": project.title},
        summary=project.summary,
        objectives=project.objectives,
        partnership=project.partnership,
        programme=project.programme,
        stage=Stage.DIAGNOSIS,
        is_demo=project.is_demo,
        created_by=by if getattr(by, "pk", None) else None,
        redesigned_from=project,
    )
    ProjectPartner.objects.bulk_create(
        [
            ProjectPartner(project=new_project, organisation_id=p.organisation_id, role=p.role)
            for p in project.partners.all()
        ]
    )
    for name in (
        "themes",
        "sdg_targets",
        "purpose_codes",
        "locations",
        "services",
        "elected_officials",
    ):
        getattr(new_project, name).set(getattr(project, name).all())
    record_event(
        action="projects.project.created",
        by=by,
        subject=new_project,
        reason=_("Nouvelle conception décidée pour %(ref)s.") % {"ref": project.reference},
        after={"reference": new_project.reference, "redesigned_from": project.reference},
    )
    for hook in REDESIGN_HOOKS:
        hook(old=project, new=new_project, by=by)
    return new_project


@transaction.atomic
def sign_off_stage(*, project: Project, by: Any) -> SignOff:
    """The acting user's organisation signs off the project's current stage (PRJ-8)."""
    if not policies.can_sign_off_project(by, project):
        raise PermissionDenied(
            _(
                "Seul un utilisateur d'une organisation co-maître d'ouvrage "
                "peut valider cette étape."
            )
        )
    existing = SignOff.objects.filter(
        project=project,
        stage=project.stage,
        organisation_id=by.organisation_id,
        withdrawn_at__isnull=True,
    ).first()
    if existing:
        raise DomainError(_("Votre organisation a déjà validé cette étape."))
    signoff = SignOff.objects.create(
        project=project, stage=project.stage, organisation_id=by.organisation_id, signed_by=by
    )
    record_event(
        action="projects.stage.signed_off",
        by=by,
        subject=project,
        after={"stage": project.stage, "organisation": str(by.organisation)},
    )
    return signoff


def withdraw_signoffs(*, project: Project, stage: Stage, by: Any, reason: str) -> int:
    """Withdraw the live sign-offs of a stage (kept in history); returns how many."""
    live = list(
        SignOff.objects.filter(
            project=project, stage=stage, withdrawn_at__isnull=True
        ).select_related("organisation")
    )
    if not live:
        return 0
    SignOff.objects.filter(pk__in=[s.pk for s in live]).update(
        withdrawn_at=timezone.now(), withdrawn_reason=reason
    )
    record_event(
        action="projects.stage.signoffs_withdrawn",
        by=by,
        subject=project,
        reason=reason,
        before={"signed_by": sorted(s.organisation.name for s in live)},
        after={"stage": stage},
    )
    return len(live)
