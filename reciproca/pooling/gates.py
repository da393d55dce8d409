"""The gate condition the pooling app provides: the finder was consulted for the project and,
where it found other actors, what was agreed with them is recorded (PRJ-12, PRJ-13)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reciproca.charter.conditions import Params, register
from reciproca.pooling.models import Consultation, Coordination
from reciproca.projects.models import Project


class ConsultedParams(Params):
    """`require_coordination`: when the finder found activities, at least one coordination
    decision (contacted, joint action, co-funding, no overlap) must be recorded."""

    require_coordination: bool = True


@register(
    "pooling_consulted",
    label=gettext_lazy("recherche de mutualisation consultée et coordination enregistrée"),
    params=ConsultedParams,
    evidence=("pooling:project", ""),
)
def pooling_consulted(project: Project, params: Any) -> list[str]:
    """The finder of other actors' activities was consulted for the project by someone who
    works on it and, if it found some, a coordination decision is recorded (PRJ-12, PRJ-13)."""
    last = Consultation.objects.filter(project=project).order_by("-at", "-id").first()
    if last is None:
        return [
            _(
                "Personne n'a encore consulté la recherche des autres acteurs présents sur le "
                "territoire pour ce projet."
            )
        ]
    if (
        getattr(params, "require_coordination", True)
        and last.found
        and not Coordination.objects.filter(project=project).exists()
    ):
        return [
            _(
                "La recherche a trouvé d'autres acteurs sur le territoire, mais aucune décision "
                "de coordination n'est enregistrée."
            )
        ]
    return []
