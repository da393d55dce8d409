"""The charter conformity report of a project: every clause of the active charter, met /
unmet / not applicable / planned, with its evidence (issue point 9).

It is computed by the same engine the gates use: a clause is met when every gate condition that
cites it is met for this project (`charter.engine.gate` gives the conditions and their
parameters, `charter.conditions.get(code).check` evaluates them). A clause no condition cites is
"not applicable" to a project; a clause the charter marks as planned, or whose conditions are
all still planned, is "planned".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reciproca.charter import conditions, engine
from reciproca.charter.models import Charter
from reciproca.core.templatetags.reciproca import optional_reverse
from reciproca.projects.models import Project
from reciproca.projects.workflow import TRANSITIONS


class Status(models.TextChoices):
    MET = "MET", gettext_lazy("respectée")
    UNMET = "UNMET", gettext_lazy("non respectée")
    NOT_APPLICABLE = "NOT_APPLICABLE", gettext_lazy("sans objet pour un projet")
    PLANNED = "PLANNED", gettext_lazy("prévue")


# Where a user finds (and completes) the evidence each condition reads.
EVIDENCE: dict[str, tuple[str, str]] = {
    "diagnosis_shared": ("diagnosis:overview", "#validation"),
    "impact_dimensions_addressed": ("diagnosis:matrix_proposal", ""),
    "negative_impacts_answered": ("diagnosis:overview", "#reponses"),
    "alternatives_assessed": ("diagnosis:compare", ""),
    "sustainability_assessed": ("diagnosis:grid_proposal", ""),
    "cross_cutting_involvement": ("diagnosis:involvement", ""),
    "themes_tagged": ("diagnosis:commitments", ""),
    "partners_named": ("projects:detail", ""),
    "programme_set": ("projects:detail", ""),
    "agreement_in_force": ("projects:detail", ""),
    "stage_signed_by_all_partners": ("projects:detail", ""),
}


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
    project: Project
    charter: Charter
    generated_at: Any
    clauses: list[ClauseResult]

    def count(self, status: str) -> int:
        return sum(1 for c in self.clauses if c.status == status)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.count(s.value)) for s in Status]


def evidence_url(check: str, project: Project) -> str:
    name, anchor = EVIDENCE.get(check, ("", ""))
    if not name:
        return ""
    url = optional_reverse(name, project.pk)
    return f"{url}{anchor}" if url else ""


def evaluate_condition(condition: engine.GateCondition, project: Project) -> tuple[str, ...]:
    """The unmet reasons of one gate condition for the project (what `engine.evaluate` does
    for a whole gate)."""
    if condition.check not in conditions.known_codes():
        return (
            _("la condition « %(code)s » n'est pas connue de cette installation")
            % {"code": condition.check},
        )
    return tuple(
        str(r) for r in conditions.get(condition.check).check(project, dict(condition.params))
    )


def conformity_report(project: Project) -> ConformityReport:
    """Evaluate every clause of the active charter for the project (raises CharterNotLoaded)."""
    charter = engine.active_charter()
    results: dict[str, list[ConditionResult]] = {}
    # A condition can appear in several gates (diagnosis_shared guards submission and
    # decision): it is evaluated once per parameter set.
    cache: dict[tuple[str, str], tuple[str, ...]] = {}
    for transition, gate_conditions in engine.gates(charter=charter).items():
        spec = TRANSITIONS.get(transition)
        transition_label = str(spec.label) if spec else transition
        for condition in gate_conditions:
            key = (condition.check, repr(sorted(condition.params.items())))
            if key not in cache:
                cache[key] = evaluate_condition(condition, project)
            result = ConditionResult(
                check=condition.check,
                label=condition.label,
                transition=transition,
                transition_label=transition_label,
                reasons=cache[key],
                is_planned=condition.is_planned,
                evidence_url=evidence_url(condition.check, project),
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
