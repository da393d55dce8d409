"""Load countries (ISO 3166-1, from pycountry) and the curated partner territories
(`data/partner_territories.yaml`) with their periods, parents and successions.

These loaders are the only writers of the territory tables besides the admin; both are
idempotent: a second run changes nothing.
"""

from __future__ import annotations

import gettext
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import pycountry
import yaml
from django.conf import settings
from django.core.management.base import CommandParser
from django.db import transaction
from django.utils import translation
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from reciproca.core.loading import DataFileError, Loaded, LoadResult
from reciproca.territories.models import Country, Territory, TerritorySuccession

DATA_DIR = Path(__file__).resolve().parent / "data"
PARTNER_TERRITORIES_FILE = DATA_DIR / "partner_territories.yaml"
LANGUAGES = ("fr", "en", "ar", "hy")
BATCH_SIZE = 500


class TerritoryDataError(DataFileError):
    """The territory file contradicts itself, ISO 3166, or the territories already stored."""


# --- Countries -----------------------------------------------------------------------------


def _catalogue(domain: str, language: str) -> gettext.NullTranslations | None:
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return None


def _translate(catalogue: gettext.NullTranslations | None, *msgids: str) -> str | None:
    """The first of `msgids` the catalogue translates, or None."""
    if catalogue is None:
        return None
    for msgid in msgids:
        translated = catalogue.gettext(msgid)
        if translated != msgid:
            return translated
    return None


def _country_values(
    country: Any, catalogues: dict[str, gettext.NullTranslations | None]
) -> dict[str, Any]:
    """iso3 and name_fr … name_hy for one pycountry country.

    English is pycountry's common name when it has one ("Bolivia" rather than "Bolivia,
    Plurinational State of"); a language without a translation is left out, except French,
    which falls back to English because the interface needs a French name.
    """
    english = getattr(country, "common_name", None) or country.name
    msgids = [english, country.name] if english != country.name else [country.name]
    values: dict[str, Any] = {"iso3": country.alpha_3, "name_en": english}
    for lang, catalogue in catalogues.items():
        translated = _translate(catalogue, *msgids)
        if translated is not None:
            values[f"name_{lang}"] = translated
    values.setdefault("name_fr", english)
    return values


@transaction.atomic
def load_countries() -> LoadResult:
    """Every ISO 3166-1 country, upserted by alpha-2 code."""
    catalogues = {lang: _catalogue("iso3166-1", lang) for lang in ("fr", "ar", "hy")}
    wanted = {
        country.alpha_2: _country_values(country, catalogues) for country in pycountry.countries
    }
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        existing = {country.iso2: country for country in Country.objects.all()}
        to_create = [
            Country(iso2=iso2, **values) for iso2, values in wanted.items() if iso2 not in existing
        ]
        to_update, changed = _apply_changes(
            (existing[iso2], values) for iso2, values in wanted.items() if iso2 in existing
        )
        Country.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        if to_update:
            Country.objects.bulk_update(to_update, _with_base_columns(changed), BATCH_SIZE)
    return LoadResult(
        label="Pays",
        total=len(wanted),
        active=len(wanted),
        created=len(to_create),
        updated=len(to_update),
    )


def _apply_changes(
    pairs: Iterable[tuple[Any, dict[str, Any]]],
) -> tuple[list[Any], set[str]]:
    """Set the differing values on each object; return the changed objects and fields."""
    changed_objects = []
    changed_fields: set[str] = set()
    for obj, values in pairs:
        differs = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed_fields.add(name)
                differs = True
        if differs:
            changed_objects.append(obj)
    return changed_objects, changed_fields


def _with_base_columns(fields: set[str]) -> list[str]:
    # modeltranslation keeps the untranslated `name` column equal to the French value on
    # save(); bulk_update bypasses that, so write it too.
    if fields & {"name_fr", "name_en"}:
        fields = fields | {"name"}
    return sorted(fields)


# --- The territory file --------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(_Strict):
    fr: str | None = None
    en: str | None = None
    ar: str | None = None
    hy: str | None = None


class Reference(_Strict):
    """Another entry of the file: by code (and start date if the code is reused), or by
    French name and country for an entry without code."""

    code: str | None = None
    valid_from: date | None = None
    name: str | None = None
    country: str | None = None

    @model_validator(mode="after")
    def _names_something(self) -> Reference:
        if not self.code and not self.name:
            raise ValueError("une référence donne un code ou un nom")
        return self


class SuccessorEntry(_Strict):
    to: str | Reference
    date: date
    kind: TerritorySuccession.Kind
    is_legal_successor: bool = False
    note: str = ""


class TerritoryEntry(_Strict):
    country: str
    kind: Territory.Kind
    name: Names = Names()
    iso_code: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    parent: str | Reference | None = None
    note: str = ""
    successors: list[SuccessorEntry] = []

    @model_validator(mode="after")
    def _consistent(self) -> TerritoryEntry:
        if self.iso_code and not self.iso_code.startswith(f"{self.country}-"):
            raise ValueError(f"le code {self.iso_code} n'est pas un code de {self.country}")
        if self.iso_code and self.valid_from is None:
            raise ValueError(f"{self.iso_code} : un code ISO ne va pas sans date de début")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError(f"{self.label} : fin avant le début")
        if not (self.name.fr or self.name.en or self.iso_code):
            raise ValueError("un territoire sans code ISO doit avoir un nom")
        return self

    @property
    def label(self) -> str:
        return self.iso_code or self.name.fr or self.name.en or "?"


class TerritoryFile(_Strict):
    territories: list[TerritoryEntry]


def read_territory_file(path: Path) -> TerritoryFile:
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    try:
        return TerritoryFile.model_validate(document)
    except ValidationError as exc:
        raise TerritoryDataError(f"{path.name} : {exc}") from exc


@dataclass
class TerritoriesLoad:
    """What `load_territories` did, and the facts it could not confirm against ISO 3166-2."""

    territories: LoadResult
    successions: LoadResult
    warnings: list[str] = field(default_factory=list)

    @property
    def results(self) -> list[LoadResult]:
        return [self.territories, self.successions]


def _territory_names(entry: TerritoryEntry, warnings: list[str]) -> dict[str, str]:
    """The entry's names, completed from ISO 3166-2 when the code designates it today."""
    names = {f"name_{lang}": value for lang in LANGUAGES if (value := getattr(entry.name, lang))}
    is_current = entry.valid_until is None
    if entry.iso_code and is_current:
        subdivision = pycountry.subdivisions.get(code=entry.iso_code)
        if subdivision is None:
            warnings.append(
                f"{entry.iso_code} : territoire en vigueur, mais code absent d'ISO 3166-2 "
                "aujourd'hui (pycountry) : à vérifier"
            )
        else:
            names.setdefault("name_en", subdivision.name)
            french = _translate(_catalogue("iso3166-2", "fr"), subdivision.name)
            names.setdefault("name_fr", french or subdivision.name)
    if "name_fr" not in names:
        names["name_fr"] = names.get("name_en") or entry.iso_code
    return names


def _entry_key(entry: TerritoryEntry, names: dict[str, str]) -> tuple[str, Any, Any]:
    if entry.iso_code:
        return ("code", entry.iso_code, entry.valid_from)
    return ("name", names["name_fr"], entry.country)


def _territory_key(territory: Territory) -> tuple[str, Any, Any]:
    if territory.iso_code:
        return ("code", territory.iso_code, territory.valid_from)
    return ("name", getattr(territory, "name_fr", territory.name), territory.country.iso2)


def _resolve(
    ref: str | Reference,
    entries: list[tuple[TerritoryEntry, dict[str, str]]],
    context: str,
) -> int:
    """The index in `entries` of the one entry `ref` designates."""
    if isinstance(ref, str):
        ref = Reference(code=ref)
    matches = [
        index
        for index, (entry, names) in enumerate(entries)
        if (ref.code is None or entry.iso_code == ref.code)
        and (ref.valid_from is None or entry.valid_from == ref.valid_from)
        and (ref.name is None or names["name_fr"] == ref.name)
        and (ref.country is None or entry.country == ref.country)
    ]
    if len(matches) != 1:
        found = "aucun territoire" if not matches else f"{len(matches)} territoires"
        raise TerritoryDataError(f"{context} : {found} pour la référence {ref.model_dump()}")
    return matches[0]


class _Period(Protocol):
    iso_code: str
    valid_from: date | None
    valid_until: date | None


def _check_overlaps(claims: Iterable[_Period], where: str) -> None:
    """Refuse two holders of one code at the same time (sorted by start, each must end
    before the next starts)."""
    by_code: dict[str, list[_Period]] = {}
    for claim in claims:
        if claim.iso_code:
            by_code.setdefault(claim.iso_code, []).append(claim)
    for code, holders in by_code.items():
        holders.sort(key=lambda h: h.valid_from or date.min)
        for earlier, later in itertools.pairwise(holders):
            if earlier.valid_until is None or (
                later.valid_from is not None and later.valid_from <= earlier.valid_until
            ):
                raise TerritoryDataError(
                    f"{code} : deux territoires portent ce code en même temps ({where})"
                )


@transaction.atomic
def load_territories(path: Path = PARTNER_TERRITORIES_FILE) -> TerritoriesLoad:
    """Upsert the territories of `path`, then their parents, then their successions.

    Countries must be loaded first (`load_countries`).
    """
    document = read_territory_file(path)
    warnings: list[str] = []
    entries = [(entry, _territory_names(entry, warnings)) for entry in document.territories]
    keys = [_entry_key(entry, names) for entry, names in entries]
    if len(set(keys)) != len(keys):
        raise TerritoryDataError(f"{path.name} : un territoire y figure deux fois")
    _check_overlaps((entry for entry, _names in entries), path.name)

    countries = dict(
        Country.objects.filter(iso2__in={e.country for e, _ in entries}).values_list("iso2", "id")
    )
    missing = {entry.country for entry, _ in entries} - countries.keys()
    if missing:
        raise TerritoryDataError(
            f"pays absents de la base : {', '.join(sorted(missing))} (lancer load_countries)"
        )
    parents = [
        _resolve(entry.parent, entries, entry.label) if entry.parent is not None else None
        for entry, _ in entries
    ]

    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        territories, created, updated = _sync_territories(entries, keys, parents, countries)
        successions = _sync_successions(entries, territories)

    # Territories added in the admin may hold the same codes: check the stored whole.
    codes = {territory.iso_code for territory in territories if territory.iso_code}
    _check_overlaps(Territory.objects.filter(iso_code__in=codes), "base de données")
    today = date.today()
    return TerritoriesLoad(
        territories=LoadResult(
            label="Territoires",
            total=len(territories),
            active=sum(1 for t in territories if t.is_valid_on(today)),
            created=created,
            updated=updated,
        ),
        successions=successions,
        warnings=warnings,
    )


def _sync_territories(
    entries: list[tuple[TerritoryEntry, dict[str, str]]],
    keys: list[tuple[str, Any, Any]],
    parents: list[int | None],
    countries: dict[str, int],
) -> tuple[list[Territory], int, int]:
    """Upsert the entries (parents in a second pass, once every row has an id)."""

    def stored() -> dict[tuple[str, Any, Any], Territory]:
        rows = Territory.objects.filter(country_id__in=countries.values()).select_related("country")
        return {_territory_key(t): t for t in rows}

    existing = stored()
    wanted = [
        {
            **names,
            "country_id": countries[entry.country],
            "kind": entry.kind.value,
            "iso_code": entry.iso_code,
            "valid_from": entry.valid_from,
            "valid_until": entry.valid_until,
            "note": " ".join(entry.note.split()),
        }
        for entry, names in entries
    ]
    to_create = [
        Territory(**values) for key, values in zip(keys, wanted, strict=True) if key not in existing
    ]
    to_update, changed = _apply_changes(
        (existing[key], values) for key, values in zip(keys, wanted, strict=True) if key in existing
    )
    Territory.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        Territory.objects.bulk_update(to_update, _with_base_columns(changed), BATCH_SIZE)

    existing = stored()
    territories = [existing[key] for key in keys]
    new_keys = {_territory_key(t) for t in to_create}
    reparented, _ = _apply_changes(
        (territory, {"parent_id": territories[parent].pk if parent is not None else None})
        for territory, parent in zip(territories, parents, strict=True)
    )
    if reparented:
        Territory.objects.bulk_update(reparented, ["parent_id"], BATCH_SIZE)
    updated = {_territory_key(t) for t in [*to_update, *reparented]} - new_keys
    return territories, len(to_create), len(updated)


def _sync_successions(
    entries: list[tuple[TerritoryEntry, dict[str, str]]], territories: list[Territory]
) -> LoadResult:
    wanted: dict[tuple[int, int], dict[str, Any]] = {}
    for index, (entry, _names) in enumerate(entries):
        for successor in entry.successors:
            target = _resolve(successor.to, entries, f"{entry.label} → successeur")
            wanted[(territories[index].pk, territories[target].pk)] = {
                "effective_date": successor.date,
                "kind": successor.kind.value,
                "is_legal_successor": successor.is_legal_successor,
                "note": " ".join(successor.note.split()),
            }
    existing = {
        (link.predecessor_id, link.successor_id): link
        for link in TerritorySuccession.objects.filter(
            predecessor_id__in=[t.pk for t in territories]
        )
    }
    to_create = [
        TerritorySuccession(predecessor_id=pred, successor_id=succ, **values)
        for (pred, succ), values in wanted.items()
        if (pred, succ) not in existing
    ]
    to_update, changed = _apply_changes(
        (existing[key], values) for key, values in wanted.items() if key in existing
    )
    TerritorySuccession.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        TerritorySuccession.objects.bulk_update(to_update, sorted(changed), BATCH_SIZE)
    return LoadResult(
        label="Successions territoriales",
        total=len(wanted),
        active=len(wanted),
        created=len(to_create),
        updated=len(to_update),
    )


def add_reference_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--territories",
        type=Path,
        default=PARTNER_TERRITORIES_FILE,
        help="Fichier YAML des territoires partenaires (par défaut : "
        "reciproca/territories/data/partner_territories.yaml).",
    )


def load_reference_data(options: Mapping[str, Any]) -> Loaded:
    """The countries and partner territories' part of `reciproca load_reference` (registered in
    `apps.py`), after the codelists."""
    countries = load_countries()
    territories = load_territories(options.get("territories") or PARTNER_TERRITORIES_FILE)
    return Loaded(results=[countries, *territories.results], warnings=territories.warnings)
