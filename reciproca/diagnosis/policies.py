"""Who may read, co-edit and sign off a project's shared diagnosis, and when it can change.

Equality (PRI-1): a partner authority's editor co-edits the diagnosis with exactly the rights of
the host authority's officer; a sign-off is given by a user of a co-owner organisation for that
organisation. The diagnosis changes only while the project is at the idea or diagnosis stage;
after that it is the record the decision was taken on.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.diagnosis.models import Alternative, ImpactCell
from reciproca.projects.models import Decision, Project, Stage
from reciproca.projects.policies import can_edit_project, can_view_project, projects_visible_to

EDITABLE_STAGES = frozenset({Stage.IDEA, Stage.DIAGNOSIS})


def can_view_diagnosis(user: Any, project: Project) -> bool:
    return bool(can_view_project(user, project))


def can_edit_diagnosis(user: Any, project: Project) -> bool:
    """May co-edit the diagnosis content (the stage may still freeze it: see `frozen_reason`)."""
    return bool(can_edit_project(user, project))


def can_sign_off_diagnosis(user: Any, project: Project) -> bool:
    """A user with edit rights who belongs to a co-owner organisation of the project."""
    organisation_id = getattr(user, "organisation_id", None)
    if not organisation_id or not can_edit_project(user, project):
        return False
    return any(p.organisation_id == organisation_id and p.signs_off for p in project.partners.all())


def frozen_reason(project: Project, decisions: list[Decision] | None = None) -> str:
    """Why the diagnosis cannot change now, or "" while it can.

    `decisions` (newest first) saves a query when the caller already has them.
    """
    if project.stage in EDITABLE_STAGES:
        if project.is_suspended:
            return _("Le projet est suspendu : le diagnostic ne peut pas être modifié.")
        return ""
    if project.stage == Stage.DECISION:
        return _("Le diagnostic est figé : le projet a été soumis à la décision.")
    if decisions is None:
        decisions = list(project.decisions.order_by("-decided_at", "-id")[:1])
    if decisions:
        return _("Le diagnostic est figé depuis la décision du %(date)s.") % {
            "date": formats.date_format(decisions[0].decided_at, "DATE_FORMAT")
        }
    return _("Le diagnostic est figé : le projet est à l'étape « %(stage)s ».") % {
        "stage": project.get_stage_display()
    }


def require_edit_right(user: Any, project: Project) -> None:
    """Raise unless the user may co-edit the diagnosis at all (whatever its stage): the API
    asks it before reading a request's body."""
    if not can_edit_diagnosis(user, project):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce diagnostic."))


def require_edit(user: Any, project: Project) -> None:
    """Raise unless the user may change the diagnosis now (services call this first)."""
    require_edit_right(user, project)
    reason = frozen_reason(project)
    if reason:
        raise DomainError(reason)


def require_sign_off(user: Any, project: Project) -> None:
    if not can_sign_off_diagnosis(user, project):
        raise PermissionDenied(
            _(
                "Seul un utilisateur d'une organisation co-maître d'ouvrage du projet, avec des "
                "droits de rédaction, peut valider le diagnostic pour son organisation."
            )
        )
    reason = frozen_reason(project)
    if reason:
        raise DomainError(reason)


def alternatives_visible_to(user: Any) -> QuerySet[Alternative]:
    """The alternatives of the diagnoses of projects the user may see (API choices, filters)."""
    return Alternative.objects.filter(diagnosis__project__in=projects_visible_to(user))


def cells_visible_to(user: Any) -> QuerySet[ImpactCell]:
    """The impact-matrix cells of the diagnoses of projects the user may see."""
    return ImpactCell.objects.filter(diagnosis__project__in=projects_visible_to(user))


# The condition a sign-off itself satisfies: left out when asking whether the diagnosis is
# complete enough to be signed.
SIGNED_CHECK = "diagnosis_shared"


def sign_off_missing(project: Project) -> list[Any]:
    """What the diagnosis still lacks before a partner may sign it off (PRJ-2): every unmet
    condition of "submit for decision" but the sign-offs themselves; at another stage than the
    diagnosis, the stage itself. Empty: the sign-off may be given. The sign-off service
    refuses otherwise (`services.signoffs.IncompleteDiagnosis`); the page offers it only then."""
    from reciproca.projects import queries as project_queries
    from reciproca.projects.queries import ChecklistCondition

    if project.stage != Stage.DIAGNOSIS:
        reason = _("Le diagnostic partagé ne se valide qu'à l'étape « diagnostic partagé ».")
        return [ChecklistCondition(check="stage", label=reason, clauses=(), reasons=(reason,))]
    gates = project_queries.checklist(project, transitions=["submit_for_decision"])
    return [
        c for gate in gates for c in gate.conditions if not c.is_met and c.check != SIGNED_CHECK
    ]
