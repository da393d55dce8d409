"""Disaggregation as a real cross-tab: an indicator's dimensions (sex × age group, custom ones)
give its cells; a value's parts, one per cell, must add up to its total.

The standard dimensions are data of the charter (`disaggregation_templates` rule); an indicator
keeps its own copy of the dimensions it uses, so a later charter does not change past values.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from itertools import product
from typing import Any

from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError

SEP = "|"


def cells(dimensions: Mapping[str, list[str]]) -> list[str]:
    """Every cell of the cross-tab, in the dimensions' order ("F|15-24", …); [] without any."""
    if not dimensions:
        return []
    return [SEP.join(combo) for combo in product(*dimensions.values())]


def cell_label(key: str) -> str:
    return " × ".join(key.split(SEP))


def to_decimal(raw: Any) -> Decimal:
    try:
        number = Decimal(str(raw).replace(",", ".").strip())
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("« %(value)s » n'est pas un nombre.") % {"value": raw}) from exc
    if not number.is_finite():
        raise DomainError(_("« %(value)s » n'est pas un nombre.") % {"value": raw})
    return number


def check_breakdown(
    dimensions: Mapping[str, list[str]], total: Decimal | None, breakdown: Mapping[str, Any]
) -> dict[str, str]:
    """The breakdown as stored ({cell: "12"}), or `DomainError` naming the unknown cells or
    the difference between the parts and the total."""
    if not breakdown:
        return {}
    known = set(cells(dimensions))
    unknown = sorted(set(breakdown) - known)
    if unknown:
        raise DomainError(
            _("Cases inconnues de la ventilation : %(cells)s.")
            % {"cells": ", ".join(cell_label(c) for c in unknown)}
        )
    parts = {key: to_decimal(raw) for key, raw in breakdown.items() if str(raw).strip() != ""}
    if any(part < 0 for part in parts.values()):
        raise DomainError(_("Une part de la ventilation ne peut pas être négative."))
    if total is None:
        raise DomainError(_("Indiquez le total de la valeur ventilée."))
    added = sum(parts.values(), Decimal(0))
    if added != total:
        raise DomainError(
            _(
                "Les parts de la ventilation font %(sum)s au lieu du total %(total)s "
                "(différence : %(difference)s)."
            )
            % {"sum": _plain(added), "total": _plain(total), "difference": _plain(added - total)}
        )
    return {key: _plain(part) for key, part in parts.items()}


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return "0" if text in {"-0", ""} else text
