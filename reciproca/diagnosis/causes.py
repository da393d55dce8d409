"""Why a sign-off was withdrawn or a version opened, kept as data (a code and its parameters)
and worded in the reader's language when shown, so a partner reads shared work in their own
language (PRI-1) whoever made the change.

`cause(code, **params)` builds the stored value; `describe_cause(value)` words it with gettext
in the active language; `in_french(value)` gives the text kept in the old text columns and the
audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.utils import formats, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from reciproca.core.language import isolate
from reciproca.diagnosis.versions import PROPOSAL, describe_cell

Cause = dict[str, Any]


def cause(code: str, **params: Any) -> Cause:
    """The stored form of a cause: its code and JSON-serialisable parameters."""
    return {"code": code, **params}


def cell_params(
    *,
    alternative_id: int | None,
    alternative_title: str,
    side: str,
    dimension: str,
    directness: str,
    horizon: str,
) -> dict[str, Any]:
    """A cell of the matrix as codes (the option's title is kept: alternatives may go)."""
    return {
        "option": PROPOSAL if alternative_id is None else str(alternative_id),
        "option_title": alternative_title if alternative_id is not None else "",
        "side": side,
        "dimension": dimension,
        "directness": directness,
        "horizon": horizon,
    }


def _user(params: Mapping[str, Any]) -> str:
    # Names stay as they are; "the system" (no actor) is worded in the reader's language.
    return str(params.get("user") or "") or _("le système")


def _cell(params: Mapping[str, Any]) -> str:
    cell = params["cell"]
    key = "|".join(
        (cell["option"], cell["side"], cell["dimension"], cell["directness"], cell["horizon"])
    )
    alternatives = (
        {cell["option"]: {"title": cell.get("option_title") or ""}}
        if cell["option"] != PROPOSAL
        else {}
    )
    return describe_cell(key, alternatives)


def _date(value: str) -> str:
    parsed: datetime | None = parse_datetime(value)
    return formats.date_format(parsed, "DATE_FORMAT") if parsed else value


def _decision_adjust(p: Mapping[str, Any]) -> str:
    text = _("la décision « ajuster » du %(date)s") % {"date": _date(p["date"])}
    if p.get("deliberation_reference"):
        text += f" ({p['deliberation_reference']})"
    return text


def _scored(p: Mapping[str, Any]) -> str:
    option = (
        _("l'alternative « %(title)s »") % {"title": isolate(p.get("option_title") or "")}
        if p.get("option", PROPOSAL) != PROPOSAL
        else _("la proposition")
    )
    return _("la notation de %(option)s sur la grille de développement durable par %(user)s") % {
        "option": option,
        "user": _user(p),
    }


# One wording per code; the msgids are the French sentences the services used to store.
WORDINGS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "opened": lambda p: _("Ouverture du diagnostic."),
    "copied": lambda p: (
        _("Copie du diagnostic de %(ref)s (version %(version)s), pour une nouvelle conception.")
        % {"ref": p["reference"], "version": p["version"]}
    ),
    "decision_adjust": _decision_adjust,
    "project_changed": lambda p: (
        _("la modification de la fiche du projet par %(user)s") % {"user": _user(p)}
    ),
    "signoff_taken_back": lambda p: (
        _("son retrait par %(user)s : %(reason)s")
        % {"user": _user(p), "reason": p.get("reason") or ""}
    ),
    "need_added": lambda p: (
        _("l'ajout du besoin « %(title)s » par %(user)s")
        % {"title": isolate(p["title"]), "user": _user(p)}
    ),
    "need_changed": lambda p: (
        _("la modification du besoin « %(title)s » par %(user)s")
        % {"title": isolate(p["title"]), "user": _user(p)}
    ),
    "need_removed": lambda p: (
        _("la suppression du besoin « %(title)s » par %(user)s")
        % {"title": isolate(p["title"]), "user": _user(p)}
    ),
    "alternative_added": lambda p: (
        _("l'ajout de l'alternative « %(title)s » par %(user)s")
        % {"title": isolate(p["title"]), "user": _user(p)}
    ),
    "alternative_changed": lambda p: (
        _("la modification de l'alternative « %(title)s » par %(user)s")
        % {"title": isolate(p["title"]), "user": _user(p)}
    ),
    "alternative_removed": lambda p: (
        _("la suppression de l'alternative « %(title)s » par %(user)s")
        % {"title": isolate(p["title"]), "user": _user(p)}
    ),
    "reversibility_changed": lambda p: (
        _("la modification de l'énoncé de réversibilité et de sortie par %(user)s")
        % {"user": _user(p)}
    ),
    "cell_changed": lambda p: (
        _("la modification de la %(cell)s par %(user)s") % {"cell": _cell(p), "user": _user(p)}
    ),
    "response_added": lambda p: (
        _("l'ajout d'une réponse à la %(cell)s par %(user)s") % {"cell": _cell(p), "user": _user(p)}
    ),
    "response_changed": lambda p: (
        _("la modification d'une réponse à la %(cell)s par %(user)s")
        % {"cell": _cell(p), "user": _user(p)}
    ),
    "response_removed": lambda p: (
        _("la suppression d'une réponse à la %(cell)s par %(user)s")
        % {"cell": _cell(p), "user": _user(p)}
    ),
    "options_scored": _scored,
    "score_removed": lambda p: (
        _("le retrait d'une note de la grille par %(user)s") % {"user": _user(p)}
    ),
    "commitments_confirmed": lambda p: (
        _("la confirmation des cibles ODD, marqueurs et codes-objet par %(user)s")
        % {"user": _user(p)}
    ),
    "involvement_changed": lambda p: (
        _("la modification des services et élus impliqués par %(user)s") % {"user": _user(p)}
    ),
    "themes_changed": lambda p: (
        _("la modification des thèmes prioritaires par %(user)s") % {"user": _user(p)}
    ),
}


def describe_cause(value: Mapping[str, Any] | None) -> str:
    """The cause worded in the active language, as the end of "… retirée suite à …" (a version's
    opening or copy: a whole sentence). "" when there is none or its code is unknown (callers
    then show the stored text)."""
    if not value:
        return ""
    wording = WORDINGS.get(str(value.get("code")))
    if wording is None:
        return ""
    try:
        return wording(value)
    except (KeyError, TypeError, ValueError):
        # A cause written by an older or newer release: the stored text says it instead.
        return ""


def in_french(value: Mapping[str, Any]) -> str:
    """The cause as the French text kept in the text columns and the audit log."""
    with translation.override("fr"):
        return describe_cause(value)


def cause_text(value: Mapping[str, Any] | None, fallback: str = "") -> str:
    """The cause in the reader's language, else the stored text (rows older than causes)."""
    return describe_cause(value) or fallback
