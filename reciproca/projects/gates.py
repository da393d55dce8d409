"""The gate conditions and charter rules whose data the projects app holds, registered with
the charter (and, through `reciproca.projects.measures`, the measures a charter can count)."""

from __future__ import annotations

from typing import Annotated, Any

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from pydantic import Field

from reciproca.charter import engine
from reciproca.charter.conditions import Params, register
from reciproca.charter.rules import register_rule
from reciproca.core.language import le
from reciproca.partnerships.models import Organisation
from reciproca.projects import measures  # noqa: F401  (registers the project measures)
from reciproca.projects.models import Project, SignOff

PROJECT_PAGE = ("projects:detail", "")
# Where each project condition is fixed: the partners and their sign-offs, the edit form.
PARTNERS = ("projects:detail", "#partners-title")
PROJECT_EDIT = ("projects:edit", "")
Count = Annotated[int, Field(ge=0, le=1000)]

register_rule(
    "min_services_involved",
    type=Count,
    default=1,
    label=gettext_lazy("services de la collectivité impliqués, au moins"),
    doc=gettext_lazy("PRJ-13 : nombre minimal de services de la collectivité impliqués."),
    clauses=("PRJ-13",),
    owner="projects",
)
register_rule(
    "min_elected_officials_involved",
    type=Count,
    default=1,
    label=gettext_lazy("élus impliqués, au moins"),
    doc=gettext_lazy("PRJ-13 : nombre minimal d'élus impliqués dans le projet."),
    clauses=("PRJ-13",),
    owner="projects",
)


@register(
    "partners_named",
    label=gettext_lazy("partenaires co-maîtres d'ouvrage désignés"),
    evidence=PARTNERS,
)
def partners_named(project: Project, params: Any) -> list[str]:
    """The host and the partner authority are both co-owners (lead or co-owner) of the
    project."""
    signing = {p.organisation_id for p in project.partners.all() if p.signs_off}
    partnership = project.partnership
    missing = []
    if partnership.host_id not in signing:
        missing.append(partnership.host_id)
    if partnership.partner_id not in signing:
        missing.append(partnership.partner_id)
    organisations = Organisation.objects.filter(pk__in=missing).order_by("name")
    return [
        _("%(le_org)s doit figurer parmi les co-maîtres d'ouvrage du projet.")
        % {"le_org": capfirst(le(organisation))}
        for organisation in organisations
    ]


@register(
    "stage_signed_by_all_partners",
    label=gettext_lazy("étape validée par chaque partenaire"),
    evidence=PARTNERS,
)
def stage_signed_by_all_partners(project: Project, params: Any) -> list[str]:
    """Every co-owner organisation signed the current stage off."""
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
        _("L'étape « %(stage)s » n'a pas été validée par %(le_org)s.")
        % {"stage": project.get_stage_display(), "le_org": le(p.organisation)}
        for p in missing
    ]


@register(
    "themes_tagged",
    label=gettext_lazy("thèmes prioritaires de la charte indiqués"),
    evidence=("diagnosis:commitments", ""),
)
def themes_tagged(project: Project, params: Any) -> list[str]:
    """The project is tagged with at least one priority theme of the charter in force (a
    theme of another charter, or of an earlier version, does not count)."""
    # the project's themes (prefetched by the pages), those of the charter being evaluated
    charter_id = engine.current_charter().pk
    if any(theme.charter_id == charter_id for theme in project.themes.all()):
        return []
    return [_("Aucun thème prioritaire de la charte n'est indiqué pour le projet.")]


@register(
    "programme_set",
    label=gettext_lazy("projet rattaché à un programme territorial"),
    evidence=PROJECT_EDIT,
)
def programme_set(project: Project, params: Any) -> list[str]:
    """The project belongs to a concerted programme of its partnership."""
    if project.programme_id:
        return []
    return [_("Le projet n'est rattaché à aucun programme concerté du territoire.")]


@register(
    "agreement_in_force",
    label=gettext_lazy("convention en vigueur"),
    evidence=("projects:partnership_agreements", ""),
)
def agreement_in_force(project: Project, params: Any) -> list[str]:
    """An agreement with the partner authority is in force today (CGCT L.1115-1)."""
    today = timezone.localdate()
    in_force = project.partnership.agreements.filter(valid_from__lte=today).exclude(
        valid_until__lt=today
    )
    if in_force.exists():
        return []
    return [
        _("Aucune convention en vigueur avec %(le_partner)s (CGCT L.1115-1).")
        % {"le_partner": le(project.partnership.partner)}
    ]


class InvolvementParams(Params):
    """Override the charter's rules for this gate only; unset: the rule applies."""

    min_services_involved: Count | None = None
    min_elected_officials_involved: Count | None = None


@register(
    "cross_cutting_involvement",
    label=gettext_lazy("services et élus de la collectivité impliqués"),
    params=InvolvementParams,
    evidence=("diagnosis:involvement", ""),
)
def cross_cutting_involvement(project: Project, params: InvolvementParams) -> list[str]:
    """At least `min_services_involved` of the host organisation's services and
    `min_elected_officials_involved` elected officials are involved (the charter's rules,
    unless the condition sets its own)."""
    reasons = []
    min_services = params.min_services_involved
    if min_services is None:
        min_services = int(engine.rule("min_services_involved"))
    min_elected = params.min_elected_officials_involved
    if min_elected is None:
        min_elected = int(engine.rule("min_elected_officials_involved"))
    services = project.services.count()
    if services < min_services:
        reasons.append(
            ngettext(
                "%(n)s service de la collectivité impliqué ; la charte en demande au moins "
                "%(min)s.",
                "%(n)s services de la collectivité impliqués ; la charte en demande au moins "
                "%(min)s.",
                services,
            )
            % {"n": services, "min": min_services}
        )
    elected = project.elected_officials.count()
    if elected < min_elected:
        reasons.append(
            ngettext(
                "%(n)s élu impliqué ; la charte en demande au moins %(min)s.",
                "%(n)s élus impliqués ; la charte en demande au moins %(min)s.",
                elected,
            )
            % {"n": elected, "min": min_elected}
        )
    return reasons
