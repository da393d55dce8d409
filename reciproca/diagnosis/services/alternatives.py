"""The alternatives compared with the proposal, and the reversibility statement (PRJ-7)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError
from reciproca.core.versioning import check_revision
from reciproca.diagnosis import causes
from reciproca.diagnosis.models import (
    Alternative,
    Diagnosis,
)
from reciproca.diagnosis.services.base import (
    _editable,
    _record,
    _who,
)
from reciproca.projects.models import Project

# --- alternatives and reversibility (PRJ-7) ---------------------------------------------------


def _clean_alternative(
    diagnosis: Diagnosis, title: str, is_do_nothing: bool, pk: int | None
) -> None:
    if not title.strip():
        raise DomainError(_("L'alternative doit avoir un intitulé."))
    if (
        is_do_nothing
        and Alternative.objects.filter(diagnosis=diagnosis, is_do_nothing=True)
        .exclude(pk=pk or 0)
        .exists()
    ):
        raise DomainError(_("Le diagnostic compte déjà une alternative « ne rien faire »."))


@transaction.atomic
def add_alternative(
    *,
    project: Project,
    by: Any,
    title: str,
    description: str = "",
    is_do_nothing: bool = False,
) -> Alternative:
    """Add a solution to compare with the proposal ("do nothing" is one)."""
    change, diagnosis = _editable(project, by)
    _clean_alternative(diagnosis, title, is_do_nothing, None)
    cause = causes.cause("alternative_added", title=title.strip(), user=_who(by))
    alternative = Alternative.objects.create(
        diagnosis=diagnosis,
        title=title.strip(),
        description=description.strip(),
        is_do_nothing=is_do_nothing,
        created_by=by if getattr(by, "pk", None) else None,
    )
    _record(
        change,
        diagnosis,
        cause=cause,
        action="diagnosis.alternative.added",
        after={"alternative": alternative.title, "is_do_nothing": is_do_nothing},
    )
    return alternative


@transaction.atomic
def update_alternative(
    *,
    alternative: Alternative,
    by: Any,
    title: str | None = None,
    description: str | None = None,
    is_do_nothing: bool | None = None,
    revision: int | None = None,
) -> Alternative:
    change, diagnosis = _editable(alternative.diagnosis.project, by)
    alternative = Alternative.objects.get(pk=alternative.pk)
    check_revision(alternative, revision, by=by)
    new: dict[str, Any] = {
        "title": (title if title is not None else alternative.title).strip(),
        "description": (
            description if description is not None else alternative.description
        ).strip(),
        "is_do_nothing": alternative.is_do_nothing if is_do_nothing is None else is_do_nothing,
    }
    _clean_alternative(diagnosis, new["title"], bool(new["is_do_nothing"]), alternative.pk)
    before = {k: getattr(alternative, k) for k in new if getattr(alternative, k) != new[k]}
    if not before:
        return alternative
    cause = causes.cause("alternative_changed", title=alternative.title, user=_who(by))
    for key, value in new.items():
        setattr(alternative, key, value)
    alternative.save()
    _record(
        change,
        diagnosis,
        cause=cause,
        action="diagnosis.alternative.updated",
        before=before,
        after={k: new[k] for k in before},
    )
    return alternative


@transaction.atomic
def remove_alternative(*, alternative: Alternative, by: Any) -> None:
    """Remove an alternative with its matrix and its scores."""
    change, diagnosis = _editable(alternative.diagnosis.project, by)
    cause = causes.cause("alternative_removed", title=alternative.title, user=_who(by))
    title = alternative.title
    alternative.delete()
    _record(
        change,
        diagnosis,
        cause=cause,
        action="diagnosis.alternative.removed",
        before={"alternative": title},
    )


@transaction.atomic
def set_reversibility_statement(
    *, project: Project, by: Any, text: str, revision: int | None = None
) -> Diagnosis:
    """How the choice can be undone or the partners can exit the project (PRJ-7)."""
    change, diagnosis = _editable(project, by)
    if revision == 0 and diagnosis.revision == 1 and not diagnosis.reversibility_statement:
        revision = 1  # the editor saw no diagnosis yet: the one this write opened is that one
    check_revision(diagnosis, revision, by=by)
    text = text.strip()
    if text == diagnosis.reversibility_statement:
        return diagnosis
    before = diagnosis.reversibility_statement
    cause = causes.cause("reversibility_changed", user=_who(by))
    diagnosis.reversibility_statement = text
    diagnosis.save(update_fields=["reversibility_statement", "updated_at"])
    _record(
        change,
        diagnosis,
        cause=cause,
        action="diagnosis.reversibility.updated",
        before={"text": before},
        after={"text": text},
    )
    return diagnosis
