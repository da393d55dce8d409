"""The measures of a project's shared diagnosis a charter can count (`count_at_least`)."""

from __future__ import annotations

from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reciproca.charter.conditions import Params
from reciproca.charter.measures import register_measure
from reciproca.diagnosis.models import Alternative, Need, Side
from reciproca.projects.models import Project


class NeedFilters(Params):
    side: Literal["PARTNER", "HOST"] | None = None


def _need_label(filters: NeedFilters) -> str:
    if filters.side is None:
        return ""
    return _("(%(side)s)") % {"side": Side(filters.side).label}


@register_measure(
    "diagnosis.needs",
    label=gettext_lazy("besoins identifiés dans le diagnostic"),
    filters=NeedFilters,
    owner="diagnosis",
    describe=_need_label,
)
def needs(project: Project, filters: NeedFilters) -> int:
    """The needs identified in the shared diagnosis (PRI-2); `side` keeps those of the partner
    territory (`PARTNER`) or of the department's own (`HOST`)."""
    rows = Need.objects.filter(diagnosis__project=project)
    if filters.side is not None:
        rows = rows.filter(side=filters.side)
    return rows.count()


@register_measure(
    "diagnosis.alternatives",
    label=gettext_lazy("solutions alternatives comparées"),
    owner="diagnosis",
)
def alternatives(project: Project, filters: Any) -> int:
    """The alternatives compared with the proposal in the diagnosis ("do nothing" counts)."""
    return Alternative.objects.filter(diagnosis__project=project).count()
