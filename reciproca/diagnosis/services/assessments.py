"""The sustainable-development grid: each option assessed against the criteria (PRJ-14)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.diagnosis import causes, grid
from reciproca.diagnosis.models import (
    Alternative,
    Assessment,
)
from reciproca.diagnosis.services.base import (
    _editable,
    _option,
    _record,
    _who,
)
from reciproca.diagnosis.versions import option_key
from reciproca.projects.models import Project

# --- the sustainable-development grid (PRJ-14) ------------------------------------------------


@transaction.atomic
def assess_options(
    *,
    project: Project,
    by: Any,
    scores: Mapping[str, tuple[int, str]],
    alternative: Alternative | None = None,
) -> list[Assessment]:
    """The actor scores the proposal (or an alternative) on some criteria of the grid:
    `scores` maps a criterion code to (score 0–4, justification). Each assessor keeps their own
    score; scoring again replaces one's previous score."""
    change, diagnosis = _editable(project, by)
    alternative = _option(diagnosis, alternative)
    known = {c.code: c for c in grid.project_criteria(project)}
    reasons = []
    for code, (score, justification) in scores.items():
        name = known[code].name if code in known else code
        if code not in known:
            reasons.append(_("Critère inconnu de la grille : %(code)s.") % {"code": code})
            continue
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 4:
            reasons.append(_("« %(criterion)s » : la note va de 0 à 4.") % {"criterion": name})
        if not str(justification or "").strip():
            reasons.append(_("« %(criterion)s » : justifiez la note.") % {"criterion": name})
    if reasons:
        raise DomainError(reasons)
    existing = {
        a.criterion_code: a
        for a in Assessment.objects.filter(
            diagnosis=diagnosis,
            alternative=alternative,
            assessor=by,
            criterion_code__in=list(scores),
        )
    }
    changed = {
        code: (score, justification.strip())
        for code, (score, justification) in scores.items()
        if code not in existing
        or (existing[code].score, existing[code].justification) != (score, justification.strip())
    }
    if not changed:
        return list(existing.values())
    cause = causes.cause(
        "options_scored",
        option=option_key(alternative.pk if alternative else None),
        option_title=alternative.title if alternative else "",
        user=_who(by),
    )
    result = []
    for code, (score, justification) in changed.items():
        assessment = existing.get(code) or Assessment(
            diagnosis=diagnosis, alternative=alternative, criterion_code=code, assessor=by
        )
        assessment.score = score
        assessment.justification = justification
        assessment.save()
        result.append(assessment)
    _record(
        change,
        diagnosis,
        cause=cause,
        action="diagnosis.assessment.scored",
        before={code: existing[code].score for code in changed if code in existing},
        after={"option": option_key(alternative.pk if alternative else None)}
        | {code: score for code, (score, _j) in changed.items()},
    )
    return result


@transaction.atomic
def remove_assessment(*, assessment: Assessment, by: Any) -> None:
    """An assessor takes back their own score."""
    if assessment.assessor_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Seul son auteur peut retirer une note."))
    change, diagnosis = _editable(assessment.diagnosis.project, by)
    cause = causes.cause("score_removed", user=_who(by))
    before = {"criterion": assessment.criterion_code, "score": assessment.score}
    assessment.delete()
    _record(change, diagnosis, cause=cause, action="diagnosis.assessment.removed", before=before)
