"""The needs identified together, on both territories (PRI-2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError
from reciproca.core.versioning import check_revision
from reciproca.diagnosis import causes
from reciproca.diagnosis.models import (
    Need,
    Side,
)
from reciproca.diagnosis.services.base import (
    _editable,
    _record,
    _who,
)
from reciproca.partnerships.models import Organisation
from reciproca.projects.models import Project

# --- needs (PRI-2) ----------------------------------------------------------------------------


def _author(project: Project, by: Any, organisation: Organisation | None) -> Organisation:
    organisation = organisation or getattr(by, "organisation", None)
    if organisation is None:
        raise DomainError(_("Indiquez l'organisation autrice."))
    if not project.partners.filter(organisation=organisation).exists():
        raise DomainError(
            _("%(org)s ne participe pas au projet : elle ne peut pas en être l'autrice.")
            % {"org": organisation}
        )
    return organisation


def _clean_need(values: Mapping[str, Any]) -> list[str]:
    reasons = []
    if values.get("side") not in Side.values:
        reasons.append(_("Indiquez le territoire concerné par le besoin."))
    if not str(values.get("title") or "").strip():
        reasons.append(_("Le besoin doit être nommé."))
    if not str(values.get("population_concerned") or "").strip():
        reasons.append(_("Indiquez la population concernée par le besoin."))
    if not str(values.get("evidence") or "").strip():
        reasons.append(_("Indiquez les éléments qui établissent le besoin."))
    return reasons


@transaction.atomic
def add_need(
    *,
    project: Project,
    by: Any,
    side: str,
    title: str,
    population_concerned: str,
    evidence: str,
    description: str = "",
    author_organisation: Organisation | None = None,
) -> Need:
    """Record a need of one of the two territories, with the organisation that brings it."""
    change, diagnosis = _editable(project, by)
    values = {
        "side": side,
        "title": title,
        "population_concerned": population_concerned,
        "evidence": evidence,
    }
    reasons = _clean_need(values)
    if reasons:
        raise DomainError(reasons)
    author = _author(project, by, author_organisation)
    cause = causes.cause("need_added", title=title.strip(), user=_who(by))
    need = Need.objects.create(
        diagnosis=diagnosis,
        side=side,
        title=title.strip(),
        description=description.strip(),
        population_concerned=population_concerned.strip(),
        evidence=evidence.strip(),
        author_organisation=author,
        created_by=by if getattr(by, "pk", None) else None,
    )
    _record(
        change,
        diagnosis,
        cause=cause,
        action="diagnosis.need.added",
        after={"need": need.title, "side": side, "author_organisation": author.name},
    )
    return need


NEED_FIELDS = frozenset(
    {"side", "title", "description", "population_concerned", "evidence", "author_organisation"}
)


@transaction.atomic
def update_need(*, need: Need, by: Any, revision: int | None = None, **changes: Any) -> Need:
    project = need.diagnosis.project
    change, diagnosis = _editable(project, by)
    unknown = set(changes) - NEED_FIELDS
    if unknown:
        raise DomainError(_("Champs non modifiables : %(f)s.") % {"f": ", ".join(sorted(unknown))})
    need = Need.objects.select_related("author_organisation").get(pk=need.pk)
    check_revision(need, revision, by=by)
    values = {f: getattr(need, f) for f in NEED_FIELDS}
    values.update(changes)
    reasons = _clean_need(values)
    if reasons:
        raise DomainError(reasons)
    if "author_organisation" in changes:
        values["author_organisation"] = _author(project, by, changes["author_organisation"])
    before, after = {}, {}
    for field in NEED_FIELDS:
        old, new = getattr(need, field), values[field]
        if isinstance(new, str):
            new = new.strip()
        if old != new:
            before[field], after[field] = str(old), str(new)
            setattr(need, field, new)
    if not after:
        return need
    cause = causes.cause("need_changed", title=need.title, user=_who(by))
    need.save()
    _record(
        change, diagnosis, cause=cause, action="diagnosis.need.updated", before=before, after=after
    )
    return need


@transaction.atomic
def remove_need(*, need: Need, by: Any) -> None:
    change, diagnosis = _editable(need.diagnosis.project, by)
    cause = causes.cause("need_removed", title=need.title, user=_who(by))
    title = need.title
    need.delete()
    _record(change, diagnosis, cause=cause, action="diagnosis.need.removed", before={"need": title})
