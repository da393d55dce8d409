"""In-app notifications and e-mails about a period's report, to the people concerned, each in
their own language: the reviewers (the host authority's editors) when a report is submitted or
corrected; the partners' editors when it is returned or approved."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from reciproca.accounts.models import User
from reciproca.projects import policies as project_policies
from reciproca.projects.models import Project


def wording(code: str, params: dict[str, Any]) -> str:
    """The notification's sentence in the active language."""
    texts = {
        "submitted": _(
            "%(user)s a soumis le rapport de la période « %(period)s » du projet %(project)s."
        ),
        "corrected": _(
            "%(user)s a corrigé une valeur approuvée de la période « %(period)s » du projet "
            "%(project)s."
        ),
        "returned": _(
            "%(user)s a renvoyé le rapport de la période « %(period)s » du projet "
            "%(project)s : %(reason)s"
        ),
        "approved": _(
            "%(user)s a approuvé le rapport de la période « %(period)s » du projet %(project)s."
        ),
    }
    return texts[code] % params


def _concerned(project: Project, *, host: bool, actor: Any) -> list[User]:
    host_id = project.partnership.host_id
    org_ids = {p.organisation_id for p in project.partners.all()}
    candidates = User.objects.filter(is_active=True, organisation_id__in=org_ids).exclude(
        pk=actor.pk
    )
    return [
        u
        for u in candidates
        if (u.organisation_id == host_id) == host and project_policies.can_edit_project(u, project)
    ]


def _send(project: Project, users: list[User], code: str, params: dict[str, Any], url: str) -> None:
    from reciproca.results.models import Notification

    for user in users:
        Notification.objects.create(user=user, project=project, code=code, params=params, url=url)
        if user.email:
            with translation.override(user.preferred_language or "fr"):
                send_mail(
                    subject=_("Reciproca — rapport de résultats"),
                    message=wording(code, params) + "\n\n" + url,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[user.email],
                    fail_silently=True,
                )


def _params(project: Project, period: Any, actor: Any, reason: str = "") -> dict[str, Any]:
    return {
        "user": str(actor),
        "period": period.label,
        "project": project.reference,
        "reason": reason,
    }


def notify_reviewers(project: Project, period: Any, actor: Any, *, code: str) -> None:
    url = reverse("results:period", args=[project.pk, period.pk])
    _send(
        project,
        _concerned(project, host=True, actor=actor),
        code,
        _params(project, period, actor),
        url,
    )


def notify_reporters(
    project: Project, period: Any, actor: Any, *, code: str, reason: str = ""
) -> None:
    url = reverse("results:period", args=[project.pk, period.pk])
    _send(
        project,
        _concerned(project, host=False, actor=actor),
        code,
        _params(project, period, actor, reason),
        url,
    )
