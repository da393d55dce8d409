"""The project lifecycle as a transition table; the charter says which conditions each
transition needs (its `gates`), this module says which stages it links.

idea → diagnosis → decision (implement → elaboration | adjust → diagnosis | reject → closed |
redesign → closed + a new linked project) → elaboration → implementation → evaluation → closed;
suspend / resume at any open stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reciproca.charter import engine
from reciproca.charter.engine import UnmetCondition
from reciproca.charter.schema import TRANSITIONS as CHARTER_TRANSITIONS
from reciproca.core.language import join_list
from reciproca.projects.models import Decision, Project, Stage


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: tuple[Stage, ...]
    target: Stage | None  # None: the stage stays, only the suspension flag changes
    via_decision: bool = False  # reached by recording a decision, not by a button


OPEN_STAGES = (
    Stage.IDEA,
    Stage.DIAGNOSIS,
    Stage.DECISION,
    Stage.ELABORATION,
    Stage.IMPLEMENTATION,
    Stage.EVALUATION,
)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "start_diagnosis",
            gettext_lazy("Ouvrir le diagnostic partagé"),
            (Stage.IDEA,),
            Stage.DIAGNOSIS,
        ),
        Transition(
            "submit_for_decision",
            gettext_lazy("Soumettre à la décision"),
            (Stage.DIAGNOSIS,),
            Stage.DECISION,
        ),
        Transition("decide", gettext_lazy("Décider"), (Stage.DECISION,), None, via_decision=True),
        Transition(
            "start_implementation",
            gettext_lazy("Lancer la mise en œuvre"),
            (Stage.ELABORATION,),
            Stage.IMPLEMENTATION,
        ),
        Transition(
            "start_evaluation",
            gettext_lazy("Passer à l'évaluation"),
            (Stage.IMPLEMENTATION,),
            Stage.EVALUATION,
        ),
        Transition("close", gettext_lazy("Clore le projet"), (Stage.EVALUATION,), Stage.CLOSED),
        Transition("suspend", gettext_lazy("Suspendre"), OPEN_STAGES, None),
        Transition("resume", gettext_lazy("Reprendre"), OPEN_STAGES, None),
    )
}

# The charter's list of transitions is the source a charter file is validated against; this
# table links each of them to its stages, and must know exactly the same names.
assert tuple(TRANSITIONS) == CHARTER_TRANSITIONS, (
    "projects.workflow.TRANSITIONS and charter.schema.TRANSITIONS disagree"
)

# Where each decision outcome leads (PRJ-4).
DECISION_TARGETS: dict[str, Stage] = {
    Decision.Outcome.IMPLEMENT: Stage.ELABORATION,
    Decision.Outcome.ADJUST: Stage.DIAGNOSIS,
    Decision.Outcome.REJECT: Stage.CLOSED,
    Decision.Outcome.REDESIGN: Stage.CLOSED,
}


def _structural(check: str, reason: str) -> UnmetCondition:
    return UnmetCondition(check=check, label=reason, clauses=(), reason=reason)


def structural_reasons(project: Project, name: str) -> list[UnmetCondition]:
    """The reasons outside the charter's gates: an unknown transition, the wrong stage, the
    suspension. They come first in a refusal and in the checklist."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        return [_structural("unknown", _("Transition inconnue : %(name)s.") % {"name": name})]
    stage = Stage(project.stage)
    if stage not in transition.sources:
        return [
            _structural(
                "stage",
                _(
                    "Le projet est à l'étape « %(stage)s » : « %(action)s » n'est possible "
                    "qu'à l'étape %(sources)s."
                )
                % {
                    "stage": stage.label,
                    "action": transition.label,
                    "sources": join_list(f"« {s.label} »" for s in transition.sources),
                },
            )
        ]
    if name == "suspend" and project.is_suspended:
        return [_structural("suspended", _("Le projet est déjà suspendu."))]
    if name == "resume" and not project.is_suspended:
        return [_structural("suspended", _("Le projet n'est pas suspendu."))]
    if name not in {"suspend", "resume"} and project.is_suspended:
        return [_structural("suspended", _("Le projet est suspendu : reprenez-le d'abord."))]
    return []


def unmet_conditions(project: Project, name: str) -> list[UnmetCondition]:
    """Every reason the transition cannot happen now; empty when it can."""
    reasons = structural_reasons(project, name)
    if reasons and reasons[0].check in {"unknown", "stage"}:
        return reasons
    try:
        reasons.extend(engine.evaluate(name, project))
    except engine.CharterNotLoaded as exc:
        reasons.append(_structural("charter", str(exc)))
    return reasons


def available_transitions(project: Project) -> list[Transition]:
    """The transitions that start from the project's stage (met or not): the checklist rows."""
    return [
        t
        for t in TRANSITIONS.values()
        if Stage(project.stage) in t.sources
        and not (t.name == "suspend" and project.is_suspended)
        and not (t.name == "resume" and not project.is_suspended)
    ]


def gated_transitions(project: Project) -> list[str]:
    """The transitions out of the project's stage whose gates a sign-off contributes to."""
    return [t.name for t in available_transitions(project) if t.name not in {"suspend", "resume"}]
