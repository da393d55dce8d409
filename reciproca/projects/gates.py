"""The gate conditions whose data the projects app holds, registered with the charter."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reciproca.charter.conditions import register
from reciproca.partnerships.models import Organisation
from reciproca.projects.models import Project, SignOff


@register("partners_named", label=gettext_lazy("partenaires co-maîtres d'ouvrage désignés"))
def partners_named(project: Project, params: dict[str, Any]) -> list[str]:
    signing = {p.organisation_id for p in project.partners.all() if p.signs_off}
    partnership = project.partnership
    missing = []
    if partnership.host_id not in signing:
        missing.append(partnership.host_id)
    if partnership.partner_id not in signing:
        missing.append(partnership.partner_id)
    names = (
        Organisation.objects.filter(pk__in=missing).order_by("name").values_list("name", flat=True)
    )
    return [
        _("%(org)s doit être désignée co-maître d'ouvrage du projet.") % {"org": name}
        for name in names
    ]


@register(
    "stage_signed_by_all_partners",
    label=gettext_lazy("étape validée par chaque partenaire"),
)
def stage_signed_by_all_partners(project: Project, params: dict[str, Any]) -> list[str]:
    signing = [p for p in project.partners.all() if p.signs_off]
    signed = set(
        SignOff.objects.filter(
            project=project, stage=project.stage, withdrawn_at__isnull=True
        ).values_list("organisation_id", flat=True)
    )
    missing = sorted(
        (p for p in signing if p.organisation_id not in signed), key=lambda p: p.organisation.name
    )
    return [
        _("L'étape « %(stage)s » n'a pas été validée par %(org)s.")
        % {"stage": project.get_stage_display(), "org": p.organisation.name}
        for p in missing
    ]


@register("themes_tagged", label=gettext_lazy("thèmes prioritaires de la charte indiqués"))
def themes_tagged(project: Project, params: dict[str, Any]) -> list[str]:
    if project.themes.exists():
        return []
    return [_("Aucun thème prioritaire de la charte n'est indiqué pour le projet.")]


@register("programme_set", label=gettext_lazy("projet rattaché à un programme territorial"))
def programme_set(project: Project, params: dict[str, Any]) -> list[str]:
    if project.programme_id:
        return []
    return [_("Le projet n'est rattaché à aucun programme concerté du territoire.")]


@register("agreement_in_force", label=gettext_lazy("convention en vigueur"))
def agreement_in_force(project: Project, params: dict[str, Any]) -> list[str]:
    today = timezone.localdate()
    in_force = project.partnership.agreements.filter(valid_from__lte=today).exclude(
        valid_until__lt=today
    )
    if in_force.exists():
        return []
    return [
        _("Aucune convention en vigueur avec %(partner)s (CGCT L.1115-1).")
        % {"partner": project.partnership.partner.name}
    ]


@register(
    "cross_cutting_involvement",
    label=gettext_lazy("services et élus du département impliqués"),
)
def cross_cutting_involvement(project: Project, params: dict[str, Any]) -> list[str]:
    from reciproca.charter import engine

    reasons = []
    min_services = int(params.get("min_services", engine.rule("min_services_involved", 1)))
    min_elected = int(
        params.get("min_elected_officials", engine.rule("min_elected_officials_involved", 1))
    )
    services = project.services.count()
    if services < min_services:
        reasons.append(
            _(
                "%(n)s service(s) du département impliqué(s) ; "
                "la charte en demande au moins %(min)s."
            )
            % {"n": services, "min": min_services}
        )
    elected = project.elected_officials.count()
    if elected < min_elected:
        reasons.append(
            _("%(n)s élu(s) impliqué(s) ; la charte en demande au moins %(min)s.")
            % {"n": elected, "min": min_elected}
        )
    return reasons
