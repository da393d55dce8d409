"""The diagnosis and its versions: opening it, starting the next version when a change
withdraws the sign-offs, and recording each change through the project's write pipeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.core.models import record_event
from reciproca.diagnosis import causes, policies
from reciproca.diagnosis.models import (
    Alternative,
    Diagnosis,
    DiagnosisSignOff,
    DiagnosisVersion,
)
from reciproca.diagnosis.versions import build_snapshot
from reciproca.projects import services as project_services
from reciproca.projects.models import Decision, Project


def _who(user: Any) -> str:
    """The actor's name for a cause ("" for the system, worded when the cause is shown)."""
    return str(user) if getattr(user, "pk", None) else ""


def _open(project: Project, by: Any) -> Diagnosis:
    """The project's diagnosis, created (version 1) on first use. Call inside a transaction
    that locked the project (`begin_shared_change` does)."""
    diagnosis = Diagnosis.objects.filter(project=project).first()
    if diagnosis is None:
        diagnosis = Diagnosis.objects.create(project=project, snapshot_pending=True)
        opened = causes.cause("opened")
        DiagnosisVersion.objects.create(
            diagnosis=diagnosis,
            number=1,
            started_by=by if getattr(by, "pk", None) else None,
            reason=causes.in_french(opened),
            cause=opened,
        )
        record_event(
            action="diagnosis.diagnosis.opened", by=by, subject=project, after={"version": 1}
        )
    diagnosis.project = project
    return diagnosis


def adjust_cause(decision: Decision) -> causes.Cause:
    """Why an "adjust" decision withdrew the sign-offs (worded by `causes.describe_cause`)."""
    return causes.cause(
        "decision_adjust",
        date=decision.decided_at.isoformat(),
        deliberation_reference=decision.deliberation_reference,
    )


def start_next_version(
    diagnosis: Diagnosis,
    *,
    by: Any,
    cause: causes.Cause,
    at: datetime | None = None,
    force: bool = False,
) -> list[DiagnosisSignOff]:
    """Withdraw the live sign-offs (they approved the content that changed) and open the
    next version. Without live sign-offs nothing happens, unless `force`.

    The cause is stored as data, worded in each reader's language when shown; the text columns
    and the audit event keep it in French."""
    live = list(
        DiagnosisSignOff.objects.filter(diagnosis=diagnosis, withdrawn_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    if not live and not force:
        return []
    if diagnosis.snapshot_pending and not live:
        # Reopened by a decision: the content has not changed since it was submitted, so
        # the closing version's snapshot is built now. (With live sign-offs it is built:
        # signing builds it, and the first write after a sign-off comes here.)
        build_snapshot(diagnosis)
    actor = by if getattr(by, "pk", None) else None
    text = causes.in_french(cause)
    previous = diagnosis.version
    diagnosis.version = previous + 1
    # The new version's snapshot is built when it is needed (`versions.build_snapshot`).
    diagnosis.snapshot_pending = True
    diagnosis.save(update_fields=["version", "snapshot_pending", "updated_at"])
    DiagnosisVersion.objects.create(
        diagnosis=diagnosis,
        number=diagnosis.version,
        started_by=actor,
        reason=text[:1].upper() + text[1:],
        cause=cause,
    )
    if live:
        DiagnosisSignOff.objects.filter(pk__in=[s.pk for s in live]).update(
            withdrawn_at=at or timezone.now(),
            withdrawn_reason=text,
            withdrawn_cause=cause,
            withdrawn_by=actor,
        )
        record_event(
            action="diagnosis.signoffs.withdrawn",
            by=by,
            subject=diagnosis.project,
            reason=text[:1].upper() + text[1:],
            before={"version": previous, "signed_by": [s.organisation.name for s in live]},
            after={"version": diagnosis.version},
        )
    return live


def refresh_snapshot(diagnosis: Diagnosis) -> None:
    """Build the current version's snapshot now (a sign-off: what is signed is stored)."""
    build_snapshot(diagnosis)


def _record(
    change: project_services.SharedChange,
    diagnosis: Diagnosis,
    *,
    action: str,
    cause: causes.Cause,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    """The write is done: record it through the project's pipeline, whose handlers withdraw
    the sign-offs that covered it and mark the version's snapshot to be built
    (`pipeline.on_shared_change`)."""
    change.record(
        action=action,
        reason=reason,
        before=before,
        after={**(after or {}), "version": diagnosis.version},
        cause=cause,
    )


def _editable(project: Project, by: Any) -> tuple[project_services.SharedChange, Diagnosis]:
    """Start a change of the diagnosis: the project's pipeline locks the project, checks the
    actor's rights and asks its guards (the diagnosis freeze is one: `pipeline`)."""
    change = project_services.begin_shared_change(
        project=project, by=by, kind="diagnosis", permission=_may_edit
    )
    return change, _open(project, by)


def _may_edit(user: Any, project: Project) -> bool:
    if not policies.can_edit_diagnosis(user, project):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce diagnostic."))
    return True


@transaction.atomic
def open_diagnosis(*, project: Project, by: Any) -> Diagnosis:
    """Start the project's diagnosis (idempotent: the existing one is returned)."""
    return _editable(project, by)[1]


def _option(diagnosis: Diagnosis, alternative: Alternative | None) -> Alternative | None:
    if alternative is not None and alternative.diagnosis_id != diagnosis.pk:
        raise DomainError(_("Cette alternative n'appartient pas à ce diagnostic."))
    return alternative
