"""The charter conformity report: every clause of a charter, met / unmet / not applicable /
planned for one project, with its evidence.

It renders the project's checklist (`projects.queries.checklist` over every gate), so the
report, the project page and the API say the same thing: a clause is met when every gate
condition that cites it is met; a clause no condition cites is "not applicable" to a project;
a clause the charter marks as planned, or whose conditions are all still planned, is "planned".
The charter sits below the projects app: it reads the checklist through the small protocols
below, not its classes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
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
    NOT_APPLICABLE = "NOT_APPLICABLE", gettext_lazy("sans objet pour un projet")
    PLANNED = "PLANNED", gettext_lazy("prévue")


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
    project: Any, gates: Sequence[CheckedGate], *, charter: Charter | None = None
) -> ConformityReport:
    """Every clause of the charter in force (or `charter`) for the project, from its
    checklist over every gate (raises CharterNotLoaded when no charter is in force)."""
    charter = charter if charter is not None else engine.active_charter()
    results: dict[str, list[ConditionResult]] = {}
    for gate in gates:
        for condition in gate.conditions:
            if not condition.clauses:
                continue  # structural: no clause asks for it
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
    clauses = []
    for clause in engine.clauses(charter=charter):
        cited = results.get(clause.code, [])
        if clause.is_planned or (cited and all(c.is_planned for c in cited)):
            status = Status.PLANNED
        elif not cited:
            status = Status.NOT_APPLICABLE
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
