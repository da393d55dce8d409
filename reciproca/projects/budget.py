"""A project's budget as the other apps read it, whoever holds the money.

The finance app owns budgets and exchange rates; it registers the one provider in its
`AppConfig.ready()`. Apps of its layer (results: the evaluation plan's share of the budget) ask
here and never import it. Without a provider, or without a budget, the answer is None and the
page says the budget is not known yet — never a zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reciproca.projects.models import Project


@dataclass(frozen=True)
class BudgetTotal:
    """The project's whole budget, converted into `currency` at the rates of `as_of`."""

    amount: Decimal
    currency: str
    as_of: date


Provider = Callable[["Project", str, "date | None"], "BudgetTotal | None"]
_provider: list[Provider] = []


def register_provider(provider: Provider) -> Provider:
    """The finance app's provider; one only (a second one replaces the first, in tests)."""
    _provider[:] = [provider]
    return provider


def total_budget(
    project: Project, *, currency: str = "EUR", as_of: date | None = None
) -> BudgetTotal | None:
    """The project's budgeted total in `currency`, or None when it is not known."""
    if not _provider:
        return None
    return _provider[0](project, currency, as_of)
