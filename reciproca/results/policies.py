"""Who may see, edit, report, approve and sign off a project's results.

The project's policy is the ground: whoever sees the project sees its results; partner editors
and the host's officers edit the framework and the plan and report values alike (PRI-1); the
host authority's editors review a report (return it or approve it); each co-owner signs off for
its own organisation.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from reciproca.core.exceptions import PermissionDenied
from reciproca.projects import policies as project_policies
from reciproca.projects.models import Project, Stage
from reciproca.projects.policies import projects_visible_to
from reciproca.results.models import Indicator, Period

get_project_for = project_policies.get_project_for
can_view = project_policies.can_view_project

# Stages in which the framework and the plan are still written (they may be refined later,
# which withdraws their validation).
CLOSED_STAGES = frozenset({Stage.CLOSED})


def can_edit(user: Any, project: Project) -> bool:
    return project_policies.can_edit_project(user, project)


def can_report(user: Any, project: Project) -> bool:
    return project_policies.can_edit_project(user, project)


def can_review(user: Any, project: Project) -> bool:
    """The host authority's editors return or approve a period's report."""
    return (
        project_policies.can_edit_project(user, project)
        and getattr(user, "organisation_id", None) == project.partnership.host_id
    )


def can_sign_off(user: Any, project: Project) -> bool:
    return project_policies.can_sign_off_project(user, project)


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(
            message or _("Vous ne pouvez pas modifier les résultats de ce projet.")
        )


def frozen_reason(project: Project) -> str:
    if project.stage in CLOSED_STAGES:
        return _("Le projet est clos : ses résultats ne changent plus.")
    if project.is_suspended:
        return _(
            "Le projet est suspendu : ses résultats ne changent pas tant qu'il n'a pas repris."
        )
    return ""


def indicators_visible_to(user: Any) -> QuerySet[Indicator]:
    """The indicators of the projects the user may see (API choices and filters)."""
    return Indicator.objects.filter(node__framework__project__in=projects_visible_to(user))


def periods_visible_to(user: Any) -> QuerySet[Period]:
    """The reporting periods of the projects the user may see."""
    return Period.objects.filter(framework__project__in=projects_visible_to(user))
