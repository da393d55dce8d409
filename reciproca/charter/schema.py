"""The shape of a charter file, as pydantic models: what each key holds and which values it takes.

Field checks live here; checks that need the whole document (unique codes, references between
sections, condition codes known to the registry) live in `reciproca.charter.loader`.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from django.utils.translation import gettext_lazy as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

# The workflow's transitions: this list is the source; `reciproca.projects.workflow` links each
# to its stages and checks at import that it knows exactly these. A gate names one of them.
TRANSITIONS: tuple[str, ...] = (
    "start_diagnosis",
    "submit_for_decision",
    "decide",
    "start_implementation",
    "start_evaluation",
    "close",
    "suspend",
    "resume",
)
# What a person reads for each transition (the workflow has its own words for its buttons).
TRANSITION_LABELS = {
    "start_diagnosis": _("engager le diagnostic partagé"),
    "submit_for_decision": _("soumettre le diagnostic à la décision"),
    "decide": _("enregistrer la décision"),
    "start_implementation": _("lancer la mise en œuvre"),
    "start_evaluation": _("passer à l'évaluation"),
    "close": _("clore le projet"),
    "suspend": _("suspendre le projet"),
    "resume": _("reprendre le projet"),
}
TransitionName = Literal[
    "start_diagnosis",
    "submit_for_decision",
    "decide",
    "start_implementation",
    "start_evaluation",
    "close",
    "suspend",
    "resume",
]

# Bounds on a charter file, generous for a real charter (Isère: 28 clauses, 16 themes) and
# small enough that a mistaken or hostile file cannot make loading slow.
MAX_FILE_BYTES = 1_000_000
MAX_CLAUSES = 500
MAX_ITEMS = 500  # principles, objectives, themes, grid items
MAX_CODES = 200  # suggested codes per theme, clauses cited by a condition
MAX_CONDITIONS = 50  # per gate
MAX_TEXT = 20_000  # characters of one text

# The languages content can be written in: the interface's languages, French first.
LanguageCode = Literal["fr", "en", "ar", "hy"]

CLAUSE_ID_PATTERN = r"^[A-Z]{2,4}-\d+$"
SDG_TARGET_PATTERN = r"^\d{1,2}\.[0-9a-z]{1,2}$"
POLICY_MARKER_PATTERN = r"^\d{1,2}$"
PURPOSE_CODE_PATTERN = r"^\d{5}$"
SLUG_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
ClauseId = Annotated[str, StringConstraints(pattern=CLAUSE_ID_PATTERN)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=40)]
SdgTarget = Annotated[str, StringConstraints(pattern=SDG_TARGET_PATTERN)]
PolicyMarkerCode = Annotated[str, StringConstraints(pattern=POLICY_MARKER_PATTERN)]
PurposeCode = Annotated[str, StringConstraints(pattern=PURPOSE_CODE_PATTERN)]
ParameterName = Annotated[str, StringConstraints(pattern=NAME_PATTERN, max_length=80)]


class _Strict(BaseModel):
    # Unknown keys are refused (a misspelt key would otherwise be silently ignored) and
    # values are not coerced: `version: 1.10` must be quoted, or it would load as 1.1.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class LocalizedText(_Strict):
    """A text in the content languages; French is required, the others fall back to it."""

    fr: Text
    en: Text | None = None
    ar: Text | None = None
    hy: Text | None = None


def _text_is_french(value: Any) -> Any:
    # A plain string is the French text: most charters start in French only.
    return {"fr": value} if isinstance(value, str) else value


Localized = Annotated[LocalizedText, BeforeValidator(_text_is_french)]


def _scalar_or_list(value: Any) -> Any:
    scalars = (str, int, float, bool)
    if isinstance(value, scalars):
        return value
    if isinstance(value, list) and all(isinstance(item, scalars) for item in value):
        return value
    # One level of mapping (name → scalar or list of scalars): the results app's
    # disaggregation templates.
    if isinstance(value, dict) and all(
        isinstance(key, str)
        and (
            isinstance(item, scalars)
            or (isinstance(item, list) and all(isinstance(i, scalars) for i in item))
        )
        for key, item in value.items()
    ):
        return value
    raise ValueError(
        "valeur attendue : un nombre, un texte, true/false, une liste de ceux-ci ou une table "
        "de noms vers ceux-ci"
    )


ParameterValue = Annotated[Any, AfterValidator(_scalar_or_list)]


def _french_only() -> list[LanguageCode]:
    return ["fr"]


class CharterHeader(_Strict):
    slug: Slug
    version: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
    authority: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)
    ]
    # YAML reads an unquoted 2008-04-18 as a date; a quoted one is accepted too.
    adopted_date: Annotated[datetime.date | None, Field(strict=False)] = None
    languages: Annotated[list[LanguageCode], Field(min_length=1)] = Field(
        default_factory=_french_only
    )
    source: Text | None = None


class Principle(_Strict):
    code: ClauseId
    name: Localized
    text: Localized


class Objective(_Strict):
    code: ClauseId
    name: Localized
    text: Localized


class Theme(_Strict):
    code: Slug
    name: Localized
    clauses: Annotated[list[ClauseId], Field(max_length=MAX_CODES)] = Field(default_factory=list)
    sdg_targets: Annotated[list[SdgTarget], Field(max_length=MAX_CODES)] = Field(
        default_factory=list
    )
    policy_markers: Annotated[list[PolicyMarkerCode], Field(max_length=MAX_CODES)] = Field(
        default_factory=list
    )
    purpose_codes: Annotated[list[PurposeCode], Field(max_length=MAX_CODES)] = Field(
        default_factory=list
    )


class Clause(_Strict):
    id: ClauseId
    section: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    text: Text
    mechanism: Text
    planned: bool = False
    gates: Annotated[list[TransitionName], Field(max_length=len(TRANSITIONS))] = Field(
        default_factory=list
    )


class GridItem(_Strict):
    code: Slug
    name: Localized


class SdGrid(_Strict):
    finalities: Annotated[list[GridItem], Field(min_length=1, max_length=MAX_ITEMS)]
    process_elements: Annotated[list[GridItem], Field(max_length=MAX_ITEMS)] = Field(
        default_factory=list
    )
    score_priority_themes: bool = True


class Condition(_Strict):
    check: ParameterName
    clauses: Annotated[list[ClauseId], Field(min_length=1, max_length=MAX_CODES)]
    # Each condition's spec types its params; the loader validates them against it.
    params: Annotated[dict[ParameterName, ParameterValue], Field(max_length=MAX_CODES)] = Field(
        default_factory=dict
    )


class Gate(_Strict):
    transition: TransitionName
    conditions: Annotated[list[Condition], Field(max_length=MAX_CONDITIONS)] = Field(
        default_factory=list
    )


class CharterDocument(_Strict):
    """The whole file. Its JSON dump is what `Charter.document` keeps."""

    charter: CharterHeader
    principles: Annotated[list[Principle], Field(max_length=MAX_ITEMS)] = Field(
        default_factory=list
    )
    objectives: Annotated[list[Objective], Field(max_length=MAX_ITEMS)] = Field(
        default_factory=list
    )
    themes: Annotated[list[Theme], Field(max_length=MAX_ITEMS)] = Field(default_factory=list)
    clauses: Annotated[list[Clause], Field(min_length=1, max_length=MAX_CLAUSES)]
    sd_grid: SdGrid | None = None
    # Each rule is registered with its type and range (reciproca.charter.rules); the loader
    # validates the values against them.
    rules: Annotated[dict[ParameterName, ParameterValue], Field(max_length=MAX_ITEMS)] = Field(
        default_factory=dict
    )
    gates: Annotated[list[Gate], Field(max_length=len(TRANSITIONS))] = Field(default_factory=list)
