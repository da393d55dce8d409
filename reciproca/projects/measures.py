"""The measures of a project a charter can count (`count_at_least`), registered with the
charter: its partners, services and elected officials involved, themes, SDG targets, actors."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import StringConstraints

from reciproca.charter import engine
from reciproca.charter.conditions import Params
from reciproca.charter.measures import register_measure
from reciproca.partnerships.models import Organisation
from reciproca.projects.models import Project, ProjectPartner

PartnerRole = Literal["LEAD", "CO_OWNER", "IMPLEMENTING", "FUNDER", "CONTRIBUTOR"]
OrganisationKind = Literal[
    "DEPARTMENT",
    "PARTNER_AUTHORITY",
    "LOCAL_AUTHORITY",
    "ASSOCIATION",
    "SCHOOL",
    "COMPANY",
    "MINISTRY",
    "EU",
    "AGENCY",
    "OTHER",
]
assert set(get_args(PartnerRole)) == set(ProjectPartner.Role.values)
assert set(get_args(OrganisationKind)) == set(Organisation.Kind.values)


class PartnerFilters(Params):
    role: PartnerRole | None = None


def _partner_label(filters: PartnerFilters) -> str:
    if filters.role is None:
        return ""
    return _("(rôle : %(role)s)") % {"role": ProjectPartner.Role(filters.role).label}


@register_measure(
    "project.partners",
    label=gettext_lazy("organisations du projet"),
    filters=PartnerFilters,
    owner="projects",
    describe=_partner_label,
)
def partners(project: Project, filters: PartnerFilters) -> int:
    """The organisations taking part in the project; `role` keeps one role (`LEAD`,
    `CO_OWNER`, `IMPLEMENTING`, `FUNDER`, `CONTRIBUTOR`)."""
    rows = ProjectPartner.objects.filter(project=project)
    if filters.role is not None:
        rows = rows.filter(role=filters.role)
    return rows.count()


@register_measure(
    "project.services",
    label=gettext_lazy("services de la collectivité impliqués"),
    owner="projects",
)
def services(project: Project, filters: Any) -> int:
    """The department's services involved in the project."""
    return project.services.count()


@register_measure(
    "project.elected_officials",
    label=gettext_lazy("élus impliqués"),
    owner="projects",
)
def elected_officials(project: Project, filters: Any) -> int:
    """The elected officials involved in the project."""
    return project.elected_officials.count()


@register_measure(
    "project.themes",
    label=gettext_lazy("thèmes prioritaires de la charte"),
    owner="projects",
)
def themes(project: Project, filters: Any) -> int:
    """The priority themes of the charter in force the project is tagged with."""
    return project.themes.filter(pk__in=engine.themes().values("pk")).count()


@register_measure(
    "project.sdg_targets",
    label=gettext_lazy("cibles ODD du projet"),
    owner="projects",
)
def sdg_targets(project: Project, filters: Any) -> int:
    """The SDG targets the project is confirmed to serve."""
    return project.sdg_targets.count()


class ActorFilters(Params):
    kind: OrganisationKind | None = None
    role_contains: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)] | None
    ) = None


def _actor_label(filters: ActorFilters) -> str:
    parts = []
    if filters.kind is not None:
        parts.append(_("de nature « %(kind)s »") % {"kind": Organisation.Kind(filters.kind).label})
    if filters.role_contains:
        parts.append(_("au rôle « %(role)s »") % {"role": filters.role_contains})
    return " ".join(parts)


@register_measure(
    "project.actors",
    label=gettext_lazy("acteurs du projet"),
    filters=ActorFilters,
    owner="projects",
    describe=_actor_label,
)
def actors(project: Project, filters: ActorFilters) -> int:
    """The actors of the project: the organisations taking part in it and those taking part in
    its programme (PRE-3). `kind` keeps one nature of organisation (`ASSOCIATION`, `SCHOOL`,
    `LOCAL_AUTHORITY`…); `role_contains` keeps the programme participants whose role contains
    this text (case ignored), e.g. `jeunesse`."""
    in_programme = Q(participations__programme_id=project.programme_id)
    if filters.role_contains:
        in_programme &= Q(participations__role__icontains=filters.role_contains)
        found = Organisation.objects.filter(in_programme) if project.programme_id else None
    else:
        query = Q(project_roles__project=project)
        if project.programme_id:
            query |= in_programme
        found = Organisation.objects.filter(query)
    if found is None:
        return 0
    if filters.kind is not None:
        found = found.filter(kind=filters.kind)
    return found.values("pk").distinct().count()
