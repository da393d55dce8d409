"""The charter page: the charter in force, as the people who apply it read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from reciproca.charter import engine
from reciproca.charter import rules as charter_rules
from reciproca.charter.models import Clause
from reciproca.charter.schema import TRANSITION_LABELS
from reciproca.core.templatetags.reciproca import register_action_labels

register_action_labels(
    {
        "charter.charter.loaded": _("a chargé la charte"),
        "charter.charter.activated": _("a remis la charte en vigueur"),
    }
)


@dataclass(frozen=True)
class GateRow:
    transition: str
    label: str
    conditions: list[engine.GateCondition]


@dataclass(frozen=True)
class ClauseRow:
    clause: Clause
    gate_labels: list[str]


@dataclass(frozen=True)
class RuleRow:
    name: str
    label: str
    value: str


def _rule_label(name: str) -> str:
    """A rule as its readers know it (its registered label), never its raw key."""
    if name in charter_rules.known_rules():
        return str(charter_rules.get(name).label)
    return name.replace("_", " ")


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("oui") if value else _("non"))
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value)
    return str(value)


@login_required
@require_GET
def charter_detail(request: HttpRequest) -> HttpResponse:
    try:
        charter = engine.active_charter()
    except engine.CharterNotLoaded as error:
        return render(request, "charter/detail.html", {"charter": None, "error": error.reasons[0]})

    gate_rows = [
        GateRow(transition=name, label=str(TRANSITION_LABELS[name]), conditions=conditions)
        for name, conditions in engine.gates(charter=charter).items()
        if conditions
    ]
    # Which steps each clause guards, so a reader sees where the charter bites.
    guarded: dict[str, list[str]] = {}
    for row in gate_rows:
        for condition in row.conditions:
            for code in condition.clauses:
                labels = guarded.setdefault(code, [])
                if row.label not in labels:
                    labels.append(row.label)
    clause_rows = [
        ClauseRow(clause=clause, gate_labels=guarded.get(clause.code, []))
        for clause in engine.clauses(charter=charter)
    ]
    return render(
        request,
        "charter/detail.html",
        {
            "charter": charter,
            "principles": engine.principles(charter=charter),
            "objectives": engine.objectives(charter=charter),
            "themes": list(engine.themes(charter=charter)),
            "clause_rows": clause_rows,
            "planned_count": sum(row.clause.is_planned for row in clause_rows),
            "gate_rows": gate_rows,
            "sd_grid": engine.sd_grid(charter=charter),
            "rules": [
                RuleRow(name=name, label=_rule_label(name), value=_shown(value))
                for name, value in engine.rules(charter=charter).items()
            ],
        },
    )
