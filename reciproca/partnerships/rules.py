"""The charter rules the partnerships app reads, registered with the charter."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext_lazy as _
from pydantic import Field

from reciproca.charter import engine
from reciproca.charter.rules import register_rule

AGREEMENT_WARNING_DAYS = register_rule(
    "agreement_warning_days",
    type=Annotated[int, Field(ge=0, le=3650)],
    default=180,
    label=_("préavis d'échéance des conventions (jours)"),
    doc=_(
        "Une convention est signalée comme arrivant à échéance ce nombre de jours avant sa "
        "fin (tableau de bord, page du partenariat)."
    ),
    clauses=("PRE-1",),
    owner="partnerships",
)


def agreement_warning_days() -> int:
    """The charter's `agreement_warning_days`; its default while no charter is loaded."""
    try:
        return int(engine.rule("agreement_warning_days"))
    except engine.CharterNotLoaded:
        return int(AGREEMENT_WARNING_DAYS.default)
