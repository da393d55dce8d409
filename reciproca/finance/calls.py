"""Call rule sets: the co-funding rules of each call for projects, as versioned data files.

One YAML file per call and year in `calls/` (`daect-general-2024.yaml`): its code, year,
version, the source of its rules (quoted in every warning), what in-kind contributions the
plan's total may count, and typed rules. A plan that breaks a rule gets a `CallWarning` naming
the rule, the figures and the source; an officer corrects a figure in the file without a
release. A rule set is addressed as `code-year` (`daect-senegal-2024`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

CALLS_DIR = Path(__file__).resolve().parent / "calls"

SideCode = Literal["FRENCH", "PARTNER", "FUNDER"]
KindCode = Literal[
    "HOST_OWN",
    "MINISTRY_CALL",
    "AFD_FICOL",
    "EU",
    "FRENCH_AUTHORITY",
    "PARTNER_AUTHORITY",
    "ASSOCIATION",
    "COMPANY",
    "PARTNER_OWN_REVENUE",
]
Percent = Annotated[float, Field(ge=0, le=100)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MaxShare(_Strict):
    """The sources of kinds `of` are at most `max_percent` of the plan (`ldc_max_percent` for
    a least-developed country)."""

    type: Literal["max_share"]
    id: str
    of: list[KindCode]
    max_percent: Percent
    ldc_max_percent: Percent | None = None
    ldc_countries: list[str] = []


class MinSideShare(_Strict):
    """The sources of `side` (one or several) are at least `min_percent` of the plan."""

    type: Literal["min_side_share"]
    id: str
    side: SideCode | list[SideCode]
    min_percent: Percent


class MinCategoryShare(_Strict):
    """A budget category is at least `min_percent` of the project's budget."""

    type: Literal["min_category_share"]
    id: str
    category: str
    min_percent: Percent


class GrantRange(_Strict):
    """The sources of kinds `of` total between `min_eur` and `max_eur`."""

    type: Literal["grant_range"]
    id: str
    of: list[KindCode]
    min_eur: Decimal
    max_eur: Decimal


class Duration(_Strict):
    """The project lasts between `min_months` and `max_months`."""

    type: Literal["duration"]
    id: str
    min_months: int
    max_months: int


class Routing(_Strict):
    """Projects in these countries go through another call (`country: call code`)."""

    type: Literal["routing"]
    id: str
    countries: dict[str, str]


Rule = Annotated[
    MaxShare | MinSideShare | MinCategoryShare | GrantRange | Duration | Routing,
    Field(discriminator="type"),
]


class InKind(_Strict):
    staff_time: bool = False
    skills_sponsorship: bool = False
    partner_in_kind: bool = False


class CallRuleSet(_Strict):
    code: str
    year: int
    version: str
    name: dict[str, str]
    source: str
    countries: list[str] = []
    in_kind: InKind = InKind()
    rules: list[Rule]

    @property
    def key(self) -> str:
        return f"{self.code}-{self.year}"

    def title(self, language: str = "fr") -> str:
        return self.name.get(language) or self.name.get("fr") or self.key


class UnknownCall(LookupError):
    pass


@cache
def _load_all(directory: str = str(CALLS_DIR)) -> dict[str, CallRuleSet]:
    found: dict[str, CallRuleSet] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        ruleset = CallRuleSet.model_validate(raw)
        if ruleset.key in found:
            raise ValueError(f"{path.name}: call {ruleset.key} defined twice")
        found[ruleset.key] = ruleset
    return found


def rule_sets() -> list[CallRuleSet]:
    return sorted(_load_all().values(), key=lambda r: (r.code, r.year))


def get(key: str) -> CallRuleSet:
    try:
        return _load_all()[key]
    except KeyError as exc:
        raise UnknownCall(key) from exc


def latest(code: str) -> CallRuleSet | None:
    """The most recent year of a call (for a routing message)."""
    matching = [r for r in _load_all().values() if r.code == code]
    return max(matching, key=lambda r: r.year) if matching else None


def choices() -> list[tuple[str, str]]:
    return [(r.key, r.title()) for r in rule_sets()]


@dataclass(frozen=True)
class CallWarning:
    """A rule of a call the plan breaks: which rule, the figures, the source."""

    call: str
    rule: str
    message: str
    source: str

    def __str__(self) -> str:
        return self.message
