"""The finance app in the project's write pipeline (`projects.services.shared_change`).

Its guard: a closed project's budget, funding plan and in-kind contributions are frozen
(`ContentFrozen`, API 409) — what was agreed and reported stays as it was. Transactions
(actuals) are recorded outside the pipeline and stay possible (a late invoice)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reciproca.core.exceptions import ContentFrozen
from reciproca.projects.models import Stage
from reciproca.projects.services import SharedChange, register_guard


def closed_project_freeze(change: SharedChange) -> None:
    if change.kind.startswith("finance.") and change.project.stage == Stage.CLOSED:
        raise ContentFrozen(
            _("Le projet est clos : son budget et son plan de financement ne changent plus.")
        )


def register() -> None:
    register_guard(closed_project_freeze)
