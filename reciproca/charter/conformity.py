"""The charter conformity report: every clause of a charter, met / unmet / not applicable /
planned for one project, with its evidence.

It renders the project's checklist (`projects.queries.checklist` over every gate), so the
report, the project page and the API say the same thing. Each clause is judged once, at the
project's current stage: a clause is met when every condition of the gates passed or current
that cites it is met; a clause only later gates cite is "not yet applicable"; a clause no
condition cites (or only gates the project skipped) is "not applicable"; a clause the charter
marks as planned, or whose conditions are all still planned, is "planned".
The charter sits below the projects app: it reads the checklist through the small protocols
below, not its classes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reciproca.charter import engine
from reciproca.charter.models import Charter


class CheckedCondition(Protocol):
    @property
    def check(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def clauses(self) -> tuple[str, ...]: ...

    @property
    def reasons(self) -> tuple[str, ...]: ...

    @property
    def is_planned(self) -> bool: ...

    @property
    def evidence_url(self) -> str: ...


class CheckedGate(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def conditions(self) -> Sequence[CheckedCondition]: ...


class Status(models.TextChoices):
    MET = "MET", gettext_lazy("respectée")
    UNMET = "UNMET", gettext_lazy("non respectée")
    NOT_YET = "NOT_YET", gettext_lazy("pas encore applicable")
    NOT_APPLICABLE = "NOT_APPLICABLE", gettext_lazy("sans objet pour ce projet")
    PLANNED = "PLANNED", gettext_lazy("prévue")


class Timing(models.TextChoices):
    """Where a gate stands for the project: passed, the next one, to come, or skipped (a
    decision to reject or redesign closes the project without the later gates)."""

    PAST = "PAST", gettext_lazy("franchie")
    CURRENT = "CURRENT", gettext_lazy("en cours")
    LATER = "LATER", gettext_lazy("à venir")
    SKIPPED = "SKIPPED", gettext_lazy("non parcourue")


@dataclass(frozen=True)
class ConditionResult:
    check: str
    label: str
    transition: str
    transition_label: str
    reasons: tuple[str, ...]
    is_planned: bool
    evidence_url: str

    @property
    def is_met(self) -> bool:
        return not self.reasons


@dataclass
class ClauseResult:
    code: str
    section: str
    text: str
    mechanism: str
    status: str
    conditions: list[ConditionResult] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def reasons(self) -> list[str]:
        return [r for c in self.conditions for r in c.reasons]

    @property
    def evidence_urls(self) -> list[str]:
        return list(dict.fromkeys(c.evidence_url for c in self.conditions if c.evidence_url))


@dataclass
class ConformityReport:
    project: Any
    charter: Charter
    generated_at: Any
    clauses: list[ClauseResult]

    def count(self, status: str) -> int:
        return sum(1 for c in self.clauses if c.status == status)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.count(s.value)) for s in Status]


def conformity_report(
    project: Any,
    gates: Sequence[CheckedGate],
    *,
    charter: Charter | None = None,
    timing: Mapping[str, str] | None = None,
) -> ConformityReport:
    """Every clause of the charter in force (or `charter`) for the project, judged once at the
    project's current stage (raises CharterNotLoaded when no charter is in force).

    `gates` are the checklist's gates already passed and the current ones (a passed gate as it
    was evaluated when the project went through it, when that is known); `timing` says where
    each gate of the charter stands (`Timing`; a gate it does not name counts as current). A
    condition is judged once: on the current gate when it sits there, else on the latest gate
    passed. A clause no applicable gate cites is "not yet applicable" when a later gate cites
    it, "not applicable" otherwise (e.g. the gates a redesign skipped)."""
    charter = charter if charter is not None else engine.active_charter()
    timing = dict(timing or {})
    rank = {Timing.CURRENT.value: 0, Timing.PAST.value: 1}
    chosen: dict[str, tuple[int, int, CheckedGate, CheckedCondition]] = {}
    for order, gate in enumerate(gates):
        when = timing.get(gate.name, Timing.CURRENT.value)
        if when not in rank:
            continue  # a later or skipped gate is not judged now
        for condition in gate.conditions:
            if not condition.clauses:
                continue  # structural: no clause asks for it
            # The current gate first, then the latest gate passed (gates come in lifecycle order).
            key = (rank[when], -order)
            held = chosen.get(condition.check)
            if held is None or key < held[:2]:
                chosen[condition.check] = (*key, gate, condition)
    results: dict[str, list[ConditionResult]] = {}
    for _rank, _order, gate, condition in sorted(chosen.values(), key=lambda c: -c[1]):
        result = ConditionResult(
            check=condition.check,
            label=condition.label,
            transition=gate.name,
            transition_label=str(gate.label),
            reasons=tuple(condition.reasons),
            is_planned=condition.is_planned,
            evidence_url=condition.evidence_url,
        )
        for code in condition.clauses:
            results.setdefault(code, []).append(result)
    later: set[str] = set()
    gated = engine.gates(charter=charter)
    for name, conditions in gated.items():
        if timing.get(name) == Timing.LATER.value:
            later.update(code for condition in conditions for code in condition.clauses)
    clauses = []
    for clause in engine.charter_clauses(charter):
        cited = results.get(clause.code, [])
        if clause.is_planned or (cited and all(c.is_planned for c in cited)):
            status = Status.PLANNED
        elif not cited:
            status = Status.NOT_YET if clause.code in later else Status.NOT_APPLICABLE
        elif all(c.is_met for c in cited):
            status = Status.MET
        else:
            status = Status.UNMET
        clauses.append(
            ClauseResult(
                code=clause.code,
                section=clause.section,
                text=clause.text,
                mechanism=clause.mechanism,
                status=status.value,
                conditions=cited,
            )
        )
    return ConformityReport(
        project=project, charter=charter, generated_at=timezone.now(), clauses=clauses
    )


def report_csv(report: ConformityReport, *, absolute: Any = None) -> str:
    """The report as CSV: one row per clause and condition (a clause without condition: one
    row). `absolute` turns a path into a full URL (request.build_absolute_uri)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Clause"),
            _("Section"),
            _("Statut"),
            _("Condition"),
            _("Étape"),
            _("Condition remplie"),
            _("Ce qui manque"),
            _("Preuve"),
        ]
    )
    for clause in report.clauses:
        rows: list[ConditionResult | None] = list(clause.conditions) or [None]
        for condition in rows:
            if condition is None:
                writer.writerow(
                    [clause.code, clause.section, clause.status_label, "", "", "", "", ""]
                )
                continue
            url = condition.evidence_url
            if url and absolute is not None:
                url = absolute(url)
            writer.writerow(
                [
                    clause.code,
                    clause.section,
                    clause.status_label,
                    condition.label,
                    condition.transition_label,
                    _("oui") if condition.is_met else _("non"),
                    " | ".join(condition.reasons),
                    url,
                ]
            )
    return buffer.getvalue()
