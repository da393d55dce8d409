"""Signing off a version of the shared diagnosis (PRJ-2, PRI-1) and withdrawing a sign-off."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError
from reciproca.core.models import record_event
from reciproca.diagnosis import causes, policies
from reciproca.diagnosis.models import (
    Diagnosis,
    DiagnosisSignOff,
)
from reciproca.diagnosis.services.base import (
    _open,
    _who,
    refresh_snapshot,
)
from reciproca.projects import services as project_services
from reciproca.projects.models import Project


class IncompleteDiagnosis(DomainError):
    """The diagnosis lacks what its sign-off needs; `missing` are the unmet conditions."""

    def __init__(self, missing: list[Any]) -> None:
        self.missing = missing
        super().__init__(
            [
                _("Le diagnostic n'est pas complet : la validation n'est pas encore possible."),
                *(str(c.label) for c in missing),
            ]
        )


def _lock_for_signoff(project: Project, by: Any) -> Diagnosis:
    """Sign-offs change no content, but the freeze holds for them too (the guards)."""
    project_services.begin_shared_change(
        project=project, by=by, kind="diagnosis.signoff", permission=_may_sign_off
    )
    return _open(project, by)


def _may_sign_off(user: Any, project: Project) -> bool:
    policies.require_sign_off(user, project)
    return True


@transaction.atomic
def sign_off_diagnosis(*, project: Project, by: Any) -> DiagnosisSignOff:
    """The actor's organisation validates the current version of the diagnosis (PRJ-2).

    Only a complete diagnosis at the diagnosis stage is signed off: every condition of
    "submit for decision" but the sign-offs themselves (`policies.sign_off_missing`); the
    refusal lists each one, for the page, the API and the commands alike."""
    diagnosis = _lock_for_signoff(project, by)
    missing = policies.sign_off_missing(project)
    if missing:
        raise IncompleteDiagnosis(missing)
    if DiagnosisSignOff.objects.filter(
        diagnosis=diagnosis, organisation_id=by.organisation_id, withdrawn_at__isnull=True
    ).exists():
        raise DomainError(
            _("%(org)s a déjà validé la version %(version)s du diagnostic.")
            % {"org": by.organisation, "version": diagnosis.version}
        )
    signoff = DiagnosisSignOff.objects.create(
        diagnosis=diagnosis,
        version=diagnosis.version,
        organisation_id=by.organisation_id,
        signed_by=by,
    )
    record_event(
        action="diagnosis.diagnosis.signed_off",
        by=by,
        subject=project,
        after={"organisation": str(by.organisation), "version": diagnosis.version}
        | project_services.charter_record(project, ["submit_for_decision"]),
    )
    refresh_snapshot(diagnosis)
    return signoff


@transaction.atomic
def withdraw_diagnosis_signoff(*, project: Project, by: Any, reason: str) -> DiagnosisSignOff:
    """The actor's organisation takes back its validation (the content does not change)."""
    diagnosis = _lock_for_signoff(project, by)
    if not reason.strip():
        raise DomainError(_("Indiquez le motif du retrait de la validation."))
    signoff = (
        DiagnosisSignOff.objects.filter(
            diagnosis=diagnosis, organisation_id=by.organisation_id, withdrawn_at__isnull=True
        )
        .select_related("organisation")
        .first()
    )
    if signoff is None:
        raise DomainError(_("Votre organisation n'a pas validé la version en cours."))
    signoff.withdrawn_at = timezone.now()
    signoff.withdrawn_cause = causes.cause(
        "signoff_taken_back", user=_who(by), reason=reason.strip()
    )
    signoff.withdrawn_reason = causes.in_french(signoff.withdrawn_cause)
    signoff.withdrawn_by = by
    signoff.save(
        update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_cause", "withdrawn_by"]
    )
    record_event(
        action="diagnosis.signoff.withdrawn",
        by=by,
        subject=project,
        reason=reason.strip(),
        before={"organisation": signoff.organisation.name},
        after={"version": diagnosis.version},
    )
    return signoff
